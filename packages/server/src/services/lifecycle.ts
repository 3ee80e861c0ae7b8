// The end of a host's life and of an agent's access: revoke an agent, retire a host (history kept) or purge it.
// Each is one transaction with its audit entry; the caller closes the live connections of the agents returned.
import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm'
import type { RevokeReason } from '@lagebild/shared'
import { agents, alertEvents, alerts, apiKeys, enrollTokens, findingHistory, findings, hosts, outbox, thresholdOverrides } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { invalid, notFound } from '../errors.js'
import { recordAudit, type Actor } from './audit.js'
import type { Tx } from './judge.js'

/**
 * Revokes one enrollment token or API key (the row stays, for the list and the log); revoking twice changes nothing.
 * `describe` picks what the audit entry shows of the row (never its hash).
 */
export function revokeCredential<T extends typeof enrollTokens | typeof apiKeys>(
  db: Db, table: T, id: string, what: { kind: 'token' | 'api-key'; describe: (row: T['$inferSelect']) => Record<string, unknown> }, who: Actor, now = new Date(),
) {
  // One of two tables with the same id/revokedAt columns; drizzle cannot narrow a union of tables, so it sees the first.
  const t = table as typeof enrollTokens
  return db.transaction((tx) => {
    const row = tx.select().from(t).where(eq(t.id, id)).get() as T['$inferSelect'] | undefined
    if (!row) throw notFound(`no such ${what.kind === 'token' ? 'enrollment token' : 'API key'}`)
    if (row.revokedAt) return { id, revokedAt: row.revokedAt }
    const revokedAt = now.toISOString()
    tx.update(t).set({ revokedAt }).where(eq(t.id, id)).run()
    recordAudit(tx, who, { action: `${what.kind}.revoke`, target: `${what.kind}:${id}`, before: { ...what.describe(row), revokedAt: null }, after: { revokedAt } }, now)
    return { id, revokedAt }
  })
}

export interface LifecycleResult {
  hostId: string
  /** Agents whose credentials died now: close their live connections. */
  revokedAgents: string[]
  /** Alerts closed because nobody should be paged for a host that is gone. */
  closedAlerts: string[]
}

function loadHost(tx: Pick<Db, 'select'>, id: string) {
  const h = tx.select().from(hosts).where(eq(hosts.id, id)).get()
  if (!h) throw notFound('no such host')
  return h
}

function revokeActive(tx: Tx, hostId: string, reason: RevokeReason, iso: string): string[] {
  const ids = tx.select({ id: agents.id }).from(agents).where(and(eq(agents.hostId, hostId), isNull(agents.revokedAt))).all().map((a) => a.id)
  if (ids.length) tx.update(agents).set({ revokedAt: iso, revokedReason: reason }).where(inArray(agents.id, ids)).run()
  return ids
}

/** The agents of a host, newest first (who holds access for it, and who did). */
export const listAgents = (db: Pick<Db, 'select'>, hostId: string) =>
  db
    .select({ id: agents.id, createdAt: agents.createdAt, lastSeenAt: agents.lastSeenAt, revokedAt: agents.revokedAt, revokedReason: agents.revokedReason })
    .from(agents)
    .where(eq(agents.hostId, hostId))
    .orderBy(desc(agents.createdAt))
    .limit(50)
    .all()

/** Revokes the host's active agent: it is refused from now on; the host stays and a new agent may enroll for it. */
export function revokeAgents(db: Db, hostId: string, who: Actor, now = new Date()): LifecycleResult {
  return db.transaction((tx) => {
    const h = loadHost(tx, hostId)
    const revoked = revokeActive(tx, h.id, 'agent-revoked', now.toISOString())
    if (!revoked.length) throw invalid('this host has no active agent')
    recordAudit(tx, who, { action: 'agent.revoke', target: `host:${h.id}`, before: { agents: revoked }, after: { revokedReason: 'agent-revoked' } }, now)
    return { hostId: h.id, revokedAgents: revoked, closedAlerts: [] }
  })
}

/**
 * Retires a host: its agents are refused at once, its open alerts closed, and it leaves lists, counts and judging.
 * `purge: false` keeps reports, facts, status history and alerts (the host can be listed as retired and enroll again);
 * `purge: true` deletes all of it (the audit log keeps that it happened).
 */
export function retireHost(db: Db, hostId: string, opts: { purge: boolean }, who: Actor, now = new Date()): LifecycleResult {
  const iso = now.toISOString()
  return db.transaction((tx) => {
    const h = loadHost(tx, hostId)
    if (h.retiredAt && !opts.purge) throw invalid('this host is retired already')
    const revoked = revokeActive(tx, h.id, 'host-retired', iso)
    const open = tx.select({ id: alerts.id }).from(alerts).where(and(eq(alerts.subjectId, h.id), ne(alerts.state, 'resolved'))).all().map((a) => a.id)
    const before = { hostname: h.hostname, machineId: h.machineId, retiredAt: h.retiredAt, agents: revoked, openAlerts: open.length }
    if (opts.purge) {
      const all = tx.select({ id: alerts.id }).from(alerts).where(eq(alerts.subjectId, h.id)).all().map((a) => a.id)
      if (all.length) {
        // Notifications not yet sent would talk about a host that no longer exists.
        tx.delete(outbox).where(and(inArray(outbox.alertId, all), isNull(outbox.sentAt))).run()
        tx.delete(alerts).where(inArray(alerts.id, all)).run()
      }
      tx.delete(findings).where(eq(findings.subjectId, h.id)).run()
      tx.delete(findingHistory).where(eq(findingHistory.subjectId, h.id)).run()
      tx.delete(thresholdOverrides).where(and(eq(thresholdOverrides.scope, 'host'), eq(thresholdOverrides.scopeValue, h.id))).run()
      // Agents, reports and facts go with the host (foreign keys ON DELETE CASCADE).
      tx.delete(hosts).where(eq(hosts.id, h.id)).run()
    } else {
      if (open.length) {
        // Closed without a "resolved" notification: nothing was fixed, the host is simply gone.
        tx.update(alerts).set({ state: 'resolved', resolvedAt: iso }).where(inArray(alerts.id, open)).run()
        for (const id of open) tx.insert(alertEvents).values({ alertId: id, kind: 'resolved', at: iso, by: who.actor, detail: 'host retired' }).run()
      }
      // Current findings go (they would count in the overview); their history stays.
      tx.delete(findings).where(eq(findings.subjectId, h.id)).run()
      tx.update(hosts).set({ retiredAt: iso }).where(eq(hosts.id, h.id)).run()
    }
    recordAudit(tx, who, { action: opts.purge ? 'host.purge' : 'host.retire', target: `host:${h.id}`, before, after: { retiredAt: iso, purged: opts.purge } }, now)
    return { hostId: h.id, revokedAgents: revoked, closedAlerts: open }
  })
}
