// One client process of the fleet simulator: a slice of the fleet, each simulated PC with the agent's own live channel
// (packages/agent WsChannel: backoff with jitter, ack after commit, slow-down) over its own WebSocket. Several of these
// run side by side because one process may hold at most 20,000 open files here. Driven by the parent over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Report } from '../../packages/shared/src/index.js'
import { WsChannel } from '../../packages/agent/src/transport/ws.js'
import { TransportError } from '../../packages/agent/src/transport/http.js'
import { FleetHost } from './report.js'
import type { FleetAgent } from './seed.js'
import type { WorkerCommand, WorkerStats } from './protocol.js'

/** Reports a simulated PC keeps while it cannot deliver (the real agent spools on disk). */
const SPOOL_MAX = 50

const loop = monitorEventLoopDelay({ resolution: 20 })
loop.enable()

let stats: WorkerStats = freshStats()
function freshStats(): WorkerStats {
  return {
    latencies: [], ackTimes: [], ackedIds: [], duplicates: 0, errors: {}, failures: {}, closes: {}, handshakeFailures: 0,
    connects: 0, slowDowns: 0, dropped: 0, reconnectToAck: [], loopMaxMs: 0, sent: 0,
  }
}
const bump = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1)

let url = ''
let changeRate = 0.05
/** While true, closes are the simulator's own doing (stop, storm) and are not counted as disconnects. */
let quiet = false

class SimAgent {
  readonly host: FleetHost
  readonly channel: WsChannel
  readonly queue: Report[] = []
  inFlight = false
  /** Not before this time (ms): the server asked to slow down. */
  holdUntil = 0
  private holdTimer: NodeJS.Timeout | null = null
  /** Set by a storm: the time the agent was cut off; the first ack afterwards ends its reconnect. */
  stormAt = 0
  /** Closed loop: the next report right after each ack. */
  saturate = false
  /** The simulator itself closed this agent's connection (storm, end): that close is no disconnect. */
  stopping = false

  constructor(readonly a: FleetAgent) {
    this.host = new FleetHost(a.index, a.identity)
    this.channel = new WsChannel({
      server: url,
      agentId: a.agentId,
      secret: a.secret,
      log: () => undefined,
      onConnect: () => {
        stats.connects++
        this.pump()
      },
      onClose: (code, _reason, opened) => {
        if (quiet || this.stopping) return
        if (!opened) stats.handshakeFailures++
        else bump(stats.closes, String(code))
      },
      onSlowDown: (seconds) => this.slowDown(seconds),
    })
  }

  slowDown(seconds: number) {
    stats.slowDowns++
    this.holdUntil = Math.max(this.holdUntil, Date.now() + seconds * 1000)
    if (this.holdTimer) clearTimeout(this.holdTimer)
    this.holdTimer = setTimeout(() => this.pump(), this.holdUntil - Date.now())
  }

  due() {
    if (this.queue.length >= SPOOL_MAX) {
      this.queue.shift()
      stats.dropped++
    }
    this.queue.push(this.host.next(changeRate))
    this.pump()
  }

  pump() {
    if (this.inFlight || !this.queue.length || !this.channel.connected || Date.now() < this.holdUntil) return
    const r = this.queue[0]!
    this.inFlight = true
    const t0 = performance.now()
    stats.sent++
    this.channel.send(r).then(
      (ack) => {
        const now = Date.now()
        stats.latencies.push(performance.now() - t0)
        stats.ackTimes.push(now)
        stats.ackedIds.push(r.id)
        if (ack.duplicate) stats.duplicates++
        if (this.stormAt) {
          stats.reconnectToAck.push(now - this.stormAt)
          this.stormAt = 0
        }
        this.queue.shift()
        this.inFlight = false
        if (this.saturate && !this.queue.length) this.queue.push(this.host.next(changeRate))
        this.pump()
      },
      (err: unknown) => {
        this.inFlight = false
        const e = err instanceof TransportError ? err : null
        if (e && e.status > 0) bump(stats.errors, String(e.status))
        else bump(stats.failures, (err as Error).message.replace(/[0-9a-f-]{36}/g, '…').replace(/\d+/g, 'N').slice(0, 60))
        // A refusal for good (4xx): the real agent drops it; anything else is sent again later (same id).
        if (e && !e.retryable) this.queue.shift()
        // Busy (503): wait as told, or a few seconds.
        if (e?.status === 503 || e?.status === 429) this.slowDown(5)
      },
    )
  }
}

