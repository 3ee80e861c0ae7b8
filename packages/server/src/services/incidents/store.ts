// Plain access to incidents and what a change of them needs (the change context). Checks, timeline entries and audit
// are done by the services around it, inside the transaction of the change.
import { and, count, eq, inArray, like } from 'drizzle-orm'
import type { ServerMessage } from '@lagebild/shared'
import { hosts, incidents } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { AuditEntry } from '../audit.js'
import type { Tx } from '../judge.js'
import { InputError } from '../../errors.js'

export type IncidentRow = typeof incidents.$inferSelect
type Reader = Pick<Db, 'select'>

/** What a change of incidents needs besides the data; collected effects run after COMMIT. */
export interface IncidentChange {
  now: Date
  /** Who acts: a person's user name, `system`, or a reporter. */
  by: string
  audit: (entry: AuditEntry) => void
  /** Incidents that changed (null: a user report waits for triage): the board hears about them. */
  touched: Set<string | null>
  /** Frames for agents (evidence requests, heightened monitoring), sent after COMMIT. */
  frames: { hostId: string; msg: ServerMessage }[]
  /** Outbox rows were queued: wake the sender. */
  queued: number
  /** Readiness records changed (lessons applied): judge the organisation again. */
  readiness: boolean
  /** Where links in messages lead: the public URL, else the address of the request. */
  baseUrl: string | null
}
export type { Tx }

const t = (de: string, en: string) => ({ de, en })

export function getIncident(db: Reader, id: string): IncidentRow {
  const i = db.select().from(incidents).where(eq(incidents.id, id)).get()
  if (!i) throw new InputError(t(`Kein Notfall ${id}.`, `No incident ${id}.`), '/id', 'not-found')
  return i
}

/** The next number of the year: INC-2026-001, INC-2026-002 … */
export function nextNumber(tx: Reader, now: Date): string {
  const year = now.getUTCFullYear()
  const n = tx.select({ n: count() }).from(incidents).where(like(incidents.number, `INC-${year}-%`)).get()!.n
  return `INC-${year}-${String(n + 1).padStart(3, '0')}`
}

/** Host names of ids; an id that no longer exists is refused (400), so an incident never names a host that is not there. */
export function hostNames(tx: Reader, ids: readonly string[], path = '/hostIds'): Map<string, string> {
  const unique = [...new Set(ids)]
  if (unique.length !== ids.length) throw new InputError(t('Ein Rechner ist doppelt genannt.', 'A host is named twice.'), path)
  const rows = unique.length ? tx.select({ id: hosts.id, hostname: hosts.hostname }).from(hosts).where(inArray(hosts.id, unique)).all() : []
  const map = new Map(rows.map((r) => [r.id, r.hostname]))
  const missing = unique.find((id) => !map.has(id))
  if (missing) throw new InputError(t(`Unbekannter Rechner: ${missing}.`, `Unknown host: ${missing}.`), path)
  return map
}

/** The incidents that are still going on (not closed), newest first. */
export const openIncidents = (db: Reader, states: readonly IncidentRow['state'][]) =>
  db.select().from(incidents).where(and(inArray(incidents.state, [...states]))).orderBy(incidents.openedAt).all().reverse()
