// The host list and one host with its facts and findings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { HostDetailSchema, HostListSchema, HostQuerySchema } from '../../../schemas/hosts.js'
import { hostDetail, listHosts } from '../../../services/board.js'
import { notFound } from '../../../errors.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/hosts',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['hosts'],
        summary: 'Hosts with their status per measure (search, filter, sort, page)',
        security,
        querystring: HostQuerySchema,
        response: { 200: HostListSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (req) => listHosts(fastify.db, req.query, new Date(), fastify.agentPackages.manifest()?.version ?? null),
  )

  fastify.get(
    '/hosts/:id',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['hosts'],
        summary: 'One host: identity, every fact, every finding with reason and fix',
        security,
        params: IdParamsSchema,
        response: { 200: HostDetailSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      const d = hostDetail(fastify.db, req.params.id, new Date(), fastify.agentPackages.manifest()?.version ?? null)
      if (!d) throw notFound('no such host')
      return d
    },
  )
}
export default routes
