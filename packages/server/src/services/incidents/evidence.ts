// Evidence (handle.evidence): the agents of affected hosts are asked to collect a defined set, read-only; each item
// arrives over HTTP with the agent's credentials, is checked against the SHA-256 the agent computed, stored unaltered
// (append-only table) and recorded in the timeline with its hash — the chain then covers the file. Every download is a
// chain-of-custody entry in the timeline. A host that is offline gets the request when its agent connects again.
import { createHash, randomUUID } from 'node:crypto'
import { and, asc, eq, inArray, lt } from 'drizzle-orm'
import {
  EVIDENCE_ITEM_LABEL, EVIDENCE_ITEM_MAX_BYTES, EVIDENCE_ITEMS, EVIDENCE_STATE_LABEL, EVIDENCE_TIMEOUT_HOURS,
  type EvidenceDone, type EvidenceItem, type EvidenceState, type ServerMessage,
} from '@lagebild/shared'
import { evidenceItems, evidenceRequests, hosts } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { InputError } from '../../errors.js'
import { appendEntry } from './timeline.js'
import { getIncident, hostNames, type IncidentChange, type Tx } from './store.js'

type Reader = Pick<Db, 'select'>
export type EvidenceRequestRow = typeof evidenceRequests.$inferSelect
export type EvidenceItemRow = typeof evidenceItems.$inferSelect
const t = (de: string, en: string) => ({ de, en })
const WAITING: EvidenceState[] = ['pending', 'sent']

export const requestFrame = (r: EvidenceRequestRow): ServerMessage => ({
  type: 'evidence-request', requestId: r.id, hours: r.hours, items: r.items as EvidenceItem[], maxItemBytes: EVIDENCE_ITEM_MAX_BYTES,
})

/** Asks the agents of these hosts; the frames go out after COMMIT to those connected, the others get them on connect. */
export function requestEvidence(tx: Tx, c: IncidentChange, incidentId: string, hostIds: string[], hours: number, items: EvidenceItem[] = [...EVIDENCE_ITEMS]) {
  const i = getIncident(tx, incidentId)
  if (i.state === 'closed') throw new InputError(t('Der Notfall ist abgeschlossen.', 'The incident is closed.'), '/state', 'conflict')
  const names = hostNames(tx, hostIds)
  const out: EvidenceRequestRow[] = []
  for (const hostId of hostIds) {
    const r: EvidenceRequestRow = {
      id: randomUUID(), incidentId, hostId, hours, items: [...new Set(items)], state: 'pending', requestedAt: c.now.toISOString(), requestedBy: c.by,
      sentAt: null, finishedAt: null, results: null,
    }
    tx.insert(evidenceRequests).values(r).run()
    appendEntry(tx, incidentId, {
      author: c.by, kind: 'evidence',
      text: `Spurensicherung angefordert: ${names.get(hostId)}, letzte ${hours} h / Evidence requested: ${names.get(hostId)}, last ${hours} h`,
      data: { requestId: r.id, hostId, hostname: names.get(hostId), hours, items: r.items, action: 'requested' },
    }, c.now)
    c.frames.push({ hostId, msg: requestFrame(r) })
    out.push(r)
  }
  c.audit({ action: 'incident.evidence.request', target: `incident:${incidentId}`, before: null, after: { hostIds, hours, items } })
  c.touched.add(incidentId)
  return out
}

/** The requests a connecting agent still has to answer. */
export const waitingFor = (db: Reader, hostId: string) =>
  db.select().from(evidenceRequests).where(and(eq(evidenceRequests.hostId, hostId), inArray(evidenceRequests.state, WAITING))).orderBy(asc(evidenceRequests.requestedAt)).all()

export function markSent(db: Pick<Db, 'update'>, requestId: string, now: Date) {
  db.update(evidenceRequests).set({ state: 'sent', sentAt: now.toISOString() }).where(and(eq(evidenceRequests.id, requestId), eq(evidenceRequests.state, 'pending'))).run()
}

/** The request of this agent's host, still open; anything else is refused. */
function ownRequest(tx: Reader, hostId: string, requestId: string): EvidenceRequestRow {
  const r = tx.select().from(evidenceRequests).where(eq(evidenceRequests.id, requestId)).get()
  if (!r || r.hostId !== hostId) throw new InputError(t('Keine solche Anforderung für diesen Rechner.', 'No such request for this host.'), '/requestId', 'not-found')
  if (!WAITING.includes(r.state)) throw new InputError(t('Die Anforderung ist schon abgeschlossen.', 'The request is finished already.'), '/requestId', 'conflict')
  return r
}

export interface ItemUpload {
  item: EvidenceItem
  data: Buffer
  /** The SHA-256 the agent computed (hex): the bytes must arrive as they left. */
  sha256: string
  truncated: boolean
  source: string
  collectedAt: string
}

