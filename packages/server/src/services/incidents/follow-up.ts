// Phase 4 of the guide: follow-up tasks whose linked host findings close them (follow.close-gaps), heightened monitoring
// of the affected hosts (follow.watch), and the lessons learned whose actions update the readiness records
// (follow.lessons).
import { randomUUID } from 'node:crypto'
import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm'
import {
  DEFAULT_PLAN, MEASURE_BY_ID, RECORDS, TASK_STATE_LABEL, WATCH_MAX_DAYS,
  type LessonsInput, type ServerMessage, type TaskInput, type TaskState,
} from '@lagebild/shared'
import { findings, hosts, incidentLessons, incidentTasks, incidentWatches, recordMeta } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { InputError } from '../../errors.js'
import { saveDocument, saveEntry, type Change } from '../readiness/records.js'
import { getDoc } from '../readiness/store.js'
import { appendEntry } from './timeline.js'
import { getIncident, hostNames, type IncidentChange, type Tx } from './store.js'

type Reader = Pick<Db, 'select'>
const t = (de: string, en: string) => ({ de, en })
export type TaskRow = typeof incidentTasks.$inferSelect
export type WatchRow = typeof incidentWatches.$inferSelect
export type LessonsRow = typeof incidentLessons.$inferSelect

// ── tasks ──

/** The linked findings that are not ok yet (missing counts as not ok: unknown is never ok). */
function pendingFindings(tx: Reader, links: TaskRow['findings']): TaskRow['findings'] {
  if (!links.length) return []
  const rows = tx.select().from(findings).where(inArray(findings.subjectId, [...new Set(links.map((l) => l.hostId))])).all()
  const ok = new Set(rows.filter((r) => r.status === 'ok').map((r) => `${r.subjectId} ${r.measureId}`))
  return links.filter((l) => !ok.has(`${l.hostId} ${l.measureId}`))
}

function closeTask(tx: Tx, task: TaskRow, by: string, now: Date, why: string) {
  tx.update(incidentTasks).set({ state: 'done', doneAt: now.toISOString(), doneBy: by }).where(eq(incidentTasks.id, task.id)).run()
  appendEntry(tx, task.incidentId, { author: by, kind: 'task', text: `${task.title}: ${TASK_STATE_LABEL.done.de} / ${TASK_STATE_LABEL.done.en} – ${why}`, data: { taskId: task.id, state: 'done', why } }, now)
}

export function addTask(tx: Tx, c: IncidentChange, incidentId: string, input: TaskInput): TaskRow {
  getIncident(tx, incidentId)
  hostNames(tx, [...new Set(input.findings.map((f) => f.hostId))], '/findings')
  const unknownMeasure = input.findings.find((f) => !MEASURE_BY_ID.has(f.measureId))
  if (unknownMeasure) throw new InputError(t(`Unbekannte Maßnahme: ${unknownMeasure.measureId}.`, `Unknown measure: ${unknownMeasure.measureId}.`), '/findings')
  const row: TaskRow = {
    id: randomUUID(), incidentId, title: input.title, owner: input.owner, dueOn: input.dueOn, notes: input.notes, findings: input.findings, state: 'open',
    createdAt: c.now.toISOString(), createdBy: c.by, doneAt: null, doneBy: null,
  }
  tx.insert(incidentTasks).values(row).run()
  appendEntry(tx, incidentId, {
    author: c.by, kind: 'task', text: `Folgeaufgabe / follow-up task: ${row.title} (${row.owner}, ${row.dueOn})${row.findings.length ? ` – ${row.findings.length} Befund(e) / finding(s)` : ''}`,
    data: { taskId: row.id, state: 'open', title: row.title, owner: row.owner, dueOn: row.dueOn, findings: row.findings },
  }, c.now)
  c.audit({ action: 'incident.task.create', target: `incident:${incidentId}`, before: null, after: row })
  c.touched.add(incidentId)
  return row
}

