// Incidents on the board: viewers read everything, admins act. Every change: one transaction with its timeline entry,
// its audit entry and the judging of the phases 3 and 4 (plugins/incidents.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { eq } from 'drizzle-orm'
import {
  ChainAckInputSchema, ClockUpdateSchema, EVIDENCE_ITEMS, EvidenceRequestInputSchema, IncidentCreateSchema, IncidentUpdateSchema, LessonsInputSchema,
  StateChangeSchema, StepTickSchema, TASK_STATES, TaskInputSchema, TimelineEntryInputSchema, WatchInputSchema, oneOf,
} from '@lagebild/shared'
import { ErrorSchema, IdParamsSchema } from '../../../schemas/common.js'
import {
  ActionParamsSchema, CheckSchema, ClockParamsSchema, ComplianceHistorySchema, DraftSchema, HostWatchSchema, IncidentDetailSchema,
  IncidentListSchema, IncidentParamsSchema, IncidentSubParamsSchema, IncidentSummarySchema, TimelineEntryOutSchema,
} from '../../../schemas/incidents.js'
import { LangQuerySchema } from '../../../schemas/readiness.js'
import { settings } from '../../../db/schema.js'
import { acknowledgeByAdmin, addEntry, changeState, openIncident, updateIncident } from '../../../services/incidents/lifecycle.js'
import { getIncident } from '../../../services/incidents/store.js'
import { tickStep } from '../../../services/incidents/steps.js'
import { markClock } from '../../../services/incidents/clocks.js'
import { openItem, requestEvidence } from '../../../services/incidents/evidence.js'
import { addTask, applyAction, endWatch, saveLessons, setTaskState, startWatch } from '../../../services/incidents/follow-up.js'
import { assignReport, unassignedReports } from '../../../services/incidents/reports.js'
import { hostWatches, incidentDetail, listIncidents, reportOut } from '../../../services/incidents/view.js'
import { verifyIncident } from '../../../services/incidents/timeline.js'
import { draft } from '../../../services/incidents/drafts.js'
import { incidentJson, incidentPdf } from '../../../services/incidents/export.js'
import { complianceHistory } from '../../../services/incidents/judge.js'
import { appendEntry } from '../../../services/incidents/timeline.js'
import { attachment } from '../../../services/readiness/network-plan.js'
import { hostname } from 'node:os'

const security: { [k: string]: string[] }[] = [{ session: [] }, { apiKey: [] }]
const tags = ['incidents']
const E = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema }
const FILE = Type.Unknown({ description: 'The file' })