/** Stores one item, unaltered; refuses a damaged transfer (hash mismatch) and a second copy of the same item. */
export function storeItem(tx: Tx, c: IncidentChange, agent: { id: string; hostId: string }, requestId: string, u: ItemUpload): EvidenceItemRow {
  const r = ownRequest(tx, agent.hostId, requestId)
  if (!(r.items as string[]).includes(u.item)) throw new InputError(t(`${u.item} wurde nicht angefordert.`, `${u.item} was not requested.`), '/item')
  const actual = createHash('sha256').update(u.data).digest('hex')
  if (actual !== u.sha256.toLowerCase())
    throw new InputError(t(`Die Datei kam verändert an (SHA-256 ${actual}, gesendet ${u.sha256}); nichts gespeichert.`, `The file arrived changed (SHA-256 ${actual}, sent ${u.sha256}); nothing stored.`), '/sha256')
  if (tx.select({ id: evidenceItems.id }).from(evidenceItems).where(and(eq(evidenceItems.requestId, requestId), eq(evidenceItems.item, u.item))).get())
    throw new InputError(t('Dieses Stück ist schon gespeichert.', 'This item is stored already.'), '/item', 'conflict')
  const host = tx.select({ hostname: hosts.hostname }).from(hosts).where(eq(hosts.id, agent.hostId)).get()!
  const stamp = u.collectedAt.replace(/[:.]/g, '-')
  const row: EvidenceItemRow = {
    id: randomUUID(), requestId, incidentId: r.incidentId, hostId: agent.hostId, item: u.item, name: `${host.hostname}_${u.item}_${stamp}.txt`,
    size: u.data.length, sha256: actual, truncated: u.truncated, collector: `agent:${agent.id}`, source: u.source, collectedAt: u.collectedAt,
    receivedAt: c.now.toISOString(), data: u.data,
  }
  tx.insert(evidenceItems).values(row).run()
  const label = EVIDENCE_ITEM_LABEL[u.item]
  appendEntry(tx, r.incidentId, {
    author: `agent:${agent.id}`, kind: 'evidence',
    text: `${host.hostname}: ${label.de} / ${label.en} gesichert / secured – ${row.size} Bytes, SHA-256 ${actual}${u.truncated ? ' (gekürzt / cut at the size limit)' : ''}`,
    data: { evidenceId: row.id, requestId, hostId: agent.hostId, hostname: host.hostname, item: u.item, name: row.name, size: row.size, sha256: actual, truncated: u.truncated, source: u.source, collectedAt: u.collectedAt, collector: row.collector },
  }, c.now)
  c.touched.add(r.incidentId)
  return row
}

/** The agent is done: complete when every item was stored, partial when some, failed when none. */
export function finishRequest(tx: Tx, c: IncidentChange, agent: { id: string; hostId: string }, requestId: string, done: EvidenceDone) {
  const r = ownRequest(tx, agent.hostId, requestId)
  const stored = new Set(tx.select({ item: evidenceItems.item }).from(evidenceItems).where(eq(evidenceItems.requestId, requestId)).all().map((x) => x.item))
  const wanted = r.items as EvidenceItem[]
  const state: EvidenceState = wanted.every((i) => stored.has(i)) ? 'complete' : stored.size ? 'partial' : 'failed'
  const results = wanted.map((item) => {
    const said = done.results.find((x) => x.item === item)
    return { item, ok: stored.has(item), error: stored.has(item) ? null : (said?.error ?? 'not received') }
  })
  tx.update(evidenceRequests).set({ state, finishedAt: c.now.toISOString(), results }).where(eq(evidenceRequests.id, requestId)).run()
  const host = tx.select({ hostname: hosts.hostname }).from(hosts).where(eq(hosts.id, agent.hostId)).get()!
  const s = EVIDENCE_STATE_LABEL[state]
  const failed = results.filter((x) => !x.ok)
  appendEntry(tx, r.incidentId, {
    author: `agent:${agent.id}`, kind: 'evidence',
    text: `${host.hostname}: ${s.de} / ${s.en} (${stored.size}/${wanted.length})${failed.length ? ` – ${failed.map((f) => `${f.item}: ${f.error}`).join('; ')}` : ''}`,
    data: { requestId, hostId: agent.hostId, state, results, action: 'finished' },
  }, c.now)
  c.touched.add(r.incidentId)
  return state
}

/** A download is an access to evidence: recorded in the timeline (chain of custody) and in the audit log. */
export function openItem(tx: Tx, c: IncidentChange, itemId: string, address: string | null): EvidenceItemRow {
  const f = tx.select().from(evidenceItems).where(eq(evidenceItems.id, itemId)).get()
  if (!f) throw new InputError(t(`Kein Beweisstück ${itemId}.`, `No evidence item ${itemId}.`), '/id', 'not-found')
  appendEntry(tx, f.incidentId, {
    author: c.by, kind: 'custody',
    text: `${f.name} heruntergeladen / downloaded (SHA-256 ${f.sha256})${address ? ` von / from ${address}` : ''}`,
    data: { evidenceId: f.id, name: f.name, sha256: f.sha256, address, action: 'download' },
  }, c.now)
  c.audit({ action: 'incident.evidence.download', target: `incident:${f.incidentId}`, before: null, after: { evidenceId: f.id, name: f.name, sha256: f.sha256 } })
  c.touched.add(f.incidentId)
  return f
}

/** Requests no agent answered within EVIDENCE_TIMEOUT_HOURS are failed (the host is gone, or its agent died collecting). */
export function expireRequests(tx: Tx, c: IncidentChange) {
  const cutoff = new Date(c.now.getTime() - EVIDENCE_TIMEOUT_HOURS * 3_600_000).toISOString()
  for (const r of tx.select().from(evidenceRequests).where(and(inArray(evidenceRequests.state, WAITING), lt(evidenceRequests.requestedAt, cutoff))).all()) {
    tx.update(evidenceRequests).set({ state: 'failed', finishedAt: c.now.toISOString() }).where(eq(evidenceRequests.id, r.id)).run()
    appendEntry(tx, r.incidentId, {
      author: 'system', kind: 'evidence',
      text: `Keine Antwort des Agenten binnen ${EVIDENCE_TIMEOUT_HOURS} h / No answer from the agent within ${EVIDENCE_TIMEOUT_HOURS} h`,
      data: { requestId: r.id, hostId: r.hostId, state: 'failed', action: 'expired' },
    }, c.now)
    c.touched.add(r.incidentId)
  }
}
