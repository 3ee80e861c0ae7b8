// The self-contained agent package (issue #8): size per platform, and the steady RSS of the packaged agent (its own
// Node.js 24) against a bare process of that same shipped runtime (target ≤ 1.3×). Linux x64 only runs here.
// Run: npm run build && node_modules/.bin/tsx bench/agent-package.ts [seconds=90]
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentPackageManifest } from '../packages/shared/src/index.js'
import { ROOT, removeDir, startServer, tempDir } from '../tests/lib/real.js'

const OUT = join(ROOT, 'packages/agent-dist/out')
const WINDOW_S = Number(process.argv[2] ?? 90)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const mib = (b: number) => (b / 1048576).toFixed(1)

const manifest = JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8')) as AgentPackageManifest
console.log(`agent ${manifest.version} packages (${OUT}):`)
console.log('platform      archive MiB  unpacked MiB  runtime MiB  agent bundle KiB  Node')
const work = tempDir('lagebild-pkgbench-')
for (const p of manifest.packages) {
  const dir = join(work, p.platform)
  execFileSync('mkdir', ['-p', dir])
  execFileSync(p.file.endsWith('.zip') ? 'unzip' : 'tar', p.file.endsWith('.zip') ? ['-q', join(OUT, p.file), '-d', dir] : ['-xzf', join(OUT, p.file), '-C', dir])
  const du = (path: string) => Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0])
  const top = join(dir, 'lagebild-agent')
  const runtime = statSync(join(top, p.platform.startsWith('windows') ? 'bin/node.exe' : 'bin/node')).size
  console.log(
    `${p.platform.padEnd(13)} ${mib(p.size).padStart(11)}  ${mib(du(top)).padStart(12)}  ${mib(runtime).padStart(11)}  ${(du(join(top, 'agent')) / 1024).toFixed(0).padStart(16)}  ${p.nodeVersion}`,
  )
}

// RSS: the packaged agent (linux-x64) reporting to a real server, against `node -e` of the same binary.
const top = join(work, 'linux-x64', 'lagebild-agent')
const node = join(top, 'bin/node')
const server = await startServer()
try {
  const { token } = JSON.parse(await server.cli(['token', 'create', '--uses', '1', '--json'])) as { token: string }
  const state = join(work, 'state')
  execFileSync(join(top, 'lagebild-agent'), ['enroll', '--server', server.url, '--token', token, '--dir', state], { stdio: 'ignore' })
  const bare = spawn(node, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' })
  const agent = spawn(node, ['--use-system-ca', '--lite-mode', join(top, 'agent/lagebild-agent.mjs'), 'run', '--dir', state], { stdio: 'ignore' })
  const a: number[] = []
  const b: number[] = []
  // The first full collection runs in a child process in the first seconds; steady state is what stays afterwards.
  await sleep(30_000)
  for (let t = 30; t < WINDOW_S; t += 5, await sleep(5000)) {
    a.push(rssKb(agent.pid!))
    b.push(rssKb(bare.pid!))
  }
  agent.kill('SIGTERM')
  bare.kill()
  const ra = median(a)
  const rb = median(b)
  console.log(`\nsteady RSS (median of ${a.length} samples, ${30}–${WINDOW_S} s), Node ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()} from the package:`)
  console.log(`  packaged agent  ${(ra / 1024).toFixed(1)} MiB`)
  console.log(`  bare node -e    ${(rb / 1024).toFixed(1)} MiB`)
  console.log(`  ratio           ${(ra / rb).toFixed(2)}× (goal ≤ 1.3×)`)
} finally {
  await server.stop()
  removeDir(server.dataDir)
  removeDir(work)
}
