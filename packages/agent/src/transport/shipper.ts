// Delivers reports: the spool is replayed in order before anything new; what cannot be delivered now is spooled.
import type { Report, ReportAck } from '@lagebild/shared'
import { TransportError } from './http.js'
import type { Spool } from './spool.js'

export type SendFn = (report: Report) => Promise<ReportAck>

export interface ShipResult {
  delivered: number
  spooled: number
  dropped: number
  /** A refusal by the server (4xx other than 429): the report is invalid, or (401) the agent not (any more) enrolled — then the reports wait in the spool. */
  refused?: string
}

/** The longest a busy server can make us wait, whatever it asks for. */
export const HOLD_MAX_MS = 15 * 60_000

export class Shipper {
  private busy: Promise<unknown> = Promise.resolve()
  /** Reports dropped from a full spool since the last delivery: said when they are dropped and again on delivery. */
  private droppedUndelivered = 0
  /** Until then the server is busy: new reports go to the spool, nothing is sent (epoch ms). */
  private heldUntil = 0
  private holdTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly spool: Spool,
    private send: SendFn,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  setSender(send: SendFn) {
    this.send = send
  }

  /**
   * The server asked us to slow down: send nothing for about this long (±20 % jitter, so that the agents it told at the
   * same moment do not all come back at the same moment), then replay the spool by ourselves.
   */
  hold(ms: number, random = Math.random) {
    const until = Date.now() + Math.min(HOLD_MAX_MS, ms * (0.8 + 0.4 * random()))
    if (until <= this.heldUntil) return
    this.heldUntil = until
    if (this.holdTimer) clearTimeout(this.holdTimer)
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null
      // Timers and the wall clock may disagree by a millisecond: the hold is over when this fires.
      this.heldUntil = 0
      void this.ship(null).catch(() => undefined)
    }, until - Date.now())
    this.holdTimer.unref()
  }

  get heldFor(): number {
    return Math.max(0, this.heldUntil - Date.now())
  }

  /** One delivery at a time, so order holds. */
  ship(report: Report | null): Promise<ShipResult> {
    const run = this.busy.then(() => this.shipNow(report))
    this.busy = run.catch(() => {})
    return run
  }

  private async shipNow(report: Report | null): Promise<ShipResult> {
    const result = await this.deliver(report)
    if (result.dropped) {
      this.droppedUndelivered += result.dropped
      this.log(`spool full (${this.spool.max} reports): dropped the ${result.dropped} oldest — ${this.droppedUndelivered} dropped while the server was unreachable`)
    }
    if (result.delivered && this.droppedUndelivered) {
      this.log(`server reachable again: spooled reports delivered in order; ${this.droppedUndelivered} older ones had to be dropped (spool limit ${this.spool.max})`)
      this.droppedUndelivered = 0
    }
    return result
  }

  private async deliver(report: Report | null): Promise<ShipResult> {
    const result: ShipResult = { delivered: 0, spooled: 0, dropped: 0 }
    if (this.heldFor > 0) {
      if (report) {
        result.dropped += await this.spool.add(report)
        result.spooled++
      }
      return result
    }
    for await (const { name, report: old } of this.spool.entries()) {
      try {
        await this.send(old)
        await this.spool.remove(name)
        result.delivered++
      } catch (err) {
        if (err instanceof TransportError && err.status === 401) {
          // Our credentials are refused (revoked, PC enrolled again): no report can go now, but none is at fault.
          // Keep them all; after a new enrollment they are delivered in order.
          if (report) {
            result.dropped += await this.spool.add(report)
            result.spooled++
          }
          result.refused = err.message
          return result
        }
        if (err instanceof TransportError && !err.retryable) {
          // The server will never take this one (e.g. schema changed); keep going with the rest.
          this.log(`spooled report ${old.id} refused: ${err.message}`)
          await this.spool.remove(name)
          result.refused = err.message
          continue
        }
        if (err instanceof TransportError && err.retryAfterSeconds) this.hold(err.retryAfterSeconds * 1000)
        if (report) {
          result.dropped += await this.spool.add(report)
          result.spooled++
        }
        return result
      }
    }
    if (!report) return result
    try {
      await this.send(report)
      result.delivered++
    } catch (err) {
      if (err instanceof TransportError && err.status === 401) {
        result.dropped += await this.spool.add(report)
        result.spooled++
        result.refused = err.message
        return result
      }
      if (err instanceof TransportError && !err.retryable) {
        result.refused = err.message
        return result
      }
      if (err instanceof TransportError && err.retryAfterSeconds) this.hold(err.retryAfterSeconds * 1000)
      this.log(`server unreachable, report ${report.id} spooled: ${(err as Error).message}`)
      result.dropped += await this.spool.add(report)
      result.spooled++
    }
    return result
  }
}
