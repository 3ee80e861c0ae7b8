// /readiness: the company's settings, every record with its owner and review (confirm "still current"), the first
// steps while little is recorded, the reports for an insurer or auditor and the monthly digest.
import { useState } from 'preact/hooks'
import { FEDERAL_STATES, FEDERAL_STATE_LABEL, LANGUAGES, RECORDS, type CompanySettings } from '@lagebild/shared'
import { api, type ReadinessView } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card, ErrorBox, Link, Loading, SaveRow, StatusBadge, StatusIcon } from '../../components.js'
import { ReadinessLayout } from './layout.js'
import { RecordForm } from './entry-list.js'
import { Check, Choice, numberOrNull, TextField, useDay } from './fields.js'
import { WindowsEditor } from './windows-editor.js'
import { useReadiness } from './data.js'

function CompanyForm({ company }: { company: CompanySettings }) {
  const { t } = useI18n()
  return (
    <RecordForm<CompanySettings> initial={company} send={(v) => api('/readiness/company', { method: 'PUT', body: v })}>
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.company.name')} name="companyName" maxLength={120} value={v.name} set={(name) => set({ name })} />
            <Choice label={t('rd.company.state')} name="federalState" values={FEDERAL_STATES} labels={FEDERAL_STATE_LABEL} value={v.federalState} set={(federalState) => set({ federalState })} none="—" />
            <TextField label={t('rd.company.zone')} name="timeZone" maxLength={64} value={v.timeZone} set={(timeZone) => set({ timeZone })} />
            <TextField label={t('rd.company.staff')} name="staffCount" type="number" min={1} max={100000} maxLength={6} value={v.staffCount === null ? '' : String(v.staffCount)} set={(x) => set({ staffCount: numberOrNull(x) })} />
            <TextField label={t('rd.company.devices')} name="deviceCount" type="number" min={0} max={100000} maxLength={6} value={v.deviceCount === null ? '' : String(v.deviceCount)} set={(x) => set({ deviceCount: numberOrNull(x) })} />
          </div>
          <WindowsEditor label={t('rd.company.required')} value={v.requiredCoverage} set={(requiredCoverage) => set({ requiredCoverage })} />
          <Check name="cardPublic" label={t('rd.company.cardPublic')} checked={v.cardPublic} set={(cardPublic) => set({ cardPublic })} />
        </>
      )}
    </RecordForm>
  )
}

type RecordRowData = ReadinessView['records'][number]

function RecordRow({ r, status }: { r: RecordRowData; status: ReadinessView['measures'][number]['status'] | undefined }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const [editing, setEditing] = useState(false)
  const day = useDay()
  const review = () => submit.run(() => api(`/readiness/records/${r.kind}/review`, { method: 'POST' }), t('rd.saved'))
  return (
    <tr data-record={r.kind} data-overdue={r.overdue}>
      <td><Link href={RECORDS[r.kind].path}>{tx(r.title)}</Link></td>
      <td>{status ? <StatusBadge status={status} /> : null}</td>
      <td>{r.owner || '—'}</td>
      <td>{r.lastReviewedAt ? `${r.log ? day(r.lastReviewedAt) : date(r.lastReviewedAt)}${r.lastReviewedBy ? ` · ${r.lastReviewedBy}` : ''}` : r.recorded ? '—' : t('rd.records.notKept')}</td>
      <td>{r.dueAt ? <span class={r.overdue ? 'yes-bad' : ''}>{r.overdue && <StatusIcon status="deviation" size={12} />} {day(r.dueAt)}</span> : '—'}</td>
      {isAdmin && (
        <td class="record-actions">
          {r.log ? <span class="small muted">{t('rd.records.logHint')}</span> : r.recorded && (
            <button type="button" class="btn btn-small" title={t('rd.records.reviewTitle')} disabled={submit.busy} onClick={() => void review()}>{t('rd.records.review')}</button>
          )}
          <button type="button" class="btn btn-small btn-ghost" onClick={() => setEditing(!editing)}>{t('rd.records.setOwner')}</button>
          {editing && <MetaForm r={r} done={() => setEditing(false)} />}
          {submit.error && <ErrorBox error={submit.error} action="save" />}
        </td>
      )}
    </tr>
  )
}

