// Pure parsers for the OS-neutral backup tools (restic, borg): the same JSON on Linux, macOS and Windows. No I/O.
import { FactFailure } from '../../system.js'
import { wallTimeReader } from '../local-time.js'

export interface SnapshotSummary {
  count: number
  /** ISO UTC of the newest snapshot; null when there is none. */
  lastSuccess: string | null
}

export const summarize = (isos: string[]): SnapshotSummary => ({
  count: isos.length,
  lastSuccess: isos.length ? isos.reduce((a, b) => (a > b ? a : b)) : null,
})

/** A date with a zone (RFC 3339, also with nanoseconds as restic prints them) → ISO UTC. */
function zonedToIso(text: string): string | null {
  // JavaScript's Date takes at most milliseconds; cut longer fractions before parsing.
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text)
  if (!m) return null
  const d = new Date(`${m[1]}${(m[2] ?? '').slice(0, 4)}${m[3]}`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new FactFailure('parse-error', `${what} did not print JSON: ${text.slice(0, 200)}`)
  }
}

/**
 * `restic snapshots --json`: an array of snapshots with `time` in RFC 3339 (with zone). restic only writes
 * a snapshot when a backup completed, so every snapshot counts as a success.
 */
export function parseResticSnapshots(json: string): SnapshotSummary {
  const doc = parseJson(json, 'restic snapshots --json')
  if (doc === null) return summarize([]) // older restic prints null for an empty repository
  if (!Array.isArray(doc)) throw new FactFailure('parse-error', 'restic snapshots --json is not an array')
  const isos = doc.map((s: { time?: unknown }) => {
    const iso = typeof s.time === 'string' ? zonedToIso(s.time) : null
    if (!iso) throw new FactFailure('parse-error', `restic snapshot time not understood: ${String(s.time)}`)
    return iso
  })
  return summarize(isos)
}

/**
 * `borg list --json REPO`: `archives[].time` (start) — Borg 1.x in the system's local time (`zone`) without a zone,
 * Borg 2 with one. An archive exists only after `borg create` committed it; checkpoint archives (".checkpoint") are
 * partial and skipped.
 */
export function parseBorgList(json: string, zone: string | null): SnapshotSummary {
  const local = wallTimeReader(zone, 'borg list')
  const doc = parseJson(json, 'borg list --json') as { archives?: unknown }
  if (!Array.isArray(doc.archives)) throw new FactFailure('parse-error', 'borg list --json has no "archives" array')
  const isos: string[] = []
  for (const a of doc.archives as { name?: string; time?: unknown; start?: unknown }[]) {
    if (typeof a.name === 'string' && /\.checkpoint(\.\d+)?$/.test(a.name)) continue
    const raw = typeof a.time === 'string' ? a.time : typeof a.start === 'string' ? a.start : ''
    const iso = zonedToIso(raw) ?? local(raw)
    if (!iso) throw new FactFailure('parse-error', `borg archive time not understood: ${raw}`)
    isos.push(iso)
  }
  return summarize(isos)
}
