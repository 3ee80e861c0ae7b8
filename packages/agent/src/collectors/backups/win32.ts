// base.backups on Windows: what windows/posture.ps1 reads (section `backups`) plus the sources in the agent config.
//
// Built-in sources, chosen so that no localized text is parsed (docs/collection.md, "Localised output"):
// - Windows Server Backup: Get-WBSummary where the WindowsServerBackup module exists (Server SKUs). Objects, dates
//   formatted by the script. `wbadmin get versions` is not used: its "Backup time:" / "Sicherungszeit:" lines are
//   localized and need elevation just the same.
// - Elsewhere the block-level engine's event log Microsoft-Windows-Backup (written by wbengine, which also runs the
//   "Backup and Restore (Windows 7)" system image on clients): the newest event 4 ("backup finished successfully"),
//   matched by id. Where Get-WBSummary answers, this log is the same engine and is not read twice.
// - File History, per user profile: set up = Config1.xml in the profile's FileHistory\Configuration folder; last
//   success = ProtectedUpToTime (FILETIME in the user's hive, readable only while the hive is loaded), else the
//   catalog's (Catalog1.edb) write time, which File History updates every cycle.
// A method that could not look is a source with `error` (unknown), never an empty "no backup".
import type { BackupsFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, tryUnwrap } from '../windows/posture.js'
import { asArray, bool, int, isObject, psDate, str } from '../windows/values.js'
import { errorSource, readConfiguredSource, type Source } from './configured.js'

const WSB = 'Windows Server Backup'
const ENGINE_LOG = 'Microsoft-Windows-Backup'
const FILE_HISTORY = 'File History'

type Part = { sources: Source[]; wsbInstalled: boolean | null }

/** Get-WBSummary → a `wbadmin` source; none when the module is absent or the engine never ran and has no schedule. */
export function parseWsb(v: unknown): Part {
  const r = tryUnwrap(v, 'Get-WBSummary')
  if ('failure' in r) return { sources: [errorSource('wbadmin', WSB, r.failure)], wsbInstalled: null }
  const s = r.ok
  if (!isObject(s)) throw new FactFailure('parse-error', 'Get-WBSummary: not an object')
  if (bool(s.Installed) === false) return { sources: [], wsbInstalled: false }
  const lastSuccess = psDate(s.LastSuccessfulBackupTime)
  const versions = int(s.NumberOfVersions)
  const ran = lastSuccess !== null || (versions ?? 0) > 0 || psDate(s.LastBackupTime) !== null
  // Installed but never used and nothing scheduled: there is no backup here to judge.
  if (!ran && bool(s.PolicyConfigured) !== true) return { sources: [], wsbInstalled: true }
  const target = str(s.LastSuccessfulBackupTargetLabel) ?? str(s.LastBackupTarget) ?? str(s.LastSuccessfulBackupTargetPath)
  const source: Source = { kind: 'wbadmin', location: (target ? `${WSB}: ${target}` : WSB).slice(0, 1000), lastSuccess }
  if (versions !== null) source.count = versions
  return { sources: [source], wsbInstalled: true }
}

/** The engine's event log: no log or no event at all → nothing set up; events but no success → a source never successful. */
export function parseEngineLog(v: unknown): Source[] {
  const r = tryUnwrap(v, `${ENGINE_LOG} event log`)
  if ('failure' in r) return [errorSource('wbadmin', `${ENGINE_LOG} event log`, r.failure)]
  const s = r.ok
  if (!isObject(s)) throw new FactFailure('parse-error', `${ENGINE_LOG} event log: not an object`)
  if (bool(s.LogFound) === false) return []
  const success = isObject(s.LastSuccess) ? s.LastSuccess : null
  if (!success && !isObject(s.LastEvent)) return []
  const lastSuccess = success ? psDate(success.TimeCreated) : null
  if (success && !lastSuccess) throw new FactFailure('parse-error', `${ENGINE_LOG}: event 4 without a readable time`)
  const target = success ? str(success.BackupTarget) : null
  return [{ kind: 'wbadmin', location: `${ENGINE_LOG} event log${target ? `: ${target}` : ''}`.slice(0, 1000), lastSuccess }]
}

/** One File History configuration per profile that has Config1.xml. */
export function parseFileHistory(v: unknown): Source[] {
  const r = tryUnwrap(v, FILE_HISTORY)
  if ('failure' in r) return [errorSource('filehistory', FILE_HISTORY, r.failure)]
  return asArray(r.ok).map((e): Source => {
    if (!isObject(e)) throw new FactFailure('parse-error', 'File History: an entry is not an object')
    const profile = str(e.ProfilePath) ?? str(e.SID) ?? 'unknown profile'
    const one = tryUnwrap(e, `File History of ${profile}`)
    if ('failure' in one) return errorSource('filehistory', `${FILE_HISTORY}: ${profile}`, one.failure)
    const c = isObject(one.ok) ? one.ok : {}
    const target = str(c.TargetUrl)
    const location = `${FILE_HISTORY}: ${profile}${target ? ` → ${target}` : ''}`.slice(0, 1000)
    return { kind: 'filehistory', location, lastSuccess: psDate(c.ProtectedUpToTime) ?? psDate(c.CatalogWriteTime) }
  })
}

/** Pure: the `backups` section → the built-in sources. */
export function parseWin32Backups(section: unknown): Source[] {
  if (!isObject(section)) throw new FactFailure('parse-error', 'backups: section missing from the posture output')
  const wsb = parseWsb(section.wsb)
  // The engine log repeats what Get-WBSummary already told; read it only where the module is absent or failed.
  const engine = wsb.wsbInstalled === true ? [] : parseEngineLog(section.engineLog)
  return [...wsb.sources, ...engine, ...parseFileHistory(section.fileHistory)]
}

export const collector: Collector<'base.backups'> = {
  id: 'base.backups',
  async collect(ctx): Promise<BackupsFact> {
    const sources = parseWin32Backups((await posture(ctx)).sections.backups)
    for (const c of ctx.config.backups) sources.push(await readConfiguredSource(c))
    return { sources: sources.slice(0, 50) }
  },
}
