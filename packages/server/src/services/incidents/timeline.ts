// The incident timeline: timestamped, authored, append-only entries, each carrying the SHA-256 of its predecessor and its
// own content (services/hash-chain.ts). Every incident has a chain of its own, starting at a hash of its id, so one
// incident's record can be exported and checked on its own. Nothing here updates or deletes a row (triggers forbid it).
import { asc, desc, eq } from 'drizzle-orm'
import { createHash } from 'node:crypto'
import type { TimelineKind } from '@lagebild/shared'
import { evidenceItems, incidentTimeline } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { chainHash, GENESIS_HASH, verifyChain, type ChainCheck } from '../hash-chain.js'

type Reader = Pick<Db, 'select'>
type Writer = Pick<Db, 'select' | 'insert'>
export type TimelineRow = typeof incidentTimeline.$inferSelect

/** The predecessor of an incident's first entry. */
export const incidentGenesis = (incidentId: string) => chainHash(GENESIS_HASH, { incident: incidentId })

/** The fields covered by an entry's hash (everything but id and the hashes). */
export const hashedEntry = (r: Omit<TimelineRow, 'id' | 'prevHash' | 'hash'>) => ({
  incidentId: r.incidentId, at: r.at, author: r.author, kind: r.kind, text: r.text, data: r.data ?? null, correctsId: r.correctsId ?? null,
})

export interface NewEntry {
  author: string
  kind: TimelineKind
  text: string
  data?: unknown
  correctsId?: number | null
}

/** Appends one entry to an incident's chain; call it inside the transaction of the change it records. */
export function appendEntry(tx: Writer, incidentId: string, e: NewEntry, now: Date): TimelineRow {
  const last = tx.select({ hash: incidentTimeline.hash }).from(incidentTimeline).where(eq(incidentTimeline.incidentId, incidentId)).orderBy(desc(incidentTimeline.id)).limit(1).get()
  const prevHash = last?.hash ?? incidentGenesis(incidentId)
  const row = { incidentId, at: now.toISOString(), author: e.author, kind: e.kind, text: e.text, data: e.data ?? null, correctsId: e.correctsId ?? null }
  return tx.insert(incidentTimeline).values({ ...row, prevHash, hash: chainHash(prevHash, hashedEntry(row)) }).returning().get()
}

export const timelineOf = (db: Reader, incidentId: string): TimelineRow[] =>
  db.select().from(incidentTimeline).where(eq(incidentTimeline.incidentId, incidentId)).orderBy(asc(incidentTimeline.id)).all()

export interface EvidenceProblem {
  id: string
  name: string
  problem: string
}

export interface IncidentCheck {
  ok: boolean
  timeline: ChainCheck
  /** Stored files whose bytes, size or recorded hash no longer match the chained entry of their arrival. */
  evidence: EvidenceProblem[]
  /** When the files' bytes were last hashed (null: never since the server started). */
  filesCheckedAt: string | null
  /** The hash of the newest entry: a printed or exported record names it, so a later copy can be compared. */
  head: string | null
}

/**
 * Every stored file of an incident against the SHA-256 that the chained entry of its arrival recorded (so changing a
 * file and its hash column together is still found). `bytes`: hash the files themselves (seconds for large evidence);
 * otherwise only the recorded hashes are compared.
 */
export function checkEvidence(db: Reader, incidentId: string, rows: TimelineRow[], bytes: boolean): EvidenceProblem[] {
  const recorded = new Map<string, string>()
  for (const r of rows) {
    const d = r.data as { evidenceId?: string; sha256?: string } | null
    if (r.kind === 'evidence' && d?.evidenceId && d.sha256) recorded.set(d.evidenceId, d.sha256)
  }
  const problems: EvidenceProblem[] = []
  const meta = db.select({ id: evidenceItems.id, name: evidenceItems.name, sha256: evidenceItems.sha256, size: evidenceItems.size }).from(evidenceItems).where(eq(evidenceItems.incidentId, incidentId)).all()
  for (const f of meta) {
    if (recorded.get(f.id) !== f.sha256) {
      problems.push({ id: f.id, name: f.name, problem: `SHA-256 differs from the one in the timeline (${recorded.get(f.id) ?? 'none'})` })
      continue
    }
    if (!bytes) continue
    const data = db.select({ data: evidenceItems.data }).from(evidenceItems).where(eq(evidenceItems.id, f.id)).get()!.data
    const actual = createHash('sha256').update(data).digest('hex')
    if (actual !== f.sha256) problems.push({ id: f.id, name: f.name, problem: `content changed: SHA-256 is ${actual}, recorded ${f.sha256}` })
    else if (f.size !== data.length) problems.push({ id: f.id, name: f.name, problem: `size changed: ${data.length} bytes, recorded ${f.size}` })
  }
  return problems
}

/**
 * Checks the record of an incident: the timeline's chain, and the stored files (`files`: the result of the last check
 * of their bytes, or null to hash them now).
 */
export function verifyIncident(db: Reader, incidentId: string, files: { at: string; evidence: EvidenceProblem[] } | null = null, now = new Date()): IncidentCheck {
  const rows = timelineOf(db, incidentId)
  const timeline = verifyChain(rows, hashedEntry, incidentGenesis(incidentId))
  const recordedNow = checkEvidence(db, incidentId, rows, false)
  const deep = files ?? { at: now.toISOString(), evidence: checkEvidence(db, incidentId, rows, true) }
  const evidence = [...recordedNow, ...deep.evidence.filter((e) => !recordedNow.some((x) => x.id === e.id))]
  return { ok: timeline.ok && !evidence.length, timeline, evidence, filesCheckedAt: deep.at, head: rows.at(-1)?.hash ?? null }
}
