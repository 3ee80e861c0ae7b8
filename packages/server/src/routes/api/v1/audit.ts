// The audit log for admins: every admin action, newest first, and a check that nothing in it was altered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AUDIT_VIA } from '../../../db/schema.js'
import { ErrorSchema, SearchTextSchema } from '../../../schemas/common.js'
import { listAudit, verifyAudit } from '../../../services/audit.js'

const security: { [k: string]: string[] }[] = [{ session: [] }, { apiKey: [] }]

const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'When (UTC)' }),
  actor: Type.String({ description: 'User name, api-key:NAME, the OS user of a CLI command, or system' }),
  via: Type.Enum(AUDIT_VIA, { description: 'session, api-key, cli or system' }),
  ip: Type.Union([Type.String(), Type.Null()], { description: 'Client address of the request' }),
  action: Type.String({ description: 'What was done, e.g. host.update' }),
  target: Type.Union([Type.String(), Type.Null()], { description: 'What it was done to, kind:id' }),
  before: Type.Unknown({ description: 'State before (secrets left out)' }),
  after: Type.Unknown({ description: 'State after (secrets left out)' }),
  hash: Type.String({ description: 'SHA-256 over the previous entry\'s hash and this entry' }),
})

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const admin = fastify.auth.requirePerson('admin')

  fastify.get(
    '/audit',
    {
      onRequest: admin,
      schema: {
        tags: ['audit'], summary: 'The audit log, newest first (admins only)', security,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'How many (default 100)' })),
            before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only entries older than this id (next page)' })),
            action: Type.Optional(SearchTextSchema(100, { minLength: 1, description: 'Action or its beginning, e.g. token. or post /api/v1/alerts' })),
            target: Type.Optional(SearchTextSchema(200, { description: 'Exactly this target, e.g. host:ID' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(AuditEntrySchema) }), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => ({ entries: listAudit(fastify.db, { ...req.query, limit: req.query.limit ?? 100 }) }),
  )

  fastify.get(
    '/audit/verify',
    {
      onRequest: admin,
      schema: {
        tags: ['audit'], summary: 'Check the hash chain: was any entry changed, removed or reordered?', security,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer({ description: 'Entries checked' }),
            brokenAt: Type.Optional(Type.Integer({ description: 'First entry that does not fit' })),
            reason: Type.Optional(Type.String()),
          }),
          401: ErrorSchema, 403: ErrorSchema,
        },
      },
    },
    async () => verifyAudit(fastify.db),
  )
}
export default routes
