// Self-update of an installed agent: only from its own server, only a package whose SHA-256 matches the one the
// server lists, only after the new version proved it starts; the previous version stays for the launcher's rollback.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import {
  compareVersions, PLATFORM_SPECS, platformFor, PROGRAM_FILES,
  type AgentPackage, type AgentPlatform, type Language,
} from '@lagebild/shared'
import { ConfigError, readCaFile, type AgentConfig } from './config.js'
import { AGENT_VERSION } from './version.js'
import { download, getJson, type TlsOptions } from './transport/http.js'

const run = promisify(execFile)

export class UpdateError extends Error {}

/** The program folder when this process runs from an installed layout (<program>/versions/<v>/agent/…), else null. */
export function installedProgram(entry = process.argv[1]): string | null {
  if (!entry) return null
  const agentDir = dirname(resolve(entry))
  const versionDir = dirname(agentDir)
  const versions = dirname(versionDir)
  const program = dirname(versions)
  if (basename(agentDir) !== 'agent' || basename(versions) !== PROGRAM_FILES.versions) return null
  return existsSync(join(program, PROGRAM_FILES.current)) ? program : null
}

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
}

/** The new version delivered a report: it works, the launcher need not roll back any more. */
export async function confirmUpdate(program: string | null): Promise<boolean> {
  if (!program || !existsSync(join(program, PROGRAM_FILES.pending))) return false
  await rm(join(program, PROGRAM_FILES.pending), { force: true })
  return true
}

export interface UpdateOptions {
  server: string
  tls: TlsOptions
  program: string
  platform?: AgentPlatform | null
  /** The version running now. */
  version?: string
  log?: (msg: string) => void
  /** Runs the unpacked new version once (default: `lagebild-agent version` with its own runtime). */
  trial?: (versionDir: string) => Promise<string>
}

export type UpdateResult = { updated: false; reason: string } | { updated: true; from: string; to: string }

async function trialRun(versionDir: string, platform: AgentPlatform): Promise<string> {
  const node = join(versionDir, PLATFORM_SPECS[platform].nodeBinary)
  const { stdout } = await run(node, [join(versionDir, 'agent', 'lagebild-agent.mjs'), 'version'], { timeout: 60_000, windowsHide: true })
  return stdout.trim()
}

/** Unpacks with the OS's own tar (Linux, macOS, Windows 10 1803+: bsdtar, which reads .zip too). */
async function unpack(archive: string, into: string) {
  await mkdir(into, { recursive: true })
  const tar = process.platform === 'win32' ? join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'tar.exe') : 'tar'
  await run(tar, [archive.endsWith('.zip') ? '-xf' : '-xzf', archive, '-C', into], { timeout: 5 * 60_000, windowsHide: true })
}

async function writeAtomic(file: string, text: string) {
  await writeFile(`${file}.tmp`, text)
  await rename(`${file}.tmp`, file)
}

export async function update(opts: UpdateOptions): Promise<UpdateResult> {
  const log = opts.log ?? (() => {})
  const running = opts.version ?? AGENT_VERSION
  const platform = opts.platform === undefined ? platformFor(process.platform, process.arch) : opts.platform
  if (!platform) return { updated: false, reason: `no agent packages for ${process.platform}-${process.arch}` }
  const list = await getJson<{ version: string; packages: AgentPackage[] }>(opts.server, '/api/v1/agent-packages', opts.tls)
  const offered = list.version
  if (compareVersions(offered, running) <= 0) return { updated: false, reason: `version ${running} is current (server offers ${offered})` }
  if (readText(join(opts.program, PROGRAM_FILES.rolledBack)) === offered)
    return { updated: false, reason: `version ${offered} did not start here before and was rolled back; not trying it again` }
  const pkg = list.packages.find((p) => p.platform === platform)
  if (!pkg) return { updated: false, reason: `the server offers ${offered} but no package for ${platform}` }
  if (!/^\d+\.\d+\.\d+$/.test(offered) || basename(pkg.file) !== pkg.file) throw new UpdateError(`the server's package list is not plausible (${offered}, ${pkg.file})`)

  const versions = join(opts.program, PROGRAM_FILES.versions)
  const archive = join(versions, `.download-${pkg.file}`)
  const staging = join(versions, `.new-${offered}`)
  const target = join(versions, offered)
  await mkdir(versions, { recursive: true })
  try {
    log(`update: downloading ${pkg.file} (${(pkg.size / 1048576).toFixed(1)} MiB) from ${opts.server}`)
    const sha = await download(opts.server, `/api/v1/agent-packages/${platform}`, archive, opts.tls, pkg.size + 1)
    if (sha !== pkg.sha256) throw new UpdateError(`update refused: SHA-256 of ${pkg.file} is ${sha}, the server lists ${pkg.sha256}; nothing changed / Aktualisierung abgelehnt: SHA-256 stimmt nicht; nichts geändert`)
    await rm(staging, { recursive: true, force: true })
    await unpack(archive, staging)
    const unpacked = join(staging, 'lagebild-agent')
    const inside = readText(join(unpacked, 'VERSION'))
    if (inside !== offered) throw new UpdateError(`update refused: the package holds version ${inside}, expected ${offered}`)
    const said = await (opts.trial ?? ((d) => trialRun(d, platform)))(unpacked).catch((err: Error) => {
      throw new UpdateError(`update refused: version ${offered} does not start here (${err.message.slice(0, 300)})`)
    })
    if (said !== offered) throw new UpdateError(`update refused: version ${offered} answered "${said.slice(0, 100)}"`)
    await rm(target, { recursive: true, force: true })
    await rename(unpacked, target)
  } finally {
    await rm(archive, { force: true })
    await rm(staging, { recursive: true, force: true })
  }

  const current = readText(join(opts.program, PROGRAM_FILES.current)) ?? running
  await writeAtomic(join(opts.program, PROGRAM_FILES.pending), '0\n')
  await writeAtomic(join(opts.program, PROGRAM_FILES.previous), `${current}\n`)
  await writeAtomic(join(opts.program, PROGRAM_FILES.current), `${offered}\n`)
  // Keep the new and the previous version (for the rollback), nothing older.
  for (const d of await readdir(versions)) if (d !== offered && d !== current && !d.startsWith('.')) await rm(join(versions, d), { recursive: true, force: true })
  log(`update: switched from ${current} to ${offered}; restarting into it`)
  return { updated: true, from: current, to: offered }
}

