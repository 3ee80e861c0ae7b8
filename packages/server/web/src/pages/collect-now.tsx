// "Collect now" (admins): asks the agent over its live connection for a full report. Says what the server answered —
// sent, or the agent is not connected — and, once the page has the newer report (live update), that it arrived.
import { useEffect, useState } from 'preact/hooks'
import { api, type CommandOut } from '../api.js'
import { useSubmit } from '../hooks.js'
import { useI18n } from '../i18n.js'
import { ErrorBox, StatusIcon } from '../components.js'

export function CollectNow({ hostId, lastReportAt }: { hostId: string; lastReportAt: string | null }) {
  const { t, date } = useI18n()
  const submit = useSubmit()
  // What the server answered, with the last report before asking (a newer one is the answer arriving).
  const [answer, setAnswer] = useState<{ sent: boolean; before: string | null } | null>(null)
  // Another host's page: forget the last answer.
  useEffect(() => {
    setAnswer(null)
    submit.reset()
  }, [hostId])
  const run = () => {
    const before = lastReportAt
    setAnswer(null)
    void submit.run(async () => {
      const r = await api<CommandOut>(`/hosts/${encodeURIComponent(hostId)}/commands`, { method: 'POST', body: { command: 'collect-now' } })
      setAnswer({ sent: r.sent, before })
    })
  }
  const arrived = !!answer?.sent && !!lastReportAt && lastReportAt !== answer.before
  return (
    <div class="collect-now">
      <button type="button" class="btn btn-small" disabled={submit.busy} title={t('host.collect.title')} onClick={run}>
        <span aria-hidden="true">⟳</span>
        {t('host.collect')}
      </button>
      {submit.busy && (
        <span class="muted" role="status" data-collect="busy">
          {t('host.collect.busy')}
        </span>
      )}
      {answer?.sent &&
        (arrived ? (
          <span class="yes-good" role="status" data-collect="arrived">
            <StatusIcon status="ok" size={14} /> {t('host.collect.arrived', { when: date(lastReportAt) })}
          </span>
        ) : (
          <span class="muted" role="status" data-collect="sent">
            <StatusIcon status="silent" size={14} /> {t('host.collect.sent')}
          </span>
        ))}
      {answer && !answer.sent && (
        <span class="yes-bad" role="status" data-collect="offline">
          <StatusIcon status="deviation" size={14} /> {t('host.collect.offline')}
        </span>
      )}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </div>
  )
}
