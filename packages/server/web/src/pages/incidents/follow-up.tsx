// Phase 4: follow-up tasks linked to host findings that must turn ok (they close themselves), heightened monitoring of the
// affected hosts for a period, and the lessons learned whose actions update the readiness records.
import { useState } from 'preact/hooks'
import {
  LESSON_ACTION_KINDS, LESSON_ACTION_LABEL, MEASURE_BY_ID, RECORDS, RECORD_KINDS, SCENARIOS, SCENARIO_LABEL, TASK_STATE_LABEL, WATCH_INTERVAL,
  type LessonsInput, type RecordKind,
} from '@lagebild/shared'
import { api, type HostDetail, type IncidentDetail } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { agentName, Card, ErrorBox, Link, SaveRow, StatusBadge, StatusIcon } from '../../components.js'
import { Check, Choice, LinesField, TextArea, TextField, lines, today, useDay } from '../readiness/fields.js'
import { act } from './data.js'
import { toIso, toLocal } from './list.js'

type Link_ = { hostId: string; measureId: string }

/** The findings of the affected hosts that are not ok: what a task can wait for. */
function FindingPicker({ d, value, set }: { d: IncidentDetail; value: Link_[]; set: (v: Link_[]) => void }) {
  const { t, tx } = useI18n()
  const ids = d.incident.hosts.map((h) => h.id)
  const hosts = useLoad(`task-hosts-${ids.join(',')}`, () => Promise.all(ids.map((id) => api<HostDetail>(`/hosts/${id}`))))
  const open = (hosts.data ?? []).flatMap((h) => h.findings.filter((f) => f.status !== 'ok').map((f) => ({ hostId: h.host.id, hostname: h.host.hostname, measureId: f.measureId, status: f.status })))
  if (!open.length) return <p class="small muted">{t('inc.task.noFindings')}</p>
  const on = (l: Link_) => value.some((x) => x.hostId === l.hostId && x.measureId === l.measureId)
  return (
    <fieldset>
      <legend>{t('inc.task.findings')}</legend>
      <div class="checks">
        {open.map((f) => (
          <Check key={`${f.hostId}${f.measureId}`} name={`finding-${f.hostname}-${f.measureId}`} label={`${agentName(f.hostname)}: ${tx(MEASURE_BY_ID.get(f.measureId)?.title) || f.measureId}`}
            checked={on(f)} set={(c) => set(c ? [...value, { hostId: f.hostId, measureId: f.measureId }] : value.filter((x) => !(x.hostId === f.hostId && x.measureId === f.measureId)))} />
        ))}
      </div>
    </fieldset>
  )
}

function TaskForm({ d }: { d: IncidentDetail }) {
  const { t } = useI18n()
  const submit = useSubmit()
  const [title, setTitle] = useState('')
  const [owner, setOwner] = useState('')
  const [dueOn, setDueOn] = useState(today())
  const [findings, setFindings] = useState<Link_[]>([])
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    if (!title.trim() || !owner.trim()) return submit.fail(t('inc.task.missing'))
    if (await submit.run(() => act(d.incident.id, '/tasks', { title, owner, dueOn, findings, notes: '' }), t('rd.saved'))) {
      setTitle('')
      setFindings([])
    }
  }
  return (
    <form class="record-form" onSubmit={onSubmit} noValidate>
      <div class="form-grid">
        <TextField label={t('inc.task.title')} name="task-title" value={title} set={setTitle} maxLength={200} required />
        <TextField label={t('inc.task.owner')} name="task-owner" value={owner} set={setOwner} maxLength={120} required />
        <TextField label={t('inc.task.due')} name="task-due" type="date" value={dueOn} set={setDueOn} maxLength={10} />
      </div>
      <FindingPicker d={d} value={findings} set={setFindings} />
      <SaveRow submit={submit} label={t('inc.task.add')} />
    </form>
  )
}

