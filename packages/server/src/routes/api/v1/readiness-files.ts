// Files of emergency readiness: the network plan (upload checked by content and size, served only as a download), the
// readiness report for an insurer or auditor (PDF, CSV), and the emergency card (JSON, PDF; readable without signing in
// unless the company turned that off). Agents get the card over their live channel.
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { CardSchema, CARD_QR_PATH, NETWORK_PLAN_MAX_BYTES, NETWORK_PLAN_TYPES } from '@lagebild/shared'
import { ErrorSchema } from '../../../schemas/common.js'
import { LangQuerySchema, PlanInfoSchema } from '../../../schemas/readiness.js'
import { attachment, cleanName, planFile, planInfo, planType, removePlan, savePlan, tooLarge } from '../../../services/readiness/network-plan.js'
import { getCompany } from '../../../services/readiness/store.js'
import { readinessReport, reportCsv } from '../../../services/readiness/report.js'
import { reportPdf } from '../../../services/readiness/report-pdf.js'
import QRCode from 'qrcode'
import { cardPdf } from '../../../services/readiness/card-pdf.js'

const security: { [k: string]: string[] }[] = [{ session: [] }, { apiKey: [] }]
const tags = ['readiness']
const dated = (now: Date) => now.toISOString().slice(0, 10)
/** A file answer: bytes, never serialised. */
const FILE = Type.Unknown({ description: 'The file' })

/** The upload alone, with its own body parser and limit, so the 413 says what the limit is. */
const upload: FastifyPluginAsync = async (fastify) => {
  fastify.addContentTypeParser([...NETWORK_PLAN_TYPES, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: NETWORK_PLAN_MAX_BYTES }, (_req, body, done) => done(null, body))
  // Thrown on to the app's one error handler: only the message of a too-large body is ours.
  fastify.setErrorHandler((err: FastifyError) => {
    throw err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? tooLarge() : err
  })
  fastify.put<{ Querystring: { name?: string }; Body: Buffer }>('/readiness/network-plan', {
    onRequest: fastify.auth.requirePerson('admin'),
    bodyLimit: NETWORK_PLAN_MAX_BYTES,
    schema: {
      tags, summary: `Upload the network plan: PDF, PNG, JPEG or WebP (checked by content), at most ${NETWORK_PLAN_MAX_BYTES / 1024 / 1024} MiB; the raw file as body, its name in the query (?name=)`,
      security, querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 255 })) }),
      response: { 200: PlanInfoSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 413: ErrorSchema, 415: ErrorSchema },
    },
  }, async (req) => {
    const data = req.body
    const mime = await planType(Buffer.isBuffer(data) ? data : Buffer.alloc(0))
    return fastify.readiness.change(req, (tx, c) => savePlan(tx, c, data, mime, cleanName(req.query.name, mime)))
  })
}

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const viewer = fastify.auth.requirePerson()
  const admin = fastify.auth.requirePerson('admin')
  // The card hangs on every office wall: readable without an account, unless the company turned that off.
  const cardReader = async (req: FastifyRequest) => {
    if (!getCompany(fastify.db).cardPublic) await viewer(req)
  }

  // Without a public URL the QR code leads where this request came from.
  const qrTarget = (req: FastifyRequest) => fastify.readiness.card().reportUrl ?? `${req.protocol}://${req.host}${CARD_QR_PATH}`

  await fastify.register(upload)

  fastify.get('/readiness/network-plan', {
    onRequest: viewer,
    schema: { tags, summary: 'About the network plan (null: none)', security, response: { 200: Type.Union([PlanInfoSchema, Type.Null()]), 401: ErrorSchema } },
  }, async () => planInfo(fastify.db))

  fastify.get('/readiness/network-plan/file', {
    onRequest: viewer,
    schema: { tags, summary: 'Download the network plan (always as an attachment, with the type found in its content)', security, response: { 200: FILE, 401: ErrorSchema, 404: ErrorSchema } },
  }, async (_req, reply) => {
    const f = planFile(fastify.db)
    if (!f) return reply.code(404).send({ error: 'not-found', message: 'no network plan' })
    // Never rendered inside the board's origin: a download, with its sniffed type and no sniffing by the browser.
    return reply.type(f.mime).header('content-disposition', attachment(f.name)).header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'; sandbox").send(f.data)
  })

  fastify.delete('/readiness/network-plan', {
    onRequest: admin,
    schema: { tags, summary: 'Remove the network plan', security, response: { 204: Type.Null(), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } },
  }, async (req, reply) => {
    fastify.readiness.change(req, (tx, c) => removePlan(tx, c))
    return reply.code(204).send(null)
  })

  for (const format of ['pdf', 'csv'] as const)
    fastify.get(`/readiness/report.${format}`, {
      onRequest: viewer,
      schema: { tags, summary: `Readiness report for an insurer or auditor (${format.toUpperCase()}): every measure with status, evidence and date, hosts and records behind it`, security, querystring: LangQuerySchema, response: { 200: FILE, 401: ErrorSchema } },
    }, async (req, reply) => {
      const now = new Date()
      const lang = req.query.lang ?? 'de'
      const r = readinessReport(fastify.db, now, fastify.readiness.publicUrl, format === 'pdf' ? 200 : Infinity)
      const name = `${lang === 'de' ? 'bereitschaftsbericht' : 'readiness-report'}-${dated(now)}.${format}`
      reply.header('content-disposition', attachment(name))
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(r, lang))
      return reply.type('application/pdf').send(await reportPdf(r, lang, fastify.readiness.pdfFont))
    })

  fastify.get('/card', {
    onRequest: cardReader,
    schema: { tags, summary: 'The IT emergency card (no sign-in needed unless the company turned that off)', response: { 200: CardSchema, 401: ErrorSchema } },
  }, async () => fastify.readiness.card())

  fastify.get('/card/qr.svg', {
    onRequest: cardReader,
    schema: { tags, summary: 'The QR code of the emergency card (SVG): where a report can be made online', response: { 200: FILE, 401: ErrorSchema } },
  }, async (req, reply) => {
    const svg = await QRCode.toString(qrTarget(req), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
    return reply.type('image/svg+xml').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(svg)
  })

  fastify.get('/card.pdf', {
    onRequest: cardReader,
    schema: { tags, summary: 'The IT emergency card as a printable A4 PDF with a QR code', querystring: LangQuerySchema, response: { 200: FILE, 401: ErrorSchema } },
  }, async (req, reply) => {
    const card = fastify.readiness.card()
    const qr = qrTarget(req)
    const lang = req.query.lang ?? 'de'
    reply.header('content-disposition', attachment(`${lang === 'de' ? 'it-notfallkarte' : 'it-emergency-card'}.pdf`))
    return reply.type('application/pdf').send(await cardPdf(card, lang, qr, fastify.readiness.pdfFont))
  })
}
export default routes
