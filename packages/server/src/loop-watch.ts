// Tells the operator when the server's event loop was blocked: while it is, no agent gets an ack and no page loads.
// One line a minute at most, only when a stall passed the threshold.
import { monitorEventLoopDelay } from 'node:perf_hooks'

export const STALL_WARN_MS = 200

export function watchEventLoop(log: { warn: (o: object, msg: string) => void }, everyMs = 60_000) {
  const h = monitorEventLoopDelay({ resolution: 20 })
  h.enable()
  const timer = setInterval(() => {
    const maxMs = Math.round(h.max / 1e6)
    if (maxMs >= STALL_WARN_MS) log.warn({ maxMs, p99Ms: Math.round(h.percentile(99) / 1e6) }, `event loop blocked for up to ${maxMs} ms in the last minute`)
    h.reset()
  }, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    h.disable()
  }
}
