// Thresholds: the catalogue's defaults, overridden globally, made stricter for crown jewels, then per tag (in the host's
// tag order), then per host.
import { and, eq, gt, isNull } from 'drizzle-orm'
import { CROWN_JEWEL_THRESHOLDS, DEFAULT_THRESHOLDS, type ThresholdScope, type Thresholds } from '@lagebild/shared'
import { incidentWatches, thresholdOverrides } from '../db/schema.js'
import type { Db } from '../db/index.js'

type Tx = Pick<Db, 'select'>

export type OverrideRow = typeof thresholdOverrides.$inferSelect

/** Every override row; read once per pass when many hosts are judged. */
export const loadOverrides = (db: Tx): OverrideRow[] => db.select().from(thresholdOverrides).all()

/**
 * Pure: the thresholds of one host from the override rows. Crown jewels and hosts under heightened monitoring after an
 * incident (`watched`, follow.watch) are judged with the stricter crown-jewel values.
 */
export function resolveThresholds(rows: readonly OverrideRow[], host: { id: string; tags: string[]; crownJewel?: boolean; watched?: boolean }): Thresholds {
  const th: Thresholds = { ...DEFAULT_THRESHOLDS }
  const apply = (values: Record<string, number> | undefined) => {
    for (const [k, v] of Object.entries(values ?? {})) if (k in th && Number.isFinite(v)) th[k as keyof Thresholds] = v
  }
  apply(rows.find((r) => r.scope === 'global')?.values)
  if (host.crownJewel || host.watched)
    for (const [k, v] of Object.entries(CROWN_JEWEL_THRESHOLDS)) th[k as keyof Thresholds] = Math.min(th[k as keyof Thresholds], v)
  for (const tag of host.tags) apply(rows.find((r) => r.scope === 'tag' && r.scopeValue === tag)?.values)
  apply(rows.find((r) => r.scope === 'host' && r.scopeValue === host.id)?.values)
  return th
}

export const thresholdsFor = (db: Tx, host: { id: string; tags: string[]; crownJewel?: boolean }): Thresholds =>
  resolveThresholds(loadOverrides(db), { ...host, watched: isWatched(db, host.id) })

/** Whether a host is under heightened monitoring now (services/incidents/follow-up.ts keeps the watches). */
export const isWatched = (db: Tx, hostId: string, now = new Date()): boolean =>
  !!db.select({ id: incidentWatches.id }).from(incidentWatches)
    .where(and(eq(incidentWatches.hostId, hostId), isNull(incidentWatches.endedAt), gt(incidentWatches.until, now.toISOString()))).limit(1).get()

export function hostOverride(db: Tx, hostId: string) {
  return db.select().from(thresholdOverrides).where(eq(thresholdOverrides.scopeValue, hostId)).all().find((r) => r.scope === 'host')?.values ?? {}
}

/** Every override, grouped by scope (for the admin API). */
export function listOverrides(db: Tx) {
  const rows = db.select().from(thresholdOverrides).all()
  const pick = (scope: ThresholdScope) => Object.fromEntries(rows.filter((r) => r.scope === scope).map((r) => [r.scopeValue, r.values]))
  return { defaults: DEFAULT_THRESHOLDS, global: pick('global')[''] ?? {}, tags: pick('tag'), hosts: pick('host') }
}

/** Replaces the override of one scope; an empty object removes it. Only keys of the catalogue (checked by the route schema). */
export function setOverride(db: Db, scope: ThresholdScope, scopeValue: string, values: Partial<Thresholds>, now = new Date()) {
  const clean: Record<string, number> = {}
  for (const [k, v] of Object.entries(values)) if (k in DEFAULT_THRESHOLDS && typeof v === 'number') clean[k] = v
  db.transaction((tx) => {
    tx.delete(thresholdOverrides).where(and(eq(thresholdOverrides.scope, scope), eq(thresholdOverrides.scopeValue, scopeValue))).run()
    if (Object.keys(clean).length)
      tx.insert(thresholdOverrides).values({ scope, scopeValue, values: clean, updatedAt: now.toISOString() }).run()
  })
  return clean
}