/** A person marks a task done, or opens it again. A task with linked findings is only done when they are ok. */
export function setTaskState(tx: Tx, c: IncidentChange, incidentId: string, taskId: string, state: TaskState): TaskRow {
  const task = tx.select().from(incidentTasks).where(and(eq(incidentTasks.id, taskId), eq(incidentTasks.incidentId, incidentId))).get()
  if (!task) throw new InputError(t(`Keine Aufgabe ${taskId}.`, `No task ${taskId}.`), '/taskId', 'not-found')
  if (task.state === state) return task
  if (state === 'done') {
    const pending = pendingFindings(tx, task.findings)
    if (pending.length)
      throw new InputError(t(`Noch nicht in Ordnung: ${pending.map((p) => p.measureId).join(', ')} – die Aufgabe schließt sich, sobald die Rechner es melden.`,
        `Not ok yet: ${pending.map((p) => p.measureId).join(', ')} – the task closes by itself once the hosts report it.`), '/state', 'conflict')
    closeTask(tx, task, c.by, c.now, t('von Hand', 'by hand').de + ' / by hand')
  } else {
    tx.update(incidentTasks).set({ state: 'open', doneAt: null, doneBy: null }).where(eq(incidentTasks.id, taskId)).run()
    appendEntry(tx, incidentId, { author: c.by, kind: 'task', text: `${task.title}: wieder offen / open again`, data: { taskId, state: 'open' } }, c.now)
  }
  c.audit({ action: 'incident.task.state', target: `incident:${incidentId}`, before: { taskId, state: task.state }, after: { taskId, state } })
  c.touched.add(incidentId)
  return tx.select().from(incidentTasks).where(eq(incidentTasks.id, taskId)).get()!
}

/**
 * After a host's findings changed (inside the judging transaction): open tasks that link findings of this host close
 * themselves when all their linked findings are ok. Returns the incidents touched.
 */
export function closeTasksOf(tx: Tx, hostId: string, now: Date): string[] {
  const open = tx.select().from(incidentTasks).where(eq(incidentTasks.state, 'open')).all().filter((x) => x.findings.some((f) => f.hostId === hostId))
  const touched: string[] = []
  for (const task of open) {
    if (!task.findings.length || pendingFindings(tx, task.findings).length) continue
    closeTask(tx, task, 'system', now, 'alle verknüpften Befunde in Ordnung / every linked finding is ok')
    touched.push(task.incidentId)
  }
  return touched
}

/** Whether any open task watches a host at all (so the ingest path does nothing for the other hosts). */
export const hasOpenTasks = (tx: Reader) => !!tx.select({ id: incidentTasks.id }).from(incidentTasks).where(eq(incidentTasks.state, 'open')).limit(1).get()

// ── heightened monitoring ──

export const watchCommandId = (w: Pick<WatchRow, 'id'>, end = false) => `${end ? 'watch-end' : 'watch'}:${w.id}`

/** Watches running for a host now. */
const activeWatches = (db: Reader, hostId: string, now: Date) =>
  db.select().from(incidentWatches).where(and(eq(incidentWatches.hostId, hostId), isNull(incidentWatches.endedAt), gt(incidentWatches.until, now.toISOString()))).all()

/** Hosts under heightened monitoring right now (judged with the stricter thresholds). */
export function watchedHosts(db: Reader, now = new Date()): Set<string> {
  return new Set(db.select({ h: incidentWatches.hostId }).from(incidentWatches).where(and(isNull(incidentWatches.endedAt), gt(incidentWatches.until, now.toISOString()))).all().map((r) => r.h))
}

/**
 * What a host's agent must hear now: the running watch (shortest interval, latest end of all that apply), else the end of
 * one it has not confirmed ending (it ends by itself at `until` anyway; this ends one stopped early).
 */
