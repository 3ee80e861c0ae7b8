// The backup sources named in the agent config (restic, borg, folder): read the same way on every OS.
// A source that cannot be read carries its error (the server judges it unknown); the others are still reported.
import type { BackupsFact } from '@lagebild/shared'
import type { BackupSourceConfig } from '../../config.js'
import { exec, FactFailure, newestMtimeBelow, readText } from '../../system.js'
import { firstLines } from '../tools.js'
import { parseBorgList, parseResticSnapshots } from './parse.js'

export type Source = BackupsFact['sources'][number]

const TOOL = { timeoutMs: 90_000 }

export function errorSource(kind: string, location: string, err: unknown): Source {
  const e = err instanceof FactFailure ? err : new FactFailure('failed', String((err as Error)?.message ?? err))
  return { kind, location, lastSuccess: null, error: { code: e.code, message: e.message.slice(0, 2000) } }
}

// `restic` / `borg` without a path: execFile finds restic.exe / borg.exe through PATH on Windows too; a missing
// tool is a command-missing error on that source, never "no backup".
async function restic(repository: string, passwordFile: string): Promise<Source> {
  // --no-lock: reading snapshots must never block (or be blocked by) a running backup.
  const r = await exec('restic', ['-r', repository, '--password-file', passwordFile, '--no-lock', 'snapshots', '--json'], TOOL)
  if (r.code !== 0) throw new FactFailure('failed', `restic snapshots exited ${r.code}: ${firstLines(r)}`)
  const s = parseResticSnapshots(r.stdout)
  return { kind: 'restic', location: repository, lastSuccess: s.lastSuccess, count: s.count }
}

async function borg(repository: string, passphraseFile: string | undefined): Promise<Source> {
  const env: Record<string, string> = {
    // borg needs a UTF-8 locale for --json; the rest keeps it from asking questions nobody can answer.
    LC_ALL: 'C.UTF-8',
    LANG: 'C.UTF-8',
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
    BORG_DISPLAY_PASSPHRASE: 'no',
    // Borg 1.x prints archive times in its own process's local time without a zone; in UTC they need no guessing.
    TZ: 'UTC',
  }
  if (passphraseFile) env.BORG_PASSPHRASE = (await readText(passphraseFile)).replace(/\r?\n$/, '')
  else if (!process.env.BORG_PASSCOMMAND && process.env.BORG_PASSPHRASE === undefined) env.BORG_PASSPHRASE = '' // never prompt
  const r = await exec('borg', ['list', '--json', '--bypass-lock', repository], { ...TOOL, env })
  if (r.code !== 0) throw new FactFailure('failed', `borg list exited ${r.code}: ${firstLines(r)}`)
  const s = parseBorgList(r.stdout, 'Etc/UTC')
  return { kind: 'borg', location: repository, lastSuccess: s.lastSuccess, count: s.count }
}

async function folder(path: string): Promise<Source> {
  const w = await newestMtimeBelow(path, { maxDepth: 4, maxEntries: 20_000 })
  return { kind: 'folder', location: path, lastSuccess: w.newest ? w.newest.toISOString() : null }
}

export async function readConfiguredSource(c: BackupSourceConfig): Promise<Source> {
  const location = c.kind === 'folder' ? c.path : c.repository
  try {
    if (c.kind === 'restic') return await restic(c.repository, c.passwordFile)
    if (c.kind === 'borg') return await borg(c.repository, c.passphraseFile)
    return await folder(c.path)
  } catch (err) {
    return errorSource(c.kind, location, err)
  }
}
