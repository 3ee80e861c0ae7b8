// The board's overview (one traffic light per measure, readiness, alerts, silent hosts) and a host's status history.
// Everything is aggregated in SQL: with 10,000 hosts the findings table has ~90,000 rows, which we never load.
import { sql } from 'drizzle-orm'
import { CROWN_JEWEL_THRESHOLDS, SCORED_PHASES, FACT_IDS, MEASURES, PHASE_IDS, PHASES, SEVERITIES, type Severity } from '@lagebild/shared'
import { alerts, findingHistory, findings, hosts } from '../db/schema.js'
import { loadOverrides, resolveThresholds } from './thresholds.js'
import type { Db } from '../db/index.js'
import type { MeasureLight, Overview } from '../schemas/board.js'
import type { HostHistory } from '../schemas/hosts.js'

type Counts = { ok: number; deviation: number; unknown: number; notApplicable: number }
const zero = (): Counts => ({ ok: 0, deviation: 0, unknown: 0, notApplicable: 0 })
const FACT_SET: ReadonlySet<string> = new Set(FACT_IDS)
/** The subject id of organisation-wide findings (records, workflow). */
export const ORG_SUBJECT = 'org'

const bump = (c: Counts, status: string, n: number) => {
  if (status === 'ok') c.ok += n
  else if (status === 'deviation') c.deviation += n
  else if (status === 'unknown') c.unknown += n
  else if (status === 'not-applicable') c.notApplicable += n
}

/** One measure's light from its host counts and its organisation-wide finding. Unknown and missing data are never ok. */
export function measureLight(
  m: (typeof MEASURES)[number],
  hostCounts: Counts | undefined,
  orgStatus: string | undefined,
): MeasureLight {
  const onHosts = FACT_SET.has(m.id)
  // A measure has an organisation-wide part when records or workflow judge it, or when no collector judges it on hosts yet.
  const hasRecordPart = m.judgedBy.includes('record') || m.judgedBy.includes('workflow') || !onHosts
  const hostsOut = onHosts ? (hostCounts ?? zero()) : null
  const record = hasRecordPart ? ((orgStatus as MeasureLight['record']) ?? 'not-recorded') : null

  const parts: number[] = []
  if (hostsOut) {
    const judged = hostsOut.ok + hostsOut.deviation + hostsOut.unknown
    parts.push(judged ? hostsOut.ok / judged : 0)
  }
  if (record !== null && record !== 'not-applicable') parts.push(record === 'ok' ? 1 : 0)
  const score = parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0

  const hostJudged = hostsOut ? hostsOut.ok + hostsOut.deviation + hostsOut.unknown : 0
  let state: MeasureLight['state']
  if ((hostsOut?.deviation ?? 0) > 0 || record === 'deviation') state = 'deviation'
  else if (hostJudged === 0 && (record === null || record === 'not-recorded')) state = 'not-recorded'
  // Nothing to judge (an incident measure while no incident is open): neither green nor missing.
  else if (hostsOut === null && record === 'not-applicable') state = 'not-applicable'
  else if ((hostsOut === null || (hostJudged > 0 && hostsOut.unknown === 0)) && (record === null || record === 'ok' || record === 'not-applicable'))
    state = 'ok'
  // The hosts are all judged and fine, only the record is missing: "not recorded" says exactly that, where "unknown"
  // beside a green host bar would contradict it. Still never ok.
  else if (record === 'not-recorded' && (hostsOut === null || hostsOut.unknown === 0)) state = 'not-recorded'
  else state = 'unknown'
  return { id: m.id, title: m.title, summary: m.summary, judgedBy: [...m.judgedBy], state, hosts: hostsOut, record, score }
}

/** Hosts silent for longer than their own threshold (the same resolution as judging). */
function silentHosts(db: Db, now: Date) {
  const overrides = loadOverrides(db)
  // Overrides are few: ask SQL for every host past the smallest threshold that applies anywhere, decide per host here.
  const global = resolveThresholds(overrides, { id: '', tags: [] }).silentMaxMinutes
  const specific = overrides.filter((o) => o.scope !== 'global').map((o) => o.values.silentMaxMinutes)
  const crown = CROWN_JEWEL_THRESHOLDS.silentMaxMinutes ?? global
  const smallest = Math.min(global, crown, ...specific.filter((v): v is number => v !== undefined && Number.isFinite(v)))
  const cutoff = new Date(now.getTime() - smallest * 60_000).toISOString()
  const candidates = db
    .select({ id: hosts.id, hostname: hosts.hostname, tags: hosts.tags, crownJewel: hosts.crownJewel, lastReportAt: hosts.lastReportAt })
    .from(hosts)
    .where(sql`${hosts.retiredAt} is null and (${hosts.lastReportAt} is null or ${hosts.lastReportAt} < ${cutoff})`)
    .orderBy(sql`${hosts.lastReportAt} asc nulls first`)
    .all()
  const out: Overview['silentHosts'] = []
  for (const h of candidates) {
    const minutes = resolveThresholds(overrides, h).silentMaxMinutes
    if (!h.lastReportAt || now.getTime() - Date.parse(h.lastReportAt) > minutes * 60_000)
      out.push({ id: h.id, hostname: h.hostname, lastReportAt: h.lastReportAt, silentMaxMinutes: minutes })
  }
  return out
}

