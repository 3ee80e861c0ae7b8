// The measure catalogue and enrollment tokens for the board.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DEFAULT_THRESHOLDS, MEASURES } from '@lagebild/shared'
import { ErrorSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { CatalogueSchema } from '../../../schemas/board.js'
import { EnrollTokenBodySchema, EnrollTokenOutSchema } from '../../../schemas/enrollment.js'
import { createEnrollToken, parseDuration } from '../../../services/enrollment.js'
import { requestActor } from '../../../services/audit.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/measures',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['catalogue'],
        summary: 'Every measure of the BSI guide with phase, titles and default thresholds',
        security,
        response: { 200: CatalogueSchema, 401: ErrorSchema },
      },
    },
    async () => ({ measures: [...MEASURES], defaultThresholds: DEFAULT_THRESHOLDS }),
  )

  fastify.post(
    '/enroll-tokens',
    {
      onRequest: fastify.auth.requirePerson('admin'),
      schema: {
        tags: ['agent'],
        summary: 'Create an enrollment token (shown once)',
        security,
        body: EnrollTokenBodySchema,
        response: { 200: EnrollTokenOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => {
      req.audited = true
      return createEnrollToken(fastify.db, { expiresInMs: parseDuration(req.body.expires ?? '7d'), maxUses: req.body.uses ?? null, tags: req.body.tags ?? [] }, requestActor(req))
    },
  )
}
export default routes