export function TasksCard({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  const day = useDay()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  return (
    <Card title={t('inc.tasks')} id="tasks">
      <p class="small muted">{t('inc.tasks.help')}</p>
      <ul class="tasks">
        {d.tasks.map((x) => (
          <li key={x.id} data-task={x.title} data-state={x.state}>
            <StatusIcon status={x.state === 'done' ? 'ok' : 'not-recorded'} size={15} />
            <strong>{x.title}</strong> · {x.owner} · {t('inc.task.dueOn', { day: day(x.dueOn) })} · {tx(TASK_STATE_LABEL[x.state])}
            {x.doneAt && <span class="small muted"> · {date(x.doneAt)} · {x.doneBy === 'system' ? t('inc.task.bySystem') : x.doneBy}</span>}
            {x.findings.length > 0 && (
              <ul class="small">
                {x.findings.map((f) => (
                  <li key={`${f.hostId}${f.measureId}`}>
                    <StatusBadge status={f.status as never} /> <Link href={`/hosts/${f.hostId}`}>{agentName(f.hostname)}</Link>: {tx(MEASURE_BY_ID.get(f.measureId)?.title) || f.measureId}
                  </li>
                ))}
              </ul>
            )}
            {isAdmin && x.state === 'open' && !x.findings.length && (
              <button type="button" class="btn btn-small" disabled={submit.busy} onClick={() => submit.run(() => act(d.incident.id, `/tasks/${x.id}`, { state: 'done' }, 'PUT'))}>{t('inc.task.done')}</button>
            )}
          </li>
        ))}
      </ul>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
      {isAdmin && <TaskForm d={d} />}
    </Card>
  )
}

export function WatchCard({ d }: { d: IncidentDetail }) {
  const { t, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const [days, setDays] = useState('14')
  const [until, setUntil] = useState(toLocal(new Date(Date.now() + 14 * 86_400_000).toISOString()))
  const [interval, setIntervalMin] = useState(String(WATCH_INTERVAL.default))
  const pickDays = (v: string) => {
    setDays(v)
    if (v) setUntil(toLocal(new Date(Date.now() + Number(v) * 86_400_000).toISOString()))
  }
  return (
    <Card title={t('inc.watch')} id="watch">
      <p class="small muted">{t('inc.watch.help')}</p>
      <ul class="watches">
        {d.watches.map((w) => (
          <li key={w.id} data-watch={w.hostname} data-active={w.active ? '1' : '0'}>
            <StatusIcon status={w.active ? (w.confirmedAt ? 'ok' : 'unknown') : 'not-applicable'} size={15} />
            <strong>{agentName(w.hostname)}</strong> · {t('inc.watch.every', { n: w.intervalMinutes })} · {t('inc.watch.until', { when: date(w.endedAt ?? w.until) })}
            <span class="small muted"> · {w.active ? (w.confirmedAt ? t('inc.watch.confirmed', { when: date(w.confirmedAt) }) : t('inc.watch.notConfirmed')) : t('inc.watch.over')}</span>
            {isAdmin && w.active && <button type="button" class="btn btn-small btn-ghost" disabled={submit.busy} onClick={() => submit.run(() => act(d.incident.id, `/watch/${w.id}`, undefined, 'DELETE'))}>{t('inc.watch.end')}</button>}
          </li>
        ))}
      </ul>
      {isAdmin && d.incident.hosts.length > 0 && (
        <div class="record-form">
          <div class="form-grid">
            <label class="field">
              <span>{t('inc.watch.period')}</span>
              <select name="watch-days" value={days} onChange={(e) => pickDays(e.currentTarget.value)}>
                {['7', '14', '30', '90'].map((n) => <option key={n} value={n}>{t('inc.watch.days', { n: Number(n) })}</option>)}
                <option value="">{t('inc.watch.custom')}</option>
              </select>
            </label>
            <label class="field">
              <span>{t('inc.watch.untilLabel')}</span>
              <input type="datetime-local" name="watch-until" value={until} onInput={(e) => (setDays(''), setUntil(e.currentTarget.value))} />
            </label>
            <TextField label={t('inc.watch.interval')} name="watch-interval" type="number" min={WATCH_INTERVAL.min} max={WATCH_INTERVAL.max} value={interval} set={setIntervalMin} maxLength={2} />
          </div>
          <div class="form-actions">
            <button type="button" class="btn btn-primary" disabled={submit.busy} onClick={() => submit.run(() => act(d.incident.id, '/watch', { until: toIso(until), intervalMinutes: Number(interval) }))}>{t('inc.watch.start')}</button>
          </div>
        </div>
      )}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </Card>
  )
}

const EMPTY: LessonsInput = { whatHappened: '', whatWorked: '', whatToImprove: '', participants: [], actions: [] }

function Action({ a, set, remove }: { a: LessonsInput['actions'][number]; set: (v: LessonsInput['actions'][number]) => void; remove: () => void }) {
  const { t, tx } = useI18n()
  return (
    <li class="lesson-action">
      <div class="form-grid">
        <Choice label={t('inc.lessons.kind')} name="action-kind" values={LESSON_ACTION_KINDS} labels={LESSON_ACTION_LABEL} value={a.kind} set={(kind) => set({ ...a, kind: kind ?? 'note' })} />
        <TextField label={t('inc.lessons.text')} name="action-text" value={a.text} set={(text) => set({ ...a, text })} maxLength={1000} />
        {a.kind === 'record' && (
          <Choice label={t('inc.lessons.record')} name="action-record" values={RECORD_KINDS} labels={Object.fromEntries(RECORD_KINDS.map((k) => [k, RECORDS[k].title])) as Record<RecordKind, { de: string; en: string }>} value={a.recordKind ?? null} set={(recordKind) => set({ ...a, recordKind: recordKind ?? undefined })} />
        )}
        {a.kind === 'plan-step' && (
          <>
            <Choice label={t('inc.scenario')} name="action-scenario" values={SCENARIOS} labels={SCENARIO_LABEL} value={a.scenario ?? null} set={(scenario) => set({ ...a, scenario: scenario ?? undefined })} />
            <TextField label={t('inc.lessons.stepDe')} name="action-step-de" value={a.step?.de ?? ''} set={(de) => set({ ...a, step: { de, en: a.step?.en ?? '' } })} maxLength={200} />
            <TextField label={t('inc.lessons.stepEn')} name="action-step-en" value={a.step?.en ?? ''} set={(en) => set({ ...a, step: { de: a.step?.de ?? '', en } })} maxLength={200} />
          </>
        )}
      </div>
      <button type="button" class="btn btn-small btn-ghost" onClick={remove} aria-label={tx({ de: 'Maßnahme entfernen', en: 'Remove action' })}>✕</button>
    </li>
  )
}

export function LessonsCard({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const apply = useSubmit()
  const [v, setV] = useState<LessonsInput>(d.lessons?.data ?? EMPTY)
  const set = (patch: Partial<LessonsInput>) => (setV((o) => ({ ...o, ...patch })), submit.reset())
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    await submit.run(() => act(d.incident.id, '/lessons', { ...v, participants: lines(v.participants) }, 'PUT'), t('rd.saved'))
  }
  return (
    <Card title={t('inc.lessons')} id="lessons">
      <p class="small muted">{t('inc.lessons.help')}</p>
      {d.lessons && (
        <ul class="lesson-actions">
          {d.lessons.data.actions.map((a, i) => (
            <li key={i} data-action={a.kind} data-done={d.lessons!.done[i] ? '1' : '0'}>
              <StatusIcon status={d.lessons!.done[i] ? 'ok' : 'not-recorded'} size={15} />
              {tx(LESSON_ACTION_LABEL[a.kind])}: {a.text}
              {a.kind === 'record' && a.recordKind && <> · <Link href={RECORDS[a.recordKind].path}>{tx(RECORDS[a.recordKind].title)}</Link></>}
              {d.lessons!.applied[i] && <span class="small muted"> · {date(d.lessons!.applied[i])}</span>}
              {isAdmin && !d.lessons!.done[i] && a.kind !== 'record' && (
                <button type="button" class="btn btn-small" disabled={apply.busy} onClick={() => apply.run(() => act(d.incident.id, `/lessons/actions/${i}`))}>{t('inc.lessons.apply')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {apply.error && <ErrorBox error={apply.error} action="save" />}
      {isAdmin ? (
        <form class="record-form" onSubmit={onSubmit} noValidate>
          <TextArea label={t('inc.lessons.happened')} name="whatHappened" value={v.whatHappened} set={(whatHappened) => set({ whatHappened })} maxLength={4000} />
          <TextArea label={t('inc.lessons.worked')} name="whatWorked" value={v.whatWorked} set={(whatWorked) => set({ whatWorked })} maxLength={4000} />
          <TextArea label={t('inc.lessons.improve')} name="whatToImprove" value={v.whatToImprove} set={(whatToImprove) => set({ whatToImprove })} maxLength={4000} />
          <LinesField label={t('inc.lessons.participants')} name="participants" value={v.participants} set={(participants) => set({ participants })} maxItemLength={120} rows={3} />
          <ul class="lesson-edit">
            {v.actions.map((a, i) => <Action key={i} a={a} set={(x) => set({ actions: v.actions.map((y, j) => (j === i ? x : y)) })} remove={() => set({ actions: v.actions.filter((_, j) => j !== i) })} />)}
          </ul>
          {v.actions.length < 30 && <button type="button" class="btn btn-small" onClick={() => set({ actions: [...v.actions, { kind: 'note', text: '' }] })}>+ {t('inc.lessons.addAction')}</button>}
          <SaveRow submit={submit} />
        </form>
      ) : d.lessons ? (
        <dl class="kv">
          <div><dt>{t('inc.lessons.happened')}</dt><dd>{d.lessons.data.whatHappened}</dd></div>
          <div><dt>{t('inc.lessons.worked')}</dt><dd>{d.lessons.data.whatWorked}</dd></div>
          <div><dt>{t('inc.lessons.improve')}</dt><dd>{d.lessons.data.whatToImprove}</dd></div>
        </dl>
      ) : <p class="muted">{t('inc.lessons.none')}</p>}
    </Card>
  )
}
