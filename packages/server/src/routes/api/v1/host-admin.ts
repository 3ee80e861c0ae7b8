// Changing a host (tags, crown jewel, maintenance), sending commands to its agent, and its end: revoke the agent, retire, purge.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { hosts } from '../../../db/schema.js'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security } from '../../../schemas/common.js'
import { AgentListSchema, CommandBodySchema, CommandOutSchema, HostAdminOutSchema, HostUpdateSchema, LifecycleOutSchema, RetireSchema } from '../../../schemas/hosts.js'
import { thresholdsFor } from '../../../services/thresholds.js'
import { invalid, notFound } from '../../../errors.js'
import { listAgents, retireHost, revokeAgents, type LifecycleResult } from '../../../services/lifecycle.js'
import { requestActor } from '../../../services/audit.js'

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
        await fastify.ingest.rejudge([before.id])
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

  /** After COMMIT: the refused agents' live connections close now; the board and open alert views refetch. */
  const done = (r: LifecycleResult, refusal: 'agent-revoked' | 'host-retired') => {
    fastify.agentChannel.refuseAgents(r.revokedAgents, refusal)
    fastify.events.emit({ type: 'host-updated', hostId: r.hostId })
    for (const alertId of r.closedAlerts) fastify.events.emit({ type: 'alert-changed', alertId, hostId: r.hostId })
    return r
  }
  const lifecycleErrors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema }

  fastify.get(
    '/hosts/:id/agents',
    {
      onRequest: admin,
      schema: { tags: ['hosts'], summary: 'The agents enrolled for a host, newest first, with revocation and reason', security, params: IdParamsSchema, response: { 200: AgentListSchema, ...lifecycleErrors } },
    },
    async (req) => {
      load(req.params.id)
      return { agents: listAgents(db, req.params.id) }
    },
  )

  fastify.post(
    '/hosts/:id/revoke-agent',
    {
      onRequest: admin,
      schema: {
        tags: ['hosts'], summary: 'Revoke the host\'s agent: refused at once (also on its open WebSocket); a new agent may enroll for the host', security,
        params: IdParamsSchema, response: { 200: LifecycleOutSchema, ...lifecycleErrors },
      },
    },
    async (req) => {
      req.audited = true
      return done(revokeAgents(db, req.params.id, requestActor(req)), 'agent-revoked')
    },
  )

  fastify.post(
    '/hosts/:id/retire',
    {
      onRequest: admin,
      schema: {
        tags: ['hosts'], summary: 'Retire a host: its agent is refused at once, its alerts closed; history kept (purge: false) or deleted (purge: true)', security,
        params: IdParamsSchema, body: RetireSchema, response: { 200: LifecycleOutSchema, ...lifecycleErrors },
      },
    },
    async (req) => {
      req.audited = true
      return done(retireHost(db, req.params.id, { purge: req.body.purge }, requestActor(req)), 'host-retired')
    },
  )
}
export default routes
