import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { FindingStatusSchema } from '@lagebild/shared'
import { ErrorSchema, HostDetailSchema, HostSummarySchema, PageLimitSchema, PageOffsetSchema, TagSchema } from '../../../schemas.js'
import { HOST_SORTS, hostDetail, listHosts } from '../../../services/board.js'
import { notFound } from '../../../errors.js'

// Sort and filter values are checked against allow-lists by the schema itself.
const HostQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Search in host name and OS' })),
    status: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('deviation'), Type.Literal('unknown')])),
    measure: Type.Optional(Type.String({ pattern: '^[a-z]+\\.[a-z-]+$', maxLength: 50, description: 'Only hosts with this measure in measureStatus' })),
    measureStatus: Type.Optional(FindingStatusSchema),
    tag: Type.Optional(TagSchema),
    os: Type.Optional(Type.Union([Type.Literal('windows'), Type.Literal('macos'), Type.Literal('linux')])),
    sort: Type.Optional(Type.Union(HOST_SORTS.map((s) => Type.Literal(s)))),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    limit: Type.Optional(PageLimitSchema(50)),
    offset: Type.Optional(PageOffsetSchema),
  },
  { additionalProperties: false },
)

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/hosts',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['hosts'],
        summary: 'Hosts with their status per measure (search, filter, sort, page)',
        security: [{ session: [] }, { apiKey: [] }],
        querystring: HostQuerySchema,
        response: { 200: Type.Object({ total: Type.Integer(), hosts: Type.Array(HostSummarySchema) }), 400: ErrorSchema, 401: ErrorSchema },
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
        security: [{ session: [] }, { apiKey: [] }],
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
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