export function watchFrame(db: Reader, hostId: string, now: Date): ServerMessage | null {
  const running = activeWatches(db, hostId, now)
  if (running.length) {
    const w = running.reduce((a, b) => (b.intervalMinutes < a.intervalMinutes ? b : a))
    const until = running.map((x) => x.until).sort().at(-1)!
    return { type: 'watch', commandId: watchCommandId(w), intervalMinutes: w.intervalMinutes, until }
  }
  const ended = db.select().from(incidentWatches).where(and(eq(incidentWatches.hostId, hostId), isNull(incidentWatches.revertedAt), lte(incidentWatches.endedAt, now.toISOString()))).get()
  return ended ? { type: 'watch', commandId: watchCommandId(ended, true), intervalMinutes: null, until: null } : null
}

export function startWatch(tx: Tx, c: IncidentChange, incidentId: string, hostIds: string[] | undefined, until: string, intervalMinutes: number): WatchRow[] {
  const i = getIncident(tx, incidentId)
  const ids = hostIds ?? i.hostIds
  if (!ids.length) throw new InputError(t('Keine Rechner: der Notfall nennt keine betroffenen Rechner.', 'No hosts: the incident names no affected host.'), '/hostIds')
  const names = hostNames(tx, ids)
  const end = Date.parse(until)
  if (end < c.now.getTime() + 60_000) throw new InputError(t('Das Ende muss mindestens eine Minute in der Zukunft liegen.', 'The end must lie at least a minute in the future.'), '/until')
  if (end > c.now.getTime() + WATCH_MAX_DAYS * 86_400_000) throw new InputError(t(`Höchstens ${WATCH_MAX_DAYS} Tage.`, `At most ${WATCH_MAX_DAYS} days.`), '/until')
  const iso = c.now.toISOString()
  // A new watch of this incident replaces its running one for the same host.
  tx.update(incidentWatches).set({ endedAt: iso }).where(and(eq(incidentWatches.incidentId, incidentId), inArray(incidentWatches.hostId, ids), isNull(incidentWatches.endedAt))).run()
  const rows = ids.map((hostId): WatchRow => ({
    id: randomUUID(), incidentId, hostId, intervalMinutes, startedAt: iso, startedBy: c.by, until: new Date(end).toISOString(), endedAt: null, confirmedAt: null, revertedAt: null,
  }))
  for (const w of rows) tx.insert(incidentWatches).values(w).run()
  appendEntry(tx, incidentId, {
    author: c.by, kind: 'watch',
    text: `Verstärkte Überwachung bis ${rows[0]!.until}: alle ${intervalMinutes} min, strengere Schwellen – ${[...names.values()].join(', ')} / Heightened monitoring until ${rows[0]!.until}: every ${intervalMinutes} min, stricter thresholds`,
    data: { hosts: ids.map((id) => ({ hostId: id, hostname: names.get(id) })), until: rows[0]!.until, intervalMinutes, action: 'start' },
  }, c.now)
  for (const hostId of ids) {
    const f = watchFrame(tx, hostId, c.now)
    if (f) c.frames.push({ hostId, msg: f })
  }
  c.audit({ action: 'incident.watch.start', target: `incident:${incidentId}`, before: null, after: { hostIds: ids, until, intervalMinutes } })
  c.touched.add(incidentId)
  return rows
}

export function endWatch(tx: Tx, c: IncidentChange, incidentId: string, watchId: string) {
  const w = tx.select().from(incidentWatches).where(and(eq(incidentWatches.id, watchId), eq(incidentWatches.incidentId, incidentId))).get()
  if (!w) throw new InputError(t(`Keine Überwachung ${watchId}.`, `No monitoring ${watchId}.`), '/watchId', 'not-found')
  if (w.endedAt) return
  tx.update(incidentWatches).set({ endedAt: c.now.toISOString() }).where(eq(incidentWatches.id, watchId)).run()
  const host = tx.select({ hostname: hosts.hostname }).from(hosts).where(eq(hosts.id, w.hostId)).get()
  appendEntry(tx, incidentId, { author: c.by, kind: 'watch', text: `Verstärkte Überwachung beendet / Heightened monitoring ended: ${host?.hostname ?? w.hostId}`, data: { watchId, hostId: w.hostId, action: 'end' } }, c.now)
  const f = watchFrame(tx, w.hostId, c.now)
  if (f) c.frames.push({ hostId: w.hostId, msg: f })
  c.audit({ action: 'incident.watch.end', target: `incident:${incidentId}`, before: w, after: null })
  c.touched.add(incidentId)
}

