// The alerting chain with who acknowledged, and the checklist with the records at hand (whom to call, their number) and
// who ticked what.
import { useState } from 'preact/hooks'
import { STEP_OUTCOME_LABEL, USER_REPORT_FIELDS, type StepOutcome } from '@lagebild/shared'
import type { IncidentDetail } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { agentName, agentText, Card, ErrorBox, StatusIcon } from '../../components.js'
import { act } from './data.js'

export function ChainCard({ d }: { d: IncidentDetail }) {
  const { t, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const open = d.incident.state !== 'closed'
  return (
    <Card title={t('inc.chain')} id="chain">
      {!d.chain.length ? <p class="field-error">{t('inc.chain.none')}</p> : (
        <ul class="chain-list">
          {d.chain.map((c) => (
            <li key={c.contactId} data-contact={c.name} data-acknowledged={c.acknowledgedAt ? '1' : '0'}>
              <StatusIcon status={c.acknowledgedAt ? 'ok' : 'unknown'} size={16} />
              <strong>{c.name}</strong>
              {c.phone && <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>}
              {c.note && <span class="muted">· {c.note}</span>}
              <span class="small">
                {c.acknowledgedAt
                  ? t('inc.chain.acked', { when: date(c.acknowledgedAt), via: c.acknowledgedVia === 'link' ? t('inc.chain.viaLink') : (c.acknowledgedVia ?? '') })
                  : t('inc.chain.waiting', { when: date(c.notifiedAt) })}
              </span>
              {isAdmin && open && !c.acknowledgedAt && (
                <button type="button" class="btn btn-small" disabled={submit.busy} onClick={() => submit.run(() => act(d.incident.id, '/chain/acknowledge', { contactId: c.contactId, note: t('inc.chain.byPhone') }))}>
                  {t('inc.chain.reached')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p class="small muted">{t('inc.chain.help')}</p>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </Card>
  )
}

function Step({ d, s }: { d: IncidentDetail; s: IncidentDetail['steps'][number] }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const [note, setNote] = useState('')
  const tick = (outcome: StepOutcome) => submit.run(() => act(d.incident.id, `/steps/${s.id}`, { outcome, note }))
  return (
    <li class={`step step-${s.outcome ?? 'open'}`} data-step={s.kind} data-outcome={s.outcome ?? 'open'}>
      <div class="step-head">
        <StatusIcon status={s.outcome === 'done' ? 'ok' : s.outcome ? 'not-applicable' : 'not-recorded'} size={16} />
        <strong>{tx(s.title)}</strong>
        <code class="measure-id">{s.measureId}</code>
      </div>
      {tx(s.help) && <div class="small muted">{tx(s.help)}</div>}
      {s.contact && (
        <div class="step-contact">
          {s.contact.name}
          {s.contact.phone && <> · <a href={`tel:${s.contact.phone.replace(/[^\d+]/g, '')}`}>{s.contact.phone}</a></>}
          {s.contact.email && <> · <a href={`mailto:${s.contact.email}`}>{s.contact.email}</a></>}
        </div>
      )}
      {s.outcome ? (
        <div class="small">{tx(STEP_OUTCOME_LABEL[s.outcome])} · {date(s.doneAt)} · {s.doneBy}{s.note && ` – ${s.note}`}</div>
      ) : isAdmin && d.incident.state !== 'closed' ? (
        <div class="step-tick">
          <input aria-label={t('inc.step.note')} placeholder={t('inc.step.note')} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="button" class="btn btn-small btn-primary" disabled={submit.busy} onClick={() => tick('done')}>{t('inc.step.done')}</button>
          <button type="button" class="btn btn-small" disabled={submit.busy} onClick={() => tick('not-needed')}>{t('inc.step.notNeeded')}</button>
        </div>
      ) : null}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </li>
  )
}

export function StepsCard({ d }: { d: IncidentDetail }) {
  const { t } = useI18n()
  const first = d.steps.filter((s) => s.kind === 'first-step')
  const rest = d.steps.filter((s) => s.kind !== 'first-step')
  return (
    <Card title={t('inc.steps')} id="steps">
      {first.length > 0 && (
        <>
          <h3 class="sub">{t('inc.steps.first')}</h3>
          <ol class="steps">{first.map((s) => <Step key={s.id} d={d} s={s} />)}</ol>
        </>
      )}
      <h3 class="sub">{t('inc.steps.help')}</h3>
      <ul class="steps">{rest.map((s) => <Step key={s.id} d={d} s={s} />)}</ul>
    </Card>
  )
}

export function ReportsCard({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  if (!d.reports.length) return null
  return (
    <Card title={t('inc.reports')} id="reports">
      <ul class="report-list">
        {d.reports.map((r) => (
          <li key={r.id} data-receipt={r.receipt}>
            <div class="small muted">{r.receipt} · {date(r.receivedAt)} · {r.via === 'agent' ? `lagebild-agent report${r.hostname ? ` · ${agentName(r.hostname)}` : ''}` : t('inc.reports.web')}</div>
            <dl class="kv">
              {(Object.keys(USER_REPORT_FIELDS) as (keyof typeof USER_REPORT_FIELDS)[]).filter((k) => r.answers[k]).map((k) => (
                <div key={k}><dt>{tx(USER_REPORT_FIELDS[k])}</dt><dd>{agentText(r.answers[k])}</dd></div>
              ))}
            </dl>
            {r.snapshot && (
              <div class="small">
                {t('inc.reports.snapshot', { when: date(r.snapshot.collectedAt), n: r.snapshot.deviations.length })}
                {r.snapshot.deviations.length > 0 && <ul>{r.snapshot.deviations.map((x) => <li key={x.measureId}>{tx(x.reason)}</li>)}</ul>}
              </div>
            )}
          </li>
        ))}
      </ul>
    </Card>
  )
}
