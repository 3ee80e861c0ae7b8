// An incident from opening to closing: opened by hand, from an alert or from a user report; the alerting chain of the
// emergency plan notified through the alert channels with a personal acknowledgement link each (handle.alert); the
// checklist and the reporting clocks made from the records; states moving forward only, each with who and when; every
// change a timeline entry and an audit entry in the same transaction.
import { randomUUID } from 'node:crypto'
import { and, eq, inArray, isNull } from 'drizzle-orm'
import {
  INCIDENT_STATES, INCIDENT_STATE_LABEL, TIMELINE_KIND_LABEL, isOneOf, SCENARIOS,
  type IncidentCreate, type IncidentSource, type IncidentState, type IncidentUpdate, type TimelineEntryInputSchema,
} from '@lagebild/shared'
import type { Static } from 'typebox'
import { alerts, hosts, incidentChain, incidentClocks, incidents, incidentTimeline } from '../../db/schema.js'
import { InputError } from '../../errors.js'
import { randomToken, sha256 } from '../../crypto.js'
import { alertingChain, firstSteps } from '../readiness/index.js'
import { getCompany, listItems } from '../readiness/store.js'
import { appendEntry } from './timeline.js'
import { openedMessage, queueMessage, stateMessage, type ChainLink } from './notify.js'
import { ensureIntelligenceStep, insertSteps, stepsFor } from './steps.js'
import { createClocks } from './clocks.js'
import { getIncident, hostNames, nextNumber, type IncidentChange, type IncidentRow, type Tx } from './store.js'

const t = (de: string, en: string) => ({ de, en })
const MIN = 60_000

/** A moment of awareness is real: not in the future (5 minutes of clock skew), not before the year 2000. */
function checkAware(iso: string, now: Date, path = '/awareAt') {
  const ms = Date.parse(iso)
  if (ms > now.getTime() + 5 * MIN) throw new InputError(t('Der Zeitpunkt der Kenntnis liegt in der Zukunft.', 'The moment of awareness lies in the future.'), path)
  if (ms < Date.parse('2000-01-01T00:00:00Z')) throw new InputError(t('Der Zeitpunkt der Kenntnis ist unplausibel alt.', 'The moment of awareness is implausibly old.'), path)
}

function checkCrownJewels(tx: Tx, ids: readonly string[]) {
  const known = new Set(listItems(tx, 'crown-jewels').map((j) => j.id))
  const missing = ids.find((id) => !known.has(id))
  if (missing) throw new InputError(t(`Unbekanntes Kronjuwel: ${missing}.`, `Unknown crown jewel: ${missing}.`), '/crownJewelIds')
}

/** Notifies the alerting chain: one row per person with a fresh link (only its hash is kept), one message per channel. */
function alertChain(tx: Tx, c: IncidentChange, i: IncidentRow, hostnames: string[]) {
  const chain = alertingChain(tx)
  const links: ChainLink[] = []
  chain.forEach((s, n) => {
    const token = randomToken(24)
    const phone = s.contact.phone ?? s.contact.mobile
    tx.insert(incidentChain).values({
      id: randomUUID(), incidentId: i.id, position: n, contactId: s.contact.id, name: s.contact.name, phone, note: s.note, tokenHash: sha256(token), notifiedAt: c.now.toISOString(),
    }).run()
    links.push({ name: s.contact.name, phone, note: s.note, token })
  })
  const steps = isOneOf(SCENARIOS, i.scenario) ? firstSteps(tx, i.scenario) : null
  const n = queueMessage(tx, 'incident', openedMessage(i, hostnames, links, steps, getCompany(tx).timeZone), c.now, 'all')
  c.queued += n
  appendEntry(tx, i.id, {
    author: 'system', kind: 'notified',
    text: chain.length
      ? `Alarmierungskette benachrichtigt (${n} Kanal/Kanäle): ${chain.map((s) => s.contact.name).join(', ')} / Alerting chain notified (${n} channel(s))`
      : `Keine Alarmierungskette hinterlegt; Nachricht an ${n} Kanal/Kanäle / No alerting chain on record; message to ${n} channel(s)`,
    data: { channels: n, chain: chain.map((s) => ({ contactId: s.contact.id, name: s.contact.name })) },
  }, c.now)
}

export interface OpenOptions {
  source: IncidentSource
  /** Who opened it, as the timeline names them (a person, or the reporter of a user report). */
  openedBy?: string
}

