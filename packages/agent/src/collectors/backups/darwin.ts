// base.backups on macOS: Time Machine, through `tmutil destinationinfo` and `tmutil latestbackup`.
// Both exit 0 even with nothing configured and nothing backed up, so only their text is judged.
// Reading backups needs Full Disk Access for the agent; without it tmutil says "Operation not permitted".
import type { BackupsFact } from '@lagebild/shared'
import { FactFailure, systemTimeZone, type ExecResult } from '../../system.js'
import { wallTimeReader } from '../local-time.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'

import { errorSource, readConfiguredSource, type Source } from './configured.js'

export interface TmDestination {
  name: string
  kind: string | null
  url: string | null
  mountPoint: string | null
  id: string | null
}

const PERMISSION = /Operation not permitted|Full Disk Access|not authorized|permission denied/i

/** Pure: `tmutil destinationinfo` → destinations; [] for "No destinations configured". */
export function parseDestinationInfo(text: string): TmDestination[] {
  if (PERMISSION.test(text)) throw new FactFailure('permission-denied', `tmutil destinationinfo: ${text.trim().slice(0, 300)} (the agent needs Full Disk Access)`)
  if (/No destinations configured/i.test(text)) return []
  const out: TmDestination[] = []
  for (const block of text.split(/^=+\s*$/m)) {
    const fields: Record<string, string> = {}
    for (const line of block.split(/\r?\n/)) {
      const m = /^([A-Za-z ]+?)\s*:\s(.*)$/.exec(line)
      if (m) fields[m[1]!.trim()] = m[2]!.trim()
    }
    if (Object.keys(fields).length === 0) continue
    if (!fields.Name && !fields.ID) throw new FactFailure('parse-error', `tmutil destinationinfo: a destination without Name or ID: ${block.trim().slice(0, 200)}`)
    out.push({ name: fields.Name ?? fields.ID!, kind: fields.Kind ?? null, url: fields.URL ?? null, mountPoint: fields['Mount Point'] ?? null, id: fields.ID ?? null })
  }
  if (out.length === 0) throw new FactFailure('parse-error', `tmutil destinationinfo not understood: ${text.trim().slice(0, 200)}`)
  return out
}

export type LatestBackup = { path: string; time: string } | { none: true } | { unreadable: string }

/**
 * Pure: `tmutil latestbackup` → the newest backup. Its folder name is the time in the Mac's local time (`zone`):
 * `…/Backups.backupdb/<host>/2019-07-29-100231` (HFS+) or `…/2022-02-22-113846.backup/2022-02-22-113846.backup` (APFS).
 * "No machine directory found for host" means no backup yet; "Failed to mount destination" means it cannot be told.
 */
export function parseLatestBackup(text: string, zone: string | null): LatestBackup {
  if (PERMISSION.test(text)) throw new FactFailure('permission-denied', `tmutil latestbackup: ${text.trim().slice(0, 300)} (the agent needs Full Disk Access)`)
  const path = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith('/'))
  if (path) {
    const m = /(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})(?:\.backup)?\/?$/.exec(path)
    const time = m ? wallTimeReader(zone, 'tmutil latestbackup')(`${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`) : null
    if (!time) throw new FactFailure('parse-error', `tmutil latestbackup: no date in ${path.slice(0, 300)}`)
    return { path, time }
  }
  if (text.trim() === '' || /No machine directory found|No backups found/i.test(text)) return { none: true }
  return { unreadable: text.trim().slice(0, 300) }
}

/** Pure: destinations + latest backup → BackupsFact. With several destinations the latest backup goes to the one it lies on. */
export function parseDarwinBackups(destinationText: string, latestText: string | null, zone: string | null): BackupsFact {
  const destinations = parseDestinationInfo(destinationText)
  if (destinations.length === 0) return { sources: [] }
  const latest: LatestBackup = latestText === null ? { unreadable: 'tmutil latestbackup was not run' } : parseLatestBackup(latestText, zone)
  const owner =
    'path' in latest
      ? destinations.length === 1
        ? destinations[0]
        : destinations.find((d) => d.mountPoint && latest.path.startsWith(`${d.mountPoint}/`))
      : undefined
  const sources: Source[] = destinations.slice(0, 50).map((d) => {
    const location = [d.name, d.url ?? d.mountPoint].filter(Boolean).join(' — ').slice(0, 1000)
    const base = { kind: 'timemachine', location }
    if ('none' in latest) return { ...base, lastSuccess: null }
    if ('path' in latest && d === owner) return { ...base, lastSuccess: latest.time }
    const message = 'unreadable' in latest
      ? `tmutil latestbackup: ${latest.unreadable}`
      : 'tmutil latestbackup reports one destination; which one holds this backup is not told'
    return { ...base, lastSuccess: null, error: { code: 'failed', message: message.slice(0, 2000) } }
  })
  return { sources }
}

const text = (r: ExecResult) => `${r.stdout}\n${r.stderr}`

export async function collectDarwinBackups(): Promise<BackupsFact> {
  const info = await execIfPresent('/usr/bin/tmutil', ['destinationinfo'], { timeoutMs: 30_000 })
  if (!info) throw new FactFailure('command-missing', '/usr/bin/tmutil is not installed')
  const infoText = text(info)
  if (info.code !== 0 && !/No destinations configured|^=+/m.test(infoText) && !PERMISSION.test(infoText))
    throw new FactFailure('failed', `tmutil destinationinfo exited ${info.code}: ${firstLines(info)}`)
  if (parseDestinationInfo(infoText).length === 0) return { sources: [] }
  const latest = await execIfPresent('/usr/bin/tmutil', ['latestbackup'], { timeoutMs: 60_000 })
  return parseDarwinBackups(infoText, latest ? text(latest) : null, await systemTimeZone())
}

/** Time Machine plus the sources in the agent config (restic, borg, a folder), as on the other OSes. */
export const collector: Collector<'base.backups'> = {
  id: 'base.backups',
  async collect(ctx) {
    if (!ctx.config.backups.length) return collectDarwinBackups()
    const sources: Source[] = []
    try {
      sources.push(...(await collectDarwinBackups()).sources)
    } catch (err) {
      // Time Machine could not be read (e.g. no Full Disk Access): say so beside the configured sources.
      sources.push(errorSource('timemachine', 'Time Machine', err))
    }
    for (const c of ctx.config.backups) sources.push(await readConfiguredSource(c))
    return { sources }
  },
}
