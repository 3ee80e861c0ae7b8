// README command 2: install, build, typecheck, lint and run every test. Ends with one line "Tests: N passed, N failed".
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { spawnSync } from 'node:child_process'
import { ROOT, install, sh } from './lib.mjs'
import { node24Binary, node24Env, sqliteAddonFor } from './node24.mjs'

/** The server's tests once more under Node 24 LTS (its second supported runtime): server, end to end, start-up, TLS. */
const NODE24_TESTS = ['packages/server/test', 'tests/e2e.test.ts', 'tests/server-start.test.ts', 'tests/tls.test.ts', 'tests/displaced-agent.test.ts']

// On Debian as root, install the system tools the live tests use (ufw, restic, borg, chromium …), as CI does.
function aptPackages() {
  const list = join(ROOT, '.ci/apt-packages.txt')
  if (!existsSync(list) || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return
  const pkgs = readFileSync(list, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)
  const missing = pkgs.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true)
  if (!missing.length) return
  console.log(`apt-get install ${missing.join(' ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  sh('apt-get', ['update', '-qq'], { env })
  if (sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env }) !== 0) process.exit(1)
}

aptPackages()
install()
const steps = [
  ['build', ['run', 'build']],
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
]
// npm runs the scripts: it needs nothing from the registry, where pnpm 12 checks its own pinned version first.
const npm = (args) => sh('npm', args)
let failedSteps = 0
for (const [name, args] of steps) {
  console.log(`\n── ${name} ──`)
  if (npm(args) !== 0) {
    console.error(`${name} failed`)
    failedSteps++
  }
}

/** Runs vitest (args after `vitest run`) with a JSON report and counts it; a run that died without one counts as one failure. */
function vitest(runArgs, run) {
  const out = join(tmpdir(), `lagebild-vitest-${process.pid}-${Date.now()}.json`)
  const code = run([...runArgs, '--reporter=default', '--reporter=json', `--outputFile=${out}`])
  let passed = 0
  let failed = 1
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'))
    passed = r.numPassedTests
    // A test file that failed outside any test (import error, failing hook) counts as one failure.
    failed = r.numFailedTests + r.testResults.filter((t) => t.status === 'failed' && !t.assertionResults.some((a) => a.status === 'failed')).length
    rmSync(out, { force: true })
  }
  if (code !== 0 && failed === 0) failed = 1
  return { passed, failed }
}

console.log('\n── tests ──')
const node20 = vitest([], (args) => npm(['run', 'test:unit', '--', ...args]))

console.log('\n── server tests under Node 24 ──')
const started = Date.now()
let node24 = { passed: 0, failed: 1 }
try {
  const bin = node24Binary()
  const env = node24Env(sqliteAddonFor(bin))
  node24 = vitest(NODE24_TESTS, (args) => sh(bin, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...args], { env }))
} catch (err) {
  console.error(`Node 24 run not possible: ${err.message}`)
}
console.log(`Node 24: ${node24.passed} passed, ${node24.failed} failed in ${Math.round((Date.now() - started) / 1000)} s`)

const passed = node20.passed + node24.passed
const failed = node20.failed + node24.failed + failedSteps
console.log(`Tests: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
