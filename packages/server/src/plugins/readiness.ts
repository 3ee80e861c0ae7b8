// Emergency readiness: every change of a record runs in one transaction with its audit entry and the re-judging of the
// organisation (findings of subject `org`, the same alert listeners as hosts); after COMMIT the board hears about it,
// crown-jewel hosts are judged again, and a changed emergency card goes to every connected agent. Jobs: re-judging on
// the clock (reviews fall due, hosts come and go), the daily score for the trend, the monthly digest.
import fp from 'fastify-plugin'
import cron, { type ScheduledTask } from 'node-cron'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Card } from '@lagebild/shared'
import type { PdfFont } from '../config.js'
import { recordAudit, SYSTEM_ACTOR } from '../services/audit.js'
import type { Tx } from '../services/judge.js'
import { judgeOrg, type OrgJudgement } from '../services/readiness/judge.js'
import { confirmCard, currentCard } from '../services/readiness/card.js'
import { loadReadinessInput } from '../services/readiness/input.js'
import type { Change } from '../services/readiness/records.js'
import { readinessView } from '../services/readiness/view.js'
import { digestDue, queueDigest, snapshotScore } from '../services/readiness/digest.js'

declare module 'fastify' {
  interface FastifyInstance {
    readiness: ReturnType<typeof createReadiness>
  }
}

export interface ReadinessOptions {
  publicUrl: string | null
  jobs?: boolean
  pdfFont?: PdfFont | null
}

/** After a report, judge the organisation again at most this often (host counts, backup sources, crown-jewel hosts). */
const HOST_CHANGE_DELAY_MS = 30_000

export function createReadiness(fastify: FastifyInstance, opts: ReadinessOptions) {
  const db = fastify.db
  let card: Card | null = null

  function afterCommit(j: OrgJudgement, crownHosts: ReadonlySet<string>) {
    card = j.card
    if (crownHosts.size) {
      // Stricter thresholds and a higher alert severity for hosts that became (or stopped being) crown jewels.
      void fastify.ingest.rejudge([...crownHosts])
      for (const id of crownHosts) fastify.alerts.recomputeSeverities(id)
    }
    fastify.events.emit({ type: 'readiness-changed' })
    if (j.cardChanged) fastify.agentChannel.broadcast({ type: 'card', card: j.card })
  }

  function judge(tx: Tx, now: Date) {
    return judgeOrg(tx, now, fastify.ingest.listeners, opts.publicUrl)
  }

  return {
    /**
     * Runs a change of the records: `fn` and the re-judging in one transaction, the audit entry written by `fn` through
     * `c.audit` (the request's person, or `system` without a request).
     */
    change<T>(req: FastifyRequest | null, fn: (tx: Tx, c: Change) => T, now = new Date()): T {
      const crownHosts = new Set<string>()
      const by = req?.person?.username ?? SYSTEM_ACTOR.actor
      const { out, j } = db.transaction((tx) => {
        const c: Change = {
          now, by, crownHosts,
          audit: (entry) => (req ? fastify.audit.record(req, entry, tx) : recordAudit(tx, SYSTEM_ACTOR, entry, now)),
        }
        const out = fn(tx, c)
        return { out, j: judge(tx, now) }
      })
      afterCommit(j, crownHosts)
      return out
    },
    /** Judges the organisation again (time passes: reviews fall due; hosts enroll). */
    rejudge(now = new Date()): OrgJudgement {
      const j = db.transaction((tx) => judge(tx, now))
      if (j.changes.length || j.cardChanged || !card) afterCommit(j, new Set())
      return j
    },
    /** The current emergency card (kept in memory: thousands of agents connecting must not each rebuild it). */
    card(now = new Date()): Card {
      card ??= currentCard(db, loadReadinessInput(db, now), opts.publicUrl, now)
      return card
    },
    view(now = new Date()) {
      const input = loadReadinessInput(db, now)
      return readinessView(db, this.card(now), now, input)
    },
    publicUrl: opts.publicUrl,
    pdfFont: opts.pdfFont ?? null,
  }
}

export default fp(
  async (fastify, opts: ReadinessOptions) => {
    const readiness = createReadiness(fastify, opts)
    fastify.decorate('readiness', readiness)
    fastify.agentChannel.onConnect((hostId) => fastify.agentChannel.sendTo(hostId, { type: 'card', card: readiness.card() }))
    fastify.agentChannel.onCardAck((hostId, version) => confirmCard(fastify.db, hostId, version, new Date()))

    const tasks: ScheduledTask[] = []
    let hostTimer: NodeJS.Timeout | null = null
    const guard = (name: string, fn: () => void) => () => {
      try {
        fn()
      } catch (err) {
        fastify.log.error({ err }, `${name} failed`)
      }
    }
    fastify.addHook('onReady', async () => {
      readiness.rejudge()
      if (opts.jobs === false) return
      fastify.events.on((e) => {
        if (e.type !== 'host-updated' || hostTimer) return
        hostTimer = setTimeout(guard('readiness re-judging', () => ((hostTimer = null), readiness.rejudge())), HOST_CHANGE_DELAY_MS)
        hostTimer.unref()
      })
      tasks.push(cron.schedule('*/5 * * * *', guard('readiness re-judging', () => readiness.rejudge()), { name: 'lagebild-readiness', noOverlap: true }))
      tasks.push(
        cron.schedule('7 * * * *', guard('readiness score and digest', () => {
          const now = new Date()
          snapshotScore(fastify.db, now)
          if (digestDue(fastify.db, now)) queueDigest(fastify.db, now, fastify.alerts.publicUrl, () => fastify.alerts.sender.kick())
        }), { name: 'lagebild-readiness-digest', noOverlap: true }),
      )
    })
    fastify.addHook('onClose', async () => {
      if (hostTimer) clearTimeout(hostTimer)
      for (const t of tasks) await t.stop()
    })
  },
  { name: 'readiness', dependencies: ['db', 'events', 'audit', 'ingest', 'alerts', 'agent-channel'] },
)
