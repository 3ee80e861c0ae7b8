// Connection exhaustion (issue #11 item 8): ~20,000 sockets that never finish their headers, against the real server
// process (the CLI, as users start it; open-file limit 20,000). While they hold on, the bench probes what people and
// agents need, each over a NEW connection: GET /healthz, GET / (the board), POST /api/v1/reports (an agent's report over
// HTTP) and the agent WebSocket (connect, report, ack). It prints success and latency before and under attack, and the
// server's open files and RSS.
// Two attacks: from ONE address (127.0.0.1), and spread over 200 loopback addresses (127.0.1.1 … 127.0.1.200), which
// no per-address limit stops. Attackers reconnect at once when the server closes them, to keep the pressure. The probes
// come from another address (127.0.2.1): people and agents are not the attacker.
// Run: npm run build && node_modules/.bin/tsx bench/connections.ts [sockets=20000] [probeSeconds=20]
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { request } from 'node:http'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { goodFacts, identity, report } from '../tests/lib/demo.js'
import { removeDir, startServer } from '../tests/lib/real.js'

// ws is a dependency of the server package (the root has none).
interface Ws {
  on(ev: 'open' | 'close', fn: () => void): void
  on(ev: 'message', fn: (d: Buffer) => void): void
  on(ev: 'error', fn: (e: Error) => void): void
  send(s: string): void
  close(): void
}
const WebSocket = createRequire(new URL('../packages/server/package.json', import.meta.url))('ws') as new (url: string, opts: object) => Ws

/** Where the probes come from (declared before main() runs: it is awaited at the top level). */
const PROBE_FROM = '127.0.2.1'

// ── the attacker: a child process (its own 20,000 open files) ──
if (process.argv[2] === '--attack') {
  const [port, count, addrs] = process.argv.slice(3).map(Number) as [number, number, number]
  const from = (i: number) => (addrs === 1 ? '127.0.0.1' : `127.0.1.${1 + (i % addrs)}`)
  let open = 0
  let running = true
  const one = (i: number) => {
    const s: Socket = connect({ host: '127.0.0.1', port, localAddress: from(i) })
    s.on('connect', () => {
      open++
      // Headers begun, never finished.
      s.write('GET / HTTP/1.1\r\nHost: lagebild\r\nX-Slow: ')
    })
    s.on('error', () => {})
    s.resume()
    s.on('close', (hadConnected) => {
      if (s.bytesWritten > 0 || hadConnected) open = Math.max(0, open - 1)
      if (running) setTimeout(() => one(i), 50)
    })
  }
  // Open them quickly but not all in one tick (the kernel's accept queue is 511 deep).
  let i = 0
  const ramp = setInterval(() => {
    for (let k = 0; k < 500 && i < count; k++) one(i++)
    if (i >= count) clearInterval(ramp)
  }, 25)
  const tell = setInterval(() => process.stdout.write(`${JSON.stringify({ open })}\n`), 1000)
  process.on('SIGTERM', () => {
    running = false
    clearInterval(tell)
    process.exit(0)
  })
} else await main()