/** Opens an incident: the row, the first timeline entry, the alerting chain notified, the checklist, the clocks. */
export function openIncident(tx: Tx, c: IncidentChange, input: IncidentCreate, opts: OpenOptions): IncidentRow {
  const awareAt = input.awareAt ?? c.now.toISOString()
  checkAware(awareAt, c.now)
  let hostIds = input.hostIds ?? []
  let severity = input.severity
  let sourceAlertId: string | null = null
  if (input.fromAlertId) {
    const a = tx.select().from(alerts).where(eq(alerts.id, input.fromAlertId)).get()
    if (!a) throw new InputError(t(`Kein Alarm ${input.fromAlertId}.`, `No alert ${input.fromAlertId}.`), '/fromAlertId')
    sourceAlertId = a.id
    if (a.subjectId !== 'org' && !hostIds.includes(a.subjectId)) hostIds = [a.subjectId, ...hostIds]
    const rank = ['info', 'low', 'medium', 'high', 'critical']
    if (rank.indexOf(a.severity) > rank.indexOf(severity)) severity = a.severity
  }
  const names = hostNames(tx, hostIds)
  checkCrownJewels(tx, input.crownJewelIds ?? [])
  const iso = c.now.toISOString()
  const row: IncidentRow = {
    id: randomUUID(), number: nextNumber(tx, c.now), title: input.title, scenario: input.scenario, severity, description: input.description ?? '',
    state: 'open', source: sourceAlertId ? 'alert' : opts.source, sourceAlertId, drill: input.drill ?? false, espionageSuspected: input.espionageSuspected ?? false,
    hostIds, crownJewelIds: input.crownJewelIds ?? [], awareAt: new Date(awareAt).toISOString(), baseUrl: c.baseUrl, openedAt: iso, openedBy: opts.openedBy ?? c.by,
    containedAt: null, containedBy: null, resolvedAt: null, resolvedBy: null, closedAt: null, closedBy: null,
  }
  tx.insert(incidents).values(row).run()
  appendEntry(tx, row.id, {
    author: row.openedBy, kind: 'opened',
    text: `${row.number}: ${row.title}${row.drill ? ' (Übung / drill)' : ''}`,
    data: { title: row.title, scenario: row.scenario, severity: row.severity, source: row.source, sourceAlertId, awareAt: row.awareAt, hosts: [...names.values()], crownJewelIds: row.crownJewelIds, drill: row.drill, espionageSuspected: row.espionageSuspected, description: row.description },
  }, c.now)
  alertChain(tx, c, row, hostIds.map((id) => names.get(id)!))
  insertSteps(tx, row.id, stepsFor(tx, row.scenario, row.espionageSuspected))
  createClocks(tx, row.id)
  c.audit({ action: 'incident.open', target: `incident:${row.id}`, before: null, after: row })
  c.touched.add(row.id)
  return row
}

/** Changes what is known; each changed field is a timeline entry with before and after. */
export function updateIncident(tx: Tx, c: IncidentChange, id: string, patch: IncidentUpdate): IncidentRow {
  const before = getIncident(tx, id)
  if (before.state === 'closed') throw new InputError(t('Der Notfall ist abgeschlossen.', 'The incident is closed.'), '/state', 'conflict')
  if (patch.awareAt !== undefined) checkAware(patch.awareAt, c.now)
  if (patch.hostIds) hostNames(tx, patch.hostIds)
  if (patch.crownJewelIds) checkCrownJewels(tx, patch.crownJewelIds)
  const next = { ...patch, ...(patch.awareAt ? { awareAt: new Date(patch.awareAt).toISOString() } : {}) }
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]))
  if (!changed.length) return before
  tx.update(incidents).set(Object.fromEntries(changed.map((k) => [k, next[k]]))).where(eq(incidents.id, id)).run()
  // Hosts by their names in the text people read (the ids stay in the entry's data).
  const ids = [...new Set([...before.hostIds, ...(next.hostIds ?? [])])]
  const names = new Map(ids.length ? tx.select({ id: hosts.id, n: hosts.hostname }).from(hosts).where(inArray(hosts.id, ids)).all().map((h) => [h.id, h.n]) : [])
  const shown = (k: string, v: unknown) => (k === 'hostIds' ? (v as string[]).map((h) => names.get(h) ?? h).join(', ') || '—' : JSON.stringify(v))
  for (const k of changed)
    appendEntry(tx, id, { author: c.by, kind: 'change', text: `${k}: ${shown(k, before[k])} → ${shown(k, next[k])}`, data: { field: k, before: before[k], after: next[k] } }, c.now)
  if (next.espionageSuspected && !before.espionageSuspected) ensureIntelligenceStep(tx, id)
  const after = getIncident(tx, id)
  c.audit({ action: 'incident.update', target: `incident:${id}`, before, after })
  c.touched.add(id)
  return after
}

