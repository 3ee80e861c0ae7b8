// The running agent: a full collection every interval, quick checks every minute (sent at once when they change),
// delivery through the shipper (spool on disk when the server is unreachable).
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { AgentCommand, FactId, Facts, HostIdentity, Report } from '@lagebild/shared'
import { agentEnv, readCaFile, type AgentConfig } from './config.js'
import { collectFacts, collectReport } from './run.js'
import { collectInWorker } from './worker.js'
import { everyMinute, type Schedule } from './schedule.js'
import { sendReport, TransportError, type TlsOptions } from './transport/http.js'
import { WsChannel } from './transport/ws.js'
import { watchNftables, type Watcher } from './watch.js'
import { saveConfig, saveConfigFile } from './config.js'
import { Shipper, type SendFn, type ShipResult } from './transport/shipper.js'
import { Spool } from './transport/spool.js'
import { saveCard } from './card.js'
import { answerEvidence, type EvidenceRequest } from './evidence/answer.js'
import { Watch, type WatchFrame } from './watch-state.js'
import { agentDropDir, buildUserReport, ensureDropDir, shipUserReports, takeDropped, userReportSpool } from './report.js'
import { unlink } from 'node:fs/promises'

/** Facts cheap enough to read every minute. */
export const QUICK_FACTS: FactId[] = ['base.firewall', 'base.antimalware']
/**
 * Each full collection comes after the interval ±10 % (osquery's schedule splay), so that PCs started together (Monday
 * morning, a mass update of the agent) drift apart instead of reporting in lockstep forever.
 */
export const INTERVAL_SPLAY = 0.1

/** When the next full collection is due after one at `last`. */
export const nextFullAt = (last: number, intervalMinutes: number, random = Math.random) =>
  last + intervalMinutes * 60_000 * (1 + INTERVAL_SPLAY * (2 * random() - 1))

export interface AgentOptions {
  dir: string
  /** config.json (default: inside dir). */
  configFile?: string
  /** Called after each delivered full report (the updater confirms a new version there). */
  onDelivered?: () => void
  config: AgentConfig
  log?: (msg: string) => void
  /** Overrides the sender (tests); by default reports go over the live WebSocket channel, HTTP when it is down. */
  send?: SendFn
  /** Listen for firewall changes (Linux: nft monitor) and report them within seconds (default true). */
  watchFirewall?: boolean
  /** Reconnect backoff of the live channel (tests shorten it). */
  backoff?: { baseMs: number; maxMs: number }
  /** Run the full collection in a child process (default) or in this process (tests, `run --once`). */
  worker?: boolean
}

export class Agent {
  readonly spool: Spool
  readonly shipper: Shipper
  private schedule: Schedule | null = null
  private lastFull = 0
  private fullDueAt = 0
  private lastQuick = new Map<FactId, string>()
  private collecting: Promise<unknown> | null = null
  /** Identity from the last full collection; quick reports reuse it rather than reading the system again. */
  private identity: HostIdentity | null = null
  /** The live channel; started by start(), so `run --once` stays on plain HTTP. */
  readonly channel: WsChannel | null = null
  private watcher: Watcher | null = null
  /** The interval of the configuration; heightened monitoring may shorten it for a while (`interval`). */
  intervalMinutes: number
  /** Heightened monitoring after an incident, kept on disk so a restart keeps it. */
  readonly watch: Watch
  private readonly evidenceRunning = new Set<string>()

