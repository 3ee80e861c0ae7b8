// The measure catalogue and enrollment tokens for the board.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { DEFAULT_THRESHOLDS, MEASURES, MeasureSchema, ThresholdsSchema } from '@lagebild/shared'
import { ErrorSchema, TagSchema } from '../../../schemas.js'
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
        response: { 200: Type.Object({ measures: Type.Array(MeasureSchema), defaultThresholds: ThresholdsSchema }) },
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
        body: Type.Object(
          {
            expires: Type.Optional(Type.String({ pattern: '^\\d{1,6}\\s?[mhdw]$', maxLength: 8, description: 'Lifetime, e.g. 7d; default 7d; at most 1 year' })),
            uses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'How many agents may use it; default unlimited' })),
            tags: Type.Optional(Type.Array(TagSchema, { maxItems: 20, description: 'Tags for the hosts enrolled with it' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.String(), token: Type.String(), expiresAt: Type.Union([Type.String(), Type.Null()]), maxUses: Type.Union([Type.Integer(), Type.Null()]) }),
          400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema,
        },
      },
    },
    async (req) => {
      req.audited = true
      return createEnrollToken(fastify.db, { expiresInMs: parseDuration(req.body.expires ?? '7d'), maxUses: req.body.uses ?? null, tags: req.body.tags ?? [] }, requestActor(req))
    },
  )
}
export default routes
