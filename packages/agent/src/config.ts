// The agent's own configuration file (config.json in the agent's data directory).
import { readFileSync } from 'node:fs'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { X509Certificate } from 'node:crypto'
import { dirname, join } from 'node:path'
import { homedir, platform } from 'node:os'
import Type, { type Static } from 'typebox'
import { INSTALL_LAYOUTS, type InstallLayout, type InstallOs } from '@lagebild/shared'
import { Compile } from 'typebox/compile'

export const BackupSourceConfigSchema = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('restic'),
        repository: Type.String({ minLength: 1, description: 'restic repository (path or URL), as for `restic -r`' }),
        passwordFile: Type.String({ minLength: 1, description: 'File holding the repository password' }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('borg'),
        repository: Type.String({ minLength: 1, description: 'borg repository, as for BORG_REPO' }),
        passphraseFile: Type.Optional(Type.String({ minLength: 1, description: 'File holding the passphrase, if any' })),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('folder'),
        path: Type.String({ minLength: 1, description: 'Folder (or marker file) whose newest file counts as the last backup' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'A backup source the agent checks in addition to the ones it detects' },
)
export type BackupSourceConfig = Static<typeof BackupSourceConfigSchema>

export const AgentConfigSchema = Type.Object(
  {
    server: Type.Optional(Type.String({ description: 'Server base URL, e.g. https://lagebild.example:8443' })),
    agentId: Type.Optional(Type.String({ description: 'Agent id from enrollment' })),
    secret: Type.Optional(Type.String({ description: 'Agent secret from enrollment' })),
    hostId: Type.Optional(Type.String({ description: 'Host id on the server' })),
    caFile: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'PEM file with the CA certificate(s) that signed the server certificate (a private CA; `enroll --ca FILE`). Without it the agent trusts the usual public CAs only.',
      }),
    ),
    intervalMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15, description: 'Minutes between full collections' }),
    autoUpdate: Type.Optional(
      Type.Boolean({ description: 'An installed agent updates itself to the version its server ships (default true); false: only `lagebild-agent update`' }),
    ),
    backups: Type.Array(BackupSourceConfigSchema, { default: [], description: 'Backup sources to check' }),
  },
  { additionalProperties: false },
)
export type AgentConfig = Static<typeof AgentConfigSchema>

// Compiled on first use only: the resident agent loads its config once.
let check: ReturnType<typeof Compile<typeof AgentConfigSchema>> | undefined

/** Every LAGEBILD_* variable the agent reads, in one place (README: Configuration). */
export function agentEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    /** The agent's data directory (config.json, spool). */
    dir: env.LAGEBILD_AGENT_DIR || null,
    /** Log memory figures around every tick (bench/agent.ts reads them). */
    debug: !!env.LAGEBILD_AGENT_DEBUG,
    /** LAGEBILD_AGENT_NO_WATCH=1: no `nft monitor` firewall trigger (diagnostics, bench/alerts.ts); the minute tick remains. */
    watchFirewall: env.LAGEBILD_AGENT_NO_WATCH !== '1',
    /** A file to which every command the agent runs is appended as a JSON line (bench/agent.ts). */
    traceExec: env.LAGEBILD_TRACE_EXEC || null,
    /** Set by the launcher of an agent installed below a root folder (install.sh --root, tests): prefixes every path. */
    installRoot: env.LAGEBILD_INSTALL_ROOT ?? '',
    /** Where the installed agent keeps the emergency card for every user of the PC (default: the install layout's `card`). */
    cardDir: env.LAGEBILD_CARD_DIR || null,
    /** Where people without access to the agent's configuration drop reports (`lagebild-agent report`); default: the install layout's `reports`. */
    reportDir: env.LAGEBILD_REPORT_DIR || null,
    /** LAGEBILD_STOP_ON_STDIN_END=1: `run` stops when its stdin closes (the Windows service host's way of stopping it). */
    stopOnStdinEnd: env.LAGEBILD_STOP_ON_STDIN_END === '1',
  }
}

