// Alert channels: list, create, change, delete, send a test.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { ChannelCreateSchema, ChannelListSchema, ChannelOutSchema, ChannelTypesSchema, ChannelUpdateSchema, TestResultSchema } from '../../../schemas/channels.js'
import { channelOut, channelTypes, createChannel, deleteChannel, getChannel, listChannels, sendTest, updateChannel } from '../../../services/channels.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const db = fastify.db
  const admin = fastify.auth.requirePerson('admin')
  // ready.status needs an enabled channel: a channel added, changed or removed is judged at once, not at the next tick.
  fastify.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && reply.statusCode < 300 && !req.url.endsWith('/test')) fastify.readiness.rejudge()
  })

  fastify.get(
    '/channels',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: { tags: ['channels'], summary: 'Alert channels with their delivery state (secrets masked)', security, response: { 200: ChannelListSchema, 401: ErrorSchema } },
    },
    async () => ({ channels: listChannels(db) }),
  )

  fastify.get(
    '/channel-types',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['channels'], summary: 'The kinds of channel this server can send to, each with the JSON Schema of its config (the board builds its form from it)', security,
        response: { 200: ChannelTypesSchema, 401: ErrorSchema },
      },
    },
    async () => ({ types: channelTypes() }),
  )

  fastify.get(
    '/channels/:id',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: { tags: ['channels'], summary: 'One channel', security, params: IdParamsSchema, response: { 200: ChannelOutSchema, 401: ErrorSchema, 404: ErrorSchema } },
    },
    async (req) => channelOut(db, getChannel(db, req.params.id)),
  )

  fastify.post(
    '/channels',
    {
      onRequest: admin,
      schema: {
        tags: ['channels'], summary: 'Create a channel (the types: GET /channel-types)', security,
        body: ChannelCreateSchema,
        response: { 201: ChannelOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req, reply) => reply.code(201).send(createChannel(db, req.body)),
  )

  fastify.put(
    '/channels/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['channels'], summary: 'Change a channel (the type stays)', security,
        params: IdParamsSchema, body: ChannelUpdateSchema,
        response: { 200: ChannelOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => updateChannel(db, req.params.id, req.body),
  )

  fastify.delete(
    '/channels/:id',
    {
      onRequest: admin,
      schema: { tags: ['channels'], summary: 'Delete a channel and what still waits for it', security, params: IdParamsSchema, response: { 204: Type.Null(), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } },
    },
    async (req, reply) => {
      deleteChannel(db, req.params.id)
      return reply.code(204).send(null)
    },
  )

  fastify.post(
    '/channels/:id/test',
    {
      onRequest: admin,
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['channels'], summary: 'Send a test message now and report whether it went out', security,
        params: IdParamsSchema,
        response: { 200: TestResultSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req) => sendTest(db, req.params.id, fastify.alerts.publicUrl),
  )
}
export default routes
