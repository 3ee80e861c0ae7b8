// Tamper evidence for append-only logs (the audit log; later the incident timeline): each entry carries the SHA-256 of
// its predecessor's hash and its own content, so changing, removing or reordering any stored entry breaks the chain
// from that point on. The content is serialised with sorted keys (safe-stable-stringify), so the hash does not depend
// on the order in which a JSON column happens to be read back.
import { configure } from 'safe-stable-stringify'
import { sha256 } from '../crypto.js'

const stringify = configure({ deterministic: true, bigint: false, circularValue: Error })

/** The predecessor of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

export const chainHash = (prevHash: string, content: unknown): string => sha256(`${prevHash}\n${stringify(content) ?? 'null'}`)

export type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string }

/**
 * Checks a whole chain, oldest first. `content` must pick exactly the fields that were hashed when the entry was written;
 * `genesis` is the predecessor of the first entry (a chain of its own per incident starts at a hash of its id).
 */
export function verifyChain<R extends { id: number; prevHash: string; hash: string }>(rows: Iterable<R>, content: (r: R) => unknown, genesis = GENESIS_HASH): ChainCheck {
  let prev = genesis
  let n = 0
  for (const r of rows) {
    n++
    if (r.prevHash !== prev) return { ok: false, entries: n, brokenAt: r.id, reason: 'the entry does not follow the one before it (removed or reordered entries)' }
    if (chainHash(prev, content(r)) !== r.hash) return { ok: false, entries: n, brokenAt: r.id, reason: 'the entry was changed after it was written' }
    prev = r.hash
  }
  return { ok: true, entries: n }
}
