// The readiness records: the overview of every record, company settings, owner/review per record, one set of routes per
// list kind and per document kind (declared once in shared, looped here), the first contact's coverage, the digest.
// Viewers read; admins change. Every change: one transaction with its audit entry and the re-judging of the organisation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  CompanySettingsSchema, DEFAULT_COMMUNICATION, IsoDateSchema, DEFAULT_PLAN, RECORD_DOC_KINDS, RECORD_DOC_SCHEMAS, RECORD_LIST_KINDS, RECORD_LIST_SCHEMAS,
  RecordMetaInputSchema, WeekCoverageSchema, entrySchema, firstContactReachable, weekCoverage,
  type RecordDoc, type RecordDocKind, type RecordListInput, type RecordListKind,
} from '@lagebild/shared'
import { ErrorSchema } from '../../../schemas/common.js'
import { DigestSchema, EntryIdParamsSchema, LangQuerySchema, ReadinessViewSchema, RecordKindParamsSchema } from '../../../schemas/readiness.js'
import { getDoc, listItems, getCompany } from '../../../services/readiness/store.js'
import { removeEntry, review, saveCompany, saveDocument, saveEntry, saveMeta } from '../../../services/readiness/records.js'
import { loadReadinessInput } from '../../../services/readiness/input.js'
import { buildDigest, queueDigest } from '../../../services/readiness/digest.js'

const security: { [k: string]: string[] }[] = [{ session: [] }, { apiKey: [] }]
const tags = ['readiness']
const E = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema }

/** Defaults the board offers for a document that was never saved. */
const DOC_DEFAULTS: { [K in RecordDocKind]: RecordDoc<K> | null } = {
  roles: { assignments: [] }, plan: DEFAULT_PLAN, communication: DEFAULT_COMMUNICATION, reporting: null, segmentation: null,
}

const listRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const viewer = fastify.auth.requirePerson()
  const admin = fastify.auth.requirePerson('admin')
  for (const kind of RECORD_LIST_KINDS as readonly RecordListKind[]) {
    const body = RECORD_LIST_SCHEMAS[kind]
    const entry = entrySchema(body)
    const save = (req: Parameters<typeof fastify.readiness.change>[0], id: string | null, data: unknown) =>
      fastify.readiness.change(req, (tx, c) => saveEntry(tx, c, kind, id, data as RecordListInput<typeof kind>))
    fastify.get(`/readiness/${kind}`, {
      onRequest: viewer,
      schema: { tags, summary: `Every entry of ${kind}`, security, response: { 200: Type.Object({ entries: Type.Array(entry) }), 401: ErrorSchema } },
    }, async () => ({ entries: listItems(fastify.db, kind) }))
    fastify.post(`/readiness/${kind}`, {
      onRequest: admin,
      schema: { tags, summary: `Add an entry to ${kind}`, security, body, response: { 201: entry, ...E } },
    }, async (req, reply) => reply.code(201).send(save(req, null, req.body)))
    fastify.put(`/readiness/${kind}/:id`, {
      onRequest: admin,
      schema: { tags, summary: `Change an entry of ${kind}`, security, params: EntryIdParamsSchema, body, response: { 200: entry, ...E } },
    }, async (req) => save(req, req.params.id, req.body))
    fastify.delete(`/readiness/${kind}/:id`, {
      onRequest: admin,
      schema: { tags, summary: `Delete an entry of ${kind} (a contact still in use: 409)`, security, params: EntryIdParamsSchema, response: { 204: Type.Null(), ...E } },
    }, async (req, reply) => {
      fastify.readiness.change(req, (tx, c) => removeEntry(tx, c, kind, req.params.id))
      return reply.code(204).send(null)
    })
  }
  for (const kind of RECORD_DOC_KINDS as readonly RecordDocKind[]) {
    const body = RECORD_DOC_SCHEMAS[kind]
    fastify.get(`/readiness/${kind}`, {
      onRequest: viewer,
      schema: {
        tags, summary: `The ${kind} document (null: never saved) and the defaults offered for it`, security,
        response: { 200: Type.Object({ data: Type.Union([body, Type.Null()]), defaults: Type.Union([body, Type.Null()]) }), 401: ErrorSchema },
      },
    }, async () => ({ data: getDoc(fastify.db, kind), defaults: DOC_DEFAULTS[kind] }))
    fastify.put(`/readiness/${kind}`, {
      onRequest: admin,
      schema: { tags, summary: `Save the ${kind} document`, security, body, response: { 200: body, ...E } },
    }, async (req) => fastify.readiness.change(req, (tx, c) => saveDocument(tx, c, kind, req.body as RecordDoc<typeof kind>)))
  }
}

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const viewer = fastify.auth.requirePerson()
  const admin = fastify.auth.requirePerson('admin')
  const view = { 200: ReadinessViewSchema, ...E }

  fastify.get('/readiness', {
    onRequest: viewer,
    schema: { tags, summary: 'Every organisational measure with its status, every record with owner and review, first steps, coverage, card', security, response: { 200: ReadinessViewSchema, 401: ErrorSchema } },
  }, async () => fastify.readiness.view())

  fastify.put('/readiness/company', {
    onRequest: admin,
    schema: { tags, summary: 'Company name, federal state, time zone, staff and device counts, required coverage of the first contact', security, body: CompanySettingsSchema, response: view },
  }, async (req) => {
    fastify.readiness.change(req, (tx, c) => saveCompany(tx, c, req.body))
    return fastify.readiness.view()
  })

  fastify.put('/readiness/records/:kind', {
    onRequest: admin,
    schema: { tags, summary: 'Owner and review interval of a record', security, params: RecordKindParamsSchema, body: RecordMetaInputSchema, response: view },
  }, async (req) => {
    fastify.readiness.change(req, (tx, c) => saveMeta(tx, c, req.params.kind, req.body.owner, req.body.reviewIntervalDays))
    return fastify.readiness.view()
  })

  fastify.post('/readiness/records/:kind/review', {
    onRequest: admin,
    schema: { tags, summary: 'Confirm that a record is still current (logs: add an entry instead)', security, params: RecordKindParamsSchema, response: view },
  }, async (req) => {
    fastify.readiness.change(req, (tx, c) => review(tx, c, req.params.kind))
    return fastify.readiness.view()
  })

  fastify.get('/readiness/coverage', {
    onRequest: viewer,
    schema: {
      tags, summary: 'Who of the first contact is reachable in each hour of the week containing `at` (default now), in the company\'s time zone', security,
      querystring: Type.Object({ at: Type.Optional(IsoDateSchema) }, { additionalProperties: false }),
      response: { 200: WeekCoverageSchema, 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const at = req.query.at ? new Date(req.query.at) : new Date()
    const input = loadReadinessInput(fastify.db, at)
    return weekCoverage(firstContactReachable(input), input.company.requiredCoverage, getCompany(fastify.db).timeZone, at)
  })

  fastify.get('/readiness/digest', {
    onRequest: admin,
    schema: { tags, summary: 'The monthly readiness digest as it would be sent now', security, querystring: LangQuerySchema, response: { 200: DigestSchema, 401: ErrorSchema, 403: ErrorSchema } },
  }, async (req) => buildDigest(fastify.db, new Date(), fastify.readiness.publicUrl)[req.query.lang ?? 'de'])

  fastify.post('/readiness/digest', {
    onRequest: admin,
    config: { audit: 'readiness.digest.send', rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: { tags, summary: 'Send the digest now to every e-mail channel', security, response: { 200: Type.Object({ queued: Type.Integer() }), 401: ErrorSchema, 403: ErrorSchema, 429: ErrorSchema } },
  }, async () => ({ queued: queueDigest(fastify.db, new Date(), fastify.readiness.publicUrl, () => fastify.alerts.sender.kick(), false) }))

  await fastify.register(listRoutes)
}
export default routes
