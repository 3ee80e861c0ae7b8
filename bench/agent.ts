// Agent footprint on this machine, side by side with its baselines (issue #3):
//   steady RSS of the running agent vs a bare `node` process measured in the same run (target ≤ 1.3×),
//   CPU while idle between collections (target: none),
//   wall time of a full collection vs running its OS commands directly (target ≤ 1.2×).
// Run: npm run build && node_modules/.bin/tsx bench/agent.ts [seconds=130]
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { AGENT_BIN, ROOT, run, startServer, tempDir } from '../tests/lib/real.js'

// The bundle that is installed on PCs (npm run build), not the TypeScript source.
const AGENT_DIST = join(ROOT, 'packages/agent/dist/lagebild-agent.mjs')

const WINDOW_S = Number(process.argv[2] ?? 130)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)
const HZ = 100 // Linux USER_HZ
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(f[11]) + Number(f[12])) * 1000) / HZ // utime + stime of the process itself (not its children)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const mb = (kb: number) => (kb / 1024).toFixed(1)

async function bareNode(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' })
  await sleep(3000)
  const samples = [] as number[]
  for (let i = 0; i < 5; i++, await sleep(500)) samples.push(rssKb(child.pid!))
  child.kill()
  return median(samples)
}

function execTimed(file: string, args: string[], env: Record<string, string>, input?: string): Promise<number> {
  const t = performance.now()
  return new Promise((resolve) => {
    const c = execFile(file, args, { env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...env }, maxBuffer: 64 << 20 }, () => resolve(performance.now() - t))
    if (input !== undefined) c.stdin?.end(input)
  })
}

