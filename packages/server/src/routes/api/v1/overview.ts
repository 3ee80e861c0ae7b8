// The board's overview: a traffic light per measure of the BSI guide, readiness, open alerts, silent hosts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { OverviewSchema } from '../../../schemas/board.js'
import { overview } from '../../../services/overview.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/overview',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['board'],
        summary: 'Traffic light per measure grouped by phase, readiness score, open alerts by severity, silent hosts',
        security,
        response: { 200: OverviewSchema, 401: ErrorSchema },
      },
    },
    async () => overview(fastify.db),
  )
}
export default routes
