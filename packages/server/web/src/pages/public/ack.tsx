// /ack/:token — the personal link in the alert message of the alerting chain: "I have received it". The link itself is
// the credential (only its hash is kept on the server); confirming is recorded in the incident's timeline.
import { api, type ApiError } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { agentName, ErrorBox, Loading, StatusIcon } from '../../components.js'

type AckInfo = { name: string; incident: string; drill: boolean; acknowledgedAt: string | null }

export function AckPage({ token, langSwitch }: { token: string; langSwitch?: preact.ComponentChildren }) {
  const { t, date } = useI18n()
  const info = useLoad(`ack-${token}`, () => api<AckInfo>(`/ack/${encodeURIComponent(token)}`, { quiet401: true }))
  const submit = useSubmit()
  const confirm = () => submit.run(async () => {
    await api(`/ack/${encodeURIComponent(token)}`, { method: 'POST' })
    info.reload()
  })
  const body = info.error
    ? (info.error as ApiError).status === 404 ? <p class="field-error">{t('ack.unknown')}</p> : <ErrorBox error={info.error} retry={info.reload} />
    : !info.data ? <Loading /> : (
      <>
        <h1>{info.data.drill ? `${t('inc.drill')}: ` : ''}{agentName(info.data.incident)}</h1>
        <p>{t('ack.for', { name: info.data.name })}</p>
        {info.data.acknowledgedAt ? (
          <p class="yes-good" role="status" data-acknowledged="1"><StatusIcon status="ok" size={18} /> {t('ack.done', { when: date(info.data.acknowledgedAt) })}</p>
        ) : (
          <button type="button" class="btn btn-primary" disabled={submit.busy} onClick={confirm}>{t('ack.confirm')}</button>
        )}
        {submit.error && <ErrorBox error={submit.error} action="save" />}
        <p class="small muted">{t('ack.next')}</p>
      </>
    )
  return (
    <main class="page public-card ack">
      {langSwitch && <div class="no-print public-head">{langSwitch}</div>}
      {body}
    </main>
  )
}
