// /incidents: every incident with its state and next deadline; reports of people waiting for triage; opening a new
// incident (admins); whether the web form behind the card's QR code takes reports; compliance over time.
import { useState } from 'preact/hooks'
import { INCIDENT_SCENARIOS, INCIDENT_STATE_LABEL, SCENARIO_LABEL, SEVERITIES, type IncidentScenario, type Severity } from '@lagebild/shared'
import { api, type HostList, type IncidentDetail, type IncidentSummary, type UserReportOut } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n, type Key } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { navigate } from '../../router.js'
import { agentName, agentText, Card, ErrorBox, Link, Loading, SaveRow, SeverityBadge } from '../../components.js'
import { Check, Choice, TextArea, TextField } from '../readiness/fields.js'
import { useIncidents } from './data.js'
import { Deadline } from './clocks.js'
import { ComplianceChart } from './compliance.js'
import { toLocalInput } from '../host-admin.js'

/** datetime-local (the browser's zone) → ISO instant; the other way is host-admin's toLocalInput. */
export const toIso = (local: string) => (local ? new Date(local).toISOString() : '')
export const toLocal = toLocalInput

export function StateBadge({ state }: { state: IncidentSummary['state'] }) {
  const { tx } = useI18n()
  return <span class={`inc-state inc-state-${state}`} data-state={state}>{tx(INCIDENT_STATE_LABEL[state])}</span>
}

export function DrillBadge() {
  const { t } = useI18n()
  return <span class="inc-drill" data-drill="1">{t('inc.drill')}</span>
}

/** A host picker: every enrolled host as a checkbox. */
export function HostPicker({ value, set, label }: { value: string[]; set: (v: string[]) => void; label: string }) {
  const hosts = useLoad('hosts-all', () => api<HostList>('/hosts?limit=500&sort=hostname'))
  return (
    <fieldset class="host-picker">
      <legend>{label}</legend>
      {!hosts.data ? <Loading /> : (
        <div class="checks">
          {hosts.data.hosts.map((h) => (
            <Check key={h.id} name={`host-${h.hostname}`} label={agentName(h.hostname)} checked={value.includes(h.id)} set={(on) => set(on ? [...value, h.id] : value.filter((x) => x !== h.id))} />
          ))}
        </div>
      )}
    </fieldset>
  )
}

function OpenForm({ from, done }: { from?: UserReportOut; done: () => void }) {
  const { t, tx } = useI18n()
  const submit = useSubmit()
  const [title, setTitle] = useState(from ? `${from.answers.system}: ${from.answers.observed}`.slice(0, 200) : '')
  const [scenario, setScenario] = useState<IncidentScenario>('other')
  const [severity, setSeverity] = useState<Severity>('high')
  const [description, setDescription] = useState(from?.answers.observed ?? '')
  const [aware, setAware] = useState(toLocal(new Date().toISOString()))
  const [hostIds, setHostIds] = useState<string[]>(from?.hostId ? [from.hostId] : [])
  const [drill, setDrill] = useState(false)
  const [espionage, setEspionage] = useState(false)
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    if (!title.trim()) return submit.fail(t('inc.open.titleMissing'))
    let id = ''
    const ok = await submit.run(async () => {
      const d = await api<IncidentDetail>('/incidents', {
        method: 'POST',
        body: { title, scenario, severity, description, awareAt: toIso(aware), hostIds, drill, espionageSuspected: espionage, ...(from ? { fromReportId: from.id } : {}) },
      })
      id = d.incident.id
    })
    if (ok) {
      done()
      navigate(`/incidents/${id}`)
    }
  }
  return (
    <form class="record-form open-incident" onSubmit={onSubmit} noValidate>
      <div class="form-grid">
        <TextField label={t('inc.open.title')} name="title" value={title} set={setTitle} maxLength={200} required />
        <Choice label={t('inc.scenario')} name="scenario" values={INCIDENT_SCENARIOS} labels={SCENARIO_LABEL} value={scenario} set={(v) => setScenario(v ?? 'other')} />
        <Choice label={t('inc.severity')} name="severity" values={[...SEVERITIES].reverse()} labels={Object.fromEntries(SEVERITIES.map((s) => [s, t(`sev.${s}` as Key)])) as Record<Severity, string>} value={severity} set={(v) => setSeverity(v ?? 'high')} />
        <label class="field">
          <span>{t('inc.awareAt')}</span>
          <input type="datetime-local" name="awareAt" value={aware} onInput={(e) => setAware(e.currentTarget.value)} />
          <small>{t('inc.awareAt.help')}</small>
        </label>
      </div>
      <TextArea label={t('inc.description')} name="description" value={description} set={setDescription} maxLength={4000} />
      <HostPicker label={t('inc.hosts')} value={hostIds} set={setHostIds} />
      <div class="checks">
        <Check name="drill" label={t('inc.open.drill')} checked={drill} set={setDrill} />
        <Check name="espionage" label={t('inc.espionage')} checked={espionage} set={setEspionage} />
      </div>
      <p class="small muted">{tx({ de: 'Beim Eröffnen wird die Alarmierungskette über die Alarmkanäle benachrichtigt und die Meldefristen beginnen.', en: 'Opening notifies the alerting chain through the alert channels and starts the reporting deadlines.' })}</p>
      <SaveRow submit={submit} label={t('inc.open.submit')}>
        <button type="button" class="btn btn-ghost" onClick={done}>{t('common.cancel')}</button>
      </SaveRow>
    </form>
  )
}

