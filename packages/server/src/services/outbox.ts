// The outbox sender: delivers rows written together with alert changes, at least once, in order per channel,
// retrying with exponential backoff. Rows live in SQLite, so a restart loses nothing: the next start sends what is left.
import { and, asc, eq, isNotNull, isNull, lt } from 'drizzle-orm'
import { channels, outbox } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { CHANNELS, type DigestPayload, type NotificationPayload } from '../channels/index.js'
import { render, renderDigest } from '../channels/message.js'
import { checkConfig } from './channels.js'
import { PRERENDERED_EVENTS } from '@lagebild/shared'

export const RETRY_BASE_MS = 15_000
export const RETRY_MAX_MS = 3_600_000
/** Wake up at least this often, so rows written by another process (CLI) are not forgotten. */
const IDLE_WAKE_MS = 60_000

/** 15 s, 30 s, 1 min, … at most 1 h; never gives up (at-least-once), the channel shows the last error meanwhile. */
export const backoffMs = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS)

type OutboxRow = typeof outbox.$inferSelect

/** Sent notifications are kept this long (they show under their alert), then dropped. */
export const SENT_RETENTION_DAYS = 90

export function pruneSent(db: Db, now: Date) {
  const before = new Date(now.getTime() - SENT_RETENTION_DAYS * 86_400_000).toISOString()
  db.delete(outbox).where(and(isNotNull(outbox.sentAt), lt(outbox.sentAt, before))).run()
}

export function createSender(db: Db, log: { warn: (o: object, msg: string) => void }) {
  let timer: NodeJS.Timeout | null = null
  let chain: Promise<unknown> = Promise.resolve()
  let waiting: Promise<{ sent: number; failed: number }> | null = null
  let stopped = false

  async function sendRow(row: OutboxRow, now: Date): Promise<boolean> {
    const ch = db.select().from(channels).where(eq(channels.id, row.channelId)).get()
    if (!ch || !ch.enabled) {
      // The channel went away (deleted or disabled while this was in flight): nothing left to deliver to.
      db.delete(outbox).where(eq(outbox.id, row.id)).run()
      return true
    }
    const attempts = row.attempts + 1
    try {
      const msg =
        PRERENDERED_EVENTS.includes(row.event)
          ? renderDigest(row.payload as DigestPayload, ch.language, String(row.id), row.event)
          : render(row.payload as NotificationPayload, row.event, ch.language, String(row.id))
      await CHANNELS[ch.type].send(checkConfig(ch.type, ch.config), msg)
      db.update(outbox).set({ sentAt: new Date().toISOString(), attempts, lastError: null }).where(eq(outbox.id, row.id)).run()
      return true
    } catch (err) {
      const message = ((err as Error).message || String(err)).slice(0, 500)
      // From the pass's clock, the one that decided the row was due (the same as Date.now() outside tests).
      const next = new Date(now.getTime() + backoffMs(attempts)).toISOString()
      db.update(outbox).set({ attempts, lastError: message, nextAttemptAt: next }).where(eq(outbox.id, row.id)).run()
      log.warn({ outboxId: row.id, channel: ch.name, attempts, err: message }, 'notification not delivered, will retry')
      return false
    }
  }

  /** One pass: per channel, oldest first; a failure stops that channel until its retry time, so order holds. */
  async function pass(now: Date): Promise<{ sent: number; failed: number }> {
    const pending = db.select().from(outbox).where(isNull(outbox.sentAt)).orderBy(asc(outbox.id)).limit(1000).all()
    const byChannel = new Map<string, OutboxRow[]>()
    for (const r of pending) byChannel.set(r.channelId, [...(byChannel.get(r.channelId) ?? []), r])
    let sent = 0
    let failed = 0
    await Promise.all(
      [...byChannel.values()].map(async (rows) => {
        for (const r of rows) {
          if (Date.parse(r.nextAttemptAt) > now.getTime()) return
          if (await sendRow(r, now)) sent++
          else return void failed++
        }
      }),
    )
    return { sent, failed }
  }

  /** When the next channel can go on: the head of each channel's queue decides. */
  function nextDue(): number | null {
    const all = db.select({ c: outbox.channelId, at: outbox.nextAttemptAt }).from(outbox).where(isNull(outbox.sentAt)).orderBy(asc(outbox.id)).all()
    const seen = new Set<string>()
    let min: number | null = null
    for (const r of all) {
      if (seen.has(r.c)) continue
      seen.add(r.c)
      const t = Date.parse(r.at)
      min = min === null ? t : Math.min(min, t)
    }
    return min
  }

  function schedule() {
    if (stopped) return
    if (timer) clearTimeout(timer)
    const due = nextDue()
    const wait = due === null ? IDLE_WAKE_MS : Math.min(Math.max(0, due - Date.now()), IDLE_WAKE_MS)
    timer = setTimeout(background, wait)
    timer.unref()
  }

  /**
   * Passes run one after another (never two at once, so nothing is sent twice). Kicks coalesce: while one
   * kicked pass waits to start, more kicks join it.
   */
  function run(now?: Date): Promise<{ sent: number; failed: number }> {
    if (!now && waiting) return waiting
    const p = chain.then(() => {
      if (p === waiting) waiting = null
      return pass(now ?? new Date())
    })
    if (!now) waiting = p
    chain = p.then(schedule, schedule)
    return p
  }

  // Background passes must not reject unobserved: a failing pass (e.g. database closing) is logged, the timer retries.
  const background = () => void run().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'outbox pass failed'))

  return {
    /** Something was queued (called after COMMIT). */
    kick() {
      if (!stopped) background()
    },
    /** Sends everything due at `now` (tests and the bench pass a later time to skip the backoff). */
    deliver: (now?: Date) => run(now),
    start() {
      stopped = false
      schedule()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await chain
    },
  }
}
export type Sender = ReturnType<typeof createSender>