async function main() {
  const server = await startServer()
  const agentDir = tempDir('lagebild-bench-agent-')
  const trace = join(agentDir, 'exec-trace.jsonl')
  let agent: ChildProcess | undefined
  try {
    const { token } = JSON.parse(await server.cli(['token', 'create', '--json'])) as { token: string }
    const e = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', token, '--dir', agentDir], process.env)
    if (e.code) throw new Error(e.stderr)

    const bare = await bareNode()

    let log = ''
    agent = spawn(process.execPath, [AGENT_DIST, 'run', '--dir', agentDir], {
      env: { ...process.env, LAGEBILD_TRACE_EXEC: trace, LAGEBILD_AGENT_DEBUG: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    agent.stderr!.on('data', (d: Buffer) => (log += d.toString()))
    const t0 = Date.now()
    while (!/full report .*delivered 1/.test(log)) {
      if (Date.now() - t0 > 120_000) throw new Error(`agent did not report:\n${log}`)
      await sleep(200)
    }
    const fullMs = Number(/full collection took (\d+) ms/.exec(log)![1])
    // Let the first collection settle (V8 collects the garbage of parsing and sending the report in the next
    // seconds), then sample once a second.
    await sleep(5000)
    const samples: { at: number; rss: number; cpu: number }[] = []
    for (let i = 0; i < WINDOW_S; i++, await sleep(1000)) samples.push({ at: Date.now(), rss: rssKb(agent.pid!), cpu: cpuMs(agent.pid!) })
    const ticks = [...log.matchAll(/^(\S+) tick rss/gm)].map((m) => Date.parse(m[1]!))
    const tickEnds = [...log.matchAll(/^(\S+) tick done$/gm)].map((m) => Date.parse(m[1]!))
    // A tick lasts from its start to its "tick done" (its child processes included), plus a second either side.
    const busy = ticks.map((t) => [t - 1000, (tickEnds.find((e) => e >= t) ?? t + 10_000) + 1000] as const)
    // CPU outside the seconds around each minute's quick check.
    let idleCpu = 0
    let idleSeconds = 0
    let tickCpu = 0
    for (let i = 1; i < samples.length; i++) {
      const d = samples[i]!.cpu - samples[i - 1]!.cpu
      const nearTick = busy.some(([from, to]) => samples[i]!.at >= from && samples[i - 1]!.at <= to)
      if (nearTick) tickCpu += d
      else {
        idleCpu += d
        idleSeconds++
        if (d > 0 && process.env.BENCH_VERBOSE) console.log(`idle CPU ${d} ms at ${new Date(samples[i]!.at).toISOString()}`)
      }
    }
    const steady = median(samples.map((s) => s.rss))
    const maxRss = Math.max(...samples.map((s) => s.rss))

    // The same OS commands, run directly one after the other, plus the systeminformation calls of the inventory.
    type Traced = { pid: number; file: string; args: string[]; env: Record<string, string>; input?: string }
    const cmds = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Traced)
    // The first full collection is the first worker process's commands.
    const firstFull = cmds.filter((c) => c.pid === cmds[0]!.pid)
    const siScript = `const si = (await import('systeminformation')).default; const t = performance.now();
      await Promise.all([si.osInfo(), si.uuid(), si.time()]); await Promise.all([si.system(), si.cpu(), si.mem(), si.osInfo(), si.diskLayout()]);
      console.log(performance.now() - t)`
    // Several rounds, alternating, medians: the same commands take noticeably different times from run to run
    // (apt-get -s alone varies by a second), so one pair would measure the noise.
    const ROUNDS = 5
    const agentRuns: number[] = []
    const directRuns: number[] = []
    const cmdRuns: number[] = []
    const siRuns: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // Exactly what the agent runs for a full collection: its worker process.
      const t = performance.now()
      await new Promise((resolve) => execFile(process.execPath, [AGENT_DIST, 'collect', '--json', '--dir', agentDir], { maxBuffer: 64 << 20 }, resolve))
      agentRuns.push(performance.now() - t)
      let cmdMs = 0
      for (const c of firstFull) cmdMs += await execTimed(c.file, c.args, c.env, c.input)
      const siMs = await new Promise<number>((resolve) =>
        execFile(process.execPath, ['--input-type=module', '-e', siScript], { cwd: join(ROOT, 'packages/agent') }, (_e, out) => resolve(Number(out.trim()))),
      )
      cmdRuns.push(cmdMs)
      siRuns.push(siMs)
      directRuns.push(cmdMs + siMs)
    }
    const agentMs = median(agentRuns)
    const direct = median(directRuns)
    const directMs = median(cmdRuns)
    const siMs = median(siRuns)

    const row = (what: string, agentV: string, base: string, ratio: string, target: string) =>
      console.log(`${what.padEnd(34)} ${agentV.padStart(12)} ${base.padStart(12)} ${ratio.padStart(8)}   ${target}`)
    console.log(`\nLagebild agent benchmark — ${new Date().toISOString()}, node ${process.version}, ${WINDOW_S} s window, ${ticks.length} minute tick(s)\n`)
    row('measure', 'agent', 'baseline', 'ratio', 'target')
    row('steady RSS (median), MiB', mb(steady), mb(bare), (steady / bare).toFixed(2), '≤ 1.30 × bare node')
    row('max RSS in window, MiB', mb(maxRss), mb(bare), (maxRss / bare).toFixed(2), '(for information)')
    row('CPU while idle, ms', `${idleCpu.toFixed(0)} / ${idleSeconds} s`, '0', '', 'none between ticks')
    row('CPU per quick check, ms', ticks.length ? (tickCpu / ticks.length).toFixed(0) : '–', '', '', '(for information)')
    const mem = [...log.matchAll(/ tick (rss=.*)$/gm)].at(-1)?.[1]
    if (mem) row('memory at the last tick', mem, '', '', '')
    row('full collection wall time, ms', agentMs.toFixed(0), direct.toFixed(0), (agentMs / direct).toFixed(2), `≤ 1.20 × direct (medians of ${ROUNDS}; ${firstFull.length} commands ${directMs.toFixed(0)} ms + systeminformation ${siMs.toFixed(0)} ms)`)
    row('first full collection in the running agent, ms', String(fullMs), '', '', '(for information)')
  } finally {
    agent?.kill('SIGTERM')
    await server.stop()
    rmSync(agentDir, { recursive: true, force: true })
    rmSync(server.dataDir, { recursive: true, force: true })
  }
}

await main()
