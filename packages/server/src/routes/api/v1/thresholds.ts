// Thresholds (global, per tag, per host) and the alert timing settings. Changes re-judge the hosts they touch.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sql } from 'drizzle-orm'
import { hosts } from '../../../db/schema.js'
import { DEFAULT_ALERT_SETTINGS } from '@lagebild/shared'
import { ErrorSchema, IdParamsSchema, PERSON_SECURITY as security, TagSchema } from '../../../schemas/common.js'
import { ThresholdOverrideSchema, ThresholdsOutSchema } from '../../../schemas/thresholds.js'
import { AlertSettingsOutSchema, AlertSettingsUpdateSchema } from '../../../schemas/alerts.js'
import { listOverrides, setOverride } from '../../../services/thresholds.js'
import { alertSettings, saveAlertSettings } from '../../../services/settings.js'
import { notFound } from '../../../errors.js'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const db = fastify.db
  const admin = fastify.auth.requirePerson('admin')
  const allHosts = () => db.select({ id: hosts.id }).from(hosts).all().map((h) => h.id)

  fastify.get(
    '/thresholds',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: { tags: ['thresholds'], summary: 'Default thresholds and every override (global, per tag, per host)', security, response: { 200: ThresholdsOutSchema, 401: ErrorSchema } },
    },
    async () => listOverrides(db),
  )

  fastify.put(
    '/thresholds/global',
    {
      onRequest: admin,
      schema: { tags: ['thresholds'], summary: 'Set the global override ({} removes it)', security, body: ThresholdOverrideSchema, response: { 200: ThresholdsOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema } },
    },
    async (req) => {
      setOverride(db, 'global', '', req.body)
      await fastify.ingest.rejudge(allHosts())
      return listOverrides(db)
    },
  )

  fastify.put(
    '/thresholds/tags/:tag',
    {
      onRequest: admin,
      schema: {
        tags: ['thresholds'], summary: 'Set the override for hosts with this tag ({} removes it), e.g. laptop: silentMaxMinutes 4320', security,
        params: Type.Object({ tag: TagSchema }), body: ThresholdOverrideSchema,
        response: { 200: ThresholdsOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => {
      setOverride(db, 'tag', req.params.tag, req.body)
      const tagged = db.select({ id: hosts.id }).from(hosts).where(sql`exists (select 1 from json_each(${hosts.tags}) where json_each.value = ${req.params.tag})`).all()
      await fastify.ingest.rejudge(tagged.map((h) => h.id))
      return listOverrides(db)
    },
  )

  fastify.put(
    '/thresholds/hosts/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['thresholds'], summary: 'Set the override for one host ({} removes it)', security,
        params: IdParamsSchema, body: ThresholdOverrideSchema,
        response: { 200: ThresholdsOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req) => {
      if (!db.select({ id: hosts.id }).from(hosts).where(sql`${hosts.id} = ${req.params.id}`).get()) throw notFound('no such host')
      setOverride(db, 'host', req.params.id, req.body)
      await fastify.ingest.rejudge([req.params.id])
      return listOverrides(db)
    },
  )

  fastify.get(
    '/settings/alerts',
    {
      onRequest: fastify.auth.requirePerson(),
      schema: { tags: ['thresholds'], summary: 'Alert timing: reminders, escalation, grace after server start', security, response: { 200: AlertSettingsOutSchema, 401: ErrorSchema } },
    },
    async () => ({ settings: alertSettings(db), defaults: DEFAULT_ALERT_SETTINGS }),
  )

  fastify.put(
    '/settings/alerts',
    {
      onRequest: admin,
      schema: {
        tags: ['thresholds'], summary: 'Change alert timing (only the keys given)', security,
        body: AlertSettingsUpdateSchema,
        response: { 200: AlertSettingsOutSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => ({ settings: saveAlertSettings(db, req.body), defaults: DEFAULT_ALERT_SETTINGS }),
  )
}
export default routes
