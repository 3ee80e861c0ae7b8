// Shared by start.mjs and check.mjs: only Node built-ins, so they run on a machine with nothing but Node and npm.
import { spawnSync, execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PNPM = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager // "pnpm@x.y.z"

/** Environment for installs: native addons (better-sqlite3) build against this Node's own headers, no download. */
export function buildEnv() {
  const env = { ...process.env }
  const prefix = dirname(dirname(process.execPath))
  if (!env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_api.h'))) env.npm_config_nodedir = prefix
  return env
}

/** pnpm in the pinned version: a global one when it matches, otherwise through npx. */
export function pnpmCommand() {
  const want = PNPM.split('@')[1]
  try {
    const have = execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    if (have === want) return ['pnpm']
  } catch {
    /* not installed */
  }
  return ['npx', '--yes', PNPM]
}

export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: buildEnv(), ...opts })
  return r.status ?? 1
}

export function pnpm(args, opts = {}) {
  const [cmd, ...pre] = pnpmCommand()
  return sh(cmd, [...pre, ...args], opts)
}

export function install() {
  // The lockfile is the truth: an install never changes it (pnpm-workspace.yaml's pmOnFail keeps pnpm from trying to
  // record its own platform binaries in it).
  const code = pnpm(['install', '--frozen-lockfile'])
  if (code !== 0) {
    console.error('pnpm install failed / pnpm install fehlgeschlagen')
    process.exit(code)
  }
}
