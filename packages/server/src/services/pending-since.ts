// Most package managers (apt, zypper) do not say since when an update is available, nor since when a restart is due. The server can: an update
// that appears in a report after an earlier report of the same host did not list it has been pending since
// about then. Updates already pending when the server first saw the host keep an unknown age (→ deviation,
// since "unknown" must never pass as fresh).
import { isFactError, type Facts, type PatchesFact } from '@lagebild/shared'

const key = (i: { name: string; version?: string | undefined }) => `${i.name}\u0000${i.version ?? ''}`

export function carryPendingSince(previous: Facts['base.patches'] | undefined, next: PatchesFact, at: string): PatchesFact {
  if (!previous || isFactError(previous)) return next
  const before = new Map(previous.items.map((i) => [key(i), i]))
  const items = next.items.map((i) => {
    if (i.since) return i
    const old = before.get(key(i))
    if (old) return old.since ? { ...i, since: old.since } : i
    // New since the previous report: pending since about now.
    return { ...i, since: at }
  })
  const sinces = items.filter((i) => i.since).map((i) => i.since!)
  const oldestKnown = items.every((i) => i.since) && sinces.length ? sinces.sort()[0]! : next.oldestPendingSince
  // The same for a pending restart: dated by the first report that said so after one that did not.
  const rebootRequiredSince =
    next.rebootRequired !== true ? null : previous.rebootRequired === true ? (previous.rebootRequiredSince ?? null) : previous.rebootRequired === false ? at : null
  return { ...next, items, oldestPendingSince: next.oldestPendingSince ?? oldestKnown ?? null, rebootRequiredSince: next.rebootRequiredSince ?? rebootRequiredSince }
}
