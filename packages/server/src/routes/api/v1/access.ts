// Who holds access: enrollment tokens, API keys and people — list, create, revoke; passwords. Admins only.
// Each service writes its own audit entry (before → after) in the transaction of the change.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ErrorSchema, IdParamsSchema as IdParams, PERSON_SECURITY as security } from '../../../schemas/common.js'
import {
  EnrollRequestListSchema, EnrollRequestOutSchema, EnrollRequestQuerySchema, EnrollTokenBodySchema, EnrollTokenListSchema, EnrollTokenOutSchema,
} from '../../../schemas/enrollment.js'
import {
  ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeyListSchema, PasswordOutSchema, PasswordSetSchema, RevokedSchema, UserCreatedSchema, UserCreateSchema,
  UserListSchema, UserRevokedSchema,
} from '../../../schemas/people.js'
import { createEnrollToken, listEnrollTokens, parseDuration, revokeEnrollToken } from '../../../services/enrollment.js'
import { createApiKey, createUser, findUser, generatedPassword, listApiKeys, listUsers, revokeApiKey, revokeUser, setPassword } from '../../../services/people.js'
import { requestActor } from '../../../services/audit.js'
import { decideEnrollRequest, listEnrollRequests } from '../../../services/enroll-requests.js'

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema }

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const db = fastify.db
  const admin = fastify.auth.requirePerson('admin')
  /** The acting person; the service records the detailed audit entry itself. */
  const actor = (req: FastifyRequest) => {
    req.audited = true
    return { ...requestActor(req), userId: req.person?.via === 'session' ? req.person.id : undefined }
  }

  // ── enrollment tokens ──
  fastify.get(
    '/enroll-tokens',
    { onRequest: admin, schema: { tags: ['access'], summary: 'Enrollment tokens, newest first (never the token itself)', security, response: { 200: EnrollTokenListSchema, ...errors } } },
    async () => ({ tokens: listEnrollTokens(db) }),
  )
  fastify.post(
    '/enroll-tokens',
    {
      onRequest: admin,
      schema: { tags: ['access'], summary: 'Create an enrollment token (shown once); default 1 use, 7 days', security, body: EnrollTokenBodySchema, response: { 200: EnrollTokenOutSchema, ...errors } },
    },
    async (req) => {
      const b = req.body
      return createEnrollToken(db, { expiresInMs: b.expires ? parseDuration(b.expires) : null, maxUses: b.uses, tags: b.tags ?? [], mayReplace: b.mayReplace }, actor(req))
    },
  )
  fastify.post(
    '/enroll-tokens/:id/revoke',
    { onRequest: admin, schema: { tags: ['access'], summary: 'Revoke an enrollment token: no further PC can enroll with it', security, params: IdParams, response: { 200: RevokedSchema, ...errors } } },
    async (req) => revokeEnrollToken(db, req.params.id, actor(req)),
  )

  // ── requests of PCs that are enrolled already: everyone sees them, admins decide ──
  fastify.get(
    '/enroll-requests',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['access'], summary: 'PCs that are enrolled already and ask to enroll again (pending or allowed, not expired), newest first', security,
        // Viewers read the requests too: no 403 here (the attack walk treats a read that declares 403 as admin-only).
        querystring: EnrollRequestQuerySchema, response: { 200: EnrollRequestListSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (req) => ({ requests: listEnrollRequests(db, req.query.hostId) }),
  )
  for (const [verb, decision, summary] of [
    ['approve', 'approved', 'Allow: that PC (token, machine id and its request key) may enroll once within 30 minutes, replacing the current agent'],
    ['refuse', 'refused', 'Refuse: the waiting PC is told so and stops waiting'],
  ] as const)
    fastify.post(
      `/enroll-requests/:id/${verb}`,
      { onRequest: admin, schema: { tags: ['access'], summary, security, params: IdParams, response: { 200: EnrollRequestOutSchema, ...errors } } },
      async (req) => {
        const r = decideEnrollRequest(db, req.params.id, decision, actor(req))
        fastify.events.emit({ type: 'enroll-request', hostId: r.hostId })
        return r
      },
    )

  // ── API keys ──
  fastify.get(
    '/api-keys',
    { onRequest: admin, schema: { tags: ['access'], summary: 'API keys, newest first (never the key itself)', security, response: { 200: ApiKeyListSchema, ...errors } } },
    async () => ({ apiKeys: listApiKeys(db) }),
  )
  fastify.post(
    '/api-keys',
    { onRequest: admin, schema: { tags: ['access'], summary: 'Create an admin API key (shown once)', security, body: ApiKeyCreateSchema, response: { 200: ApiKeyCreatedSchema, ...errors } } },
    async (req) => createApiKey(db, req.body.name, actor(req)),
  )
  fastify.post(
    '/api-keys/:id/revoke',
    { onRequest: admin, schema: { tags: ['access'], summary: 'Revoke an API key: refused from the next request on', security, params: IdParams, response: { 200: RevokedSchema, ...errors } } },
    async (req) => revokeApiKey(db, req.params.id, actor(req)),
  )

  // ── people ──
  fastify.get(
    '/users',
    { onRequest: admin, schema: { tags: ['access'], summary: 'People who may log in, with role and last login', security, response: { 200: UserListSchema, ...errors } } },
    async () => ({ users: listUsers(db) }),
  )
  fastify.post(
    '/users',
    {
      onRequest: admin,
      // scrypt per request: bounded like the login.
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['access'], summary: 'Create a person; without a password one is generated and answered once', security, body: UserCreateSchema,
        response: { 200: UserCreatedSchema, ...errors },
      },
    },
    async (req) => {
      const password = req.body.password ?? generatedPassword()
      const u = await createUser(db, req.body.username, password, req.body.role, actor(req))
      const row = listUsers(db).find((x) => x.id === u.id)!
      return { ...row, ...(req.body.password ? {} : { password }) }
    },
  )
  fastify.post(
    '/users/:id/password',
    {
      onRequest: admin,
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['access'], summary: 'Set a new password (generated and answered once when none is given); ends all sessions of that person', security,
        params: IdParams, body: PasswordSetSchema, response: { 200: PasswordOutSchema, ...errors },
      },
    },
    async (req) => {
      const u = findUser(db, { id: req.params.id })
      const password = req.body.password ?? generatedPassword()
      await setPassword(db, u.username, password, actor(req))
      return req.body.password ? {} : { password }
    },
  )
  fastify.post(
    '/users/:id/revoke',
    {
      onRequest: admin,
      schema: {
        tags: ['access'], summary: 'Revoke a person: no login, sessions ended (not yourself, not the last admin)', security, params: IdParams,
        response: { 200: UserRevokedSchema, ...errors },
      },
    },
    async (req) => revokeUser(db, req.params.id, actor(req)),
  )
}
export default routes