function MetaForm({ r, done }: { r: RecordRowData; done: () => void }) {
  const { t } = useI18n()
  return (
    <RecordForm<{ owner: string; reviewIntervalDays: number }>
      class="meta-form" initial={{ owner: r.owner, reviewIntervalDays: r.reviewIntervalDays }}
      send={(v) => api(`/readiness/records/${r.kind}`, { method: 'PUT', body: v })} done={done} cancel={done}
    >
      {(v, set) => (
        <>
          <TextField label={t('rd.records.owner')} name="owner" maxLength={120} value={v.owner} set={(owner) => set({ owner })} />
          <TextField label={t('rd.records.interval')} name="reviewIntervalDays" type="number" min={7} max={1095} maxLength={4} value={String(v.reviewIntervalDays)} set={(x) => set({ reviewIntervalDays: Number(x) })} />
        </>
      )}
    </RecordForm>
  )
}

function RecordsTable({ view }: { view: ReadinessView }) {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const status = new Map(view.measures.map((m) => [m.id as string, m.status]))
  return (
    <Card title={t('rd.records')} id="records">
      <div class="table-wrap">
        <table class="records">
          <thead>
            <tr>
              <th>{t('rd.records.record')}</th><th>{t('rd.records.status')}</th><th>{t('rd.records.owner')}</th><th>{t('rd.records.reviewed')}</th><th>{t('rd.records.due')}</th>
              {isAdmin && <th />}
            </tr>
          </thead>
          <tbody>{view.records.map((r) => <RecordRow key={r.kind} r={r} status={status.get(RECORDS[r.kind].measureId)} />)}</tbody>
        </table>
      </div>
    </Card>
  )
}

function Reports() {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const [preview, setPreview] = useState<{ subject: string; text: string } | null>(null)
  const [sent, setSent] = useState<number | null>(null)
  const { lang } = useI18n()
  const send = (e: Event) => {
    e.preventDefault()
    setSent(null)
    void submit.run(async () => setSent((await api<{ queued: number }>('/readiness/digest', { method: 'POST' })).queued))
  }
  return (
    <Card title={t('rd.downloads')} id="reports">
      <p><strong>{t('rd.report')}</strong><br /><span class="small muted">{t('rd.report.help')}</span></p>
      <div class="form-actions">
        {LANGUAGES.flatMap((l) => (['pdf', 'csv'] as const).map((f) => (
          <a key={`${l}${f}`} class="btn btn-small" href={`/api/v1/readiness/report.${f}?lang=${l}`} download>{f.toUpperCase()} ({l})</a>
        )))}
      </div>
      {isAdmin && (
        <>
          <p><strong>{t('rd.digest')}</strong><br /><span class="small muted">{t('rd.digest.help')}</span></p>
          <form onSubmit={send}>
            <SaveRow submit={submit} label={t('rd.digest.send')}>
              <button type="button" class="btn btn-ghost" onClick={() => void api<{ subject: string; text: string }>(`/readiness/digest?lang=${lang}`).then(setPreview)}>{t('rd.digest.preview')}</button>
              {sent !== null && <span class="yes-good" role="status">{t('rd.digest.sent', { n: sent })}</span>}
            </SaveRow>
          </form>
          {preview && <pre class="digest-preview"><strong>{preview.subject}</strong>{'\n\n'}{preview.text}</pre>}
        </>
      )}
    </Card>
  )
}

export function FirstSteps({ view }: { view: ReadinessView }) {
  const { t, tx } = useI18n()
  return (
    <Card title={t('rd.firstSteps')} id="first-steps" class="first-steps">
      <p class="small">{t('rd.firstSteps.intro')}</p>
      <ol>
        {view.firstSteps.map((s) => (
          <li key={s.measureId} data-step={s.measureId} data-done={s.done}>
            <Link href={s.path}>{tx(s.title)}</Link>
            {s.done && <span class="yes-good"> <StatusIcon status="ok" size={12} /> {t('rd.firstSteps.done')}</span>}
            <div class="small muted">{tx(s.why)}</div>
          </li>
        ))}
      </ol>
    </Card>
  )
}

export function ReadinessHub() {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const view = useReadiness()
  const d = view.data
  return (
    <ReadinessLayout title={t('rd.title')} measures={['follow.docs', 'prep.monitoring', 'ready.status']}>
      <p class="muted">{t('rd.intro')}</p>
      {view.error && <ErrorBox error={view.error} retry={view.reload} />}
      {!d ? <Loading /> : (
        <>
          {d.firstSteps.some((s) => !s.done) && <FirstSteps view={d} />}
          <Card title={t('rd.company')} id="company">{isAdmin ? <CompanyForm company={d.company} /> : <p>{d.company.name || '—'}</p>}</Card>
          <RecordsTable view={d} />
          <Reports />
        </>
      )}
    </ReadinessLayout>
  )
}
