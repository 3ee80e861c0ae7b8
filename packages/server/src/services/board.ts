// Read models for the board and the admin API.
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import { compareVersions, FACT_IDS, HOST_STATUSES, MEASURES, type FindingStatus } from '@lagebild/shared'
import { facts, findings, hosts } from '../db/schema.js'
import { rankBy } from '../db/order.js'
import type { Db } from '../db/index.js'
import type { FindingOut, HostDetail, HostQuery, HostSummary } from '../schemas/hosts.js'
import { loadOverrides, resolveThresholds, type OverrideRow } from './thresholds.js'

type HostRow = typeof hosts.$inferSelect

const isSilent = (overrides: readonly OverrideRow[], h: HostRow, now: Date) => {
  if (!h.lastReportAt) return true
  return now.getTime() - Date.parse(h.lastReportAt) > resolveThresholds(overrides, h).silentMaxMinutes * 60_000
}

function summary(overrides: readonly OverrideRow[], h: HostRow, measures: Record<string, FindingStatus>, now: Date, offeredVersion: string | null, duplicateName: boolean): HostSummary {
  return {
    id: h.id,
    hostname: h.hostname,
    duplicateName,
    machineId: h.machineId,
    retiredAt: h.retiredAt,
    osFamily: h.osFamily,
    osName: `${h.osDistribution} ${h.osVersion}`.trim(),
    tags: h.tags,
    crownJewel: h.crownJewel,
    maintenanceUntil: h.maintenanceUntil,
    status: h.status,
    silent: isSilent(overrides, h, now),
    lastReportAt: h.lastReportAt,
    agentVersion: h.agentVersion,
    outdated: offeredVersion !== null && compareVersions(h.agentVersion, offeredVersion) < 0,
    measures,
  }
}

function measureMap(db: Db, ids: string[]): Map<string, Record<string, FindingStatus>> {
  const out = new Map<string, Record<string, FindingStatus>>(ids.map((id) => [id, {}]))
  if (!ids.length) return out
  for (const f of db.select({ s: findings.subjectId, m: findings.measureId, st: findings.status }).from(findings).where(inArray(findings.subjectId, ids)).all())
    out.get(f.s)![f.m] = f.st
  return out
}

/** Another active host with the same name (case-insensitive, compared by SQLite on both sides; hosts_name_idx). */
const sameNameAs = (id: SQL | string, name: SQL | string) =>
  sql`${hosts.retiredAt} is null and lower(${hosts.hostname}) = lower(${name}) and ${hosts.id} <> ${id}`

/** Which of these hosts share their name with another active host. */
function duplicateNames(db: Db, ids: string[]): Set<string> {
  if (!ids.length) return new Set()
  const rows = db.all<{ id: string }>(
    sql`select h.id as id from ${hosts} h where h.id in ${ids} and h.retired_at is null
        and exists (select 1 from ${hosts} where ${sameNameAs(sql`h.id`, sql`h.hostname`)})`,
  )
  return new Set(rows.map((r) => r.id))
}

export function listHosts(db: Db, q: HostQuery, now = new Date(), offeredVersion: string | null = null): { total: number; hosts: HostSummary[] } {
  // Retired hosts are a list of their own (retired=true), never mixed into the active ones.
  const where: SQL[] = [q.retired ? sql`${hosts.retiredAt} is not null` : sql`${hosts.retiredAt} is null`]
  if (q.q) {
    const pat = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    where.push(or(sql`${hosts.hostname} like ${pat} escape '\\'`, sql`${hosts.osDistribution} like ${pat} escape '\\'`)!)
  }
  if (q.status) where.push(eq(hosts.status, q.status))
  if (q.os) where.push(eq(hosts.osFamily, q.os))
  if (q.tag) where.push(sql`exists (select 1 from json_each(${hosts.tags}) where json_each.value = ${q.tag})`)
  // `in (…)` walks findings_measure_idx once; a correlated `exists` probed findings for every host (20× slower at 10,000 hosts).
  if (q.measure)
    where.push(
      sql`${hosts.id} in (select ${findings.subjectId} from ${findings} where ${findings.measureId} = ${q.measure} and ${findings.status} = ${q.measureStatus ?? 'deviation'})`,
    )
  const cond = and(...where)
  const dir = q.order === 'desc' ? desc : asc
  // Worst first: HOST_STATUSES' own order.
  const statusRank = rankBy(hosts.status, HOST_STATUSES)
  const orderBy = {
    hostname: [dir(hosts.hostname)],
    // Crown jewels first (prep.crown-jewels: they are protected and restored first), then the worst status.
    status: [desc(hosts.crownJewel), q.order === 'desc' ? desc(statusRank) : asc(statusRank), asc(hosts.hostname)],
    lastReportAt: [dir(hosts.lastReportAt), asc(hosts.hostname)],
    os: [dir(hosts.osFamily), dir(hosts.osDistribution), asc(hosts.hostname)],
  }[q.sort ?? 'status']
  const total = db.select({ n: count() }).from(hosts).where(cond).get()!.n
  const rows = db
    .select()
    .from(hosts)
    .where(cond)
    .orderBy(...orderBy)
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0)
    .all()
  const map = measureMap(db, rows.map((r) => r.id))
  const overrides = loadOverrides(db)
  const dup = duplicateNames(db, rows.map((r) => r.id))
  return { total, hosts: rows.map((r) => summary(overrides, r, map.get(r.id)!, now, offeredVersion, dup.has(r.id))) }
}

const findingOut = (f: typeof findings.$inferSelect): FindingOut => ({
  measureId: f.measureId,
  status: f.status,
  severity: f.severity,
  reason: { de: f.reasonDe, en: f.reasonEn },
  fix: f.fixDe !== null && f.fixEn !== null ? { de: f.fixDe, en: f.fixEn } : null,
  since: f.since,
})

export function hostDetail(db: Db, id: string, now = new Date(), offeredVersion: string | null = null): HostDetail | null {
  const h = db.select().from(hosts).where(eq(hosts.id, id)).get()
  if (!h) return null
  const fs = db.select().from(findings).where(eq(findings.subjectId, id)).all()
  const order = new Map(MEASURES.map((m, i) => [m.id, i]))
  fs.sort((a, b) => (order.get(a.measureId) ?? 99) - (order.get(b.measureId) ?? 99))
  const factRows = db.select().from(facts).where(eq(facts.hostId, id)).all()
  const factMap: HostDetail['facts'] = {}
  for (const id of FACT_IDS) {
    const r = factRows.find((x) => x.factId === id)
    if (r) factMap[id] = { value: JSON.parse(r.value), collectedAt: r.collectedAt }
  }
  const measures: Record<string, FindingStatus> = Object.fromEntries(fs.map((f) => [f.measureId, f.status]))
  const sameName = db
    .select({ id: hosts.id, machineId: hosts.machineId })
    .from(hosts)
    .where(sameNameAs(h.id, h.hostname))
    .limit(20)
    .all()
  return {
    host: {
      ...summary(loadOverrides(db), h, measures, now, offeredVersion, !h.retiredAt && sameName.length > 0),
      osBuild: h.osBuild,
      kernel: h.kernel,
      arch: h.arch,
      bootTime: h.bootTime,
      createdAt: h.createdAt,
    },
    facts: factMap,
    findings: fs.map(findingOut),
    sameName: h.retiredAt ? [] : sameName,
  }
}

