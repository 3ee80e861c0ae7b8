// The per-agent budget at ingest (services/agent-budget.ts for the buckets). Ingest asks `admit` before it parses or
// stores a report; a refusal is an alert for the people ("agent sends too much"), not an outage: the report is not
// stored, the agent is told to come back later (HTTP 503 + Retry-After, on the WebSocket an error frame with status 503),
// keeps the report in its spool, and everyone else goes on as before. Once the agent is back under half its burst, the
// alert resolves itself.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createBudget, DEFAULT_BUDGET, type BudgetLimits, type BudgetVerdict } from '../services/agent-budget.js'
import type { AgentIdentity } from './auth.js'

declare module 'fastify' {
  interface FastifyInstance {
    agentBudget: ReturnType<typeof createAgentBudget>
  }
}

/** What an agent over its budget is told, on either path (HTTP 503, WebSocket error frame). */
export const overBudgetMessage = (v: Extract<BudgetVerdict, { ok: false }>) => `agent over its budget (${v.exceeded}); send again in ${v.retryAfterS} s`

/** The alert text is brought up to date at most this often while an agent keeps sending too much. */
const ALERT_UPDATE_MS = 60_000
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

interface Over {
  since: Date
  refused: number
  refusedBytes: number
  alertedAt: number
}

export function createAgentBudget(fastify: FastifyInstance, limits: BudgetLimits = DEFAULT_BUDGET) {
  const budget = createBudget(limits)
  const over = new Map<string, Over>()
  const l = limits
  const reasonOf = (o: Over) => ({
    de:
      `Der Agent sendet mehr als sein Budget erlaubt: ${o.refused} Berichte (${MB(o.refusedBytes)}) seit ${o.since.toISOString().slice(0, 16).replace('T', ' ')} UTC abgewiesen. ` +
      `Erlaubt: ${l.reports.burst} Berichte bzw. ${MB(l.bytes.burst)} auf einmal, ${l.reports.perDay} bzw. ${MB(l.bytes.perDay)} pro Tag. Die Berichte warten im Spool des Agenten.`,
    en:
      `The agent sends more than its budget allows: ${o.refused} reports (${MB(o.refusedBytes)}) refused since ${o.since.toISOString().slice(0, 16).replace('T', ' ')} UTC. ` +
      `Allowed: ${l.reports.burst} reports or ${MB(l.bytes.burst)} at once, ${l.reports.perDay} or ${MB(l.bytes.perDay)} a day. The reports wait in the agent's spool.`,
  })
  const fix = {
    de: 'Prüfen, was der Agent sendet (z. B. eine riesige Liste ausstehender Updates) und ob jemand seine Zugangsdaten missbraucht; notfalls den Agenten widerrufen.',
    en: 'Check what the agent sends (e.g. a huge list of pending updates) and whether someone misuses its credentials; revoke the agent if need be.',
  }

  function alert(hostId: string, reason: ReturnType<typeof reasonOf> | null, now: Date) {
    try {
      fastify.alerts.agentAlert(hostId, 'agent.budget', reason, reason ? fix : null, now)
    } catch (err) {
      // The refusal itself stands; a failed alert write is for the operator's log.
      fastify.log.error({ err, hostId }, 'agent budget: alert could not be written')
    }
  }

  return {
    limits,
    /**
     * Call before a report is parsed or stored, with its size in bytes (Content-Length, or the WebSocket frame's length).
     * ok: go on. Not ok: do not store it; answer "try again in retryAfterS seconds" (503) so the agent keeps it spooled.
     */
    admit(agent: AgentIdentity, bytes: number, now = new Date()): BudgetVerdict {
      const v = budget.take(agent.id, bytes, now.getTime())
      const o = over.get(agent.id)
      if (!v.ok) {
        const cur = o ?? { since: now, refused: 0, refusedBytes: 0, alertedAt: 0 }
        cur.refused++
        cur.refusedBytes += bytes
        over.set(agent.id, cur)
        if (now.getTime() - cur.alertedAt >= ALERT_UPDATE_MS) {
          cur.alertedAt = now.getTime()
          fastify.log.warn({ agentId: agent.id, hostId: agent.hostId, refused: cur.refused, exceeded: v.exceeded }, 'agent over its budget: reports refused')
          alert(agent.hostId, reasonOf(cur), now)
        }
      } else if (o && budget.left(agent.id, now.getTime()) >= 0.5) {
        over.delete(agent.id)
        alert(agent.hostId, null, now)
      }
      return v
    },
  }
}

export default fp(
  async (fastify, opts: { limits?: BudgetLimits }) => {
    fastify.decorate('agentBudget', createAgentBudget(fastify, opts.limits))
  },
  { name: 'agent-budget', dependencies: ['alerts'] },
)
