// Judges the phases 3 and 4 inside the transaction that changed an incident (or on the minute tick): incidents and their
// follow-up → the pure evaluateIncidents → findings of subject `org` in the same table, with history and the same alert
// listeners as hosts and records. Also the compliance history per measure (follow.architecture) from finding_history.
import { and, count, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm'
import {
  ACTIVE_INCIDENT_STATES, FACT_IDS, evaluateIncidents, type IncidentsInput, type JudgedIncident, type IncidentsResult,
} from '@lagebild/shared'
import {
  evidenceRequests, findingHistory, findings, hosts, incidentChain, incidentLessons, incidents, incidentSteps, incidentTasks, incidentTimeline, incidentWatches,
  userReports,
} from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { storeFindings, type FindingChange, type FindingListener, type Tx } from '../judge.js'
import { ORG_SUBJECT } from '../overview.js'
import { alertingChain } from '../readiness/index.js'
import { getCompany, getDoc, listItems } from '../readiness/store.js'
import { clockRows, clockTitle, clockViews } from './clocks.js'
import { actionsDone } from './follow-up.js'
import { verifyIncident, type EvidenceProblem } from './timeline.js'

type Reader = Pick<Db, 'select' | 'all' | 'get'>
const DAY = 86_400_000

/** Share of hosts ok per technical measure at an instant (null: nothing judged then). From finding_history. */
export function complianceAt(db: Reader, at: Date | null): Map<string, number | null> {
  const rows = at
    ? db.all<{ m: string; s: string; n: number }>(sql`
        select measure_id as m, status as s, count(*) as n from (
          select subject_id, measure_id, status, max(at) as last from ${findingHistory}
          where at <= ${at.toISOString()} and subject_id in (select id from ${hosts}) group by subject_id, measure_id
        ) group by measure_id, status`)
    : db.all<{ m: string; s: string; n: number }>(sql`select measure_id as m, status as s, count(*) as n from ${findings} where subject_id in (select id from ${hosts}) group by measure_id, status`)
  const out = new Map<string, number | null>()
  for (const id of FACT_IDS) {
    const mine = rows.filter((r) => r.m === id && r.s !== 'not-applicable')
    const total = mine.reduce((a, r) => a + r.n, 0)
    out.set(id, total ? (mine.find((r) => r.s === 'ok')?.n ?? 0) / total : null)
  }
  return out
}

/** Days since the first finding was kept. */
export function historyDays(db: Reader, now: Date): number {
  const first = db.get<{ at: string | null }>(sql`select min(at) as at from ${findingHistory}`)?.at
  return first ? Math.floor((now.getTime() - Date.parse(first)) / DAY) : 0
}

/** Compliance per technical measure over time: a point per day (per week beyond 31 days), oldest first. */
export function complianceHistory(db: Reader, days: number, now: Date) {
  const step = days > 31 ? 7 : 1
  const points: { at: string; shares: Record<string, number | null> }[] = []
  for (let d = days; d > 0; d -= step) {
    const at = new Date(now.getTime() - d * DAY)
    points.push({ at: at.toISOString(), shares: Object.fromEntries(complianceAt(db, at)) })
  }
  points.push({ at: now.toISOString(), shares: Object.fromEntries(complianceAt(db, null)) })
  return { measures: [...FACT_IDS], points, historyDays: historyDays(db, now) }
}

/** One incident as the judge sees it. */
/** The last check of an incident's file bytes (hashing them is the expensive part; the plugin keeps and renews it). */
export type FileCheck = (incidentId: string) => { at: string; evidence: EvidenceProblem[] }

function judged(tx: Reader, i: typeof incidents.$inferSelect, zone: string, now: Date, files: FileCheck): JudgedIncident {
  const names = new Map(tx.select({ id: hosts.id, n: hosts.hostname }).from(hosts).all().map((h) => [h.id, h.n]))
  const requests = tx.select().from(evidenceRequests).where(eq(evidenceRequests.incidentId, i.id)).orderBy(evidenceRequests.requestedAt).all()
  const newest = new Map(requests.map((r) => [r.hostId, r]))
  const lessons = tx.select().from(incidentLessons).where(eq(incidentLessons.incidentId, i.id)).get()
  const check = verifyIncident(tx, i.id, files(i.id), now)
  const people = tx.select({ n: count() }).from(incidentTimeline).where(and(eq(incidentTimeline.incidentId, i.id), inArray(incidentTimeline.kind, ['note', 'call', 'decision']))).get()!.n
  return {
    number: i.number, title: i.title, state: i.state, drill: i.drill, openedAt: i.openedAt, resolvedAt: i.resolvedAt, closedAt: i.closedAt,
    espionageSuspected: i.espionageSuspected, hostIds: i.hostIds,
    chain: tx.select().from(incidentChain).where(eq(incidentChain.incidentId, i.id)).all().map((c) => ({ name: c.name, acknowledgedAt: c.acknowledgedAt })),
    steps: tx.select().from(incidentSteps).where(eq(incidentSteps.incidentId, i.id)).all().map((s) => ({ kind: s.kind, outcome: s.outcome })),
    userReports: tx.select({ n: count() }).from(userReports).where(eq(userReports.incidentId, i.id)).get()!.n,
    clocks: clockViews(i, clockRows(tx, i.id), zone, now).map((c) => ({ startAt: Date.parse(c.startAt), dueAt: Date.parse(c.dueAt), title: clockTitle(c.id), state: c.state })),
    evidence: i.hostIds.filter((h) => newest.has(h)).map((h) => ({ hostname: names.get(h) ?? h, state: newest.get(h)!.state })),
    timeline: { entries: check.timeline.entries, byPeople: people, brokenAt: check.timeline.ok ? null : check.timeline.brokenAt, altered: check.evidence.map((e) => e.name) },
    tasks: tx.select().from(incidentTasks).where(eq(incidentTasks.incidentId, i.id)).all().map((x) => ({ title: x.title, owner: x.owner, dueOn: x.dueOn, state: x.state })),
    watches: tx.select().from(incidentWatches).where(eq(incidentWatches.incidentId, i.id)).all()
      .map((w) => ({ hostname: names.get(w.hostId) ?? w.hostId, until: w.endedAt ?? w.until, confirmedAt: w.confirmedAt, startedAt: w.startedAt })),
    lessons: lessons ? { recordedAt: lessons.recordedAt, openActions: actionsDone(tx, lessons).filter((d) => !d).length } : null,
  }
}

export function loadIncidentsInput(tx: Reader, now: Date, files: FileCheck): IncidentsInput {
  const zone = getCompany(tx).timeZone
  const yearAgo = new Date(now.getTime() - 365 * DAY).toISOString()
  // The incidents that matter for judging: every one not closed, and those closed within a year (follow-up, tampering).
  const list = tx.select().from(incidents).where(or(inArray(incidents.state, [...ACTIVE_INCIDENT_STATES, 'resolved']), gt(incidents.closedAt, yearAgo))).all()
  const trendNow = complianceAt(tx, null)
  const before = complianceAt(tx, new Date(now.getTime() - 30 * DAY))
  const roles = getDoc(tx, 'roles')
  return {
    incidents: list.map((i) => judged(tx, i, zone, now, files)),
    prepared: {
      alertingChain: alertingChain(tx).length,
      firstContact: !!roles?.assignments.find((a) => a.role === 'first-contact')?.holderId,
      providers: listItems(tx, 'providers').length,
      reporting: getDoc(tx, 'reporting') !== null,
      hostsWithAgent: tx.select({ n: count() }).from(hosts).get()!.n,
      exercises: listItems(tx, 'exercises').length,
    },
    trend: [...trendNow.keys()].map((measureId) => ({ measureId, before: before.get(measureId) ?? null, now: trendNow.get(measureId) ?? null })),
    historyDays: historyDays(tx, now),
  }
}

/** Judges handle.* and follow.* into the findings of `org`; a measure judged before and now not recorded becomes unknown. */
export function judgeIncidents(tx: Tx, now: Date, listeners: readonly FindingListener[], files: FileCheck): { result: IncidentsResult; changes: FindingChange[] } {
  const result = evaluateIncidents(loadIncidentsInput(tx, now, files), now)
  const list = [...result.findings]
  const before = new Set(tx.select({ m: findings.measureId }).from(findings).where(eq(findings.subjectId, ORG_SUBJECT)).all().map((r) => r.m))
  for (const m of result.notRecorded)
    if (before.has(m)) list.push({ measureId: m, status: 'unknown', severity: 'low', reason: { de: 'Keine Angaben mehr vorhanden.', en: 'Nothing recorded any more.' } })
  const changes = storeFindings(tx, ORG_SUBJECT, list, now)
  for (const l of listeners) l(tx, changes, now, ORG_SUBJECT)
  return { result, changes }
}

/** Watches that run now, for the board and the judge. */
export const runningWatches = (db: Reader, now: Date) =>
  db.select().from(incidentWatches).where(and(isNull(incidentWatches.endedAt), gt(incidentWatches.until, now.toISOString()))).all()