export const configPath = (dir: string) => join(dir, 'config.json')

/** The OS's place for an installed agent (below LAGEBILD_INSTALL_ROOT, which the launcher sets when installed with --root). */
export function installLayout(os: InstallOs | null = installOs(), root = agentEnv().installRoot): InstallLayout | null {
  if (!os) return null
  const l = INSTALL_LAYOUTS[os]
  if (!root || os === 'windows') return l
  const r = (p: string | null) => (p === null ? null : join(root, p))
  return { ...l, program: r(l.program)!, configFile: r(l.configFile)!, caFile: r(l.caFile)!, state: r(l.state)!, card: r(l.card)!, reports: r(l.reports)!, serviceFile: r(l.serviceFile), binLink: r(l.binLink), log: r(l.log) }
}

export function installOs(p: NodeJS.Platform = platform()): InstallOs | null {
  return p === 'linux' ? 'linux' : p === 'darwin' ? 'macos' : p === 'win32' ? 'windows' : null
}

export interface AgentPaths {
  /** config.json: server, credentials, settings. */
  configFile: string
  /** Spool and other state. */
  dir: string
}

/**
 * --config and --dir win; --dir alone (or LAGEBILD_AGENT_DIR) keeps config.json inside it. Otherwise an administrator
 * gets the OS's place (/etc/lagebild + /var/lib/lagebild-agent, C:\ProgramData\Lagebild, /Library/Application
 * Support/Lagebild), anyone else ~/.lagebild-agent.
 */
export function agentPaths(opts: { dir?: string; config?: string } = {}): AgentPaths {
  const dir = opts.dir ?? agentEnv().dir
  if (dir) return { dir, configFile: opts.config ?? configPath(dir) }
  const layout = installLayout()
  const admin = platform() === 'win32' || process.getuid?.() === 0
  if (layout && admin) return { dir: layout.state, configFile: opts.config ?? layout.configFile }
  const home = join(homedir(), '.lagebild-agent')
  return { dir: home, configFile: opts.config ?? configPath(home) }
}

/** Kept for callers that only know a data directory. */
export function defaultAgentDir(): string {
  return agentPaths().dir
}

export class ConfigError extends Error {}

/** Reads a CA file for `ca`: readable, and at least one PEM certificate in it; otherwise a clear ConfigError. */
export function readCaFile(file: string): Buffer {
  let pem: Buffer
  try {
    pem = readFileSync(file)
  } catch (err) {
    throw new ConfigError(`CA file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no "BEGIN CERTIFICATE" block')
    new X509Certificate(pem)
  } catch (err) {
    throw new ConfigError(`CA file ${file}: not a PEM certificate (${(err as Error).message})`)
  }
  return pem
}

/** Loads the config of a data directory (config.json inside it). */
export const loadConfig = (dir: string) => loadConfigFile(configPath(dir))

/** Loads the config; a missing file is an empty config, a broken one a clear error. */
export async function loadConfigFile(file: string): Promise<AgentConfig> {
  let raw: unknown = {}
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code !== 'ENOENT') throw new ConfigError(`${file}: ${e.message}`)
  }
  const withDefaults = { intervalMinutes: 15, backups: [], ...(raw as object) }
  check ??= Compile(AgentConfigSchema)
  if (!check.Check(withDefaults)) {
    const first = [...check.Errors(withDefaults)][0]
    throw new ConfigError(`${file}: ${first?.instancePath || '/'} ${first?.message ?? 'invalid'}`)
  }
  return withDefaults as AgentConfig
}

export const saveConfig = (dir: string, config: AgentConfig) => saveConfigFile(configPath(dir), config)

/** Writes the config atomically and readable by its owner only (it holds the agent secret). */
export async function saveConfigFile(file: string, config: AgentConfig): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  await chmod(tmp, 0o600)
  await rename(tmp, file)
}
