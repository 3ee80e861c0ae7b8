// Ingest: a validated report is stored, its facts merged, the host re-judged — in one transaction, then the ack.
// Reports that arrive together are committed together (group commit): each runs in its own savepoint inside one
// transaction, so one bad report changes nothing of the others, and one fsync covers many reports (db/durability.ts).
// Every report is answered only once the COMMIT that holds it is on disk. A batch stops after BATCH_BUDGET_MS, so that
// the event loop reads the requests of people in between, however fast agents send.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { eq, sql } from 'drizzle-orm'
import { FACT_IDS, isFactError, type Facts, type Report } from '@lagebild/shared'
import { agents, facts, hosts, reports } from '../db/schema.js'
import { agentRefused, HttpError, storageFault } from '../errors.js'
import { createJudge, type FindingListener } from '../services/judge.js'
import { carryPendingSince } from '../services/pending-since.js'
import { CLOCK_FIX, clockReason, timeReport } from '../services/agent-time.js'
import { inChunks } from '../services/chunked.js'
import type { AgentIdentity } from './auth.js'

declare module 'fastify' {
  interface FastifyInstance {
    ingest: ReturnType<typeof createIngest>
  }
}

/** Work per turn of the event loop (one transaction): enough for dozens of reports, short enough not to be noticed. */
export const BATCH_BUDGET_MS = 20
/** At most this many reports per transaction. */
export const BATCH_MAX = 500
/** With more reports waiting than this, agents are held back (see plugins/agent-channel.ts and the HTTP route). */
export const BACKLOG_HIGH = 500
/** … and let go again once the backlog is down to this. */
export const BACKLOG_LOW = 100
/** The longest hold an agent is asked for (slow-down, Retry-After); a short backlog asks for less (see holdSeconds). */
export const HOLD_MAX_SECONDS = 30
/** The window over which the ingest rate is measured. */
const RATE_WINDOW_MS = 5_000

export interface StoreResult {
  duplicate: boolean
}

interface Job {
  agent: AgentIdentity
  /** The report, or how to get it: a WebSocket frame is parsed and checked only when its turn comes. */
  report: Report | (() => Report)
  resolve(r: StoreResult): void
  reject(err: unknown): void
}

const p = (name: string) => sql.placeholder(name)

/**
 * Why a batch was not stored, as the agent hears it: a full disk or a database locked by another program as such
 * (errors.ts storageFault), anything else as a plain 503. The agent keeps its reports and sends them again.
 */
const notStored = (err: unknown) => storageFault(err) ?? new HttpError(503, 'the server could not store the report; try again later', 'store-failed')

function statements(fastify: FastifyInstance) {
  const db = fastify.db
  return {
    host: db.select().from(hosts).where(eq(hosts.id, p('id'))).prepare(),
    reportExists: db.select({ id: reports.id }).from(reports).where(eq(reports.id, p('id'))).prepare(),
    bodyToday: db
      .select({ id: reports.id })
      .from(reports)
      .where(sql`${reports.hostId} = ${p('hostId')} and ${reports.receivedAt} >= ${p('from')} and ${reports.body} is not null`)
      .limit(1)
      .prepare(),
    insertReport: db
      .insert(reports)
      .values({ id: p('id'), hostId: p('hostId'), agentId: p('agentId'), kind: p('kind'), collectedAt: p('collectedAt'), receivedAt: p('receivedAt'), body: p('body') })
      .prepare(),
    updateHost: db
      .update(hosts)
      .set({
        hostname: sql`${p('hostname')}`, osFamily: sql`${p('osFamily')}`, osDistribution: sql`${p('osDistribution')}`, osVersion: sql`${p('osVersion')}`,
        osBuild: sql`${p('osBuild')}`, kernel: sql`${p('kernel')}`, arch: sql`${p('arch')}`, agentVersion: sql`${p('agentVersion')}`,
        bootTime: sql`${p('bootTime')}`, identityAt: sql`${p('identityAt')}`, lastReportAt: sql`${p('lastReportAt')}`,
      })
      .where(eq(hosts.id, p('id')))
      .prepare(),
    hostSeen: db.update(hosts).set({ lastReportAt: sql`${p('lastReportAt')}` }).where(eq(hosts.id, p('id'))).prepare(),
    agentSeen: db.update(agents).set({ lastSeenAt: sql`${p('at')}` }).where(eq(agents.id, p('id'))).prepare(),
    facts: db.select({ factId: facts.factId, value: facts.value, collectedAt: facts.collectedAt }).from(facts).where(eq(facts.hostId, p('hostId'))).prepare(),
    upsertFact: db
      .insert(facts)
      .values({ hostId: p('hostId'), factId: p('factId'), value: p('value'), collectedAt: p('collectedAt'), reportId: p('reportId') })
      .onConflictDoUpdate({
        target: [facts.hostId, facts.factId],
        set: { value: sql`excluded.value`, collectedAt: sql`excluded.collected_at`, reportId: sql`excluded.report_id` },
      })
      .prepare(),
    // The same value again: only when and by which report it was last seen. SQLite then rewrites just the row's first
    // page, not the overflow pages of a large value (their content is compared and found unchanged).
    touchFact: db
      .update(facts)
      .set({ collectedAt: sql`${p('collectedAt')}`, reportId: sql`${p('reportId')}` })
      .where(sql`${facts.hostId} = ${p('hostId')} and ${facts.factId} = ${p('factId')}`)
      .prepare(),
  }
}

