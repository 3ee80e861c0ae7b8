// Agent endpoints over HTTP: enrollment and the report fallback.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { EnrollRefusedSchema, EnrollRequestSchema, EnrollResponseSchema, ReportAckSchema, ReportSchema } from '@lagebild/shared'
import Type from 'typebox'
import { eq } from 'drizzle-orm'
import { ErrorSchema } from '../../../schemas/common.js'
import { enroll } from '../../../services/enrollment.js'
import { MachineEnrolledError } from '../../../services/enroll-requests.js'
import { serverAddress } from '../../../services/install.js'
import { hosts } from '../../../db/schema.js'
import { DomainError } from '../../../errors.js'
import { createFailureLimiter } from '../../../services/failure-limiter.js'
import { BACKLOG_HIGH } from '../../../plugins/ingest.js'
import { overBudgetMessage } from '../../../plugins/agent-budget.js'

/**
 * Enrollment: tokens are 192-bit random, so guessing is hopeless; the limit stops anyone from trying anyway, and only
 * counts failures per address — a rollout of 1,000 PCs behind one NAT address enrolls at full speed.
 */
export const ENROLL_FAILURES_MAX = 20
export const ENROLL_FAILURE_WINDOW_MS = 15 * 60_000

/** What `lagebild-agent doctor` and the updater ask the server about themselves. */
export const AgentSelfSchema = Type.Object({
  agentId: Type.String(),
  hostId: Type.String(),
  hostname: Type.String(),
  agentVersion: Type.String({ description: 'The agent version of the last report' }),
  lastReportAt: Type.Union([Type.String(), Type.Null()], { description: 'When the server last stored a report of this host' }),
  serverTime: Type.String({ description: 'The server clock, to measure clock skew' }),
  offeredVersion: Type.Union([Type.String(), Type.Null()], { description: 'Agent version this server ships (GET /api/v1/agent-packages); null: none built' }),
})

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const failures = createFailureLimiter({ max: ENROLL_FAILURES_MAX, windowMs: ENROLL_FAILURE_WINDOW_MS })
  /** The host page on the board, at the address this PC reached the server by (or LAGEBILD_PUBLIC_URL). */
  const hostPage = (req: FastifyRequest, hostId: string) => {
    let base = ''
    try {
      base = serverAddress(fastify.agentPackages.config, req).url
    } catch {
      // A Host header that is no host name: the path alone still tells the admin where to look.
    }
    return `${base}/hosts/${encodeURIComponent(hostId)}`
  }
  fastify.post(
    '/enroll',
    {
      onRequest: async (req, reply) => {
        const wait = failures.blockedFor(req.ip)
        if (wait)
          return reply.code(429).header('retry-after', String(wait)).send({ error: 'too-many-failures', message: `too many failed enrollments from this address; try again in ${wait} s` })
      },
      schema: {
        tags: ['agent'],
        summary: 'Exchange an enrollment token for agent credentials',
        description:
          'A PC that is enrolled already (same machine id, active agent) is refused with 409 machine-enrolled unless the token may replace. ' +
          'With an approvalKey the refusal records a request that an admin allows or refuses on the host page (`approval` in the answer); ' +
          'the agent sends the same body again every few seconds and gets its credentials once an admin allowed it.',
        body: EnrollRequestSchema,
        response: { 200: EnrollResponseSchema, 400: ErrorSchema, 401: ErrorSchema, 409: EnrollRefusedSchema, 429: ErrorSchema },
      },
    },
    async (req, reply) => {
      try {
        const { replaced, approved, ...creds } = enroll(fastify.db, req.body.token, req.body.host, new Date(), req.ip, req.body.approvalKey)
        // Replaced: the displaced agent hears why, now, instead of a bare refusal at its next report.
        if (replaced.length) fastify.agentChannel.refuseAgents(replaced, 'agent-replaced')
        if (approved) fastify.events.emit({ type: 'enroll-request', hostId: creds.hostId })
        if (replaced.length) fastify.events.emit({ type: 'host-updated', hostId: creds.hostId })
        return creds
      } catch (err) {
        if (err instanceof DomainError && err.statusCode === 401) failures.fail(req.ip)
        if (!(err instanceof MachineEnrolledError)) throw err
        if (err.created) fastify.events.emit({ type: 'enroll-request', hostId: err.approval!.hostId })
        const approval = err.approval && { ...err.approval, url: hostPage(req, err.approval.hostId) }
        return reply.code(409).send({ error: err.code, message: approval ? `${err.message}: ${approval.url}` : err.message, ...(approval ? { approval } : {}) })
      }
    },
  )

  fastify.get(
    '/agents/me',
    {
      onRequest: fastify.auth.requireAgent,
      schema: {
        tags: ['agent'],
        summary: 'This agent as the server sees it: host, last report, server time, offered agent version',
        security: [{ agent: [] }],
        response: { 200: AgentSelfSchema, 401: ErrorSchema },
      },
    },
    async (req) => {
      const a = req.agentIdentity!
      const h = fastify.db.select().from(hosts).where(eq(hosts.id, a.hostId)).get()!
      return {
        agentId: a.id, hostId: h.id, hostname: h.hostname, agentVersion: h.agentVersion, lastReportAt: h.lastReportAt,
        serverTime: new Date().toISOString(), offeredVersion: fastify.agentPackages.manifest()?.version ?? null,
      }
    },
  )

  fastify.post(
    '/reports',
    {
      // As on the WebSocket: a request line per report is no news at fleet scale; errors are still logged.
      logLevel: 'warn',
      // Admission control for agents (never for people): with a long ingest backlog the body is not even read; the agent
      // keeps the report in its spool and sends it after Retry-After.
      onRequest: [
        fastify.auth.requireAgent,
        async (req, reply) => {
          if (fastify.ingest.backlog() > BACKLOG_HIGH)
            return reply.code(503).header('retry-after', String(fastify.ingest.holdSeconds())).send({ error: 'busy', message: 'server busy; send again later' })
          // The agent's budget, by the size it announces (the body limit holds it to that): over it, nothing is read.
          const budget = fastify.agentBudget.admit(req.agentIdentity!, Number(req.headers['content-length'] ?? 0) || 0)
          if (!budget.ok)
            return reply
              .code(503)
              .header('retry-after', String(budget.retryAfterS))
              .send({ error: 'over-budget', message: overBudgetMessage(budget) })
        },
      ],
      schema: {
        tags: ['agent'],
        summary: 'Send a report (HTTP fallback of the WebSocket channel); answers after commit',
        security: [{ agent: [] }],
        body: ReportSchema,
        response: { 200: ReportAckSchema, 400: ErrorSchema, 401: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (req) => {
      const r = await fastify.ingest.submit(req.agentIdentity!, req.body)
      return { reportId: req.body.id, duplicate: r.duplicate }
    },
  )
}
export default routes