/** How long the agent waits between update checks (plus up to an hour of jitter, so 200 PCs do not download at once). */
export const UPDATE_CHECK_MS = 6 * 3_600_000

/**
 * The running agent of an installed package: confirms itself after its first delivered report (so the launcher does
 * not roll back) and checks its server for a newer version now and then. Returns a stop function.
 */
export function autoUpdate(opts: { server: string; tls: TlsOptions; enabled: boolean; log: (msg: string) => void; restart: () => void }): { onDelivered: () => void; stop: () => void } {
  const program = installedProgram()
  let confirmed = false
  let timer: NodeJS.Timeout | null = null
  const check = async () => {
    try {
      const r = await update({ server: opts.server, tls: opts.tls, program: program!, log: opts.log })
      if (r.updated) return opts.restart()
    } catch (err) {
      opts.log(`update: ${(err as Error).message}`)
    }
    timer = setTimeout(() => void check(), UPDATE_CHECK_MS + Math.random() * 3_600_000)
    timer.unref()
  }
  if (program && opts.enabled) {
    // The first check a little after start, once the first report went out.
    timer = setTimeout(() => void check(), 5 * 60_000 + Math.random() * 10 * 60_000)
    timer.unref()
  }
  return {
    onDelivered: () => {
      if (confirmed) return
      confirmed = true
      void confirmUpdate(program).then((c) => c && opts.log(`update: version ${AGENT_VERSION} confirmed`), () => undefined)
    },
    stop: () => {
      if (timer) clearTimeout(timer)
    },
  }
}

export async function updateCommand(config: AgentConfig, checkOnly: boolean, lang: Language) {
  if (!config.server) throw new ConfigError('not enrolled: no server to update from')
  const tls: TlsOptions = config.caFile ? { ca: readCaFile(config.caFile) } : {}
  const program = installedProgram()
  if (checkOnly || !program) {
    const list = await getJson<{ version: string }>(config.server, '/api/v1/agent-packages', tls)
    const newer = compareVersions(list.version, AGENT_VERSION) > 0
    process.stdout.write(
      lang === 'de'
        ? `Version ${AGENT_VERSION}; der Server bietet ${list.version}${newer ? '' : ' (aktuell)'}\n`
        : `version ${AGENT_VERSION}; the server offers ${list.version}${newer ? '' : ' (current)'}\n`,
    )
    if (!program && !checkOnly) throw new ConfigError(lang === 'de' ? 'kein installiertes Paket: nur installierte Agenten aktualisieren sich' : 'not an installed package: only installed agents update themselves')
    return
  }
  const r = await update({ server: config.server, tls, program, log: (m) => process.stderr.write(`${m}\n`) })
  if (!r.updated) return void process.stdout.write(`${r.reason}\n`)
  process.stdout.write(
    lang === 'de'
      ? `Aktualisiert von ${r.from} auf ${r.to}. Der laufende Dienst wechselt bei seinem nächsten Neustart (oder jetzt: Dienst neu starten).\n`
      : `Updated from ${r.from} to ${r.to}. The running service switches at its next restart (or now: restart the service).\n`,
  )
}
