// base.backups on Linux: the sources in the agent config (restic, borg, folder) plus Timeshift when it is set up.
// A source that cannot be read carries its error; the others are still reported.
import type { BackupsFact } from '@lagebild/shared'
import type { BackupSourceConfig } from '../../config.js'
import { exec, exists, FactFailure, listDir, newestMtimeBelow, readText } from '../../system.js'
import { firstLines } from '../linux-exec.js'
import type { Collector } from '../types.js'
import { parseBorgList, parseResticSnapshots, parseTimeshiftSnapshotNames } from './parse-linux.js'

type Source = BackupsFact['sources'][number]

const TOOL = { timeoutMs: 90_000 }

function errorSource(kind: string, location: string, err: unknown): Source {
  const e = err instanceof FactFailure ? err : new FactFailure('failed', String((err as Error)?.message ?? err))
  return { kind, location, lastSuccess: null, error: { code: e.code, message: e.message.slice(0, 2000) } }
}

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
  }
  if (passphraseFile) env.BORG_PASSPHRASE = (await readText(passphraseFile)).replace(/\r?\n$/, '')
  else if (!process.env.BORG_PASSCOMMAND && process.env.BORG_PASSPHRASE === undefined) env.BORG_PASSPHRASE = '' // never prompt
  const r = await exec('borg', ['list', '--json', '--bypass-lock', repository], { ...TOOL, env })
  if (r.code !== 0) throw new FactFailure('failed', `borg list exited ${r.code}: ${firstLines(r)}`)
  const s = parseBorgList(r.stdout)
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

// Where Timeshift's snapshot folders can be seen: rsync mode on the root device, or the backup device while mounted.
const TIMESHIFT_DIRS = ['/timeshift/snapshots', '/run/timeshift/backup/timeshift/snapshots']

/** Timeshift counts only when it is set up (its config exists); a set-up Timeshift whose snapshots are not visible is an error, not "none". */
export async function detectTimeshift(): Promise<Source | null> {
  if (!(await exists('/etc/timeshift/timeshift.json')) && !(await exists('/etc/timeshift.json'))) return null
  for (const dir of TIMESHIFT_DIRS) {
    if (!(await exists(dir))) continue
    const s = parseTimeshiftSnapshotNames(await listDir(dir))
    return { kind: 'timeshift', location: dir, lastSuccess: s.lastSuccess, count: s.count }
  }
  return errorSource('timeshift', '/etc/timeshift/timeshift.json', new FactFailure('failed', 'Timeshift is set up, but its snapshot folder is not mounted or readable'))
}

export const collector: Collector<'base.backups'> = {
  id: 'base.backups',
  async collect(ctx) {
    const sources: Source[] = []
    for (const c of ctx.config.backups) sources.push(await readConfiguredSource(c))
    const ts = await detectTimeshift()
    if (ts) sources.push(ts)
    return { sources: sources.slice(0, 50) }
  },
}
