// Changing the readiness records: each function runs inside the caller's transaction, checks the input against the
// rest of the records, writes, marks the record as reviewed, and writes the audit entry (old → new). The readiness
// plugin wraps every call in one transaction together with re-judging the organisation.
import { eq, inArray } from 'drizzle-orm'
import {
  RECORDS,
  type CompanySettings, type Entry, type RecordDoc, type RecordDocKind, type RecordKind, type RecordListInput, type RecordListKind,
} from '@lagebild/shared'
import { hosts } from '../../db/schema.js'
import type { Tx } from '../judge.js'
import type { AuditEntry } from '../audit.js'
import { InputError } from '../../errors.js'
import { checkCompany, checkDoc, checkItem, contactUsages } from './checks.js'
import { deleteItem, getCompany, getDoc, getItem, getMeta, listItems, putCompany, putDoc, putItem, setMeta, touchMeta } from './store.js'

/** What a change needs besides the data: the time, who, how to audit, and a note of hosts whose crown-jewel flag moved. */
export interface Change {
  now: Date
  by: string
  audit: (entry: AuditEntry) => void
  /** Hosts whose crown-jewel flag changed: re-judged after COMMIT (stricter thresholds, higher alert severity). */
  crownHosts: Set<string>
}

const notFound = (kind: string, id: string) =>
  new InputError({ de: `Kein Eintrag ${id} in ${kind}.`, en: `No entry ${id} in ${kind}.` }, '/id', 'not-found')

/**
 * The crown-jewel records decide the flag of every host they name: a host in some crown jewel is one, a host released
 * from the last one is not any more. A flag set on the host's own page stays until a crown jewel names the host.
 */
function syncCrownFlags(tx: Tx, touched: readonly string[], c: Change) {
  if (!touched.length) return
  const inAny = new Set(listItems(tx, 'crown-jewels').flatMap((j) => j.hostIds))
  for (const h of tx.select({ id: hosts.id, flag: hosts.crownJewel }).from(hosts).where(inArray(hosts.id, [...new Set(touched)])).all()) {
    const flag = inAny.has(h.id)
    if (flag === h.flag) continue
    tx.update(hosts).set({ crownJewel: flag }).where(eq(hosts.id, h.id)).run()
    c.crownHosts.add(h.id)
  }
}

const hostIdsOf = (kind: RecordListKind, e: { hostIds?: string[] } | null) => (kind === 'crown-jewels' && e?.hostIds) || []

export function saveEntry<K extends RecordListKind>(tx: Tx, c: Change, kind: K, id: string | null, data: RecordListInput<K>): Entry<RecordListInput<K>> {
  checkItem(tx, kind, data, c.now)
  const before = id === null ? null : getItem(tx, kind, id)
  if (id !== null && !before) throw notFound(kind, id)
  const entry = putItem(tx, kind, id, data, c.now)
  touchMeta(tx, kind, c.by, c.now)
  syncCrownFlags(tx, [...hostIdsOf(kind, before as { hostIds?: string[] }), ...hostIdsOf(kind, data as { hostIds?: string[] })], c)
  c.audit({ action: `readiness.${kind}.${before ? 'update' : 'create'}`, target: `${kind}:${entry.id}`, before, after: entry })
  return entry
}

export function removeEntry(tx: Tx, c: Change, kind: RecordListKind, id: string) {
  const before = getItem(tx, kind, id)
  if (!before) throw notFound(kind, id)
  if (kind === 'contacts') {
    const used = contactUsages(tx, id)
    if (used.length)
      throw new InputError({ de: `Der Kontakt wird noch verwendet: ${used.join(', ')}.`, en: `The contact is still in use: ${used.join(', ')}.` }, '/id', 'conflict')
  }
  deleteItem(tx, kind, id)
  touchMeta(tx, kind, c.by, c.now)
  syncCrownFlags(tx, hostIdsOf(kind, before as { hostIds?: string[] }), c)
  c.audit({ action: `readiness.${kind}.delete`, target: `${kind}:${id}`, before, after: null })
}

export function saveDocument<K extends RecordDocKind>(tx: Tx, c: Change, kind: K, data: RecordDoc<K>): RecordDoc<K> {
  checkDoc(tx, kind, data)
  const before = getDoc(tx, kind)
  putDoc(tx, kind, data, c.now)
  touchMeta(tx, kind, c.by, c.now)
  c.audit({ action: `readiness.${kind}.update`, target: `${kind}:doc`, before, after: data })
  return data
}

/** "Still current": a person confirms a record without changing it. Logs are reviewed by a new entry instead. */
export function review(tx: Tx, c: Change, kind: RecordKind) {
  if (RECORDS[kind].log)
    throw new InputError({ de: 'Ein Protokoll wird durch einen neuen Eintrag aktuell, nicht durch eine Bestätigung.', en: 'A log becomes current with a new entry, not a confirmation.' }, '/kind')
  const before = getMeta(tx)[kind] ?? null
  // Every first save creates the row: without it there is nothing yet to confirm.
  if (!before)
    throw new InputError({ de: 'Es gibt noch nichts zu bestätigen.', en: 'There is nothing to confirm yet.' }, '/kind')
  touchMeta(tx, kind, c.by, c.now)
  c.audit({ action: `readiness.${kind}.review`, target: `record:${kind}`, before, after: getMeta(tx)[kind] })
}

export function saveMeta(tx: Tx, c: Change, kind: RecordKind, owner: string, reviewIntervalDays: number) {
  const before = getMeta(tx)[kind] ?? null
  setMeta(tx, kind, owner, reviewIntervalDays)
  c.audit({ action: `readiness.${kind}.meta`, target: `record:${kind}`, before, after: getMeta(tx)[kind] })
}

export function saveCompany(tx: Tx, c: Change, company: CompanySettings) {
  checkCompany(company)
  const before = getCompany(tx)
  putCompany(tx, company)
  c.audit({ action: 'readiness.company.update', target: 'company', before, after: company })
}
