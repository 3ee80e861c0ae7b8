// What the board and the exports show of incidents: the list with the next deadline, the whole record of one incident.
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm'
import { DEFAULT_THRESHOLDS, evaluateFacts, STEP_MEASURE, type EvidenceItem, type LessonsInput, type Report, type UserReportAnswers } from '@lagebild/shared'
import {
  evidenceItems, evidenceRequests, findings, hosts, incidentChain, incidentLessons, incidents, incidentSteps, incidentTasks, incidentTimeline, incidentWatches,
  userReports,
} from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { IncidentDetail, IncidentSummary, UserReportOut } from '../../schemas/incidents.js'
import { getCompany, listItems } from '../readiness/store.js'
import { clockRows, clockViews } from './clocks.js'
import { actionsDone } from './follow-up.js'
import { getIncident, type IncidentRow } from './store.js'
import { timelineOf, verifyIncident } from './timeline.js'
import type { FileCheck } from './judge.js'

type Reader = Pick<Db, 'select' | 'all' | 'get'>

export function summary(db: Reader, i: IncidentRow, zone: string, now: Date): IncidentSummary {
  const next = clockViews(i, clockRows(db, i.id), zone, now).find((c) => c.state === 'running') ?? null
  return {
    id: i.id, number: i.number, title: i.title, state: i.state, severity: i.severity, scenario: i.scenario, drill: i.drill, openedAt: i.openedAt, awareAt: i.awareAt,
    hostCount: i.hostIds.length, nextDeadline: next && i.state !== 'closed' ? { title: next.title, dueAt: next.dueAt, stage: next.stage } : null,
  }
}

export function listIncidents(db: Reader, now: Date, states?: readonly IncidentRow['state'][]): IncidentSummary[] {
  const zone = getCompany(db).timeZone
  const rows = db.select().from(incidents).where(states ? inArray(incidents.state, [...states]) : undefined).orderBy(desc(incidents.openedAt)).limit(500).all()
  return rows.map((i) => summary(db, i, zone, now))
}

/** A user report as the board shows it; a PC's snapshot is reduced to what it judged as deviating then. */
export function reportOut(db: Reader, r: typeof userReports.$inferSelect, hostnames?: Map<string, string>): UserReportOut {
  const ctx = r.context as { snapshot?: Report | null; host?: { hostname?: string } }
  const snap = ctx.snapshot ?? null
  return {
    id: r.id, receipt: r.receipt, via: r.via, incidentId: r.incidentId, hostId: r.hostId,
    hostname: r.hostId ? (hostnames?.get(r.hostId) ?? db.select({ n: hosts.hostname }).from(hosts).where(eq(hosts.id, r.hostId)).get()?.n ?? ctx.host?.hostname ?? null) : null,
    answers: r.answers as UserReportAnswers, reportedAt: r.reportedAt, receivedAt: r.receivedAt,
    snapshot: snap
      ? {
          collectedAt: snap.collectedAt,
          deviations: evaluateFacts(snap.facts, DEFAULT_THRESHOLDS, new Date(snap.collectedAt)).filter((f) => f.status === 'deviation').map((f) => ({ measureId: f.measureId, reason: f.reason })),
        }
      : null,
  }
}

