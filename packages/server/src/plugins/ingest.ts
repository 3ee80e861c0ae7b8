// Ingest: a validated report is stored, its facts merged, the host re-judged — one transaction, then the ack.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { and, eq, sql } from 'drizzle-orm'
import { FACT_IDS, isFactError, type Report } from '@lagebild/shared'
import { agents, facts, hosts, reports } from '../db/schema.js'
import { agentRefused, HttpError } from '../errors.js'
import { judgeHost, type FindingListener } from '../services/judge.js'
import { carryPendingSince } from '../services/pending-since.js'
import type { AgentIdentity } from './auth.js'

declare module 'fastify' {
  interface FastifyInstance {
    ingest: ReturnType<typeof createIngest>
  }
}

export function createIngest(fastify: FastifyInstance) {
  const db = fastify.db
  const listeners: FindingListener[] = []

  return {
    /** The registered listeners, for other judges (the organisation's records) that feed the same pipeline. */
    listeners: listeners as readonly FindingListener[],
    /** Alerts hook in here; listeners run inside the judging transaction. */
    onFindings(l: FindingListener) {
      listeners.push(l)
    },
    /**
     * Stores a report once. Returns after COMMIT; a report id seen before changes nothing (duplicate: true).
     * Throws 409 when the report names another machine than the agent was enrolled for.
     */
    store(agent: AgentIdentity, report: Report, now = new Date()): { duplicate: boolean } {
      const receivedAt = now.toISOString()
      const result = db.transaction((tx) => {
        // Checked here, in the transaction that would store the report, not only when the connection opened: an agent
        // revoked (or a host retired) while its WebSocket is open gets not one more report in.
        const refusal = fastify.auth.agentRefusal(agent.id, tx)
        if (refusal) throw agentRefused(refusal)
        const host = tx.select().from(hosts).where(eq(hosts.id, agent.hostId)).get()
        if (!host) throw agentRefused('bad-credentials')
        if (host.machineId !== report.host.machineId)
          throw new HttpError(409, 'report is for another machine than this agent was enrolled on', 'machine-mismatch')
        const inserted = tx
          .insert(reports)
          .values({ id: report.id, hostId: host.id, agentId: agent.id, kind: report.kind, collectedAt: report.collectedAt, receivedAt, body: JSON.stringify(report) })
          .onConflictDoNothing()
          .run()
        if (inserted.changes === 0) return { duplicate: true }
        const h = report.host
        // The identity (host name, OS …) shown is that of the newest report: a late or replayed older one never puts an old name back.
        const newest = !host.identityAt || Date.parse(report.collectedAt) >= Date.parse(host.identityAt)
        tx.update(hosts)
          .set({
            ...(newest
              ? {
                  hostname: h.hostname, osFamily: h.os.family, osDistribution: h.os.distribution, osVersion: h.os.version, osBuild: h.os.build,
                  kernel: h.kernel, arch: h.arch, agentVersion: h.agentVersion, bootTime: h.bootTime, identityAt: report.collectedAt,
                }
              : {}),
            lastReportAt: receivedAt,
          })
          .where(eq(hosts.id, host.id))
          .run()
        tx.update(agents).set({ lastSeenAt: receivedAt }).where(eq(agents.id, agent.id)).run()
        for (const id of FACT_IDS) {
          let value = report.facts[id]
          if (value === undefined) continue
          if (id === 'base.patches' && !isFactError(value)) {
            const prev = tx.select().from(facts).where(and(eq(facts.hostId, host.id), eq(facts.factId, id))).get()
            if (!prev || prev.collectedAt <= report.collectedAt)
              value = carryPendingSince(prev ? JSON.parse(prev.value) : undefined, value as Extract<typeof value, { items: unknown }>, report.collectedAt)
          }
          const row = { hostId: host.id, factId: id, value: JSON.stringify(value), collectedAt: report.collectedAt, reportId: report.id }
          // A replayed older report must not overwrite a newer fact.
          tx.insert(facts).values(row).onConflictDoUpdate({ target: [facts.hostId, facts.factId], set: row, setWhere: sqlOlder(report.collectedAt) }).run()
        }
        judgeHost(tx, host.id, now, listeners)
        return { duplicate: false }
      })
      if (!result.duplicate) fastify.events.emit({ type: 'host-updated', hostId: agent.hostId })
      return result
    },
    /** Re-judges hosts (time passes: backups age, agents fall silent; thresholds change). */
    rejudge(hostIds: string[], now = new Date()) {
      for (const id of hostIds) {
        const changes = db.transaction((tx) => judgeHost(tx, id, now, listeners))
        if (changes.length) fastify.events.emit({ type: 'host-updated', hostId: id })
      }
    },
  }
}

const sqlOlder = (collectedAt: string) => sql`${facts.collectedAt} <= ${collectedAt}`

export default fp(
  async (fastify) => {
    fastify.decorate('ingest', createIngest(fastify))
  },
  { name: 'ingest', dependencies: ['db', 'events', 'auth'] })
