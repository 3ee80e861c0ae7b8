// The parts of incidents that are reached without a person's account:
// - agents (their own credentials): a user report from `lagebild-agent report`, evidence uploads and the end of a request;
// - the web form behind the emergency card's QR code (no account, docs/incidents.md "The report form"): rate-limited
//   per address and in total, at most 16 KiB, JSON only from this origin, and it can read nothing — the answer is a
//   receipt number, not whether an incident exists;
// - the personal acknowledgement link of somebody in the alerting chain (the token is the credential; only its hash is kept).
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  AgentUserReportSchema, EVIDENCE_ITEM_MAX_BYTES, EVIDENCE_ITEMS, EvidenceDoneSchema, UserReportReceiptSchema, WEB_REPORT_MAX_BYTES, WebUserReportSchema,
  isInstant, isOneOf,
} from '@lagebild/shared'
import { ErrorSchema } from '../../../schemas/common.js'
import { AckInfoSchema, TokenParamsSchema } from '../../../schemas/incidents.js'
import { DomainError, forbidden, invalid } from '../../../errors.js'
import { incidents } from '../../../db/schema.js'
import { eq } from 'drizzle-orm'
import { reportFromAgent, reportFromWeb } from '../../../services/incidents/reports.js'
import { finishRequest, storeItem } from '../../../services/incidents/evidence.js'
import { acknowledgeChain, chainByToken } from '../../../services/incidents/lifecycle.js'
import { webReportsOn } from './incidents.js'

const tags = ['incidents']
const agentSecurity = [{ agent: [] }]

/** Web reports from all addresses together, per hour: enough for a real emergency, too few to flood the channels. */
export const WEB_REPORTS_PER_HOUR = 60
const HOUR = 3_600_000

/** A browser always sends Origin on a POST; when it does, it must be this server (a page elsewhere cannot post here). */
function sameOrigin(req: FastifyRequest) {
  const origin = req.headers.origin
  if (origin === undefined) return
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    throw forbidden('bad Origin header')
  }
  if (host !== req.headers.host) throw forbidden('cross-origin request refused')
}

/**
 * Uploads read at once: each holds up to 16 MiB in memory until it is hashed and stored, so 50 hosts answering together
 * must not hold 800 MiB. The others are asked to come back (503 + Retry-After, before their body is read); the agent waits.
 */
export const EVIDENCE_UPLOADS_AT_ONCE = 4

