// People: log in, log out, who am I.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ErrorSchema } from '../../../schemas/common.js'
import { LoginBodySchema, MeSchema } from '../../../schemas/people.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/auth/login',
    {
      // Per address: 10 a minute. Per account and per known browser, and the password hashes at once: plugins/login-guard.ts.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['people'],
        summary: 'Log in; sets the session cookie',
        body: LoginBodySchema,
        response: { 200: MeSchema, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (req, reply) => fastify.loginGuard.attempt(req, reply, req.body.username, () => fastify.auth.login(req, reply, req.body.username, req.body.password)),
  )

  fastify.post(
    '/auth/logout',
    { onRequest: fastify.auth.requirePerson(), schema: { tags: ['people'], summary: 'Log out', response: { 204: Type.Null() } } },
    async (req, reply) => {
      fastify.auth.logout(req, reply)
      return reply.code(204).send(null)
    },
  )

  fastify.get(
    '/auth/me',
    { onRequest: fastify.auth.requirePerson(), schema: { tags: ['people'], summary: 'The logged-in person', response: { 200: MeSchema, 401: ErrorSchema } } },
    async (req) => ({ user: { id: req.person!.id, username: req.person!.username, role: req.person!.role }, csrfToken: req.person!.csrfToken ?? '' }),
  )
}
export default routes
