// /incidents/:id — one incident: what is known and its state (moved forward by admins, with who and when), the reporting
// clocks, the alerting chain, the checklist, the reports of the people affected, evidence, the timeline, follow-up, and
// the record as PDF or JSON for an insurer, an authority or a court.
import { useState } from 'preact/hooks'
import {
  INCIDENT_SOURCE_LABEL, INCIDENT_STATES, INCIDENT_STATE_LABEL, LANGUAGES, SCENARIO_LABEL, SEVERITIES, type IncidentState, type Severity,
} from '@lagebild/shared'
import type { IncidentDetail } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n, type Key } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { agentName, agentText, Card, CrownBadge, ErrorBox, Facts, Link, Loading, SaveRow, SeverityBadge, StatusBadge } from '../../components.js'
import { Check, Choice, TextField } from '../readiness/fields.js'
import { act, useIncident } from './data.js'
import { DrillBadge, HostPicker, StateBadge, toIso, toLocal } from './list.js'
import { ClocksCard } from './clocks.js'
import { ChainCard, ReportsCard, StepsCard } from './steps.js'
import { EvidenceCard } from './evidence.js'
import { TimelineCard } from './timeline.js'
import { LessonsCard, TasksCard, WatchCard } from './follow-up.js'

function StateControl({ d }: { d: IncidentDetail }) {
  const { t, tx } = useI18n()
  const submit = useSubmit()
  const [note, setNote] = useState('')
  const next = INCIDENT_STATES.slice(INCIDENT_STATES.indexOf(d.incident.state) + 1)
  if (!next.length) return null
  return (
    <div class="state-control">
      <input aria-label={t('inc.state.note')} placeholder={t('inc.state.note')} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      {next.map((s) => (
        <button key={s} type="button" class={`btn ${s === next[0] ? 'btn-primary' : ''}`} disabled={submit.busy} data-to={s}
          onClick={() => submit.run(async () => {
            await act(d.incident.id, '/state', { state: s, note })
            setNote('')
          })}>
          {t('inc.state.to', { state: tx(INCIDENT_STATE_LABEL[s]) })}
        </button>
      ))}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </div>
  )
}

function EditForm({ d, done }: { d: IncidentDetail; done: () => void }) {
  const { t } = useI18n()
  const submit = useSubmit()
  const i = d.incident
  const [title, setTitle] = useState(i.title)
  const [severity, setSeverity] = useState<Severity>(i.severity)
  const [aware, setAware] = useState(toLocal(i.awareAt))
  const [hostIds, setHostIds] = useState(i.hosts.map((h) => h.id))
  const [espionage, setEspionage] = useState(i.espionageSuspected)
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    if (await submit.run(() => act(i.id, '', { title, severity, awareAt: toIso(aware), hostIds, espionageSuspected: espionage }, 'PUT'), t('rd.saved'))) done()
  }
  return (
    <form class="record-form" onSubmit={onSubmit} noValidate>
      <div class="form-grid">
        <TextField label={t('inc.open.title')} name="edit-title" value={title} set={setTitle} maxLength={200} />
        <Choice label={t('inc.severity')} name="edit-severity" values={[...SEVERITIES].reverse()} labels={Object.fromEntries(SEVERITIES.map((s) => [s, t(`sev.${s}` as Key)])) as Record<Severity, string>} value={severity} set={(v) => setSeverity(v ?? severity)} />
        <label class="field">
          <span>{t('inc.awareAt')}</span>
          <input type="datetime-local" name="edit-aware" value={aware} onInput={(e) => setAware(e.currentTarget.value)} />
          <small>{t('inc.awareAt.help')}</small>
        </label>
      </div>
      <HostPicker label={t('inc.hosts')} value={hostIds} set={setHostIds} />
      <Check name="edit-espionage" label={t('inc.espionage')} checked={espionage} set={setEspionage} />
      <SaveRow submit={submit}><button type="button" class="btn btn-ghost" onClick={done}>{t('common.cancel')}</button></SaveRow>
    </form>
  )
}

