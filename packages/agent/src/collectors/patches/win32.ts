// base.patches on Windows: the Windows Update Agent (COM), read by windows/posture.ps1.
import type { PatchesFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, tryUnwrap, unwrap } from '../windows/posture.js'
import { asArray, bool, isObject, psDate } from '../windows/values.js'
import { wuaFromScript } from './wua.js'

export { SECURITY_UPDATES_CATEGORY } from './wua.js'
const MAX_ITEMS = 2000

type Item = PatchesFact['items'][number]

/**
 * One IUpdate as the script writes it (Title, KBArticleIDs, Categories[{CategoryID, Name}], MsrcSeverity,
 * LastDeploymentChangeTime), mapped by wua.ts like the real tool shapes. The script always expands the category
 * ids, so security is never unknown here. An update without a title is named by its KB numbers; with neither
 * it is not an update we can report: null.
 */
export function parseWuaUpdate(u: unknown): Item | null {
  if (!isObject(u)) return null
  const w = wuaFromScript(u)
  const kbs = w.kbs ?? []
  const name = w.title ?? (kbs.length ? kbs.join(', ') : null)
  if (!name) return null
  const source = (w.categoryNames ?? []).join(', ')
  return {
    name: name.slice(0, 500),
    ...(kbs.length ? { version: kbs.join(', ').slice(0, 500) } : {}),
    security: w.security === true,
    ...(source ? { source: source.slice(0, 500) } : {}),
    since: w.lastDeploymentChange,
  }
}

/**
 * Pure: the patches section → PatchesFact. The search must have worked (else the count is unknown);
 * history and reboot are optional: what they do not tell is null.
 */
export function parseWin32Patches(section: unknown): PatchesFact {
  if (!isObject(section)) throw new FactFailure('parse-error', 'patches: section missing from the posture output')
  const search = unwrap(section.search, 'Windows Update search')
  if (!isObject(search)) throw new FactFailure('parse-error', 'Windows Update search: no result object')
  // OperationResultCode: 2 succeeded, 3 succeeded with errors; anything else means the list is not complete.
  const resultCode = typeof search.ResultCode === 'number' ? search.ResultCode : null
  if (resultCode !== null && resultCode !== 2 && resultCode !== 3)
    throw new FactFailure('failed', `Windows Update search ended with result code ${resultCode}`)
  const all = asArray(search.Updates).map(parseWuaUpdate)
  if (all.some((x) => x === null)) throw new FactFailure('parse-error', 'Windows Update search: an update without title and KB number')
  const items = all as Item[]

  let lastInstall: string | null = null
  let lastCheck: string | null = null
  const history = tryUnwrap(section.history, 'Windows Update history')
  if ('ok' in history && isObject(history.ok)) {
    lastInstall = psDate(history.ok.LastInstallationSuccessDate)
    lastCheck = psDate(history.ok.LastSearchSuccessDate)
  }

  let rebootRequired: boolean | null = null
  const reboot = tryUnwrap(section.reboot, 'pending reboot')
  if ('ok' in reboot && isObject(reboot.ok)) {
    // PendingFileRenameOperations alone is not counted: it can stay set for ever (docs/collection.md, "Pending restart").
    const signals = [reboot.ok.SystemInfoRebootRequired, reboot.ok.WindowsUpdateRebootRequired, reboot.ok.CbsRebootPending].map(bool)
    if (signals.some((s) => s === true)) rebootRequired = true
    else if (signals[1] === false && signals[2] === false) rebootRequired = false
  }

  const sinces = items.map((i) => i.since).filter((s): s is string => !!s).sort()
  return {
    manager: 'wua',
    pending: items.length,
    security: items.filter((i) => i.security).length,
    items: items.slice(0, MAX_ITEMS),
    oldestPendingSince: sinces[0] ?? null,
    lastInstall,
    lastCheck,
    rebootRequired,
  }
}

export const collector: Collector<'base.patches'> = {
  id: 'base.patches',
  async collect(ctx) {
    return parseWin32Patches((await posture(ctx)).sections.patches)
  },
}
