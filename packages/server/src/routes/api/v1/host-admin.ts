// Changing a host (tags, crown jewel, maintenance) and sending commands to its agent.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { hosts } from '../../../db/schema.js'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { CommandBodySchema, CommandOutSchema, HostAdminOutSchema, HostUpdateSchema } from '../../../schemas/hosts.js'
import { thresholdsFor } from '../../../services/thresholds.js'
import { invalid, notFound } from '../../../errors.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const db = fastify.db
  const admin = fastify.auth.requirePerson('admin')
  const load = (id: string) => {
    const h = db.select().from(hosts).where(eq(hosts.id, id)).get()
    if (!h) throw notFound('no such host')
    return h
  }

  fastify.put(
    '/hosts/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['hosts'], summary: 'Change tags, crown-jewel flag or maintenance window of a host', security,
        params: IdParamsSchema, body: HostUpdateSchema,
        response: { 200: HostAdminOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      const before = load(req.params.id)
      const { tags, crownJewel, maintenanceUntil } = req.body
      const change = {
        ...(tags !== undefined ? { tags: [...new Set(tags)] } : {}),
        ...(crownJewel !== undefined ? { crownJewel } : {}),
        ...(maintenanceUntil !== undefined ? { maintenanceUntil: maintenanceUntil === null ? null : new Date(maintenanceUntil).toISOString() } : {}),
      }
      // {} changes nothing (drizzle refuses an empty SET): the answer is the host as it is, with its connection state.
      if (Object.keys(change).length) db.update(hosts).set(change).where(eq(hosts.id, before.id)).run()
      // Tags choose thresholds; the crown-jewel flag raises alert severity: judge again, then fix open alerts.
      if (tags !== undefined || crownJewel !== undefined) {
        fastify.ingest.rejudge([before.id])
        fastify.alerts.recomputeSeverities(before.id)
      }
      if (Object.keys(change).length) fastify.events.emit({ type: 'host-updated', hostId: before.id })
      const h = load(before.id)
      return {
        id: h.id, hostname: h.hostname, tags: h.tags, crownJewel: h.crownJewel, maintenanceUntil: h.maintenanceUntil,
        thresholds: thresholdsFor(db, h), connected: fastify.agentChannel.isConnected(h.id),
      }
    },
  )

  fastify.post(
    '/hosts/:id/commands',
    {
      onRequest: admin,
      schema: {
        tags: ['hosts'], summary: 'Send a command to the connected agent: collect now, or change its interval', security,
        params: IdParamsSchema, body: CommandBodySchema,
        response: { 200: CommandOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      load(req.params.id)
      if (req.body.command === 'set-interval' && req.body.intervalMinutes === undefined) throw invalid('set-interval needs intervalMinutes')
      return fastify.agentChannel.command(req.params.id, req.body.command, req.body.intervalMinutes)
    },
  )
}
export default routes
