// The measure catalogue for the board.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { DEFAULT_THRESHOLDS, MEASURES, MeasureSchema, ThresholdsSchema } from '@lagebild/shared'

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
}
export default routes