export function incidentDetail(db: Reader, id: string, now: Date, connected: (hostId: string) => boolean, files: FileCheck): IncidentDetail {
  const i = getIncident(db, id)
  const zone = getCompany(db).timeZone
  const allHosts = db.select({ id: hosts.id, hostname: hosts.hostname, crownJewel: hosts.crownJewel, status: hosts.status }).from(hosts).all()
  const hostById = new Map(allHosts.map((h) => [h.id, h]))
  const name = (hostId: string) => hostById.get(hostId)?.hostname ?? hostId
  const jewels = new Map(listItems(db, 'crown-jewels').map((j) => [j.id, j]))
  const rows = timelineOf(db, id)
  const correctedBy = new Map<number, number[]>()
  for (const r of rows) if (r.correctsId) correctedBy.set(r.correctsId, [...(correctedBy.get(r.correctsId) ?? []), r.id])
  const downloads = new Map<string, number>()
  for (const r of rows) {
    const d = r.data as { evidenceId?: string } | null
    if (r.kind === 'custody' && d?.evidenceId) downloads.set(d.evidenceId, (downloads.get(d.evidenceId) ?? 0) + 1)
  }
  const taskRows = db.select().from(incidentTasks).where(eq(incidentTasks.incidentId, id)).orderBy(asc(incidentTasks.createdAt)).all()
  const taskStatus = new Map(
    db.select().from(findings).where(inArray(findings.subjectId, [...new Set(taskRows.flatMap((x) => x.findings.map((f) => f.hostId))), ''])).all()
      .map((f) => [`${f.subjectId} ${f.measureId}`, f.status]),
  )
  const lessons = db.select().from(incidentLessons).where(eq(incidentLessons.incidentId, id)).get()
  const check = verifyIncident(db, id, files(id), now)
  return {
    incident: {
      ...i,
      hosts: i.hostIds.map((h) => ({ id: h, hostname: name(h), crownJewel: hostById.get(h)?.crownJewel ?? false, connected: connected(h), status: hostById.get(h)?.status ?? 'unknown' })),
      crownJewels: i.crownJewelIds.map((j) => ({ id: j, name: jewels.get(j)?.name ?? j, maxDowntimeHours: jewels.get(j)?.maxDowntimeHours ?? 0 })),
    },
    zone,
    chain: db.select().from(incidentChain).where(eq(incidentChain.incidentId, id)).orderBy(asc(incidentChain.position)).all()
      .map((c) => ({ contactId: c.contactId, name: c.name, phone: c.phone, note: c.note, notifiedAt: c.notifiedAt, acknowledgedAt: c.acknowledgedAt, acknowledgedVia: c.acknowledgedVia })),
    steps: db.select().from(incidentSteps).where(eq(incidentSteps.incidentId, id)).orderBy(asc(incidentSteps.position)).all().map((s) => ({
      id: s.id, kind: s.kind, measureId: STEP_MEASURE[s.kind], title: { de: s.titleDe, en: s.titleEn }, help: { de: s.helpDe, en: s.helpEn }, contact: s.contact ?? null,
      outcome: s.outcome, note: s.note, doneAt: s.doneAt, doneBy: s.doneBy,
    })),
    clocks: clockViews(i, clockRows(db, id), zone, now),
    timeline: rows.map((r) => ({ id: r.id, at: r.at, author: r.author, kind: r.kind, text: r.text, data: r.data ?? null, correctsId: r.correctsId, correctedBy: correctedBy.get(r.id) ?? [], hash: r.hash })),
    reports: db.select().from(userReports).where(eq(userReports.incidentId, id)).orderBy(asc(userReports.receivedAt)).all().map((r) => reportOut(db, r, new Map(allHosts.map((h) => [h.id, h.hostname])))),
    evidence: {
      requests: db.select().from(evidenceRequests).where(eq(evidenceRequests.incidentId, id)).orderBy(asc(evidenceRequests.requestedAt)).all()
        .map((r) => ({ ...r, hostname: name(r.hostId), items: r.items as EvidenceItem[], results: r.results ?? null })),
      items: db.select({
        id: evidenceItems.id, requestId: evidenceItems.requestId, hostId: evidenceItems.hostId, item: evidenceItems.item, name: evidenceItems.name, size: evidenceItems.size,
        sha256: evidenceItems.sha256, truncated: evidenceItems.truncated, collector: evidenceItems.collector, source: evidenceItems.source,
        collectedAt: evidenceItems.collectedAt, receivedAt: evidenceItems.receivedAt,
      }).from(evidenceItems).where(eq(evidenceItems.incidentId, id)).orderBy(asc(evidenceItems.receivedAt)).all()
        .map((f) => ({ ...f, hostname: name(f.hostId), downloads: downloads.get(f.id) ?? 0 })),
    },
    tasks: taskRows.map((x) => ({
      ...x, findings: x.findings.map((f) => ({ ...f, hostname: name(f.hostId), status: taskStatus.get(`${f.hostId} ${f.measureId}`) ?? 'unknown' })),
    })),
    watches: db.select().from(incidentWatches).where(eq(incidentWatches.incidentId, id)).orderBy(asc(incidentWatches.startedAt)).all()
      .map((w) => ({ ...w, hostname: name(w.hostId), active: !w.endedAt && Date.parse(w.until) > now.getTime() })),
    lessons: lessons ? { data: lessons.data as LessonsInput, applied: lessons.applied, done: actionsDone(db, lessons), recordedAt: lessons.recordedAt, recordedBy: lessons.recordedBy } : null,
    check: {
      ok: check.ok, entries: check.timeline.entries, brokenAt: check.timeline.ok ? null : check.timeline.brokenAt, reason: check.timeline.ok ? null : check.timeline.reason,
      evidence: check.evidence, filesCheckedAt: check.filesCheckedAt, head: check.head,
    },
  }
}

/** Heightened monitoring of one host (its page on the board). */
export function hostWatches(db: Reader, hostId: string, now: Date) {
  return {
    watches: db.select({ w: incidentWatches, number: incidents.number }).from(incidentWatches).innerJoin(incidents, eq(incidents.id, incidentWatches.incidentId))
      .where(and(eq(incidentWatches.hostId, hostId))).orderBy(desc(incidentWatches.startedAt)).limit(20).all()
      .filter((r) => !r.w.endedAt && Date.parse(r.w.until) > now.getTime())
      .map((r) => ({ incidentId: r.w.incidentId, number: r.number, intervalMinutes: r.w.intervalMinutes, until: r.w.until, confirmedAt: r.w.confirmedAt })),
  }
}

export const timelineCount = (db: Reader, id: string) => db.select({ n: count() }).from(incidentTimeline).where(eq(incidentTimeline.incidentId, id)).get()!.n
