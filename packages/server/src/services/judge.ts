// Turns a host's stored facts into findings, keeps the history of every status change, and tells listeners (alerts).
// Runs for every report and every re-judging pass: its statements are prepared once (drizzle .prepare()), and only
// findings whose content changed are written.
import { and, eq, sql } from 'drizzle-orm'
import { evaluateFacts, FACT_IDS, type Facts, type Finding, type HostStatus } from '@lagebild/shared'
import { facts, findingHistory, findings, hosts, incidentWatches, thresholdOverrides } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { resolveThresholds } from './thresholds.js'

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
type HostRow = typeof hosts.$inferSelect

export interface FindingChange {
  subjectId: string
  measureId: string
  before: { status: string; severity: string } | null
  after: Finding
}

/**
 * Called inside the judging transaction, so that alert and outbox rows commit together with the findings.
 * Called on every judgement, also without changes: `subjectId` says whose (e.g. a report ends a host's silence).
 * `host` is the host row as judged (after the report that led to the judgement was merged); absent for the organisation's
 * own findings (records, incidents: subject `org`).
 */
export type FindingListener = (tx: Db | Tx, changes: FindingChange[], now: Date, subjectId: string, host?: HostRow) => void

export function hostFacts(tx: Pick<Db, 'select'>, hostId: string): Facts {
  const out: Record<string, unknown> = {}
  for (const r of tx.select().from(facts).where(eq(facts.hostId, hostId)).all()) out[r.factId] = JSON.parse(r.value)
  return out as Facts
}

const hostStatus = (list: Finding[]): HostStatus =>
  list.some((f) => f.status === 'deviation') ? 'deviation' : list.some((f) => f.status === 'unknown') ? 'unknown' : 'ok'

const p = <T extends string>(name: T) => sql.placeholder(name)

/** The judging statements of one database, built once. */
export function createJudge(db: Db) {
  const q = {
    host: db.select().from(hosts).where(eq(hosts.id, p('id'))).prepare(),
    facts: db.select({ factId: facts.factId, value: facts.value }).from(facts).where(eq(facts.hostId, p('hostId'))).prepare(),
    overrides: db.select().from(thresholdOverrides).prepare(),
    // Heightened monitoring after an incident (follow.watch): judged with the crown-jewel thresholds meanwhile.
    watched: db
      .select({ id: incidentWatches.id })
      .from(incidentWatches)
      .where(sql`${incidentWatches.hostId} = ${p('hostId')} and ${incidentWatches.endedAt} is null and ${incidentWatches.until} > ${p('now')}`)
      .limit(1)
      .prepare(),
    findings: db.select().from(findings).where(eq(findings.subjectId, p('subjectId'))).prepare(),
    insertFinding: db
      .insert(findings)
      .values({
        subjectId: p('subjectId'), measureId: p('measureId'), status: p('status'), severity: p('severity'), reasonDe: p('reasonDe'),
        reasonEn: p('reasonEn'), fixDe: p('fixDe'), fixEn: p('fixEn'), since: p('since'), updatedAt: p('updatedAt'),
      })
      .prepare(),
    updateFinding: db
      .update(findings)
      .set({
        status: sql`${p('status')}`, severity: sql`${p('severity')}`, reasonDe: sql`${p('reasonDe')}`, reasonEn: sql`${p('reasonEn')}`,
        fixDe: sql`${p('fixDe')}`, fixEn: sql`${p('fixEn')}`, since: sql`${p('since')}`, updatedAt: sql`${p('updatedAt')}`,
      })
      .where(and(eq(findings.subjectId, p('subjectId')), eq(findings.measureId, p('measureId'))))
      .prepare(),
    history: db
      .insert(findingHistory)
      .values({ subjectId: p('subjectId'), measureId: p('measureId'), status: p('status'), severity: p('severity'), at: p('at') })
      .prepare(),
    status: db.update(hosts).set({ status: sql`${p('status')}` }).where(eq(hosts.id, p('id'))).prepare(),
  }

  /**
   * Re-judges one host (inside the caller's transaction). `known` are facts the caller already holds parsed (the report
   * just merged); the others are read from the facts table. Returns the changes (status, severity or reason changed).
   */
  function judgeHost(hostId: string, now: Date, listeners: readonly FindingListener[], known: Partial<Facts> = {}, hostRow?: HostRow): FindingChange[] {
    const host = hostRow ?? q.host.get({ id: hostId })
    // A retired host is no longer judged (its current findings were removed when it was retired).
    if (!host || host.retiredAt) return []
    const th = resolveThresholds(q.overrides.all(), { ...host, watched: !!q.watched.get({ hostId, now: now.toISOString() }) })
    const all: Record<string, unknown> = { ...known }
    if (FACT_IDS.some((id) => !(id in all)))
      for (const r of q.facts.all({ hostId })) if (!(r.factId in all)) all[r.factId] = JSON.parse(r.value)
    const list = evaluateFacts(all as Facts, th, now)
    const iso = now.toISOString()
    const existing = q.findings.all({ subjectId: hostId })
    const changes = writeFindings(hostId, list, existing, iso, {
      insert: (row) => q.insertFinding.run(row),
      update: (row) => q.updateFinding.run(row),
      history: (h) => q.history.run(h),
    })
    const status = hostStatus(list)
    if (status !== host.status) q.status.run({ id: hostId, status })
    for (const l of listeners) l(db, changes, now, hostId, { ...host, status })
    return changes
  }

  return { judgeHost }
}