/** Moves an incident forward (open → contained → resolved → closed; steps may be skipped, never undone). */
export function changeState(tx: Tx, c: IncidentChange, id: string, state: IncidentState, note: string): IncidentRow {
  const before = getIncident(tx, id)
  if (INCIDENT_STATES.indexOf(state) <= INCIDENT_STATES.indexOf(before.state))
    throw new InputError(t(`Von „${INCIDENT_STATE_LABEL[before.state].de}“ geht es nur vorwärts.`, `From '${before.state}' an incident only moves forward.`), '/state', 'conflict')
  if (state === 'closed') {
    const running = tx.select().from(incidentClocks).where(and(eq(incidentClocks.incidentId, id), eq(incidentClocks.state, 'running'))).all()
    if (running.length)
      throw new InputError(t(`Es laufen noch Meldefristen (${running.map((r) => r.clockId).join(', ')}): erst als gemeldet oder nicht erforderlich markieren.`,
        `Reporting deadlines are still running (${running.map((r) => r.clockId).join(', ')}): mark them reported or not required first.`), '/state', 'conflict')
  }
  const iso = c.now.toISOString()
  const set: Partial<IncidentRow> = { state }
  // A skipped state gets the same time: an incident resolved at once was contained then too.
  for (const s of INCIDENT_STATES.slice(INCIDENT_STATES.indexOf(before.state) + 1, INCIDENT_STATES.indexOf(state) + 1)) {
    if (s === 'contained') Object.assign(set, { containedAt: iso, containedBy: c.by })
    if (s === 'resolved') Object.assign(set, { resolvedAt: iso, resolvedBy: c.by })
    if (s === 'closed') Object.assign(set, { closedAt: iso, closedBy: c.by })
  }
  tx.update(incidents).set(set).where(eq(incidents.id, id)).run()
  const l = INCIDENT_STATE_LABEL[state]
  appendEntry(tx, id, { author: c.by, kind: 'state', text: `${l.de} / ${l.en}${note ? ` – ${note}` : ''}`, data: { from: before.state, to: state, note } }, c.now)
  const after = getIncident(tx, id)
  c.queued += queueMessage(tx, 'incident', stateMessage(after, state, c.by, note), c.now, 'normal')
  c.audit({ action: 'incident.state', target: `incident:${id}`, before: { state: before.state }, after: { state, note } })
  c.touched.add(id)
  return after
}

/** A note, call or decision; a correction names the entry it corrects (which stays as it was). */
export function addEntry(tx: Tx, c: IncidentChange, id: string, e: Static<typeof TimelineEntryInputSchema>) {
  getIncident(tx, id)
  if (e.correctsId !== undefined) {
    const old = tx.select().from(incidentTimeline).where(and(eq(incidentTimeline.id, e.correctsId), eq(incidentTimeline.incidentId, id))).get()
    if (!old) throw new InputError(t(`Kein Eintrag ${e.correctsId} in diesem Notfall.`, `No entry ${e.correctsId} in this incident.`), '/correctsId')
  }
  const row = appendEntry(tx, id, { author: c.by, kind: e.kind, text: e.text, correctsId: e.correctsId ?? null }, c.now)
  const k = TIMELINE_KIND_LABEL[e.kind]
  c.audit({ action: 'incident.timeline', target: `incident:${id}`, before: null, after: { id: row.id, kind: `${k.en}`, text: e.text, correctsId: e.correctsId ?? null } })
  c.touched.add(id)
  return row
}

/** Somebody of the chain confirmed, by their link or as recorded by an admin (e.g. reached by phone). */
export function acknowledgeChain(tx: Tx, c: IncidentChange, row: typeof incidentChain.$inferSelect, via: string, note = '') {
  if (row.acknowledgedAt) return false
  tx.update(incidentChain).set({ acknowledgedAt: c.now.toISOString(), acknowledgedVia: via }).where(and(eq(incidentChain.id, row.id), isNull(incidentChain.acknowledgedAt))).run()
  appendEntry(tx, row.incidentId, {
    author: via === 'link' ? row.name : c.by, kind: 'acknowledged',
    text: `${row.name}: ${via === 'link' ? 'bestätigt über den persönlichen Link / acknowledged by link' : `als erreicht eingetragen / recorded as reached`}${note ? ` – ${note}` : ''}`,
    data: { contactId: row.contactId, name: row.name, via, note },
  }, c.now)
  c.touched.add(row.incidentId)
  return true
}

export function acknowledgeByAdmin(tx: Tx, c: IncidentChange, incidentId: string, contactId: string, note: string) {
  const row = tx.select().from(incidentChain).where(and(eq(incidentChain.incidentId, incidentId), eq(incidentChain.contactId, contactId))).get()
  if (!row) throw new InputError(t('Diese Person gehört nicht zur Alarmierungskette dieses Notfalls.', 'This person is not in the alerting chain of this incident.'), '/contactId', 'not-found')
  acknowledgeChain(tx, c, row, c.by, note)
  c.audit({ action: 'incident.acknowledge', target: `incident:${incidentId}`, before: null, after: { contactId, name: row.name, note } })
}

/** The chain row of a personal link (by the SHA-256 of the token). */
export const chainByToken = (tx: Pick<Tx, 'select'>, token: string) => tx.select().from(incidentChain).where(eq(incidentChain.tokenHash, sha256(token))).get()