export function createIngest(fastify: FastifyInstance) {
  const db = fastify.db
  const q = statements(fastify)
  const { judgeHost } = createJudge(db)
  const listeners: FindingListener[] = []
  /** When each host was last judged (by a report or a re-judging pass), on the caller's clock. */
  const judgedAt = new Map<string, number>()
  const queue: Job[] = []
  let scheduled = false
  const drained = new Set<() => void>()
  /** Reports taken off the queue per batch (stored or refused) over the last RATE_WINDOW_MS: how fast it drains now. */
  const drainedBy: { at: number; n: number }[] = []
  const rate = () => {
    const cut = performance.now() - RATE_WINDOW_MS
    while (drainedBy.length && drainedBy[0]!.at < cut) drainedBy.shift()
    return drainedBy.reduce((a, c) => a + c.n, 0) / (RATE_WINDOW_MS / 1000)
  }

  function storeOne(agent: AgentIdentity, received: Report, now: Date): StoreResult {
    const receivedAt = now.toISOString()
    // Checked here, in the transaction that would store the report, not only when the connection opened: an agent
    // revoked (or a host retired) while its WebSocket is open gets not one more report in.
    const refusal = fastify.auth.agentRefusal(agent.id)
    if (refusal) throw agentRefused(refusal)
    const host = q.host.get({ id: agent.hostId })
    if (!host) throw agentRefused('bad-credentials')
    if (host.machineId !== received.host.machineId)
      throw new HttpError(409, 'report is for another machine than this agent was enrolled on', 'machine-mismatch')
    if (q.reportExists.get({ id: received.id })) return { duplicate: true }
    // The agent's times as instants in one form, bounded by what the server can trust (services/agent-time.ts): `at`
    // orders this report against the host's others — its collectedAt when believable, else the time it was received.
    const timed = timeReport(received, now, agent.createdAt ?? '')
    const report = timed.report
    const at = timed.effectiveAt
    const h = report.host
    // The identity (host name, OS …) shown is that of the newest report: a late or replayed older one never puts an old name back.
    const newest = !host.identityAt || Date.parse(at) >= Date.parse(host.identityAt)
    const identity = newest
      ? {
          hostname: h.hostname, osFamily: h.os.family, osDistribution: h.os.distribution, osVersion: h.os.version, osBuild: h.os.build,
          kernel: h.kernel, arch: h.arch, agentVersion: h.agentVersion, bootTime: h.bootTime, identityAt: at,
        }
      : {}
    if (newest) q.updateHost.run({ ...identity, lastReportAt: receivedAt, id: host.id })
    else q.hostSeen.run({ lastReportAt: receivedAt, id: host.id })
    // A new name, OS version or boot time is a change worth keeping the body for, like a changed fact.
    let changed = (Object.keys(identity) as (keyof typeof identity)[]).some((k) => k !== 'identityAt' && host[k] !== identity[k])
    q.agentSeen.run({ id: agent.id, at: receivedAt })

    // Facts: the newest value of each; what the judge needs is collected on the way, parsed once.
    const known: Record<string, unknown> = {}
    const stored = q.facts.all({ hostId: host.id })
    const prevOf = new Map(stored.map((r) => [r.factId, r]))
    for (const id of FACT_IDS) {
      let value = report.facts[id]
      const prev = prevOf.get(id)
      // Absent from this report, or a replayed older report: the stored value stands.
      if (value === undefined || (prev && Date.parse(prev.collectedAt) > Date.parse(at))) continue
      if (id === 'base.patches' && !isFactError(value))
        value = carryPendingSince(prev ? JSON.parse(prev.value) : undefined, value as Extract<typeof value, { items: unknown }>, at)
      const json = JSON.stringify(value)
      const row = { hostId: host.id, factId: id, collectedAt: at, reportId: report.id }
      if (prev?.value === json) q.touchFact.run(row)
      else {
        q.upsertFact.run({ ...row, value: json })
        changed = true
      }
      known[id] = value
    }
    for (const r of stored) if (!(r.factId in known)) known[r.factId] = JSON.parse(r.value)
    // The body is kept when something changed, and once a day in any case (see the schema).
    const keepBody = changed || !q.bodyToday.get({ hostId: host.id, from: `${receivedAt.slice(0, 10)}T00:00:00.000Z` })
    q.insertReport.run({
      id: report.id, hostId: host.id, agentId: agent.id, kind: report.kind, collectedAt: at, receivedAt,
      body: keepBody ? JSON.stringify(report) : null,
    })
    judgeHost(host.id, now, listeners, known as Partial<Facts>, { ...host, ...identity, lastReportAt: receivedAt })
    judgedAt.set(host.id, now.getTime())
    // A host whose clock is not believed is a finding of its own (alert agent.clock); its next believable report ends it.
    if (timed.clock || fastify.alerts.hasOpen(host.id, 'agent.clock'))
      fastify.alerts.agentAlert(host.id, 'agent.clock', clockReason(timed.clock), timed.clock ? CLOCK_FIX : null, now)
    return { duplicate: false }
  }
  // Inside a batch this is a savepoint; on its own a transaction (better-sqlite3 nests by itself).
  const storeTx = db.$client.transaction(storeOne)

  function schedule() {
    if (scheduled) return
    scheduled = true
    setImmediate(flush)
  }

  /** True while a WAL checkpoint runs: no batch is committed meanwhile (see db/durability.ts). */
  let checkpointing = false

  /** One batch: as many waiting reports as fit in the budget, one COMMIT, then every answer. */
  function flush() {
    scheduled = false
    if (checkpointing) return
    const wait = fastify.beforeBulkWrite()
    if (wait) {
      // The event loop stays free meanwhile; only the commits wait (typically a few tens of milliseconds).
      checkpointing = true
      void wait.then(() => {
        checkpointing = false
        if (queue.length) schedule()
      })
      return
    }
    const started = performance.now()
    const done: { job: Job; hostId: string; result?: StoreResult; error?: unknown }[] = []
    try {
      db.$client.transaction(() => {
        while (queue.length && done.length < BATCH_MAX && performance.now() - started < BATCH_BUDGET_MS) {
          const job = queue.shift()!
          const entry: (typeof done)[number] = { job, hostId: job.agent.hostId }
          done.push(entry)
          try {
            const report = typeof job.report === 'function' ? job.report() : job.report
            entry.result = storeTx(job.agent, report, new Date())
          } catch (err) {
            entry.error = err
          }
        }
      })()
    } catch (err) {
      // The COMMIT failed (disk full, I/O error): nothing of this batch is stored, every agent will send again.
      fastify.log.error({ err, reports: done.length }, 'committing a batch of reports failed')
      const why = notStored(err)
      for (const e of done) if (!e.error) e.error = why
    }
    // Refusals go out at once; acks once the batch is on disk (db/durability.ts).
    const stored = done.filter((e) => e.error === undefined)
    drainedBy.push({ at: performance.now(), n: done.length })
    for (const e of done) if (e.error !== undefined) e.job.reject(e.error)
    for (const e of stored) if (!e.result!.duplicate) fastify.events.emit({ type: 'host-updated', hostId: e.hostId })
    if (stored.length)
      fastify.durable().then(
        () => {
          for (const e of stored) e.job.resolve(e.result!)
        },
        (err: unknown) => {
          fastify.log.error({ err }, 'syncing the WAL failed: reports not acknowledged')
          const why = notStored(err)
          for (const e of stored) e.job.reject(why)
        },
      )
    if (queue.length) schedule()
    if (queue.length <= BACKLOG_LOW && drained.size) for (const fn of [...drained]) fn()
  }

  return {
    /** The registered listeners, for other judges (the organisation's records) that feed the same pipeline. */
    listeners: listeners as readonly FindingListener[],
    /** Alerts hook in here; listeners run inside the judging transaction. */
    onFindings(l: FindingListener) {
      listeners.push(l)
    },
    /**
     * Stores one report in its own transaction, at once (tests, seeding, the CLI). Returns after COMMIT; a report id
     * seen before changes nothing (duplicate: true). Throws 409 when the report names another machine than the agent
     * was enrolled for.
     */
    store(agent: AgentIdentity, report: Report, now = new Date()): StoreResult {
      const r = storeTx(agent, report, now)
      if (!r.duplicate) fastify.events.emit({ type: 'host-updated', hostId: agent.hostId })
      return r
    },
    /** Queues a report for the next batch; resolves after the COMMIT that holds it (or rejects: 4xx, 5xx). */
    submit(agent: AgentIdentity, report: Report | (() => Report)): Promise<StoreResult> {
      return new Promise((resolve, reject) => {
        queue.push({ agent, report, resolve, reject })
        schedule()
      })
    },
    /** Reports waiting for their batch. */
    backlog: () => queue.length,
    /**
     * How long an agent held back now should wait: about the time the backlog takes to drain at the rate of the last
     * seconds (at least 2 s, at most HOLD_MAX_SECONDS). A fixed 30 s left the server idle for most of each hold after a
     * burst; measured with bench/fleet.ts --saturate.
     */
    holdSeconds: () => Math.min(HOLD_MAX_SECONDS, Math.max(2, Math.ceil((2 * queue.length) / Math.max(rate(), 50)))),
    /** Called (every time) when the backlog has come down to BACKLOG_LOW after a batch. */
    onDrained(fn: () => void) {
      drained.add(fn)
      return () => drained.delete(fn)
    },
    /**
     * Re-judges hosts (time passes: backups age, agents fall silent; thresholds change), in chunks of one transaction
     * of at most BATCH_BUDGET_MS each, yielding to the event loop in between. The first chunk runs before this returns.
     * `skipJudgedWithinMs`: leave out hosts judged that recently (by a report) — their judgement is fresh.
     */
    async rejudge(hostIds: readonly string[], now = new Date(), opts: { skipJudgedWithinMs?: number } = {}): Promise<number> {
      const skip = opts.skipJudgedWithinMs
      const due = skip ? hostIds.filter((id) => !(now.getTime() - (judgedAt.get(id) ?? -Infinity) < skip)) : hostIds
      let changed: string[] = []
      await inChunks(
        db,
        due,
        (id) => {
          if (judgeHost(id, now, listeners).length) changed.push(id)
          judgedAt.set(id, now.getTime())
        },
        {
          onError: (err, id) => fastify.log.error({ err, hostId: id }, 're-judging a host failed'),
          afterChunk: () => {
            for (const id of changed) fastify.events.emit({ type: 'host-updated', hostId: id })
            changed = []
          },
        },
      )
      return due.length
    },
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('ingest', createIngest(fastify))
  },
  { name: 'ingest', dependencies: ['db', 'events', 'auth'] })
