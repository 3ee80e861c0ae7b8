// /report — the report form behind the emergency card's QR code: the card's questions, for staff without an account.
// It can only send: the answer is a receipt number, never whether or which incident exists.
import { useState } from 'preact/hooks'
import { CARD_RULES, CARD_TEXT, USER_REPORT_FIELDS, type UserReportAnswers } from '@lagebild/shared'
import { api } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { ErrorBox, StatusIcon } from '../../components.js'
import { TextArea, TextField } from '../readiness/fields.js'

const EMPTY: UserReportAnswers = { reporter: '', phone: '', system: '', observed: '', when: '', where: '' }
const LIMIT: Record<keyof UserReportAnswers, number> = { reporter: 120, phone: 40, system: 200, observed: 4000, when: 120, where: 200 }
const REQUIRED: (keyof UserReportAnswers)[] = ['reporter', 'system', 'observed', 'when']

export function ReportForm() {
  const { t, tx, lang } = useI18n()
  const submit = useSubmit()
  const [a, setA] = useState<UserReportAnswers>(EMPTY)
  const [receipt, setReceipt] = useState<string | null>(null)
  const set = (k: keyof UserReportAnswers) => (v: string) => (setA({ ...a, [k]: v }), submit.reset())
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    const missing = REQUIRED.find((k) => !a[k].trim())
    if (missing) return submit.fail(t('report.missing', { field: tx(USER_REPORT_FIELDS[missing]) }))
    await submit.run(async () => setReceipt((await api<{ receipt: string }>('/user-reports', { method: 'POST', body: { answers: a, lang } })).receipt))
  }
  if (receipt)
    return (
      <div class="report-done" role="status" data-receipt={receipt}>
        <h2><StatusIcon status="ok" size={22} /> {t('report.thanks')}</h2>
        <p>{t('report.receipt', { receipt })}</p>
        <p><strong>{t('report.call')}</strong></p>
        <ol>{CARD_RULES.map((r, i) => <li key={i}>{tx(r)}</li>)}</ol>
      </div>
    )
  return (
    <form class="record-form report-form" onSubmit={onSubmit} noValidate>
      <p>{t('report.intro')}</p>
      {(Object.keys(EMPTY) as (keyof UserReportAnswers)[]).map((k) =>
        k === 'observed'
          ? <TextArea key={k} label={tx(USER_REPORT_FIELDS[k])} name={k} value={a[k]} set={set(k)} maxLength={LIMIT[k]} rows={5} />
          : <TextField key={k} label={tx(USER_REPORT_FIELDS[k])} name={k} value={a[k]} set={set(k)} maxLength={LIMIT[k]} required={REQUIRED.includes(k)} type={k === 'phone' ? 'tel' : 'text'} />,
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={submit.busy}>{t('report.send')}</button>
      </div>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
      <p class="small muted">{t('report.privacy')}</p>
      <p class="small"><strong>{tx(CARD_TEXT.motto)}</strong> – {t('report.stillCall')}</p>
    </form>
  )
}

/** Without an account: the form alone, under the card's red band. */
export function PublicReportPage({ langSwitch }: { langSwitch: preact.ComponentChildren }) {
  const { t, tx } = useI18n()
  return (
    <main class="page public-card public-report">
      <div class="no-print public-head">{langSwitch}</div>
      <header class="card-band"><h1>{t('report.title')}</h1><p>{tx(CARD_TEXT.motto)}</p></header>
      <ReportForm />
    </main>
  )
}

export function ReportPage() {
  const { t } = useI18n()
  return (
    <div class="public-report">
      <h1 class="page-title">{t('report.title')}</h1>
      <ReportForm />
    </div>
  )
}
