// Durable acknowledgements without stalling the event loop.
//
// With synchronous=FULL, SQLite fsyncs the WAL inside every COMMIT — on the server's only JavaScript thread; on a busy
// disk one fsync took up to 300 ms, and no request was read meanwhile. The running server therefore commits with
// synchronous=NORMAL (WAL written, not yet synced) and syncs the WAL itself, in the thread pool, *before* anything that
// depends on the commit is acknowledged: `durable()` resolves once an fsync that started after the call has finished.
// FULL is exactly NORMAL plus that fsync after each commit, so what we acknowledge survives a power cut as before; one
// fsync now covers every commit made while the previous one ran (group commit). Checkpoints (copying the WAL into the
// database file, with their own fsyncs) run in a worker thread (checkpointer.mjs) instead of inside a COMMIT.
import { closeSync, fsync, openSync } from 'node:fs'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import type { Db } from './index.js'

const fsyncAsync = promisify(fsync)

/** How often the checkpointer copies the WAL into the database file. */
export const CHECKPOINT_EVERY_MS = 1_000

interface Waiters {
  promise: Promise<void>
  resolve: () => void
  reject: (err: unknown) => void
}
const waiters = (): Waiters => {
  let resolve!: () => void
  let reject!: (err: unknown) => void
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

/**
 * When the WAL holds more frames than this (4 KiB pages: ~32 MiB), the ingest pauses its commits for one checkpoint
 * (see `walCheckpoint`). A writer starts the WAL from the beginning only if, when its transaction begins, every frame has
 * been copied; with batches back to back the checkpointer, running beside them, finishes between two of them only by
 * luck — measured: the WAL grew by ~1.5 MiB/s without end at 83 reports/s, and any other write (a person, an API key)
 * during the checkpoint spoils the luck again. So: pause the ingest, let the checkpointer copy what is left (~30–60 ms),
 * and if nothing was written meanwhile, have the WAL start over with the next write (RESTART with nothing to copy).
 */
export const QUIET_CHECKPOINT_FRAMES = 8_192
/** The server's busy timeout (db/index.ts); set again after the WAL reset, which runs without one. */
const BUSY_TIMEOUT_MS = 5_000

const bulkWriteGates = new WeakMap<Db, () => Promise<void> | null>()
/** The gate of a database the running server holds (see `beforeBulkWrite`); undefined for the CLI and tests without it. */
export const bulkWriteGate = (db: Db) => bulkWriteGates.get(db)

export function createDurability(db: Db, log: { error: (o: object, msg: string) => void }) {
  const file = db.$client.name
  // Make sure the WAL exists before we hold on to it (any read creates it in WAL mode). While this connection is open
  // SQLite never deletes or replaces the file (a restart or truncation keeps the same file), so the descriptor stays good.
  db.$client.prepare('select count(*) from sqlite_master').get()
  const walFd = openSync(`${file}-wal`, 'r')
  db.$client.pragma('synchronous = NORMAL')
  db.$client.pragma('wal_autocheckpoint = 0')

  const checkpointer = new Worker(new URL('./checkpointer.mjs', import.meta.url), { workerData: { file, everyMs: CHECKPOINT_EVERY_MS } })
  let walFrames = 0
  let quiet: { done: (complete: boolean) => void } | null = null
  const totalChanges = db.$client.prepare('select total_changes()').pluck()

  /**
   * After a quiet checkpoint that copied every frame, with no write of ours since it began, RESTART finds nothing left to
   * copy or sync: it only makes sure no reader is on the WAL, so that the next write starts it from the beginning (the
   * file keeps its size and is reused: no truncation, which can wait for the disk). Should anything be locked after all,
   * the zero busy timeout makes it give up at once instead of waiting.
   */
  function restartIfCaughtUp(complete: boolean, changesBefore: number) {
    if (!complete || totalChanges.get() !== changesBefore) return
    db.$client.pragma('busy_timeout = 0')
    try {
      db.$client.pragma('wal_checkpoint(RESTART)')
    } finally {
      db.$client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    }
    walFrames = 0
  }
  /** Never two in a row: the next report of the checkpointer must show whether the WAL started over. */
  let lastQuietAt = 0
  checkpointer.on('message', (m: { now?: boolean; log?: number; checkpointed?: number; error?: string }) => {
    if (m.error) log.error({ err: m.error }, 'WAL checkpoint failed')
    if (m.log !== undefined) walFrames = m.log
    if (m.now && quiet) {
      quiet.done(m.log !== undefined && m.log === m.checkpointed)
      quiet = null
    }
  })
  checkpointer.on('error', (err) => log.error({ err }, 'the WAL checkpointer stopped'))
  checkpointer.unref()

  const wanted = () => walFrames > QUIET_CHECKPOINT_FRAMES && Date.now() - lastQuietAt > 2 * CHECKPOINT_EVERY_MS
  let running: Promise<void> | null = null

  /** A checkpoint while the bulk writers wait; resolves when it is done (or after 10 s in any case). */
  function quietCheckpoint(): Promise<void> {
    lastQuietAt = Date.now()
    const changesBefore = totalChanges.get() as number
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        quiet = null
        lastQuietAt = Date.now()
        checkpointer.postMessage('resume')
        resolve()
      }
      const timer = setTimeout(finish, 10_000)
      quiet = {
        done: (complete) => {
          try {
            restartIfCaughtUp(complete, changesBefore)
          } catch (err) {
            log.error({ err }, 'resetting the WAL failed')
          }
          finish()
        },
      }
      checkpointer.postMessage('now')
    })
  }

  function beforeBulkWrite(): Promise<void> | null {
    if (running) return running
    if (!wanted()) return null
    running = quietCheckpoint().finally(() => (running = null))
    return running
  }
  bulkWriteGates.set(db, beforeBulkWrite)

  let inFlight = false
  let next: Waiters | null = null

  function kick() {
    const batch = next!
    next = null
    inFlight = true
    fsyncAsync(walFd).then(batch.resolve, batch.reject).finally(() => {
      inFlight = false
      if (next) kick()
    })
  }

  return {
    /** Resolves when everything committed before this call is on disk (an fsync that started after the call has ended). */
    durable(): Promise<void> {
      next ??= waiters()
      const p = next.promise
      if (!inFlight) kick()
      return p
    },
    /**
     * Called by the bulk writers (the ingest before each batch, chunked jobs before each chunk): null when they may write
     * now; else a promise that resolves when the WAL checkpoint they have to wait for is done (it starts one when the WAL
     * has grown). Only their commits wait — the event loop, and people's requests, do not.
     */
    beforeBulkWrite,
    async close() {
      bulkWriteGates.delete(db)
      checkpointer.postMessage('stop')
      // The worker is unref'd while the server runs; while we wait for it, it must keep the process alive — after a failed
      // listen nothing else does, and the process would end with exit code 0 in the middle of this await.
      checkpointer.ref()
      await new Promise<void>((r) => {
        const timer = setTimeout(() => void checkpointer.terminate().then(() => r()), 5_000)
        checkpointer.once('exit', () => {
          clearTimeout(timer)
          r()
        })
      })
      // Back to SQLite's own fsync per COMMIT for whatever runs after us on this connection (CLI, tests).
      if (db.$client.open) {
        db.$client.pragma('synchronous = FULL')
        db.$client.pragma('wal_autocheckpoint = 1000')
      }
      closeSync(walFd)
    },
  }
}