function Waiting({ reports, incidents }: { reports: UserReportOut[]; incidents: IncidentSummary[] }) {
  const { t, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const [opening, setOpening] = useState<UserReportOut | null>(null)
  const active = incidents.filter((i) => i.state === 'open' || i.state === 'contained')
  if (!reports.length) return null
  return (
    <Card title={t('inc.waiting')} class="card-waiting">
      <p class="small muted">{t('inc.waiting.help')}</p>
      <ul class="report-list">
        {reports.map((r) => (
          <li key={r.id} data-receipt={r.receipt}>
            <div><strong>{agentName(r.answers.reporter)}</strong> · {agentName(r.answers.system)} · <span class="muted">{date(r.receivedAt)} · {r.receipt}</span></div>
            <div>{agentText(r.answers.observed)}</div>
            {isAdmin && (
              <div class="form-actions">
                <button type="button" class="btn btn-small btn-primary" onClick={() => setOpening(r)}>{t('inc.waiting.open')}</button>
                {active.map((i) => (
                  <button key={i.id} type="button" class="btn btn-small" disabled={submit.busy} onClick={() => submit.run(() => api(`/user-reports/${r.id}/assign`, { method: 'POST', body: { incidentId: i.id } }))}>
                    {t('inc.waiting.join', { number: i.number })}
                  </button>
                ))}
              </div>
            )}
            {opening?.id === r.id && <OpenForm from={r} done={() => setOpening(null)} />}
          </li>
        ))}
      </ul>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </Card>
  )
}

function WebForm({ on }: { on: boolean }) {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  return (
    <p class="small">
      {t(on ? 'inc.webForm.on' : 'inc.webForm.off')} <Link href="/report">/report</Link>
      {isAdmin && (
        <button type="button" class="btn btn-small btn-ghost" disabled={submit.busy} onClick={() => submit.run(() => api('/incidents/settings', { method: 'PUT', body: { webReports: !on } }))}>
          {t(on ? 'inc.webForm.turnOff' : 'inc.webForm.turnOn')}
        </button>
      )}
    </p>
  )
}

export function IncidentsPage() {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const list = useIncidents()
  const [opening, setOpening] = useState(false)
  return (
    <div class="incidents">
      <div class="page-head">
        <h1 class="page-title">{t('inc.title')}</h1>
        {isAdmin && !opening && <button type="button" class="btn btn-primary" onClick={() => setOpening(true)}>{t('inc.open')}</button>}
      </div>
      <p class="muted">{t('inc.intro')}</p>
      {opening && <Card title={t('inc.open')}><OpenForm done={() => setOpening(false)} /></Card>}
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data ? <Loading /> : (
        <>
          <Waiting reports={list.data.unassigned} incidents={list.data.incidents} />
          <Card title={t('inc.list')}>
            {!list.data.incidents.length ? <p class="muted">{t('inc.none')}</p> : (
              <table class="table incident-table">
                <thead>
                  <tr><th>{t('inc.number')}</th><th>{t('inc.open.title')}</th><th>{t('inc.state')}</th><th>{t('inc.severity')}</th><th>{t('inc.awareAt')}</th><th>{t('inc.nextDeadline')}</th></tr>
                </thead>
                <tbody>
                  {list.data.incidents.map((i) => (
                    <tr key={i.id} data-incident={i.number}>
                      <td><Link href={`/incidents/${i.id}`}>{i.number}</Link></td>
                      <td>{agentName(i.title)} {i.drill && <DrillBadge />}<div class="small muted">{tx(SCENARIO_LABEL[i.scenario])}</div></td>
                      <td><StateBadge state={i.state} /></td>
                      <td><SeverityBadge severity={i.severity} /></td>
                      <td class="small">{date(i.awareAt)}</td>
                      <td>{i.nextDeadline ? <Deadline title={i.nextDeadline.title} dueAt={i.nextDeadline.dueAt} stage={i.nextDeadline.stage} /> : <span class="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <WebForm on={list.data.webReports} />
        </>
      )}
      <ComplianceChart />
    </div>
  )
}
