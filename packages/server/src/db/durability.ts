// Durable acknowledgements without stalling the event loop.
//
// With synchronous=FULL, SQLite fsyncs the WAL inside every COMMIT — on the server's only JavaScript thread; on a busy
// disk one fsync took up to 300 ms, and no request was read meanwhile. The running server therefore commits with
// synchronous=NORMAL (WAL written, not yet synced) and syncs the WAL itself, in the thread pool, *before* anything that
// depends on the commit is acknowledged: `durable()` resolves once an fsync that started after the call has finished.
// FULL is exactly NORMAL plus that fsync after each commit, so what we acknowledge survives a power cut as before; one
// fsync now covers every commit made while the previous one ran (group commit). Checkpoints (copying the WAL into the
// database file, with their own fsyncs) run in a worker thread (checkpointer.mjs) instead of inside a COMMIT.
import { closeSync, fstat, fsync, openSync, stat } from 'node:fs'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import type { Db } from './index.js'

const fstatAsync = promisify(fstat)
const statAsync = promisify(stat)
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

export function createDurability(db: Db, log: { error: (o: object, msg: string) => void }) {
  const file = db.$client.name
  const walPath = `${file}-wal`
  // Make sure the WAL exists before we hold on to it (any read creates it in WAL mode).
  db.$client.prepare('select count(*) from sqlite_master').get()
  let walFd = openSync(walPath, 'r')
  db.$client.pragma('synchronous = NORMAL')
  db.$client.pragma('wal_autocheckpoint = 0')

  const checkpointer = new Worker(new URL('./checkpointer.mjs', import.meta.url), { workerData: { file, everyMs: CHECKPOINT_EVERY_MS } })
  checkpointer.on('message', (m: { error?: string }) => m.error && log.error({ err: m.error }, 'WAL checkpoint failed'))
  checkpointer.on('error', (err) => log.error({ err }, 'the WAL checkpointer stopped'))
  checkpointer.unref()

  let inFlight = false
  let next: Waiters | null = null

  /** fsync of the WAL file; reopened first if SQLite replaced the file (it does not while we hold a connection). */
  async function syncWal() {
    const [held, now] = await Promise.all([fstatAsync(walFd), statAsync(walPath).catch(() => null)])
    if (now && now.ino !== held.ino) {
      closeSync(walFd)
      walFd = openSync(walPath, 'r')
    }
    await fsyncAsync(walFd)
  }

  function kick() {
    const batch = next!
    next = null
    inFlight = true
    syncWal().then(batch.resolve, batch.reject).finally(() => {
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
    async close() {
      checkpointer.postMessage('stop')
      await new Promise((r) => {
        checkpointer.once('exit', r)
        setTimeout(() => void checkpointer.terminate().then(r), 5_000).unref()
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
