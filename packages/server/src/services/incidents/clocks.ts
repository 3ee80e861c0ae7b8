// The reporting clocks of an incident (handle.obligations): made when it opens from the duties on record (GDPR, NIS2/BSIG,
// insurer), due from the moment of awareness (incident-clocks.ts), warned about at half time, in the last twelfth and when
// overdue (through the alert channels; overdue also to the escalation channels), and marked as reported or not required.
import { and, eq, inArray } from 'drizzle-orm'
import {
  CLOCK_RULES, CLOCK_STAGES, CLOCK_TITLE, CLOCK_STATE_LABEL, clockStage, clockTimes, fmtLocal,
  type ClockId, type ClockStage, type ClockState, type Text,
} from '@lagebild/shared'
import { incidentClocks, incidents } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { InputError } from '../../errors.js'
import { obligations } from '../readiness/index.js'
import { getCompany } from '../readiness/store.js'
import { appendEntry } from './timeline.js'
import { deadlineMessage, queueMessage } from './notify.js'
import { getIncident, type IncidentChange, type IncidentRow, type Tx } from './store.js'

type Reader = Pick<Db, 'select'>
type ClockRow = typeof incidentClocks.$inferSelect
const t = (de: string, en: string): Text => ({ de, en })

export interface ClockView {
  id: ClockId
  title: Text
  recipient: Text
  basis: Text
  state: ClockState
  startAt: string
  dueAt: string
  due: Text
  stage: ClockStage | null
  note: string
  doneAt: string | null
  doneBy: string | null
}

/** The clocks that apply when an incident opens: the duties on record then. */
export function createClocks(tx: Tx, incidentId: string) {
  for (const c of obligations(tx).clocks) tx.insert(incidentClocks).values({ incidentId, clockId: c.id, hours: c.hours }).run()
}

export const clockTitle = (id: ClockId): Text => CLOCK_TITLE[id]

/** Every clock of an incident with its times, in order of due time. */
export function clockViews(i: Pick<IncidentRow, 'awareAt'>, rows: ClockRow[], zone: string, now: Date): ClockView[] {
  const aware = Date.parse(i.awareAt)
  const notif = rows.find((r) => r.clockId === 'nis2-notification')
  const notification = notif ? { dueAt: aware + notif.hours * 3_600_000, doneAt: notif.state === 'done' && notif.doneAt ? Date.parse(notif.doneAt) : null } : null
  return rows
    .map((r): ClockView => {
      const times = clockTimes(r.clockId, r.hours, aware, zone, notification)
      const rule = CLOCK_RULES[r.clockId]
      return {
        id: r.clockId, title: clockTitle(r.clockId), recipient: rule.recipient, basis: rule.basis, state: r.state,
        startAt: new Date(times.startAt).toISOString(), dueAt: new Date(times.dueAt).toISOString(), due: fmtLocal(times.dueAt, zone),
        stage: r.state === 'running' ? clockStage(times, now.getTime()) : null, note: r.note, doneAt: r.doneAt, doneBy: r.doneBy,
      }
    })
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
}

export const clockRows = (db: Reader, incidentId: string) => db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incidentId)).all()

/** Marks a clock as reported (with the time it was sent) or as not required for this incident (with the reason). */
export function markClock(tx: Tx, c: IncidentChange, incidentId: string, clockId: ClockId, state: 'done' | 'waived', note: string, at: Date | undefined) {
  const i = getIncident(tx, incidentId)
  const before = tx.select().from(incidentClocks).where(and(eq(incidentClocks.incidentId, incidentId), eq(incidentClocks.clockId, clockId))).get()
  if (!before) throw new InputError(t(`Für diesen Notfall läuft keine Frist ${clockId}.`, `No deadline ${clockId} runs for this incident.`), '/clockId', 'not-found')
  if (state === 'waived' && !note.trim()) throw new InputError(t('Bitte begründen, warum keine Meldung nötig ist.', 'Please say why no report is required.'), '/note')
  const when = at ?? c.now
  if (when.getTime() > c.now.getTime() + 5 * 60_000) throw new InputError(t('Der Zeitpunkt liegt in der Zukunft.', 'The time lies in the future.'), '/at')
  if (when.getTime() < Date.parse(i.awareAt) - 60_000) throw new InputError(t('Der Zeitpunkt liegt vor der Kenntnis des Vorfalls.', 'The time lies before the incident became known.'), '/at')
  const iso = when.toISOString()
  tx.update(incidentClocks).set({ state, note, doneAt: iso, doneBy: c.by }).where(and(eq(incidentClocks.incidentId, incidentId), eq(incidentClocks.clockId, clockId))).run()
  const title = clockTitle(clockId)
  const s = CLOCK_STATE_LABEL[state]
  appendEntry(tx, incidentId, { author: c.by, kind: 'clock', text: `${title.de} / ${title.en}: ${s.de} / ${s.en} (${iso})${note ? ` – ${note}` : ''}`, data: { clockId, state, at: iso, note } }, c.now)
  c.audit({ action: 'incident.clock', target: `incident:${incidentId}`, before: { clockId, state: before.state }, after: { clockId, state, at: iso, note } })
  c.touched.add(incidentId)
}

const stageRank = (s: ClockStage | null) => (s === null ? -1 : CLOCK_STAGES.indexOf(s))

/**
 * The minute job: a running clock that reached a new stage is announced once (overdue also to the escalation channels)
 * and noted in the timeline. A clock whose moment of awareness was corrected to later falls back to its earlier stage.
 */
export function tickClocks(tx: Tx, c: IncidentChange) {
  const zone = getCompany(tx).timeZone
  const open = tx.select().from(incidents).where(inArray(incidents.state, ['open', 'contained', 'resolved'])).all()
  for (const i of open) {
    const rows = clockRows(tx, i.id)
    for (const v of clockViews(i, rows, zone, c.now)) {
      if (v.state !== 'running') continue
      const row = rows.find((r) => r.clockId === v.id)!
      if (stageRank(v.stage) === stageRank(row.warned)) continue
      tx.update(incidentClocks).set({ warned: v.stage }).where(and(eq(incidentClocks.incidentId, i.id), eq(incidentClocks.clockId, v.id))).run()
      if (stageRank(v.stage) < stageRank(row.warned) || !v.stage) continue
      const msg = deadlineMessage(i, v.title, v.recipient, v.basis, v.stage, Date.parse(v.dueAt), c.now, zone)
      const n = queueMessage(tx, 'deadline', msg, c.now, v.stage === 'overdue' ? 'all' : 'normal')
      c.queued += n
      appendEntry(tx, i.id, { author: 'system', kind: 'clock', text: `${msg.de.subject} / ${msg.en.subject}`, data: { clockId: v.id, stage: v.stage, dueAt: v.dueAt, channels: n } }, c.now)
      c.touched.add(i.id)
    }
  }
}
