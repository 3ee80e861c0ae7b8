// The audit log for admins: every admin action, newest first, and a check that nothing in it was altered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { AuditCheckSchema, AuditListSchema, AuditQuerySchema } from '../../../schemas/audit.js'
import { listAudit, verifyAudit } from '../../../services/audit.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const admin = fastify.auth.requirePerson('admin')

  fastify.get(
    '/audit',
    {
      onRequest: admin,
      schema: {
        tags: ['audit'], summary: 'The audit log, newest first (admins only)', security,
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
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
          200: AuditCheckSchema,
          401: ErrorSchema, 403: ErrorSchema,
        },
      },
    },
    async () => verifyAudit(fastify.db),
  )
}
export default routes
