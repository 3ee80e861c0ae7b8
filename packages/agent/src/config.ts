// The agent's own configuration file (config.json in the agent's data directory).
import { readFileSync } from 'node:fs'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { X509Certificate } from 'node:crypto'
import { dirname, join } from 'node:path'
import { homedir, platform } from 'node:os'
import Type, { type Static } from 'typebox'
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
  }
}

export function defaultAgentDir(): string {
  const fromEnv = agentEnv().dir
  if (fromEnv) return fromEnv
  if (platform() === 'win32') return join(process.env.ProgramData ?? 'C:\\ProgramData', 'Lagebild', 'agent')
  if (process.getuid?.() === 0) return '/var/lib/lagebild-agent'
  return join(homedir(), '.lagebild-agent')
}

export const configPath = (dir: string) => join(dir, 'config.json')

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

/** Loads the config; a missing file is an empty config, a broken one a clear error. */
export async function loadConfig(dir: string): Promise<AgentConfig> {
  let raw: unknown = {}
  try {
    raw = JSON.parse(await readFile(configPath(dir), 'utf8'))
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code !== 'ENOENT') throw new ConfigError(`${configPath(dir)}: ${e.message}`)
  }
  const withDefaults = { intervalMinutes: 15, backups: [], ...(raw as object) }
  check ??= Compile(AgentConfigSchema)
  if (!check.Check(withDefaults)) {
    const first = [...check.Errors(withDefaults)][0]
    throw new ConfigError(`${configPath(dir)}: ${first?.instancePath || '/'} ${first?.message ?? 'invalid'}`)
  }
  return withDefaults as AgentConfig
}

/** Writes the config atomically and readable by its owner only (it holds the agent secret). */
export async function saveConfig(dir: string, config: AgentConfig): Promise<void> {
  const file = configPath(dir)
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  await chmod(tmp, 0o600)
  await rename(tmp, file)
}
