// The running agent: a full collection every interval, quick checks every minute (sent at once when they change),
// delivery through the shipper (spool on disk when the server is unreachable).
import { join } from 'node:path'
import type { FactId, Facts, Report } from '@lagebild/shared'
import type { AgentConfig } from './config.js'
import { collectReport } from './run.js'
import { everyMinute, type Schedule } from './schedule.js'
import { sendReport } from './transport/http.js'
import { Shipper, type SendFn, type ShipResult } from './transport/shipper.js'
import { Spool } from './transport/spool.js'

/** Facts cheap enough to read every minute. */
export const QUICK_FACTS: FactId[] = ['base.firewall', 'base.antimalware']

export interface AgentOptions {
  dir: string
  config: AgentConfig
  log?: (msg: string) => void
  /** Overrides the HTTP sender (the WebSocket channel plugs in here). */
  send?: SendFn
}

export class Agent {
  readonly spool: Spool
  readonly shipper: Shipper
  private schedule: Schedule | null = null
  private lastFull = 0
  private lastQuick = new Map<FactId, string>()
  private collecting: Promise<unknown> | null = null
  intervalMinutes: number

  constructor(private readonly opts: AgentOptions) {
    const { config } = opts
    if (!config.server || !config.agentId || !config.secret) throw new Error('not enrolled: run `lagebild-agent enroll --server URL --token TOKEN` first')
    this.intervalMinutes = config.intervalMinutes
    this.spool = new Spool(join(opts.dir, 'spool'))
    const http: SendFn = (r) => sendReport(config.server!, config.agentId!, config.secret!, r)
    this.shipper = new Shipper(this.spool, opts.send ?? http, this.log)
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
      const report = await collectReport({ config: this.opts.config })
      this.lastFull = Date.now()
      this.remember(report.facts)
      const r = await this.shipper.ship(report)
      this.log(`full report ${report.id}: delivered ${r.delivered}, spooled ${r.spooled}${r.refused ? `, refused: ${r.refused}` : ''}`)
      return { report, result: r }
    })
  }

  /** Reads the quick facts; sends a quick report only when one of them changed. */
  collectQuick(only: FactId[] = QUICK_FACTS): Promise<Report | null> {
    return this.exclusive(async () => {
      const report = await collectReport({ config: this.opts.config, only })
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
    if (Date.now() - this.lastFull >= this.intervalMinutes * 60_000) await this.collectFull()
    else await this.collectQuick()
  }

  async start() {
    await this.collectFull().catch((err: Error) => this.log(`collection failed: ${err.message}`))
    this.schedule = everyMinute(() => this.tick().catch((err: Error) => this.log(`collection failed: ${err.message}`)))
  }

  stop() {
    this.schedule?.stop()
    this.schedule = null
  }
}
