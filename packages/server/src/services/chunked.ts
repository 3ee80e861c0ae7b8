// Periodic work over many rows (re-judging 20,000 hosts, the minute's alert checks) must not stall the event loop: it runs
// in transactions of a few milliseconds each and lets agents and people through in between.
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Db } from '../db/index.js'
import { bulkWriteGate } from '../db/durability.js'

/** A chunk (one transaction) ends after this long; then the event loop serves others before the next one. */
export const CHUNK_BUDGET_MS = 20

/**
 * Runs `work` for each item, in transactions of at most `budgetMs`, each item in its own savepoint: a failing item is
 * rolled back alone and reported to `onError`. `afterChunk` runs after each COMMIT (events for the board, say). The
 * first chunk runs before the returned promise is created (unless a WAL checkpoint is due, see db/durability.ts), so a
 * handful of items is done when the call returns.
 */
export async function inChunks<T>(
  db: Db,
  items: readonly T[],
  work: (item: T) => void,
  opts: { onError: (err: unknown, item: T) => void; afterChunk?: () => void; budgetMs?: number },
): Promise<void> {
  const one = db.$client.transaction(work)
  const budget = opts.budgetMs ?? CHUNK_BUDGET_MS
  let i = 0
  while (i < items.length) {
    // A WAL checkpoint that waits for the bulk writers waits for us too (see db/durability.ts).
    const wait = bulkWriteGate(db)?.()
    if (wait) await wait
    const started = performance.now()
    db.$client.transaction(() => {
      while (i < items.length && performance.now() - started < budget) {
        const item = items[i++]!
        try {
          one(item)
        } catch (err) {
          opts.onError(err, item)
        }
      }
    })()
    opts.afterChunk?.()
    if (i < items.length) await nextTurn()
  }
}
