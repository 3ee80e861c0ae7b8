// Alerts for the board: list, one with its history, acknowledge, snooze, end a snooze early.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { AcknowledgeBodySchema, AlertDetailSchema, AlertListSchema, AlertQuerySchema, SnoozeBodySchema } from '../../../schemas/alerts.js'
import { invalid, notFound } from '../../../errors.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const detailOr404 = (id: string) => {
    const d = fastify.alerts.detail(id)
    if (!d) throw notFound('no such alert')
    return d
  }

  fastify.get(
    '/alerts',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['alerts'], summary: 'Alerts (filter by state, host, measure; paged); open first, then by severity', security,
        querystring: AlertQuerySchema,
        response: { 200: AlertListSchema, 400: ErrorSchema, 401: ErrorSchema },
      },
    },
    async (req) => fastify.alerts.list(req.query),
  )

  fastify.get(
    '/alerts/:id',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: {
        tags: ['alerts'], summary: 'One alert with its history and its notifications', security,
        params: IdParamsSchema,
        response: { 200: AlertDetailSchema, 401: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => detailOr404(req.params.id),
  )

  fastify.post(
    '/alerts/:id/acknowledge',
    {
      onRequest: fastify.auth.requirePerson('admin'),
      // The body is optional: a POST without one is the same as {}.
      preValidation: async (req) => {
        req.body ??= {}
      },
      schema: {
        tags: ['alerts'], summary: 'Acknowledge: someone takes care; no more reminders or escalation', security,
        params: IdParamsSchema,
        body: AcknowledgeBodySchema,
        response: { 200: AlertDetailSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (req) => {
      fastify.alerts.acknowledge(req.params.id, req.person!.username, req.body?.note)
      return detailOr404(req.params.id)
    },
  )

  fastify.post(
    '/alerts/:id/snooze',
    {
      onRequest: fastify.auth.requirePerson('admin'),
      schema: {
        tags: ['alerts'], summary: 'Snooze: no reminders or escalation until then (a reminder follows when it ends)', security,
        params: IdParamsSchema,
        body: SnoozeBodySchema,
        response: { 200: AlertDetailSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (req) => {
      const { until, minutes } = req.body
      if ((until === undefined) === (minutes === undefined)) throw invalid('give either until or minutes')
      const to = until !== undefined ? new Date(until) : new Date(Date.now() + minutes! * 60_000)
      fastify.alerts.snooze(req.params.id, to, req.person!.username)
      return detailOr404(req.params.id)
    },
  )

  fastify.post(
    '/alerts/:id/unsnooze',
    {
      onRequest: fastify.auth.requirePerson('admin'),
      schema: {
        tags: ['alerts'], summary: 'End a snooze early: reminders and escalation follow their normal schedule again (a reminder due meanwhile goes out at the next check)', security,
        // No body: nothing to say (an empty JSON object is accepted too).
        params: IdParamsSchema,
        response: { 200: AlertDetailSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (req) => {
      fastify.alerts.unsnooze(req.params.id, req.person!.username)
      return detailOr404(req.params.id)
    },
  )
}
export default routes
