// Everything judging the organisation needs, read in one go: the records, and the few facts about hosts, backup
// sources, channels and alerts that organisational measures depend on. Aggregated in SQL (10,000 hosts stay cheap).
import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { ALERT_NEGLECT_DAYS, type ReadinessInput } from '@lagebild/shared'
import { alerts, channels, facts, hosts, networkPlans } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { getCompany, getDoc, getMeta, listItems } from './store.js'

type Reader = Pick<Db, 'select' | 'all'>

/** Backup sources the agents report, as "kind location", each once. */
export function backupSources(db: Reader): string[] {
  return db
    .all<{ s: string }>(
      sql`select distinct json_extract(j.value, '$.kind') || ' ' || json_extract(j.value, '$.location') as s
          from ${facts}, json_each(${facts.value}, '$.sources') as j
          where ${facts.factId} = 'base.backups' and json_type(${facts.value}, '$.sources') = 'array'`,
    )
    .map((r) => r.s)
    .filter(Boolean)
    .sort()
}

function hostFacts(db: Reader, crownJewelHostIds: string[]): ReadinessInput['hosts'] {
  const total = db.select({ n: count() }).from(hosts).where(isNull(hosts.retiredAt)).get()!.n
  const named = crownJewelHostIds.length
    ? db.select({ id: hosts.id, hostname: hosts.hostname }).from(hosts).where(inArray(hosts.id, crownJewelHostIds)).all()
    : []
  const inProcess = new Set(crownJewelHostIds)
  const flagged = db.select({ id: hosts.id, hostname: hosts.hostname }).from(hosts).where(and(eq(hosts.crownJewel, true), isNull(hosts.retiredAt))).all()
  return {
    total,
    names: Object.fromEntries(named.map((h) => [h.id, h.hostname])),
    flaggedWithoutProcess: flagged.filter((h) => !inProcess.has(h.id)).map((h) => h.hostname).sort(),
  }
}

export function loadReadinessInput(db: Reader, now: Date): ReadinessInput {
  const crownJewels = listItems(db, 'crown-jewels')
  const neglectedBefore = new Date(now.getTime() - ALERT_NEGLECT_DAYS * 86_400_000).toISOString()
  const plan = db.select({ name: networkPlans.name, uploadedAt: networkPlans.uploadedAt }).from(networkPlans).get() ?? null
  return {
    company: getCompany(db),
    meta: getMeta(db),
    contacts: listItems(db, 'contacts'),
    roles: getDoc(db, 'roles'),
    providers: listItems(db, 'providers'),
    plan: getDoc(db, 'plan'),
    communication: getDoc(db, 'communication'),
    crownJewels,
    reporting: getDoc(db, 'reporting'),
    exercises: listItems(db, 'exercises'),
    pentests: listItems(db, 'pentests'),
    trainings: listItems(db, 'trainings'),
    restoreTests: listItems(db, 'restore-tests'),
    twoFactor: listItems(db, 'two-factor'),
    networkPlan: plan,
    segmentation: getDoc(db, 'segmentation'),
    hosts: hostFacts(db, [...new Set(crownJewels.flatMap((j) => j.hostIds))]),
    backupSources: backupSources(db),
    channels: db.select({ n: count() }).from(channels).where(eq(channels.enabled, true)).get()!.n,
    neglectedAlerts: db
      .select({ n: count() })
      .from(alerts)
      .where(and(eq(alerts.state, 'open'), lt(alerts.openedAt, neglectedBefore), or(isNull(alerts.snoozedUntil), lt(alerts.snoozedUntil, now.toISOString()))))
      .get()!.n,
  }
}
