// Incidents: every change runs in one transaction with its timeline entries, its audit entry and the judging of the
// phases 3 and 4 (findings of `org`, the same alert listeners as hosts); after COMMIT the board hears about it, the outbox
// sender wakes, and frames go to the agents (evidence requests, heightened monitoring). An agent that connects gets
// what waits for it. The minute job warns before reporting deadlines, ends heightened monitoring, expires unanswered
// evidence requests and judges again. Follow-up tasks close themselves inside the judging of a host's report.
import fp from 'fastify-plugin'
import cron, { type ScheduledTask } from 'node-cron'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { recordAudit, requestActor, SYSTEM_ACTOR, type Actor } from '../services/audit.js'
import type { Change } from '../services/readiness/records.js'
import { judgeIncidents, type FileCheck } from '../services/incidents/judge.js'
import { checkEvidence, timelineOf, type EvidenceProblem } from '../services/incidents/timeline.js'
import { tickClocks } from '../services/incidents/clocks.js'
import { expireRequests, markSent, requestFrame, waitingFor } from '../services/incidents/evidence.js'
import { closeTasksOf, confirmWatch, hasOpenTasks, tickWatches, watchFrame } from '../services/incidents/follow-up.js'
import type { IncidentChange, Tx } from '../services/incidents/store.js'
import { ORG_SUBJECT } from '../services/overview.js'

declare module 'fastify' {
  interface FastifyInstance {
    incidents: ReturnType<typeof createIncidents>
  }
}

export interface IncidentsOptions {
  publicUrl: string | null
  jobs?: boolean
}

export interface ChangeOptions {
  now?: Date
  /** Who acts when no person does: an agent, the web form. */
  actor?: Actor
}

/** How often the bytes of every stored evidence file are hashed again (cheap checks run on every judgement). */
export const FILE_CHECK_CRON = '17 * * * *'

export function createIncidents(fastify: FastifyInstance, opts: IncidentsOptions) {
  const db = fastify.db
  // The last hashing of each incident's files: a megabyte-sized evidence set is not hashed on every judgement or page view.
  const fileChecks = new Map<string, { at: string; evidence: EvidenceProblem[] }>()
  const checkFiles = (id: string, now = new Date()) => {
    const c = { at: now.toISOString(), evidence: checkEvidence(db, id, timelineOf(db, id), true) }
    fileChecks.set(id, c)
    return c
  }
  const files: FileCheck = (id) => fileChecks.get(id) ?? checkFiles(id)

  function after(c: IncidentChange, judged: boolean) {
    for (const id of c.touched) fastify.events.emit({ type: 'incident-changed', incidentId: id })
    if (judged) fastify.events.emit({ type: 'readiness-changed' })
    if (c.queued) fastify.alerts.sender.kick()
    for (const f of c.frames) {
      const sent = fastify.agentChannel.sendTo(f.hostId, f.msg)
      if (sent && f.msg.type === 'evidence-request') markSent(db, f.msg.requestId, new Date())
    }
    if (c.readiness) fastify.readiness.rejudge()
  }

  const baseUrl = (req: FastifyRequest | null) => opts.publicUrl ?? (req ? `${req.protocol}://${req.host}` : null)

  /** Runs a change: `fn` and the judging in one transaction; the audit entry through `c.audit`. */
  function change<T>(req: FastifyRequest | null, fn: (tx: Tx, c: IncidentChange) => T, o: ChangeOptions = {}): T {
    const now = o.now ?? new Date()
    const actor = o.actor ?? (req?.person ? requestActor(req) : SYSTEM_ACTOR)
    const c: IncidentChange = {
      now, by: req?.person?.username ?? actor.actor, audit: () => {}, touched: new Set(), frames: [], queued: 0, readiness: false, baseUrl: baseUrl(req),
    }
    const { out, changed } = db.transaction((tx) => {
      c.audit = (entry) => (req?.person ? fastify.audit.record(req, entry, tx) : recordAudit(tx, actor, entry, now))
      const out = fn(tx, c)
      return { out, changed: judgeIncidents(tx, now, fastify.ingest.listeners, files).changes.length > 0 }
    })
    after(c, changed)
    return out
  }

  /** A readiness change context inside an incident change (lessons applied to the records). */
  const readinessChange = (c: IncidentChange): Change => ({ now: c.now, by: c.by, audit: c.audit, crownHosts: new Set() })

  return {
    change,
    readinessChange,
    files,
    /** Hashes the stored files of an incident now (the integrity check, exports) and remembers the result. */
    checkFiles,
    /** The hourly job: every file of the incidents still judged is hashed again. */
    recheckFiles(now = new Date()) {
      for (const id of [...fileChecks.keys()]) checkFiles(id, now)
    },
    publicUrl: opts.publicUrl,
    /** The minute job. */
    tick(now = new Date()) {
      change(null, (tx, c) => {
        tickClocks(tx, c)
        tickWatches(tx, c)
        expireRequests(tx, c)
      }, { now })
    },
    /** Judges again without a change (time passes). */
    judge(now = new Date()) {
      change(null, () => undefined, { now })
    },
    /** What an agent must hear when it connects: evidence requests not answered yet, heightened monitoring. */
    connected(hostId: string, now = new Date()) {
      for (const r of waitingFor(db, hostId)) if (fastify.agentChannel.sendTo(hostId, requestFrame(r))) markSent(db, r.id, now)
      const w = watchFrame(db, hostId, now)
      if (w) fastify.agentChannel.sendTo(hostId, w)
    },
  }
}

