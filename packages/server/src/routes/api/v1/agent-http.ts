// Agent endpoints over HTTP: enrollment and the report fallback.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EnrollRequestSchema, EnrollResponseSchema, ReportAckSchema, ReportSchema } from '@lagebild/shared'
import { ErrorSchema } from '../../../schemas/common.js'
import { enroll } from '../../../services/enrollment.js'

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
