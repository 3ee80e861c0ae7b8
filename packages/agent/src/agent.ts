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

/** Facts cheap enough to read every minute. */
export const QUICK_FACTS: FactId[] = ['base.firewall', 'base.antimalware']

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
  private lastQuick = new Map<FactId, string>()
  private collecting: Promise<unknown> | null = null
  /** Identity from the last full collection; quick reports reuse it rather than reading the system again. */
  private identity: HostIdentity | null = null
  /** The live channel; started by start(), so `run --once` stays on plain HTTP. */
  readonly channel: WsChannel | null = null
  private watcher: Watcher | null = null
  intervalMinutes: number

  constructor(private readonly opts: AgentOptions) {
    const { config } = opts
    if (!config.server || !config.agentId || !config.secret) throw new Error('not enrolled: run `lagebild-agent enroll --server URL --token TOKEN` first')
    this.intervalMinutes = config.intervalMinutes
    this.spool = new Spool(join(opts.dir, 'spool'))
    // One trust setting for every connection: the private CA from enrollment (--ca), else the usual public CAs.
    const tls: TlsOptions = config.caFile ? { ca: readCaFile(config.caFile) } : {}
    const http: SendFn = (r) => sendReport(config.server!, config.agentId!, config.secret!, r, tls)
    if (!opts.send) {
      const channel = new WsChannel({
        server: config.server, agentId: config.agentId, secret: config.secret, log: this.log, backoff: opts.backoff, tls,
        onCommand: (cmd) => this.command(cmd.command, cmd.intervalMinutes),
        onCard: (card) => saveCard(opts.dir, card).then(() => this.log(`emergency card ${card.version.slice(0, 12)} kept`)),
        // Back online: what waited in the spool goes first, in order.
        onConnect: () => void this.spool.size().then((n) => (n ? this.shipper.ship(null) : undefined)).catch(() => undefined),
      })
      this.channel = channel
      // Over the live channel when it is up; otherwise, or when it drops before the ack, over HTTP. The report id
      // makes the second try harmless if the first had been stored after all.
      const live: SendFn = async (r) => {
        if (channel.connected) {
          try {
            return await channel.send(r)
          } catch (err) {
            if (err instanceof TransportError && !err.retryable) throw err
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
    if (Date.now() - this.lastFull >= this.intervalMinutes * 60_000) await this.collectFull()
    else await this.collectQuick()
    if (agentEnv().debug) this.log('tick done')
  }

  /** A command from the server over the live channel. */
  async command(command: AgentCommand, intervalMinutes?: number): Promise<{ ok: boolean; message?: string }> {
    if (command === 'collect-now') {
      const { report, result } = await this.collectFull()
      return { ok: result.delivered > 0 || result.spooled > 0, message: `report ${report.id}` }
    }
    if (!intervalMinutes) return { ok: false, message: 'set-interval needs intervalMinutes' }
    this.intervalMinutes = intervalMinutes
    // Kept in config.json, so the new interval survives a restart of the agent.
    const next = { ...this.opts.config, intervalMinutes }
    await (this.opts.configFile ? saveConfigFile(this.opts.configFile, next) : saveConfig(this.opts.dir, next))
    this.log(`interval set to ${intervalMinutes} min by the server`)
    return { ok: true, message: `interval ${intervalMinutes} min` }
  }

  async start() {
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
