// Turns a host's stored facts into findings, keeps the history of every status change, and tells listeners (alerts).
import { and, eq } from 'drizzle-orm'
import { evaluateFacts, FACT_IDS, type Facts, type Finding, type HostStatus } from '@lagebild/shared'
import { facts, findingHistory, findings, hosts } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { thresholdsFor } from './thresholds.js'

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface FindingChange {
  subjectId: string
  measureId: string
  before: { status: string; severity: string } | null
  after: Finding
}

/**
 * Called inside the judging transaction, so that alert and outbox rows commit together with the findings.
 * Called on every judgement, also without changes: `subjectId` says whose (e.g. a report ends a host's silence).
 */
export type FindingListener = (tx: Tx, changes: FindingChange[], now: Date, subjectId: string) => void

export function hostFacts(tx: Pick<Db, 'select'>, hostId: string): Facts {
  const out: Record<string, unknown> = {}
  for (const r of tx.select().from(facts).where(eq(facts.hostId, hostId)).all()) out[r.factId] = JSON.parse(r.value)
  return out as Facts
}

const hostStatus = (list: Finding[]): HostStatus =>
  list.some((f) => f.status === 'deviation') ? 'deviation' : list.some((f) => f.status === 'unknown') ? 'unknown' : 'ok'

/**
 * Stores the findings of one subject (a host, or `org`) inside `tx`: the current row per measure, a history row per
 * status change. Returns the changes (status, severity or reason changed) for the listeners.
 */
export function storeFindings(tx: Tx, subjectId: string, list: Finding[], now: Date): FindingChange[] {
  const iso = now.toISOString()
  const existing = new Map(tx.select().from(findings).where(eq(findings.subjectId, subjectId)).all().map((f) => [f.measureId, f]))
  const changes: FindingChange[] = []
  for (const f of list) {
    const old = existing.get(f.measureId)
    const statusChanged = !old || old.status !== f.status || old.severity !== f.severity
    const row = {
      subjectId,
      measureId: f.measureId,
      status: f.status,
      severity: f.severity,
      reasonDe: f.reason.de,
      reasonEn: f.reason.en,
      fixDe: f.fix?.de ?? null,
      fixEn: f.fix?.en ?? null,
      since: statusChanged ? iso : old!.since,
      updatedAt: iso,
    }
    if (!old) tx.insert(findings).values(row).run()
    else tx.update(findings).set(row).where(and(eq(findings.subjectId, subjectId), eq(findings.measureId, f.measureId))).run()
    if (statusChanged) {
      tx.insert(findingHistory).values({ subjectId, measureId: f.measureId, status: f.status, severity: f.severity, at: iso }).run()
    }
    if (statusChanged || old.reasonEn !== f.reason.en)
      changes.push({ subjectId, measureId: f.measureId, before: old ? { status: old.status, severity: old.severity } : null, after: f })
  }
  return changes
}

/** Re-judges one host inside `tx`. Returns the changes (status or severity or reason changed). */
export function judgeHost(tx: Tx, hostId: string, now: Date, listeners: FindingListener[]): FindingChange[] {
  const host = tx.select().from(hosts).where(eq(hosts.id, hostId)).get()
  // A retired host is no longer judged (its current findings were removed when it was retired).
  if (!host || host.retiredAt) return []
  const th = thresholdsFor(tx, host)
  const list = evaluateFacts(hostFacts(tx, hostId), th, now)
  const changes = storeFindings(tx, hostId, list, now)
  tx.update(hosts).set({ status: hostStatus(list) }).where(eq(hosts.id, hostId)).run()
  for (const l of listeners) l(tx, changes, now, hostId)
  return changes
}

export { FACT_IDS }
