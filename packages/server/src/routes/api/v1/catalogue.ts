// The measure catalogue for the board.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DEFAULT_THRESHOLDS, MEASURES } from '@lagebild/shared'
import { ErrorSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { CatalogueSchema } from '../../../schemas/board.js'

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
}
export default routes
