// Agent endpoints over HTTP: enrollment and the report fallback.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EnrollRequestSchema, EnrollResponseSchema, ReportAckSchema, ReportSchema } from '@lagebild/shared'
import { ErrorSchema } from '../../../schemas.js'
import { enroll } from '../../../services/enrollment.js'
import { BACKLOG_HIGH } from '../../../plugins/ingest.js'
import { SLOW_DOWN_SECONDS } from '../../../plugins/agent-channel.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/enroll',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['agent'],
        summary: 'Exchange an enrollment token for agent credentials',
        body: EnrollRequestSchema,
        response: { 200: EnrollResponseSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (req) => enroll(fastify.db, req.body.token, req.body.host),
  )

  fastify.post(
    '/reports',
    {
      // Admission control for agents (never for people): with a long ingest backlog the body is not even read; the agent
      // keeps the report in its spool and sends it after Retry-After.
      onRequest: [
        fastify.auth.requireAgent,
        async (_req, reply) => {
          if (fastify.ingest.backlog() > BACKLOG_HIGH)
            return reply.code(503).header('retry-after', String(SLOW_DOWN_SECONDS)).send({ error: 'busy', message: 'server busy; send again later' })
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
