// Pure parsers for the Linux-only backup tools (Timeshift). No I/O. restic and borg are in parse.ts.
import { wallTimeReader } from '../local-time.js'
import { summarize, type SnapshotSummary } from './parse.js'

/** Timeshift snapshot folders are named `YYYY-MM-DD_HH-MM-SS` in the system's local time (`zone`); other names are ignored. */
export function parseTimeshiftSnapshotNames(names: string[], zone: string | null): SnapshotSummary {
  const read = wallTimeReader(zone, 'Timeshift snapshot names')
  const isos: string[] = []
  for (const n of names) {
    const m = /^(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})$/.exec(n)
    const iso = m ? read(`${m[1]} ${m[2]}:${m[3]}:${m[4]}`) : null
    if (iso) isos.push(iso)
  }
  return summarize(isos)
}
