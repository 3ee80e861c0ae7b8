// Preloaded into the server process by the fleet simulator (node --import): once a second it appends the event loop's
// delay (max, p99 since the last line), RSS and CPU time as one JSON line to LAGEBILD_PROBE_FILE. Measures any server
// version the same way, so figures before and after a change compare.
import { appendFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setInterval } from 'node:timers'
import { isMainThread } from 'node:worker_threads'

const file = process.env.LAGEBILD_PROBE_FILE
// --import runs in worker threads too (the WAL checkpointer): only the main thread's loop serves agents and people.
if (file && isMainThread) {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  let cpu = process.cpuUsage()
  let last = Date.now()
  const timer = setInterval(() => {
    const now = Date.now()
    const c = process.cpuUsage()
    const m = process.memoryUsage()
    const line = {
      t: now,
      // The histogram counts how late the 10 ms timer fired: its max is the longest stall of the event loop.
      maxMs: h.max / 1e6,
      p99Ms: h.percentile(99) / 1e6,
      meanMs: h.mean / 1e6,
      // The wall time since the last line: a stall also shows as a gap here (this timer runs on the same loop).
      gapMs: now - last,
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      cpuMs: (c.user - cpu.user + c.system - cpu.system) / 1000,
    }
    cpu = c
    last = now
    h.reset()
    appendFileSync(file, JSON.stringify(line) + '\n')
  }, 1000)
  timer.unref()
}
