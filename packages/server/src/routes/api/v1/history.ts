// A host's history of status changes (table finding_history), for the chart on the host page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { hosts } from '../../../db/schema.js'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { HostHistoryQuerySchema, HostHistorySchema } from '../../../schemas/hosts.js'
import { hostHistory } from '../../../services/overview.js'
import { notFound } from '../../../errors.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/hosts/:id/history',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['hosts'],
        summary: 'Status of each measure of a host over the last days: the state at the start, then every change',
        security,
        params: IdParamsSchema,
        querystring: HostHistoryQuerySchema,
        response: { 200: HostHistorySchema, 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      if (!fastify.db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, req.params.id)).get()) throw notFound('no such host')
      return hostHistory(fastify.db, req.params.id, req.query.days ?? 30)
    },
  )
}
export default routes