/** Whether the web form behind the card's QR code takes reports (default yes). */
export const WEB_REPORTS_KEY = 'incidents.webReports'
export const webReportsOn = (db: Parameters<FastifyPluginAsyncTypebox>[0]['db']) => (db.select().from(settings).where(eq(settings.key, WEB_REPORTS_KEY)).get()?.value ?? true) === true

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const viewer = fastify.auth.requirePerson()
  const admin = fastify.auth.requirePerson('admin')
  const db = fastify.db
  const inc = fastify.incidents
  const detail = (id: string) => incidentDetail(db, id, new Date(), (h) => fastify.agentChannel.isConnected(h), inc.files)
  const server = () => (fastify.incidents.publicUrl ? new URL(fastify.incidents.publicUrl).host : hostname())
  const D = { 200: IncidentDetailSchema, ...E }

  fastify.get('/incidents', {
    onRequest: viewer,
    schema: { tags, summary: 'Every incident (newest first) with its next deadline; user reports waiting for triage', security, response: { 200: IncidentListSchema, 401: ErrorSchema } },
  }, async () => ({ incidents: listIncidents(db, new Date()), unassigned: unassignedReports(db).map((r) => reportOut(db, r)), webReports: webReportsOn(db) }))

  fastify.get('/incidents/active', {
    onRequest: viewer,
    schema: { tags, summary: 'Incidents not closed yet (the banner on every page)', security, response: { 200: Type.Object({ incidents: Type.Array(IncidentSummarySchema), unassigned: Type.Integer() }), 401: ErrorSchema } },
  }, async () => ({ incidents: listIncidents(db, new Date(), ['open', 'contained', 'resolved']), unassigned: unassignedReports(db).length }))

  fastify.post('/incidents', {
    onRequest: admin,
    schema: { tags, summary: 'Open an incident (by hand, or from an alert or a waiting user report): notifies the alerting chain, starts the reporting clocks', security, body: IncidentCreateSchema, response: { 201: IncidentDetailSchema, ...E } },
  }, async (req, reply) => {
    const id = inc.change(req, (tx, c) => {
      const { fromReportId, ...body } = req.body
      const i = openIncident(tx, c, body, { source: fromReportId ? 'user-report' : 'manual' })
      if (fromReportId) assignReport(tx, c, fromReportId, i.id)
      return i.id
    })
    return reply.code(201).send(detail(id))
  })

  fastify.put('/incidents/settings', {
    onRequest: admin,
    schema: { tags, summary: 'Whether the web form behind the card\'s QR code takes reports', security, body: Type.Object({ webReports: Type.Boolean() }, { additionalProperties: false }), response: { 200: Type.Object({ webReports: Type.Boolean() }), ...E } },
  }, async (req) => {
    inc.change(req, (tx, c) => {
      const before = webReportsOn(tx as never)
      tx.insert(settings).values({ key: WEB_REPORTS_KEY, value: req.body.webReports }).onConflictDoUpdate({ target: settings.key, set: { value: req.body.webReports } }).run()
      c.audit({ action: 'incident.settings', target: 'incidents', before: { webReports: before }, after: req.body })
    })
    return { webReports: webReportsOn(db) }
  })

  fastify.get('/incidents/:id', {
    onRequest: viewer,
    schema: { tags, summary: 'The whole record of an incident: timeline, chain, checklist, clocks, reports, evidence, tasks, monitoring, lessons, integrity', security, params: IncidentParamsSchema, response: { 200: IncidentDetailSchema, 401: ErrorSchema, 404: ErrorSchema } },
  }, async (req) => detail(req.params.id))

  fastify.put('/incidents/:id', {
    onRequest: admin,
    schema: { tags, summary: 'Change what is known (title, severity, hosts, moment of awareness …); each change is a timeline entry', security, params: IncidentParamsSchema, body: IncidentUpdateSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => updateIncident(tx, c, req.params.id, req.body))
    return detail(req.params.id)
  })

  fastify.post('/incidents/:id/state', {
    onRequest: admin,
    schema: { tags, summary: 'Move forward: open → contained → resolved → closed (closing needs every deadline reported or waived)', security, params: IncidentParamsSchema, body: StateChangeSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => changeState(tx, c, req.params.id, req.body.state, req.body.note))
    return detail(req.params.id)
  })

  fastify.post('/incidents/:id/timeline', {
    onRequest: admin,
    schema: { tags, summary: 'Add a note, call or decision; a correction names the entry it corrects (entries are never changed)', security, params: IncidentParamsSchema, body: TimelineEntryInputSchema, response: { 201: TimelineEntryOutSchema, ...E } },
  }, async (req, reply) => {
    const row = inc.change(req, (tx, c) => addEntry(tx, c, req.params.id, req.body))
    return reply.code(201).send({ ...row, data: row.data ?? null, correctedBy: [] })
  })

  fastify.post('/incidents/:id/chain/acknowledge', {
    onRequest: admin,
    schema: { tags, summary: 'Record that somebody of the alerting chain was reached (e.g. by phone)', security, params: IncidentParamsSchema, body: ChainAckInputSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => acknowledgeByAdmin(tx, c, req.params.id, req.body.contactId, req.body.note))
    return detail(req.params.id)
  })

  fastify.post('/incidents/:id/steps/:sub', {
    onRequest: admin,
    schema: { tags, summary: 'Tick a step of the checklist (done, or not needed with the reason)', security, params: IncidentSubParamsSchema, body: StepTickSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => tickStep(tx, c, req.params.id, req.params.sub, req.body.outcome, req.body.note))
    return detail(req.params.id)
  })

  fastify.post('/incidents/:id/clocks/:clockId', {
    onRequest: admin,
    schema: { tags, summary: 'Mark a reporting deadline as reported (with when) or as not required (with why)', security, params: ClockParamsSchema, body: ClockUpdateSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => markClock(tx, c, req.params.id, req.params.clockId, req.body.state, req.body.note, req.body.at ? new Date(req.body.at) : undefined))
    return detail(req.params.id)
  })

  fastify.get('/incidents/:id/clocks/:clockId/draft', {
    onRequest: viewer,
    schema: { tags, summary: 'A pre-filled draft of the notification (to be checked and sent by a person)', security, params: ClockParamsSchema, querystring: LangQuerySchema, response: { 200: DraftSchema, 401: ErrorSchema, 404: ErrorSchema } },
  }, async (req) => draft(db, detail(req.params.id), req.params.clockId, req.query.lang ?? 'de', new Date()))

  fastify.post('/incidents/:id/evidence', {
    onRequest: admin,
    schema: { tags, summary: `Ask the agents of hosts to collect the evidence set (${EVIDENCE_ITEMS.join(', ')}), read-only`, security, params: IncidentParamsSchema, body: EvidenceRequestInputSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => requestEvidence(tx, c, req.params.id, req.body.hostIds, req.body.hours, req.body.items))
    return detail(req.params.id)
  })

  fastify.get('/evidence/:id/file', {
    onRequest: viewer,
    schema: { tags, summary: 'Download a piece of evidence as stored (each download is a chain-of-custody entry in the timeline)', security, params: IdParamsSchema, response: { 200: FILE, 401: ErrorSchema, 404: ErrorSchema } },
  }, async (req, reply) => {
    const f = inc.change(req, (tx, c) => openItem(tx, c, req.params.id, req.ip))
    return reply.type('text/plain; charset=utf-8').header('content-disposition', attachment(f.name)).header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox").header('x-lagebild-sha256', f.sha256).send(f.data)
  })

  fastify.post('/incidents/:id/tasks', {
    onRequest: admin,
    schema: { tags, summary: 'Add a follow-up task; linked host findings close it by themselves once all are ok', security, params: IncidentParamsSchema, body: TaskInputSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => addTask(tx, c, req.params.id, req.body))
    return detail(req.params.id)
  })

  fastify.put('/incidents/:id/tasks/:sub', {
    onRequest: admin,
    schema: { tags, summary: 'Mark a task done (only when its linked findings are ok) or open again', security, params: IncidentSubParamsSchema, body: Type.Object({ state: oneOf(TASK_STATES) }, { additionalProperties: false }), response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => setTaskState(tx, c, req.params.id, req.params.sub, req.body.state))
    return detail(req.params.id)
  })

  fastify.post('/incidents/:id/watch', {
    onRequest: admin,
    schema: { tags, summary: 'Heightened monitoring: a shorter collection interval pushed to the agents and stricter thresholds until the given time', security, params: IncidentParamsSchema, body: WatchInputSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => startWatch(tx, c, req.params.id, req.body.hostIds, req.body.until, req.body.intervalMinutes))
    return detail(req.params.id)
  })

  fastify.delete('/incidents/:id/watch/:sub', {
    onRequest: admin,
    schema: { tags, summary: 'End heightened monitoring of a host early', security, params: IncidentSubParamsSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => endWatch(tx, c, req.params.id, req.params.sub))
    return detail(req.params.id)
  })

  fastify.put('/incidents/:id/lessons', {
    onRequest: admin,
    schema: { tags, summary: 'The lessons learned with actions', security, params: IncidentParamsSchema, body: LessonsInputSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => saveLessons(tx, c, req.params.id, req.body))
    return detail(req.params.id)
  })

  fastify.post('/incidents/:id/lessons/actions/:index', {
    onRequest: admin,
    schema: { tags, summary: 'Carry out an action of the lessons: record the incident as an exercise, add a first step to the emergency plan', security, params: ActionParamsSchema, response: D },
  }, async (req) => {
    inc.change(req, (tx, c) => applyAction(tx, c, req.params.id, req.params.index, inc.readinessChange(c)))
    return detail(req.params.id)
  })

  fastify.post('/user-reports/:id/assign', {
    onRequest: admin,
    schema: { tags, summary: 'Assign a waiting user report to an incident, or open a new incident from it (incidentId null)', security, params: IdParamsSchema, body: Type.Object({ incidentId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]) }, { additionalProperties: false }), response: { 200: Type.Object({ incidentId: Type.String() }), ...E } },
  }, async (req) => ({ incidentId: inc.change(req, (tx, c) => assignReport(tx, c, req.params.id, req.body.incidentId)) }))

  fastify.get('/incidents/:id/verify', {
    onRequest: viewer,
    schema: { tags, summary: 'Check the record: the timeline\'s hash chain and every stored file against its SHA-256', security, params: IncidentParamsSchema, response: { 200: CheckSchema, 401: ErrorSchema, 404: ErrorSchema } },
  }, async (req) => {
    detail(req.params.id)
    const c = verifyIncident(db, req.params.id, inc.checkFiles(req.params.id))
    // A changed file is a finding at once, not at the next hourly check.
    if (!c.ok) inc.judge()
    return { ok: c.ok, entries: c.timeline.entries, brokenAt: c.timeline.ok ? null : c.timeline.brokenAt, reason: c.timeline.ok ? null : c.timeline.reason, evidence: c.evidence, filesCheckedAt: c.filesCheckedAt, head: c.head }
  })

  for (const format of ['pdf', 'json'] as const)
    fastify.get(`/incidents/:id/export.${format}`, {
      onRequest: viewer,
      schema: { tags, summary: `The record for an insurer, authority or court (${format.toUpperCase()}); the export itself is noted in the timeline`, security, params: IncidentParamsSchema, querystring: LangQuerySchema, response: { 200: FILE, 401: ErrorSchema, 404: ErrorSchema } },
    }, async (req, reply) => {
      const now = new Date()
      const lang = req.query.lang ?? 'de'
      // An unknown incident is 404 before anything is written (the timeline entry would have no incident to belong to).
      getIncident(db, req.params.id)
      inc.change(req, (tx, c) => {
        appendEntry(tx, req.params.id, { author: c.by, kind: 'export', text: `${format.toUpperCase()} (${lang}) exportiert / exported`, data: { format, lang, address: req.ip } }, now)
        c.touched.add(req.params.id)
      }, { now })
      // The record says what is true now: the files are hashed for it.
      inc.checkFiles(req.params.id, now)
      const d = detail(req.params.id)
      const meta = { server: server(), generatedAt: now }
      const name = `${lang === 'de' ? 'notfallprotokoll' : 'incident-record'}-${d.incident.number}.${format}`
      reply.header('content-disposition', attachment(name))
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(incidentJson(db, d, meta), null, 2))
      return reply.type('application/pdf').send(await incidentPdf(db, d, lang, meta, fastify.readiness.pdfFont))
    })

  fastify.get('/hosts/:id/watch', {
    onRequest: viewer,
    schema: { tags, summary: 'Heightened monitoring of a host running now', security, params: IdParamsSchema, response: { 200: HostWatchSchema, 401: ErrorSchema } },
  }, async (req) => hostWatches(db, req.params.id, new Date()))

  fastify.get('/compliance-history', {
    onRequest: viewer,
    schema: { tags: ['board'], summary: 'Share of hosts ok per technical measure over time (follow.architecture)', security, querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 7, maximum: 365 })) }, { additionalProperties: false }), response: { 200: ComplianceHistorySchema, 401: ErrorSchema } },
  }, async (req) => complianceHistory(db, req.query.days ?? 90, new Date()))
}
export default routes
