// README command 2: install, build, typecheck, lint and run every test. Ends with one line "Tests: N passed, N failed".
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { spawnSync } from 'node:child_process'
import { ROOT, install, sh } from './lib.mjs'

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

console.log('\n── tests ──')
const out = join(tmpdir(), `lagebild-vitest-${process.pid}.json`)
const code = npm(['run', 'test:unit', '--', '--reporter=default', '--reporter=json', `--outputFile=${out}`])
let passed = 0
let failed
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'))
  passed = r.numPassedTests
  // A test file that failed outside any test (import error, failing hook) counts as one failure.
  failed = r.numFailedTests + r.testResults.filter((t) => t.status === 'failed' && !t.assertionResults.some((a) => a.status === 'failed')).length
  rmSync(out, { force: true })
} else failed = 1
if (code !== 0 && failed === 0) failed = 1
failed += failedSteps
console.log(`Tests: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