/**
 * Stores the findings of one subject (the organisation, `org`: records, incidents) inside `tx`: the current row per
 * measure, a history row per status change. Returns the changes (status, severity or reason changed) for the listeners.
 * Hosts go through createJudge's prepared statements instead.
 */
export function storeFindings(tx: Tx, subjectId: string, list: Finding[], now: Date): FindingChange[] {
  const existing = tx.select().from(findings).where(eq(findings.subjectId, subjectId)).all()
  return writeFindings(subjectId, list, existing, now.toISOString(), {
    insert: (row) => tx.insert(findings).values(row).run(),
    update: (row) => tx.update(findings).set(row).where(and(eq(findings.subjectId, subjectId), eq(findings.measureId, row.measureId))).run(),
    history: (h) => tx.insert(findingHistory).values(h).run(),
  })
}

type FindingRow = typeof findings.$inferSelect

/** How findings are written: prepared statements for hosts (createJudge), plain drizzle for the organisation. */
interface FindingWriter {
  insert(row: FindingRow): void
  update(row: FindingRow): void
  history(h: typeof findingHistory.$inferInsert): void
}

/**
 * The findings of one subject against what is stored: a new measure is inserted, a changed one updated (unchanged ones
 * are not written again: most reports change nothing, and every row written costs WAL pages; updated_at is thus the
 * time of the last change of the finding's content), a status change gets a history row. Returns the changes (status,
 * severity or reason changed) for the listeners.
 */
function writeFindings(subjectId: string, list: Finding[], stored: FindingRow[], iso: string, w: FindingWriter): FindingChange[] {
  const existing = new Map(stored.map((f) => [f.measureId, f]))
  const changes: FindingChange[] = []
  for (const f of list) {
    const old = existing.get(f.measureId)
    const statusChanged = !old || old.status !== f.status || old.severity !== f.severity
    const row: FindingRow = {
      subjectId, measureId: f.measureId, status: f.status, severity: f.severity, reasonDe: f.reason.de, reasonEn: f.reason.en,
      fixDe: f.fix?.de ?? null, fixEn: f.fix?.en ?? null, since: statusChanged ? iso : old!.since, updatedAt: iso,
    }
    if (!old) w.insert(row)
    else if (statusChanged || old.reasonDe !== row.reasonDe || old.reasonEn !== row.reasonEn || old.fixDe !== row.fixDe || old.fixEn !== row.fixEn)
      w.update(row)
    if (statusChanged) w.history({ subjectId, measureId: f.measureId, status: f.status, severity: f.severity, at: iso })
    if (statusChanged || old.reasonEn !== f.reason.en)
      changes.push({ subjectId, measureId: f.measureId, before: old ? { status: old.status, severity: old.severity } : null, after: f })
  }
  return changes
}

export { FACT_IDS }
