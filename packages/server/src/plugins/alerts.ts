// Alerting: hooks into judging (alerts and outbox rows commit with the findings), runs the minute jobs
// (silent agents, reminders, escalations) and the periodic re-judging, and owns the outbox sender.
import fp from 'fastify-plugin'
import cron, { type ScheduledTask } from 'node-cron'
import type { FastifyInstance } from 'fastify'
import type { Text } from '@lagebild/shared'
import { hosts } from '../db/schema.js'
import {
  acknowledge, alertDetail, alertStatements, applyFindingChanges, AlertTouches, checkSilent, followUps, listAlerts, recomputeSeverities, setAgentAlert,
  snooze, unsnooze, type AgentMeasure, type AlertContext,
} from '../services/alerts.js'
import type { AlertQuery } from '../schemas/alerts.js'
import { alertSettings } from '../services/settings.js'
import { createSender, pruneSent } from '../services/outbox.js'

declare module 'fastify' {
  interface FastifyInstance {
    alerts: ReturnType<typeof createAlerts>
  }
}

export interface AlertsOptions {
  publicUrl: string | null
  /** Start the cron jobs (default true; tests drive `tick` with their own clock). */
  jobs?: boolean
}

/** How often every host is judged again without a report (backup and signature age grow while nothing is sent). */
export const REJUDGE_CRON = '*/5 * * * *'
/** A host judged by a report this recently is left out of the pass: its judgement is fresh (half the pass interval). */
export const REJUDGE_FRESH_MS = 150_000

export function createAlerts(fastify: FastifyInstance, opts: AlertsOptions) {
  const db = fastify.db
  const startedAt = new Date()
  const sender = createSender(db, fastify.log)
  let pending = new AlertTouches()
  let flushQueued = false
  const q = alertStatements(db)
  const log = (what: string) => (err: unknown) => fastify.log.error({ err }, `${what} failed`)

  const ctx = (): AlertContext => ({ publicUrl: opts.publicUrl, touches: pending, q })

  // better-sqlite3 transactions are synchronous: a microtask queued inside one runs only after it has committed
  // (or rolled back — then the board merely refetches once and the sender finds nothing new).
  function afterCommit() {
    if (flushQueued) return
    flushQueued = true
    queueMicrotask(() => {
      flushQueued = false
      const t = pending
      pending = new AlertTouches()
      for (const [alertId, hostId] of t.alerts) fastify.events.emit({ type: 'alert-changed', alertId, hostId })
      if (t.queued) sender.kick()
    })
  }
  const withCtx = <T>(fn: (c: AlertContext) => T): T => {
    try {
      return fn(ctx())
    } finally {
      if (pending.alerts.size || pending.queued) afterCommit()
    }
  }

  fastify.ingest.onFindings((tx, changes, now, subjectId, host) => withCtx((c) => applyFindingChanges(tx, subjectId, host, changes, now, c)))
  // For work done in chunks: each chunk's touches go out after that chunk's COMMIT.
  const chunkCtx = (): AlertContext => {
    afterCommit()
    return ctx()
  }

  return {
    startedAt,
    sender,
    publicUrl: opts.publicUrl,
    /**
     * The minute job: silent agents, then follow-ups of unacknowledged alerts; in chunks (see services/chunked.ts). With
     * a few hosts it is done when the call returns; the promise says when everything is.
     */
    async tick(now = new Date()) {
      const settings = alertSettings(db)
      const silent = checkSilent(db, now, startedAt, settings, chunkCtx, log('opening a silent alert'))
      const follow = followUps(db, now, settings, chunkCtx, log('an alert follow-up'))
      pruneSent(db, now)
      await Promise.all([silent, follow])
    },
    /**
     * Re-judges every host (time-based deviations open alerts without a new report), in chunks. `skipFreshMs` leaves out
     * hosts a report judged that recently (the periodic pass); by default every host is judged.
     */
    rejudgeAll(now = new Date(), skipFreshMs = 0) {
      return fastify.ingest.rejudge(db.select({ id: hosts.id }).from(hosts).all().map((h) => h.id), now, { skipJudgedWithinMs: skipFreshMs })
    },
    acknowledge: (id: string, by: string, note?: string, now = new Date()) => withCtx((c) => acknowledge(db, id, by, now, c, note)),
    snooze: (id: string, until: Date, by: string, now = new Date()) => withCtx((c) => snooze(db, id, until, by, now, c)),
    unsnooze: (id: string, by: string, now = new Date()) => withCtx((c) => unsnooze(db, id, by, now, c)),
    recomputeSeverities: (hostId: string, now = new Date()) => withCtx((c) => db.transaction((tx) => recomputeSeverities(tx, hostId, now, c))),
    /** Whether the subject has an unresolved alert of this measure (one prepared lookup; the per-report path asks it). */
    hasOpen: (subjectId: string, measureId: string) => !!q.openAlert.get({ subjectId, measureId }),
    /** Raises (reason) or clears (null) an alert about the agent itself: too much sent, a wrong clock. */
    agentAlert: (hostId: string, measureId: AgentMeasure, reason: Text | null, fix: Text | null = null, now = new Date()) =>
      withCtx((c) => db.transaction((tx) => setAgentAlert(tx, hostId, measureId, reason, fix, now, c))),
    list: (q: AlertQuery) => listAlerts(db, q),
    detail: (id: string) => alertDetail(db, id),
  }
}

export default fp(
  async (fastify, opts: AlertsOptions) => {
    const alerts = createAlerts(fastify, opts)
    fastify.decorate('alerts', alerts)
    const tasks: ScheduledTask[] = []
    fastify.addHook('onReady', async () => {
      // Whatever was left in the outbox before a restart goes out now.
      alerts.sender.start()
      alerts.sender.kick()
      if (opts.jobs === false) return
      // noOverlap: a pass still running (in chunks) when the next one is due makes that one wait its turn.
      const guard = (name: string, fn: () => Promise<unknown>) => async () => {
        try {
          await fn()
        } catch (err) {
          fastify.log.error({ err }, `${name} failed`)
        }
      }
      tasks.push(cron.schedule('* * * * *', guard('alert tick', () => alerts.tick()), { name: 'lagebild-alert-tick', noOverlap: true }))
      tasks.push(cron.schedule(REJUDGE_CRON, guard('re-judging', () => alerts.rejudgeAll(new Date(), REJUDGE_FRESH_MS)), { name: 'lagebild-rejudge', noOverlap: true }))
    })
    fastify.addHook('onClose', async () => {
      for (const t of tasks) await t.stop()
      await alerts.sender.stop()
    })
  },
  { name: 'alerts', dependencies: ['db', 'events', 'ingest'] },
)