async function main() {
  const SOCKETS = Number(process.argv[2] ?? 20_000)
  const PROBE_S = Number(process.argv[3] ?? 20)
  const server = await startServer({ LAGEBILD_LOG_LEVEL: 'error' })
  const port = Number(new URL(server.url).port)
  const pid = await serverPid(port)
  const apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'bench', '--json'])) as { key: string }).key
  const { token } = JSON.parse(await server.cli(['token', 'create', '--uses', '10', '--json'])) as { token: string }
  const id = identity('pc-bench', 'linux')
  const enrolled = (await (await fetch(`${server.url}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, host: id }) })).json()) as { agentId: string; secret: string }
  const bearer = `Bearer ${enrolled.agentId}.${enrolled.secret}`
  const facts = goodFacts('linux')

  const probes: Record<string, () => Promise<void>> = {
    'GET /healthz': () => http(port, 'GET', '/healthz'),
    'GET / (board)': () => http(port, 'GET', '/'),
    'GET /api/v1/hosts': () => http(port, 'GET', '/api/v1/hosts', { authorization: `Bearer ${apiKey}` }),
    'POST /api/v1/reports': () => http(port, 'POST', '/api/v1/reports', { authorization: bearer, 'content-type': 'application/json' }, JSON.stringify(report(id, facts))),
    'agent WebSocket report→ack': () => wsReport(port, bearer, JSON.stringify({ type: 'report', report: report(id, facts) })),
  }

  async function probeRound(seconds: number) {
    const out: Record<string, { ok: number; fail: number; ms: number[] }> = {}
    for (const k of Object.keys(probes)) out[k] = { ok: 0, fail: 0, ms: [] }
    const end = Date.now() + seconds * 1000
    while (Date.now() < end) {
      for (const [name, fn] of Object.entries(probes)) {
        const t = performance.now()
        try {
          await withTimeout(fn(), 10_000)
          out[name]!.ok++
          out[name]!.ms.push(performance.now() - t)
        } catch {
          out[name]!.fail++
        }
      }
      await sleep(250)
    }
    return out
  }

  const fdsOf = () => { try { return readdirSync(`/proc/${pid}/fd`).length } catch { return -1 } }
  const rssOf = () => { try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024 } catch { return -1 } }
  const table = (title: string, r: Awaited<ReturnType<typeof probeRound>>, extra: string) => {
    console.log(`\n${title}  (${extra})`)
    console.log(`${'probe (new connection each)'.padEnd(30)} ok/all    p50 ms   p95 ms   max ms`)
    for (const [name, v] of Object.entries(r)) {
      const s = [...v.ms].sort((a, b) => a - b)
      const p = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(0) : '—').padStart(8)
      console.log(`${name.padEnd(30)} ${`${v.ok}/${v.ok + v.fail}`.padEnd(8)} ${p(0.5)} ${p(0.95)} ${(s.length ? s[s.length - 1]!.toFixed(0) : '—').padStart(8)}`)
    }
  }

  console.log(`server pid ${pid} on port ${port}; open-file limit ${/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1]}`)
  table('no attack', await probeRound(5), `server fds ${fdsOf()}, RSS ${rssOf().toFixed(0)} MiB`)

  for (const [label, addrs] of [['one address', 1], ['200 addresses', 200]] as const) {
    const attackers: ChildProcess[] = []
    const open: number[] = []
    // Two processes of half each: one process may hold at most 20,000 files.
    for (let k = 0; k < 2; k++) {
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--attack', String(port), String(SOCKETS / 2), String(addrs)], { stdio: ['ignore', 'pipe', 'inherit'] })
      child.stdout!.on('data', (d: Buffer) => {
        const last = d.toString().trim().split('\n').pop()
        if (last) open[k] = (JSON.parse(last) as { open: number }).open
      })
      attackers.push(child)
    }
    // Let them ramp up (and the server shed what it sheds).
    await sleep(Math.max(12_000, (SOCKETS / 500) * 25 * 2))
    const during = await probeRound(PROBE_S)
    const held = open.reduce((a, b) => a + (b ?? 0), 0)
    table(`${SOCKETS} slow-header sockets from ${label}`, during, `attackers hold ${held} connected sockets; server fds ${fdsOf()}, RSS ${rssOf().toFixed(0)} MiB`)
    for (const a of attackers) a.kill('SIGTERM')
    await sleep(3000)
  }
  console.log(`\nafter the attacks: server fds ${fdsOf()}, RSS ${rssOf().toFixed(0)} MiB; server still running: ${(await http(port, 'GET', '/healthz').then(() => 'yes', () => 'NO'))}`)
  await server.stop()
  removeDir(server.dataDir)
  process.exit(0)
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms))
}
function withTimeout<T>(p: Promise<T>, ms: number) {
  return Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))])
}
/** One request over a fresh connection; resolves on a 2xx. */
function http(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false, localAddress: PROBE_FROM }, (res) => {
      res.resume()
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(String(res.statusCode)))))
    })
    req.on('error', reject)
    req.end(body)
  })
}
function wsReport(port: number, bearer: string, frame: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/agent`, { headers: { authorization: bearer }, localAddress: PROBE_FROM })
    ws.on('open', () => ws.send(frame))
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string }
      ws.close()
      if (m.type === 'ack') resolve()
      else reject(new Error(m.type))
    })
    ws.on('error', reject)
    ws.on('close', () => reject(new Error('closed')))
  })
}
/** The pid that holds the listening socket of the port (the server CLI's process). */
async function serverPid(port: number): Promise<number> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  const inode = readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '0A')?.[9]
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
    try {
      if (readdirSync(`/proc/${p}/fd`).some((fd) => readlinkOr(`/proc/${p}/fd/${fd}`) === `socket:[${inode}]`)) return Number(p)
    } catch {
      /* a process we may not look into */
    }
  throw new Error(`no process listens on ${port}`)
}
function readlinkOr(path: string) {
  try {
    return readlinkSync(path)
  } catch {
    return ''
  }
}
