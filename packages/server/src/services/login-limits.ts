// The two limits a login flood meets before it costs anything (issue #11 item 7), as pure logic without Fastify.
// - HashGate: scrypt (N=2^17, 128 MiB) runs in libuv's pool of 4 threads, which also serves file reads: 64 parallel
//   wrong logins took every thread and GET / waited 23 s. At most `concurrency` hashes run at once; a few more wait;
//   beyond that a login is refused at once (503) instead of queueing without end. Browsers that logged in before
//   (a device cookie) wait in their own lane, served first.
// - FailureLocks: failed attempts per key (an account from unknown browsers, or one known browser), free up to a
//   number per window, then a lock that doubles per further failure and never exceeds `maxLockMs` — so an attacker
//   guessing the admin's password from anywhere cannot lock the admin out of a browser they used before, nor for long
//   anywhere else (OWASP ASVS 6.1.1/6.3.1: no attacker-driven lockout).
import { busy } from '../errors.js'

export type Lane = 'known' | 'unknown'

export class HashGate {
  private running = 0
  private readonly waiting: Record<Lane, (() => void)[]> = { known: [], unknown: [] }

  constructor(
    readonly concurrency = 2,
    readonly maxWaiting = 8,
  ) {}

  /** Runs `work` when a slot is free; refuses (503, Retry-After) when `maxWaiting` are already waiting in this lane. */
  async run<T>(lane: Lane, work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++
    else {
      const queue = this.waiting[lane]
      if (queue.length >= this.maxWaiting) throw busy('too many logins at once; try again in a few seconds')
      // The slot is handed over by release(): `running` stays as it is.
      await new Promise<void>((resolve) => queue.push(resolve))
    }
    try {
      return await work()
    } finally {
      const next = this.waiting.known.shift() ?? this.waiting.unknown.shift()
      if (next) next()
      else this.running--
    }
  }

  get busy() {
    return { running: this.running, waiting: this.waiting.known.length + this.waiting.unknown.length }
  }
}

export interface FailureLockOptions {
  /** Failures allowed per key and window before the first lock. */
  free: number
  windowMs: number
  /** The first lock; each further failure doubles it, up to maxLockMs. */
  firstLockMs: number
  maxLockMs: number
  /** Keys remembered (bounded memory under a spray of user names); the oldest go first. */
  maxKeys?: number
}

interface Entry {
  failures: number
  windowEndsAt: number
  lockedUntil: number
}

export function createFailureLocks(opts: FailureLockOptions) {
  const maxKeys = opts.maxKeys ?? 10_000
  // Insertion order = first failure: the first entry is the oldest.
  const entries = new Map<string, Entry>()
  const live = (key: string, now: number): Entry | undefined => {
    const e = entries.get(key)
    if (!e || e.windowEndsAt > now || e.lockedUntil > now) return e
    entries.delete(key)
    return undefined
  }
  return {
    /** Seconds until the key may try again; 0: now. */
    lockedFor(key: string, now = Date.now()): number {
      const e = live(key, now)
      return e && e.lockedUntil > now ? Math.ceil((e.lockedUntil - now) / 1000) : 0
    },
    fail(key: string, now = Date.now()) {
      let e = live(key, now)
      if (!e) {
        if (entries.size >= maxKeys) entries.delete(entries.keys().next().value!)
        e = { failures: 0, windowEndsAt: now + opts.windowMs, lockedUntil: 0 }
        entries.set(key, e)
      }
      e.failures++
      const over = e.failures - opts.free
      if (over > 0) {
        e.lockedUntil = now + Math.min(opts.firstLockMs * 2 ** Math.min(over - 1, 30), opts.maxLockMs)
        // A locked key is remembered at least as long as its lock, so the next failure doubles it.
        e.windowEndsAt = Math.max(e.windowEndsAt, e.lockedUntil + opts.windowMs)
      }
    },
    succeed(key: string) {
      entries.delete(key)
    },
  }
}
export type FailureLocks = ReturnType<typeof createFailureLocks>
