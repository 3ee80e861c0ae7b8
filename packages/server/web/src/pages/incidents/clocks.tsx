// Reporting deadlines: a running clock with time left (red when close or past), the pre-filled draft of each
// notification in German or English, and marking it reported (when) or not required (why).
import { useEffect, useState } from 'preact/hooks'
import { CLOCK_STAGE_LABEL, CLOCK_STATE_LABEL, LANGUAGES, fmtDuration, type ClockStage, type Language, type Text } from '@lagebild/shared'
import { api, type Draft, type IncidentDetail } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card, ErrorBox, StatusIcon } from '../../components.js'
import { TextField } from '../readiness/fields.js'
import { act } from './data.js'
import { toIso, toLocal } from './list.js'

/** Re-renders every 30 s, so a clock counts down on an open page. */
function useNow(ms = 30_000) {
  const [now, set] = useState(Date.now())
  useEffect(() => {
    const t = window.setInterval(() => set(Date.now()), ms)
    return () => window.clearInterval(t)
  }, [ms])
  return now
}

export function Deadline({ title, dueAt, stage }: { title: Text; dueAt: string; stage: ClockStage | null }) {
  const { t, tx } = useI18n()
  const now = useNow()
  const left = Date.parse(dueAt) - now
  return (
    <span class={`deadline deadline-${stage ?? 'fine'}`} data-stage={stage ?? 'fine'} title={stage ? tx(CLOCK_STAGE_LABEL[stage]) : undefined}>
      {stage && <StatusIcon status={stage === 'half' ? 'unknown' : 'deviation'} size={13} />}
      {tx(title)}: {left >= 0 ? t('inc.clock.left', { d: fmtDuration(left) }) : t('inc.clock.passed', { d: fmtDuration(-left) })}
    </span>
  )
}

function DraftBox({ incidentId, clockId }: { incidentId: string; clockId: string }) {
  const { t } = useI18n()
  const [lang, setLang] = useState<Language | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [error, setError] = useState<Error | null>(null)
  useEffect(() => {
    if (!lang) return
    api<Draft>(`/incidents/${incidentId}/clocks/${clockId}/draft?lang=${lang}`).then(setDraft, setError)
  }, [lang, incidentId, clockId])
  return (
    <div class="draft">
      {LANGUAGES.map((l) => (
        <button key={l} type="button" class="btn btn-small" aria-pressed={lang === l} onClick={() => setLang(l)}>{t('inc.clock.draft', { lang: l.toUpperCase() })}</button>
      ))}
      {error && <ErrorBox error={error} />}
      {draft && lang && (
        <label class="field">
          <span>{t('inc.clock.draftFor', { to: draft.recipient })}</span>
          <input readOnly value={draft.subject} aria-label={t('inc.clock.subject')} />
          <textarea readOnly rows={16} value={draft.text} data-draft={clockId} />
          <small>{t('inc.clock.draftHelp')}</small>
        </label>
      )}
    </div>
  )
}

function MarkForm({ incidentId, clock }: { incidentId: string; clock: IncidentDetail['clocks'][number] }) {
  const { t } = useI18n()
  const submit = useSubmit()
  const [note, setNote] = useState('')
  const [at, setAt] = useState(toLocal(new Date().toISOString()))
  const send = (state: 'done' | 'waived') => submit.run(() => act(incidentId, `/clocks/${clock.id}`, { state, note, ...(state === 'done' ? { at: toIso(at) } : {}) }))
  return (
    <div class="mark-clock">
      <div class="form-grid">
        <TextField label={t('inc.clock.note')} name={`note-${clock.id}`} value={note} set={setNote} maxLength={2000} />
        <label class="field">
          <span>{t('inc.clock.sentAt')}</span>
          <input type="datetime-local" name={`at-${clock.id}`} value={at} onInput={(e) => setAt(e.currentTarget.value)} />
        </label>
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-small btn-primary" disabled={submit.busy} onClick={() => send('done')}>{t('inc.clock.done')}</button>
        <button type="button" class="btn btn-small" disabled={submit.busy} onClick={() => send('waived')}>{t('inc.clock.waive')}</button>
      </div>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </div>
  )
}

export function ClocksCard({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  return (
    <Card title={t('inc.clocks')} id="clocks">
      {!d.clocks.length ? <p class="muted">{t('inc.clocks.none')}</p> : (
        <ul class="clock-list">
          {d.clocks.map((c) => (
            <li key={c.id} class={`clock clock-${c.state}`} data-clock={c.id} data-state={c.state}>
              <div class="clock-head">
                {c.state === 'running' ? <Deadline title={c.title} dueAt={c.dueAt} stage={c.stage} /> : <strong>{tx(c.title)}</strong>}
                <span class="small">{t('inc.clock.due', { when: tx(c.due) })} · {t('inc.clock.to', { to: tx(c.recipient) })}</span>
              </div>
              <div class="small muted">{tx(c.basis)}</div>
              {c.state !== 'running' && (
                <div class="small">
                  <StatusIcon status="ok" size={12} /> {tx(CLOCK_STATE_LABEL[c.state])} {date(c.doneAt)} · {c.doneBy}{c.note && ` – ${c.note}`}
                </div>
              )}
              {d.incident.state !== 'closed' && <DraftBox incidentId={d.incident.id} clockId={c.id} />}
              {isAdmin && c.state === 'running' && <MarkForm incidentId={d.incident.id} clock={c} />}
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}
