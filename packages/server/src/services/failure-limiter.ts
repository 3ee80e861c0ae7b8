// Counts failed attempts per key (an address) in a fixed window; a key with too many failures is refused until its window
// ends. Successes never count. @fastify/rate-limit counts every request, which would throttle a rollout of many PCs
// behind one NAT address just as it throttles someone guessing; it has no "failures only" mode, hence this small counter.

export interface FailureLimiterOptions {
  /** Failed attempts allowed per key and window. */
  max: number
  windowMs: number
  /** Keys remembered at most (bounded memory under a flood of addresses); the oldest are forgotten first. */
  maxKeys?: number
}

export function createFailureLimiter(opts: FailureLimiterOptions) {
  const maxKeys = opts.maxKeys ?? 10_000
  // Insertion order = age of the window: the first entry is always the oldest.
  const windows = new Map<string, { failures: number; endsAt: number }>()
  const current = (key: string, now: number) => {
    const w = windows.get(key)
    if (w && w.endsAt <= now) windows.delete(key)
    return w && w.endsAt > now ? w : undefined
  }
  return {
    /** Seconds until the key may try again; 0 when it may now. */
    blockedFor(key: string, now = Date.now()): number {
      const w = current(key, now)
      return w && w.failures >= opts.max ? Math.ceil((w.endsAt - now) / 1000) : 0
    },
    fail(key: string, now = Date.now()) {
      const w = current(key, now)
      if (w) return void w.failures++
      if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!)
      windows.set(key, { failures: 1, endsAt: now + opts.windowMs })
    },
  }
}