export function overview(db: Db, now = new Date()): Overview {
  // Host findings per measure and status. Counting all findings walks the covering index findings_measure_idx (~5 ms at
  // 90,000 rows); a join with hosts would look up every row (~220 ms). Findings of subjects that are no host (org,
  // removed hosts) are counted separately and taken off again.
  const byMeasure = new Map<string, Counts>()
  const add = (rows: { m: string; s: string; n: number }[], sign: 1 | -1) => {
    for (const r of rows) {
      const c = byMeasure.get(r.m) ?? zero()
      bump(c, r.s, sign * r.n)
      byMeasure.set(r.m, c)
    }
  }
  add(db.all<{ m: string; s: string; n: number }>(sql`select measure_id as m, status as s, count(*) as n from ${findings} group by measure_id, status`), 1)
  // The few subjects that are no host come from an index-only scan; their findings then by primary key.
  const others = db.all<{ id: string }>(sql`select distinct subject_id as id from ${findings} where subject_id not in (select id from ${hosts})`)
  for (const o of others)
    add(db.all<{ m: string; s: string; n: number }>(sql`select measure_id as m, status as s, 1 as n from ${findings} where subject_id = ${o.id}`), -1)
  const org = new Map(
    db.select({ m: findings.measureId, s: findings.status }).from(findings).where(sql`${findings.subjectId} = ${ORG_SUBJECT}`).all().map((r) => [r.m, r.s]),
  )

  const lights = MEASURES.map((m) => ({ phase: m.phase, light: measureLight(m, byMeasure.get(m.id), org.get(m.id)) }))
  const scored = lights.filter((l) => SCORED_PHASES.includes(l.phase))
  const value = scored.length ? Math.round((100 * scored.reduce((a, l) => a + l.light.score, 0)) / scored.length) : 0

  const statusRows = db.select({ s: hosts.status, n: sql<number>`count(*)` }).from(hosts).where(sql`${hosts.retiredAt} is null`).groupBy(hosts.status).all()
  const hostTotals = { total: 0, ok: 0, deviation: 0, unknown: 0 }
  for (const r of statusRows) {
    hostTotals.total += r.n
    hostTotals[r.s] += r.n
  }

  const iso = now.toISOString()
  const open = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  let acknowledged = 0
  let snoozed = 0
  const alertRows = db
    .select({
      sev: alerts.severity,
      state: alerts.state,
      snoozed: sql<number>`${alerts.snoozedUntil} is not null and ${alerts.snoozedUntil} > ${iso}`,
      n: sql<number>`count(*)`,
    })
    .from(alerts)
    .where(sql`${alerts.state} <> 'resolved'`)
    .groupBy(alerts.severity, alerts.state, sql`3`)
    .all()
  for (const r of alertRows) {
    if (r.snoozed) snoozed += r.n
    else if (r.state === 'acknowledged') acknowledged += r.n
    else open[r.sev] += r.n
  }

  const silent = silentHosts(db, now)
  const nScored = scored.length
  return {
    generatedAt: iso,
    hosts: { ...hostTotals, silent: silent.length },
    score: {
      value,
      measures: nScored,
      explanation: {
        de:
          `Mittelwert über die ${nScored} Maßnahmen der Phasen Vorbereitung und Bereitschaft. Jede Maßnahme zählt mit ihrem Anteil „in Ordnung“: ` +
          'Anteil der Rechner ohne Abweichung (unbekannt zählt nicht als in Ordnung); ein Nachweis (Aufzeichnung) zählt 1, wenn er in Ordnung ist, sonst 0; ' +
          'hat eine Maßnahme beides, zählt der Durchschnitt. Noch nicht Erfasstes zählt 0.',
        en:
          `Mean over the ${nScored} measures of the phases Preparation and Readiness. Each measure counts with its share of "ok": ` +
          'the share of hosts without deviation (unknown does not count as ok); a record counts 1 when it is ok, else 0; ' +
          'a measure with both counts their average. Anything not yet recorded counts 0.',
      },
    },
    phases: PHASE_IDS.map((p) => ({
      id: p,
      title: PHASES[p],
      measures: lights.filter((l) => l.phase === p).map((l) => l.light),
    })),
    alerts: { open, acknowledged, snoozed },
    silentHosts: silent.slice(0, 20),
  }
}

/** The status of each measure of a host at `from` and every change since, oldest first. */
export function hostHistory(db: Db, hostId: string, days: number, now = new Date()): HostHistory {
  const from = new Date(now.getTime() - days * 86_400_000).toISOString()
  // SQLite: with max(), the bare columns come from the row that has the maximum.
  type Change = HostHistory['changes'][number]
  const before = db.all<Change>(
    sql`select measure_id as measureId, status, severity, max(at) as at from ${findingHistory}
        where subject_id = ${hostId} and at <= ${from} group by measure_id`,
  )
  const since = db
    .select({ measureId: findingHistory.measureId, status: findingHistory.status, severity: findingHistory.severity, at: findingHistory.at })
    .from(findingHistory)
    .where(sql`${findingHistory.subjectId} = ${hostId} and ${findingHistory.at} > ${from}`)
    .orderBy(findingHistory.at, findingHistory.id)
    .limit(5000)
    .all()
  // Where the data really begin: a host enrolled an hour ago has no 30 days of history, and the chart must not say so.
  const first = db.get<{ at: string | null }>(sql`select min(at) as at from ${findingHistory} where subject_id = ${hostId}`)?.at ?? null
  return { hostId, from, to: now.toISOString(), firstRecordAt: first, changes: [...before.map((b) => ({ ...b, at: from })), ...since] }
}