function Summary({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const [editing, setEditing] = useState(false)
  const i = d.incident
  const who = (at: string | null, by: string | null) => (at ? `${date(at)} · ${by ?? ''}` : '—')
  return (
    <Card title={t('inc.summary')} actions={isAdmin && i.state !== 'closed' && !editing ? <button type="button" class="btn btn-small" onClick={() => setEditing(true)}>{t('common.edit')}</button> : undefined}>
      {editing ? <EditForm d={d} done={() => setEditing(false)} /> : (
        <Facts rows={[
          [t('inc.scenario'), tx(SCENARIO_LABEL[i.scenario])],
          [t('inc.source'), tx(INCIDENT_SOURCE_LABEL[i.source])],
          [t('inc.awareAt'), date(i.awareAt)],
          [t('inc.opened'), who(i.openedAt, i.openedBy)],
          ...(['contained', 'resolved', 'closed'] as const).filter((s) => i[`${s}At`]).map((s): [string, string] => [tx(INCIDENT_STATE_LABEL[s]), who(i[`${s}At`], i[`${s}By`])]),
          [t('inc.hosts'), i.hosts.length ? (
            <span class="host-chips">{i.hosts.map((h) => (
              <span key={h.id} class="host-chip"><StatusBadge status={h.status as never} label={agentName(h.hostname)} /> {h.crownJewel && <CrownBadge short />} <Link href={`/hosts/${h.id}`}>→</Link></span>
            ))}</span>
          ) : t('common.none')],
          ...(i.crownJewels.length ? [[t('inc.crownJewels'), i.crownJewels.map((j) => `${j.name} (≤ ${j.maxDowntimeHours} h)`).join(', ')] as [string, string]] : []),
          [t('inc.espionage'), i.espionageSuspected ? t('common.yes') : t('common.no')],
          ...(i.description ? [[t('inc.description'), agentText(i.description)] as [string, string]] : []),
        ]} />
      )}
    </Card>
  )
}

function Exports({ d }: { d: IncidentDetail }) {
  const { t } = useI18n()
  return (
    <Card title={t('inc.export')} id="export">
      <p class="small muted">{t('inc.export.help')}</p>
      <div class="form-actions">
        {LANGUAGES.map((l) => <a key={l} class="btn" href={`/api/v1/incidents/${d.incident.id}/export.pdf?lang=${l}`} download>{t('inc.export.pdf', { lang: l.toUpperCase() })}</a>)}
        <a class="btn" href={`/api/v1/incidents/${d.incident.id}/export.json`} download>{t('inc.export.json')}</a>
      </div>
    </Card>
  )
}

export function IncidentPage({ id }: { id: string }) {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const r = useIncident(id)
  if (r.error && !r.data) return <ErrorBox error={r.error} retry={r.reload} />
  if (!r.data) return <Loading />
  const d = r.data
  const i = d.incident
  return (
    <div class={`incident incident-${i.state}`} data-incident={i.number} data-state={i.state}>
      <p class="small"><Link href="/incidents">← {t('inc.title')}</Link></p>
      <div class="page-head">
        <h1 class="page-title">{i.number}: {agentName(i.title)}</h1>
        <div class="badges">
          <StateBadge state={i.state as IncidentState} /> <SeverityBadge severity={i.severity} /> {i.drill && <DrillBadge />}
        </div>
      </div>
      {isAdmin && <StateControl d={d} />}
      {!isAdmin && <p class="small muted">{t('rd.viewer')}</p>}
      <div class="incident-grid">
        <div>
          <Summary d={d} />
          <ClocksCard d={d} />
          <ChainCard d={d} />
          <StepsCard d={d} />
          <ReportsCard d={d} />
          <EvidenceCard d={d} />
        </div>
        <div>
          <TimelineCard d={d} />
          <TasksCard d={d} />
          <WatchCard d={d} />
          <LessonsCard key={d.lessons?.recordedAt ?? 'none'} d={d} />
          <Exports d={d} />
        </div>
      </div>
    </div>
  )
}