/** Evidence uploads: the raw bytes as body (their own parser and limit), the metadata in headers. */
const evidenceUpload: FastifyPluginAsync = async (fastify) => {
  let inFlight = 0
  fastify.addHook('onRequest', async (req, reply) => {
    if (inFlight >= EVIDENCE_UPLOADS_AT_ONCE) return reply.code(503).header('retry-after', '10').send({ error: 'busy', message: 'evidence uploads are busy; try again in a few seconds' })
    inFlight++
    ;(req as { countsUpload?: boolean }).countsUpload = true
  })
  fastify.addHook('onResponse', async (req) => {
    if ((req as { countsUpload?: boolean }).countsUpload) inFlight--
  })
  fastify.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: EVIDENCE_ITEM_MAX_BYTES }, (_req, body, done) => done(null, body))
  fastify.setErrorHandler((err: FastifyError) => {
    throw err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? new DomainError('too-large', `an evidence item is at most ${EVIDENCE_ITEM_MAX_BYTES} bytes; cut it and say so (x-lagebild-truncated: 1)`) : err
  })
  fastify.put<{ Params: { requestId: string; item: string }; Body: Buffer }>('/evidence/:requestId/items/:item', {
    onRequest: fastify.auth.requireAgent,
    bodyLimit: EVIDENCE_ITEM_MAX_BYTES,
    schema: {
      tags, security: agentSecurity,
      summary: 'Agent: upload one item of requested evidence (raw bytes; headers x-lagebild-sha256, x-lagebild-collected-at, x-lagebild-truncated, x-lagebild-source)',
      params: Type.Object({ requestId: Type.String({ maxLength: 64 }), item: Type.String({ maxLength: 40 }) }),
      response: { 201: Type.Object({ id: Type.String(), sha256: Type.String(), size: Type.Integer() }), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema, 503: ErrorSchema },
    },
  }, async (req, reply) => {
    const h = req.headers
    const sha = String(h['x-lagebild-sha256'] ?? '')
    const collectedAt = String(h['x-lagebild-collected-at'] ?? '')
    let source = ''
    try {
      source = decodeURIComponent(String(h['x-lagebild-source'] ?? '')).slice(0, 500)
    } catch {
      throw invalid('x-lagebild-source: not URI-encoded')
    }
    if (!isOneOf(EVIDENCE_ITEMS, req.params.item)) throw invalid(`item must be one of ${EVIDENCE_ITEMS.join(', ')}`)
    if (!/^[0-9a-f]{64}$/i.test(sha)) throw invalid('x-lagebild-sha256: 64 hex digits required')
    if (!isInstant(collectedAt) || Date.parse(collectedAt) > Date.now() + 3_600_000) throw invalid('x-lagebild-collected-at: a real instant, not in the future')
    const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const agent = req.agentIdentity!
    const row = fastify.incidents.change(req, (tx, c) => storeItem(tx, c, agent, req.params.requestId, {
      item: req.params.item as (typeof EVIDENCE_ITEMS)[number], data, sha256: sha, truncated: h['x-lagebild-truncated'] === '1', source, collectedAt,
    }), { actor: { actor: `agent:${agent.id}`, via: 'system', ip: req.ip } })
    return reply.code(201).send({ id: row.id, sha256: row.sha256, size: row.size })
  })
}

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const db = fastify.db
  let window: number[] = []

  fastify.post('/agent/user-reports', {
    onRequest: fastify.auth.requireAgent,
    schema: {
      tags, security: agentSecurity, summary: 'Agent: a report of the person at this PC (the card\'s questions, this PC and its current facts); joins the incident going on or opens one',
      body: AgentUserReportSchema, response: { 200: UserReportReceiptSchema, 400: ErrorSchema, 401: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema },
    },
  }, async (req) => {
    const agent = req.agentIdentity!
    const r = fastify.incidents.change(req, (tx, c) => reportFromAgent(tx, c, agent, req.body), { actor: { actor: `agent:${agent.id}`, via: 'system', ip: req.ip } })
    return { receipt: r.row.receipt, duplicate: r.duplicate }
  })

  fastify.post('/evidence/:requestId/done', {
    onRequest: fastify.auth.requireAgent,
    schema: {
      tags, security: agentSecurity, summary: 'Agent: the request is answered; what could not be collected, and why',
      params: Type.Object({ requestId: Type.String({ maxLength: 64 }) }), body: EvidenceDoneSchema,
      response: { 200: Type.Object({ state: Type.String() }), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const agent = req.agentIdentity!
    return { state: fastify.incidents.change(req, (tx, c) => finishRequest(tx, c, agent, req.params.requestId, req.body), { actor: { actor: `agent:${agent.id}`, via: 'system', ip: req.ip } }) }
  })

  await fastify.register(evidenceUpload)

  fastify.post('/user-reports', {
    bodyLimit: WEB_REPORT_MAX_BYTES,
    config: { rateLimit: { max: 5, timeWindow: '10 minutes' } },
    onRequest: async (req) => sameOrigin(req),
    schema: {
      tags, summary: 'The report form (no account): the card\'s questions. Answers with a receipt number only; a person assigns the report to an incident',
      body: WebUserReportSchema, response: { 200: UserReportReceiptSchema, 400: ErrorSchema, 403: ErrorSchema, 413: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema },
    },
  }, async (req, reply) => {
    if (!webReportsOn(db)) return reply.code(403).send({ error: 'forbidden', message: 'the report form is switched off; please call the number on the emergency card' })
    const now = Date.now()
    window = window.filter((t) => now - t < HOUR)
    if (window.length >= WEB_REPORTS_PER_HOUR)
      return reply.code(429).header('retry-after', '600').send({ error: 'too-many', message: 'too many reports right now; please call the number on the emergency card' })
    window.push(now)
    const r = fastify.incidents.change(req, (tx, c) => reportFromWeb(tx, c, req.body.answers, req.body.lang, req.ip), { actor: { actor: 'web-form', via: 'system', ip: req.ip } })
    return { receipt: r.receipt, duplicate: false }
  })

  fastify.get('/ack/:token', {
    config: { rateLimit: { max: 30, timeWindow: '10 minutes' } },
    schema: { tags, summary: 'The personal acknowledgement link of the alerting chain: who it is for and whether it was confirmed', params: TokenParamsSchema, response: { 200: AckInfoSchema, 404: ErrorSchema, 429: ErrorSchema } },
  }, async (req, reply) => {
    const row = chainByToken(db, req.params.token)
    if (!row) return reply.code(404).send({ error: 'not-found', message: 'unknown or outdated link' })
    const i = db.select().from(incidents).where(eq(incidents.id, row.incidentId)).get()!
    return { name: row.name, incident: `${i.number}: ${i.title}`, drill: i.drill, acknowledgedAt: row.acknowledgedAt }
  })

  fastify.post('/ack/:token', {
    config: { rateLimit: { max: 30, timeWindow: '10 minutes' } },
    onRequest: async (req) => sameOrigin(req),
    schema: { tags, summary: 'Confirm the alert by the personal link (recorded in the timeline)', params: TokenParamsSchema, response: { 200: AckInfoSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema } },
  }, async (req, reply) => {
    const row = chainByToken(db, req.params.token)
    if (!row) return reply.code(404).send({ error: 'not-found', message: 'unknown or outdated link' })
    fastify.incidents.change(req, (tx, c) => {
      if (acknowledgeChain(tx, c, row, 'link')) c.audit({ action: 'incident.acknowledge', target: `incident:${row.incidentId}`, before: null, after: { name: row.name, via: 'link' } })
    }, { actor: { actor: `link:${row.name}`, via: 'system', ip: req.ip } })
    const i = db.select().from(incidents).where(eq(incidents.id, row.incidentId)).get()!
    return { name: row.name, incident: `${i.number}: ${i.title}`, drill: i.drill, acknowledgedAt: chainByToken(db, req.params.token)!.acknowledgedAt }
  })
}
export default routes