/** The minute job: watches whose time is up end (noted once); their agents hear it (they also end by themselves). */
export function tickWatches(tx: Tx, c: IncidentChange) {
  const due = tx.select().from(incidentWatches).where(and(isNull(incidentWatches.endedAt), lte(incidentWatches.until, c.now.toISOString()))).all()
  for (const w of due) {
    tx.update(incidentWatches).set({ endedAt: w.until }).where(eq(incidentWatches.id, w.id)).run()
    const host = tx.select({ hostname: hosts.hostname }).from(hosts).where(eq(hosts.id, w.hostId)).get()
    appendEntry(tx, w.incidentId, { author: 'system', kind: 'watch', text: `Zeitraum der verstärkten Überwachung vorbei / Heightened monitoring period over: ${host?.hostname ?? w.hostId}`, data: { watchId: w.id, hostId: w.hostId, action: 'expired' } }, c.now)
    const f = watchFrame(tx, w.hostId, c.now)
    if (f) c.frames.push({ hostId: w.hostId, msg: f })
    c.touched.add(w.incidentId)
  }
}

/** The agent answered a watch frame. Returns the incident, when the answer belonged to one. */
export function confirmWatch(db: Pick<Db, 'select' | 'update'>, commandId: string, ok: boolean, now: Date): string | null {
  const m = /^(watch|watch-end):(.+)$/.exec(commandId)
  if (!m || !ok) return null
  const w = db.select().from(incidentWatches).where(eq(incidentWatches.id, m[2]!)).get()
  if (!w) return null
  if (m[1] === 'watch') {
    // The frame names one watch, but it stands for every watch of the host running now.
    db.update(incidentWatches).set({ confirmedAt: now.toISOString() }).where(and(eq(incidentWatches.hostId, w.hostId), isNull(incidentWatches.endedAt), isNull(incidentWatches.confirmedAt))).run()
  } else db.update(incidentWatches).set({ revertedAt: now.toISOString() }).where(and(eq(incidentWatches.hostId, w.hostId), isNull(incidentWatches.revertedAt), lte(incidentWatches.endedAt, now.toISOString()))).run()
  return w.incidentId
}

// ── lessons learned ──

/** Saves the lessons; an action kept unchanged keeps its "carried out" mark. */
export function saveLessons(tx: Tx, c: IncidentChange, incidentId: string, input: LessonsInput): LessonsRow {
  getIncident(tx, incidentId)
  for (const [n, a] of input.actions.entries()) {
    if (a.kind === 'record' && !a.recordKind) throw new InputError(t('Welcher Nachweis soll aktualisiert werden?', 'Which record is to be updated?'), `/actions/${n}/recordKind`)
    if (a.kind === 'plan-step' && (!a.scenario || !a.step?.de.trim() || !a.step?.en.trim()))
      throw new InputError(t('Szenario und Schritt (deutsch und englisch) angeben.', 'Give the scenario and the step (German and English).'), `/actions/${n}`)
  }
  const before = tx.select().from(incidentLessons).where(eq(incidentLessons.incidentId, incidentId)).get()
  const old = (before?.data as LessonsInput | undefined)?.actions ?? []
  const applied = input.actions.map((a) => {
    const k = old.findIndex((o) => JSON.stringify(o) === JSON.stringify(a))
    return k >= 0 ? (before!.applied[k] ?? null) : null
  })
  const row: LessonsRow = { incidentId, data: input as unknown as Record<string, unknown>, applied, recordedAt: c.now.toISOString(), recordedBy: c.by }
  tx.insert(incidentLessons).values(row).onConflictDoUpdate({ target: incidentLessons.incidentId, set: row }).run()
  appendEntry(tx, incidentId, { author: c.by, kind: 'lessons', text: `Lehren festgehalten / lessons recorded: ${input.actions.length} Maßnahme(n) / action(s)`, data: input }, c.now)
  c.audit({ action: 'incident.lessons', target: `incident:${incidentId}`, before: before?.data ?? null, after: input })
  c.touched.add(incidentId)
  return row
}