  constructor(private readonly opts: AgentOptions) {
    const { config } = opts
    if (!config.server || !config.agentId || !config.secret) throw new Error('not enrolled: run `lagebild-agent enroll --server URL --token TOKEN` first')
    this.intervalMinutes = config.intervalMinutes
    this.watch = new Watch(opts.dir, (m) => this.log(m))
    this.spool = new Spool(join(opts.dir, 'spool'))
    // One trust setting for every connection: the private CA from enrollment (--ca), else the usual public CAs.
    const tls: TlsOptions = config.caFile ? { ca: readCaFile(config.caFile) } : {}
    const http: SendFn = (r) => sendReport(config.server!, config.agentId!, config.secret!, r, tls)
    if (!opts.send) {
      const channel = new WsChannel({
        server: config.server, agentId: config.agentId, secret: config.secret, log: this.log, backoff: opts.backoff, tls,
        onCommand: (cmd) => this.command(cmd.command, cmd.intervalMinutes),
        onSlowDown: (seconds) => this.shipper.hold(seconds * 1000),
        onWatch: (w) => this.setWatch(w),
        onEvidenceRequest: (req) => void this.evidence(req),
        onCard: (card) => saveCard(opts.dir, card).then(() => this.log(`emergency card ${card.version.slice(0, 12)} kept`)),
        // Back online: what waited in the spool goes first, in order; user reports likewise.
        onConnect: () => {
          void this.spool.size().then((n) => (n ? this.shipper.ship(null) : undefined)).catch(() => undefined)
          void this.userReports().catch((err: Error) => this.log(`user reports: ${err.message}`))
        },
      })
      this.channel = channel
      // Over the live channel when it is up; otherwise, or when it drops before the ack, over HTTP. The report id
      // makes the second try harmless if the first had been stored after all.
      const live: SendFn = async (r) => {
        if (channel.connected) {
          try {
            return await channel.send(r)
          } catch (err) {
            // Refused for good, or the server is busy: the HTTP path leads to the same server.
            if (err instanceof TransportError && (!err.retryable || err.busy)) throw err
          }
        }
        return http(r)
      }
      this.shipper = new Shipper(this.spool, live, this.log)
    } else this.shipper = new Shipper(this.spool, opts.send, this.log)
  }