let agents: SimAgent[] = []
const timers = new Set<NodeJS.Timeout>()
const later = (ms: number, fn: () => void) => {
  const t = setTimeout(() => {
    timers.delete(t)
    fn()
  }, ms)
  timers.add(t)
}
const clearTimers = () => {
  for (const t of timers) clearTimeout(t)
  timers.clear()
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function connectAll(perSecond: number, timeoutMs: number) {
  const t0 = Date.now()
  const step = Math.max(1, Math.round(perSecond / 20))
  for (let i = 0; i < agents.length; i += step) {
    for (const a of agents.slice(i, i + step)) a.channel.start()
    await sleep(50)
  }
  while (agents.some((a) => !a.channel.connected) && Date.now() - t0 < timeoutMs) await sleep(100)
  return { connected: agents.filter((a) => a.channel.connected).length, ms: Date.now() - t0 }
}

/** Every agent reports once per cycle at its own random phase, for `durationMs`. */
async function steady(cycleMs: number, durationMs: number) {
  const start = Date.now()
  for (const a of agents) {
    const phase = Math.random() * cycleMs
    const fire = (k: number) => {
      const at = start + phase + k * cycleMs
      if (at - start >= durationMs) return
      later(Math.max(0, at - Date.now()), () => {
        a.due()
        fire(k + 1)
      })
    }
    fire(0)
  }
  await sleep(durationMs)
  clearTimers()
}

async function saturate(durationMs: number) {
  for (const a of agents) {
    a.saturate = true
    later(Math.random() * 1000, () => a.due())
  }
  await sleep(durationMs)
  for (const a of agents) a.saturate = false
  clearTimers()
}

/** Every agent is cut off at once and comes back at a random moment within `windowMs`; each then sends one report. */
async function storm(windowMs: number, timeoutMs: number) {
  const at = Date.now()
  for (const a of agents) {
    a.stopping = true
    a.channel.stop()
  }
  for (const a of agents) {
    a.stormAt = at
    a.queue.push(a.host.next(changeRate))
    later(Math.random() * windowMs, () => {
      a.stopping = false
      a.channel.start()
    })
  }
  while (agents.some((a) => a.stormAt) && Date.now() - at < timeoutMs) await sleep(200)
  clearTimers()
  return { pending: agents.filter((a) => a.stormAt).length }
}

/** After a server restart: wait until every agent is connected again and has an ack for a report sent since `since`. */
async function awaitRecovery(since: number, timeoutMs: number) {
  for (const a of agents) {
    a.stormAt = since
    a.queue.push(a.host.next(changeRate))
    a.pump()
  }
  while (agents.some((a) => a.stormAt) && Date.now() - since < timeoutMs) await sleep(200)
  return { pending: agents.filter((a) => a.stormAt).length }
}

async function drain(timeoutMs: number) {
  const t0 = Date.now()
  while (agents.some((a) => a.inFlight || a.queue.length) && Date.now() - t0 < timeoutMs) await sleep(100)
  return { unsent: agents.reduce((n, a) => n + a.queue.length, 0) }
}

function takeStats(): WorkerStats {
  const s = { ...stats, loopMaxMs: loop.max / 1e6 }
  stats = freshStats()
  loop.reset()
  return s
}

process.on('message', (m: WorkerCommand) => {
  const reply = (body: object) => process.send!({ id: m.id, ...body })
  const run = async () => {
    switch (m.cmd) {
      case 'init':
        url = m.url
        changeRate = m.changeRate
        agents = m.agents.map((a) => new SimAgent(a))
        return reply({})
      case 'connect':
        return reply(await connectAll(m.perSecond, m.timeoutMs))
      case 'steady':
        await steady(m.cycleMs, m.durationMs)
        return reply({})
      case 'saturate':
        await saturate(m.durationMs)
        return reply({})
      case 'storm':
        return reply(await storm(m.windowMs, m.timeoutMs))
      case 'recover':
        return reply(await awaitRecovery(m.since, m.timeoutMs))
      case 'drain':
        return reply(await drain(m.timeoutMs))
      case 'count':
        return reply({ connected: agents.filter((a) => a.channel.connected).length })
      case 'stats':
        return reply({ stats: takeStats(), connected: agents.filter((a) => a.channel.connected).length })
      case 'stop':
        quiet = true
        for (const a of agents) a.channel.stop()
        reply({})
        return setTimeout(() => process.exit(0), 200)
    }
  }
  run().catch((err: Error) => reply({ error: err.stack ?? err.message }))
})
process.send!({ ready: true })