/** Whether each action is carried out: applied by us, or (for "update a record") the record was saved after the lessons. */
export function actionsDone(db: Reader, row: LessonsRow): boolean[] {
  const actions = (row.data as LessonsInput).actions
  const meta = new Map(db.select().from(recordMeta).all().map((m) => [m.kind, m.lastReviewedAt]))
  return actions.map((a, n) => !!row.applied[n] || (a.kind === 'record' && !!a.recordKind && (meta.get(a.recordKind) ?? '') > row.recordedAt))
}

/**
 * Carries out an action: an exercise entry from this incident, a first step added to the emergency plan, or a note
 * acknowledged. "Update a record" is done by updating that record on its page.
 */
export function applyAction(tx: Tx, c: IncidentChange, incidentId: string, index: number, readinessChange: Change) {
  const i = getIncident(tx, incidentId)
  const row = tx.select().from(incidentLessons).where(eq(incidentLessons.incidentId, incidentId)).get()
  const lessons = row?.data as LessonsInput | undefined
  const a = lessons?.actions[index]
  if (!row || !lessons || !a) throw new InputError(t(`Keine Maßnahme ${index}.`, `No action ${index}.`), '/index', 'not-found')
  if (row.applied[index]) return
  if (a.kind === 'record')
    throw new InputError(t(`Dieser Nachweis wird auf seiner Seite aktualisiert: ${RECORDS[a.recordKind!].title.de}.`, `This record is updated on its own page: ${RECORDS[a.recordKind!].title.en}.`), '/index', 'conflict')
  if (a.kind === 'exercise') {
    const participants = [...new Set([...lessons.participants, c.by])].slice(0, 500)
    saveEntry(tx, readinessChange, 'exercises', null, {
      date: c.now.toISOString().slice(0, 10), scenario: i.scenario, title: `${i.number}: ${i.title}${i.drill ? ' (Übung / drill)' : ''}`.slice(0, 200), participants,
      lessons: [lessons.whatHappened, lessons.whatWorked, lessons.whatToImprove, a.text].filter(Boolean).join('\n\n').slice(0, 4000),
    })
  } else if (a.kind === 'plan-step') {
    const plan = getDoc(tx, 'plan') ?? DEFAULT_PLAN
    const s = plan.scenarios[a.scenario!]
    const add = (block: string, line: string) => (block.trim() ? `${block.trimEnd()}\n${line}` : line)
    saveDocument(tx, readinessChange, 'plan', { ...plan, scenarios: { ...plan.scenarios, [a.scenario!]: { de: add(s.de, a.step!.de), en: add(s.en, a.step!.en) } } })
  }
  const applied = [...row.applied]
  applied[index] = c.now.toISOString()
  tx.update(incidentLessons).set({ applied }).where(eq(incidentLessons.incidentId, incidentId)).run()
  appendEntry(tx, incidentId, { author: c.by, kind: 'lessons', text: `Maßnahme umgesetzt / action carried out: ${a.text}`, data: { index, action: a } }, c.now)
  c.audit({ action: 'incident.lessons.apply', target: `incident:${incidentId}`, before: null, after: { index, action: a } })
  c.readiness = a.kind !== 'note'
  c.touched.add(incidentId)
}