  private log = (msg: string) => (this.opts.log ?? ((m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`)))(msg)

  private remember(facts: Facts) {
    for (const id of QUICK_FACTS) if (facts[id] !== undefined) this.lastQuick.set(id, JSON.stringify(facts[id]))
  }

  /** One collection at a time: a second request waits for the running one. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = (this.collecting ?? Promise.resolve()).then(fn)
    this.collecting = run.catch(() => {})
    return run
  }

  collectFull(): Promise<{ report: Report; result: ShipResult }> {
    return this.exclusive(async () => {
      const started = performance.now()
      const report = this.opts.worker === false ? await collectReport({ config: this.opts.config }) : await collectInWorker(this.opts.dir, undefined, this.opts.configFile)
      this.log(`full collection took ${Math.round(performance.now() - started)} ms`)
      this.identity = report.host
      this.lastFull = Date.now()
      this.fullDueAt = nextFullAt(this.lastFull, this.intervalMinutes)
      this.remember(report.facts)
      const r = await this.shipper.ship(report)
      this.log(`full report ${report.id}: delivered ${r.delivered}, spooled ${r.spooled}${r.refused ? `, refused: ${r.refused}` : ''}`)
      if (r.delivered > 0) this.opts.onDelivered?.()
      return { report, result: r }
    })
  }

  /** Reads the quick facts; sends a quick report only when one of them changed. */
  collectQuick(only: FactId[] = QUICK_FACTS): Promise<Report | null> {
    return this.exclusive(async () => {
      const report: Report = this.identity
        ? { v: 1, id: randomUUID(), kind: 'quick', collectedAt: new Date().toISOString(), host: this.identity, facts: await collectFacts({ config: this.opts.config, only }) }
        : await collectReport({ config: this.opts.config, only })
      const changed = only.filter((id) => JSON.stringify(report.facts[id]) !== this.lastQuick.get(id))
      if (!changed.length) {
        // Nothing new; still a chance to replay the spool.
        if (await this.spool.size()) await this.shipper.ship(null)
        return null
      }
      this.remember(report.facts)
      const facts: Record<string, unknown> = {}
      for (const id of changed) facts[id] = report.facts[id]
      const quick: Report = { ...report, facts: facts as Facts }
      const r = await this.shipper.ship(quick)
      this.log(`quick report ${quick.id} (${changed.join(', ')}): delivered ${r.delivered}, spooled ${r.spooled}`)
      return quick
    })
  }

  async tick() {
    // For bench/agent.ts: marks when the agent works, to measure that it does not between ticks.
    if (agentEnv().debug) {
      const m = process.memoryUsage()
      this.log(`tick rss=${m.rss >> 20} heapTotal=${m.heapTotal >> 20} heapUsed=${m.heapUsed >> 20} external=${m.external >> 20} MiB`)
    }
    // The splayed due time of the own interval; while heightened monitoring runs, its shorter interval exactly.
    const watching = this.interval() < this.intervalMinutes
    if (Date.now() >= (watching ? this.lastFull + this.interval() * 60_000 : this.fullDueAt)) await this.collectFull()
    else await this.collectQuick()
    await this.userReports().catch((err: Error) => this.log(`user reports: ${err.message}`))
    if (agentEnv().debug) this.log('tick done')
  }

  /** The interval in force: the configured one, shorter while heightened monitoring runs (it ends by itself). */
  interval(now = new Date()): number {
    return this.watch.interval(this.intervalMinutes, now)
  }

  /** Heightened monitoring from the server: a shorter interval until a time, or its end. */
  async setWatch(w: WatchFrame): Promise<{ ok: boolean; message?: string }> {
    const message = await this.watch.set(w, this.intervalMinutes)
    return { ok: true, message }
  }

  /** An evidence request: collected read-only and uploaded, one collection at a time; the same request once. */
  async evidence(req: EvidenceRequest) {
    const c = this.opts.config
    if (this.evidenceRunning.has(req.requestId)) return
    this.evidenceRunning.add(req.requestId)
    try {
      this.log(`evidence requested (${req.items.join(', ')}; last ${req.hours} h)`)
      const tls: TlsOptions = c.caFile ? { ca: readCaFile(c.caFile) } : {}
      const done = await this.exclusive(() => answerEvidence(req, { server: c.server!, agentId: c.agentId!, secret: c.secret!, tls }, (m) => this.log(m)))
      this.log(`evidence request ${req.requestId}: ${done.results.filter((r) => r.ok).length} of ${done.results.length} items delivered`)
    } catch (err) {
      this.log(`evidence request ${req.requestId} not finished: ${(err as Error).message}`)
    } finally {
      this.evidenceRunning.delete(req.requestId)
    }
  }

  /**
   * User reports: those dropped by people without access to the agent's configuration get this PC's identity and a
   * fresh collection, then join the spool; the spool is delivered in order.
   */
  async userReports() {
    const drop = agentDropDir(this.opts.dir)
    const dropped = drop ? await takeDropped(drop) : []
    if (dropped.length) {
      const { report } = await this.collectFull()
      for (const d of dropped) {
        const r = await buildUserReport(d.report.answers, d.report.lang, this.opts.config, report)
        await userReportSpool(this.opts.dir).add({ ...r, id: d.report.id, reportedAt: d.report.reportedAt })
        await unlink(d.file).catch(() => undefined)
        this.log(`user report of ${d.report.user || 'a user'} taken from ${drop}`)
      }
    }
    if (await userReportSpool(this.opts.dir).size()) await shipUserReports(this.opts.dir, this.opts.config, this.log)
  }

  /** A command from the server over the live channel. */
  async command(command: AgentCommand, intervalMinutes?: number): Promise<{ ok: boolean; message?: string }> {
    if (command === 'collect-now') {
      const { report, result } = await this.collectFull()
      return { ok: result.delivered > 0 || result.spooled > 0, message: `report ${report.id}` }
    }
    if (!intervalMinutes) return { ok: false, message: 'set-interval needs intervalMinutes' }
    this.intervalMinutes = intervalMinutes
    this.fullDueAt = nextFullAt(this.lastFull, intervalMinutes)
    // Kept in config.json, so the new interval survives a restart of the agent.
    const next = { ...this.opts.config, intervalMinutes }
    await (this.opts.configFile ? saveConfigFile(this.opts.configFile, next) : saveConfig(this.opts.dir, next))
    this.log(`interval set to ${intervalMinutes} min by the server`)
    return { ok: true, message: `interval ${intervalMinutes} min` }
  }

  async start() {
    await this.watch.load()
    const drop = agentDropDir(this.opts.dir)
    if (drop) await ensureDropDir(drop).catch((err: Error) => this.log(`report folder ${drop}: ${err.message}`))
    this.channel?.start()
    if (this.opts.watchFirewall !== false)
      this.watcher = watchNftables(() => void this.collectQuick(['base.firewall']).catch((err: Error) => this.log(`firewall check failed: ${err.message}`)), { log: this.log })
    await this.collectFull().catch((err: Error) => this.log(`collection failed: ${err.message}`))
    this.schedule = everyMinute(() => this.tick().catch((err: Error) => this.log(`collection failed: ${err.message}`)))
  }

  stop() {
    this.schedule?.stop()
    this.schedule = null
    this.watcher?.stop()
    this.watcher = null
    this.channel?.stop()
  }
}