export default fp(
  async (fastify, opts: IncidentsOptions) => {
    const incidents = createIncidents(fastify, opts)
    fastify.decorate('incidents', incidents)
    const db = fastify.db
    fastify.agentChannel.onConnect((hostId) => incidents.connected(hostId))
    fastify.agentChannel.onCommandResult((_hostId, commandId, ok) => {
      const id = confirmWatch(db, commandId, ok, new Date())
      if (id) incidents.judge()
    })

    // Follow-up tasks close themselves when the findings they link turn ok: inside the judging transaction of a host.
    const touched = new Set<string>()
    let queued = false
    fastify.ingest.onFindings((tx, changes, now, subjectId) => {
      if (subjectId === ORG_SUBJECT || !changes.some((c) => c.after.status === 'ok') || !hasOpenTasks(tx)) return
      // The ingest judges inside its own (better-sqlite3) transaction and hands over the database: the same connection,
      // the same transaction; nothing here rolls back by itself.
      for (const id of closeTasksOf(tx as Tx, subjectId, now)) touched.add(id)
      if (!touched.size || queued) return
      queued = true
      // A microtask queued inside a better-sqlite3 transaction runs after COMMIT.
      queueMicrotask(() => {
        queued = false
        const ids = [...touched]
        touched.clear()
        for (const incidentId of ids) fastify.events.emit({ type: 'incident-changed', incidentId })
        try {
          incidents.judge()
        } catch (err) {
          fastify.log.error({ err }, 'judging incidents after a task closed failed')
        }
      })
    })

    const tasks: ScheduledTask[] = []
    fastify.addHook('onReady', async () => {
      incidents.judge()
      if (opts.jobs === false) return
      tasks.push(cron.schedule('* * * * *', () => {
        try {
          incidents.tick()
        } catch (err) {
          fastify.log.error({ err }, 'incident tick failed')
        }
      }, { name: 'lagebild-incidents', noOverlap: true }))
      tasks.push(cron.schedule(FILE_CHECK_CRON, () => {
        try {
          incidents.recheckFiles()
          incidents.judge()
        } catch (err) {
          fastify.log.error({ err }, 'incident file check failed')
        }
      }, { name: 'lagebild-incident-files', noOverlap: true }))
    })
    fastify.addHook('onClose', async () => {
      for (const t of tasks) await t.stop()
    })
  },
  { name: 'incidents', dependencies: ['db', 'events', 'audit', 'ingest', 'alerts', 'agent-channel', 'readiness'] },
)
