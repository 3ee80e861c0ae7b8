// Agent endpoints over HTTP: enrollment and the report fallback.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EnrollRequestSchema, EnrollResponseSchema, ReportAckSchema, ReportSchema } from '@lagebild/shared'
import Type from 'typebox'
import { eq } from 'drizzle-orm'
import { ErrorSchema } from '../../../schemas/common.js'
import { enroll } from '../../../services/enrollment.js'
import { hosts } from '../../../db/schema.js'

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
  fastify.post(
    '/enroll',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['agent'],
        summary: 'Exchange an enrollment token for agent credentials',
        body: EnrollRequestSchema,
        response: { 200: EnrollResponseSchema, 400: ErrorSchema, 401: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (req) => {
      const { replaced, ...creds } = enroll(fastify.db, req.body.token, req.body.host, new Date(), req.ip)
      // A token that may replace did: the displaced agent hears why, now, instead of a bare refusal at its next report.
      if (replaced.length) fastify.agentChannel.refuseAgents(replaced, 'agent-replaced')
      return creds
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
      onRequest: fastify.auth.requireAgent,
      schema: {
        tags: ['agent'],
        summary: 'Send a report (HTTP fallback of the WebSocket channel); answers after commit',
        security: [{ agent: [] }],
        body: ReportSchema,
        response: { 200: ReportAckSchema, 400: ErrorSchema, 401: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema },
      },
    },
    async (req) => {
      const r = fastify.ingest.store(req.agentIdentity!, req.body)
      return { reportId: req.body.id, duplicate: r.duplicate }
    },
  )
}
export default routes
