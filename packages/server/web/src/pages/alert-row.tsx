// One alert in a list: what and where, its state, and — for admins — acknowledge, snooze (for a while or until a
// chosen time), end a snooze; unfolded, its history and its notifications.
import { useState } from 'preact/hooks'
import { ALERT_EVENTS, MAX_SNOOZE_MINUTES, NOTIFY_EVENTS } from '@lagebild/shared'
import { api, type Alert, type AlertDetail, type IncidentDetail } from '../api.js'
import { useLoad, useSubmit, type Submit } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n, type Key } from '../i18n.js'
import { CrownBadge, ErrorBox, HostLink, Loading, SeverityBadge, StatusIcon } from '../components.js'
import { useIsAdmin } from '../session.js'
import { toLocalInput } from './host-admin.js'
import { navigate } from '../router.js'

const SNOOZES: [Key, number][] = [
  ['alerts.snooze.1h', 60],
  ['alerts.snooze.8h', 480],
  ['alerts.snooze.24h', 1440],
  ['alerts.snooze.7d', 10080],
]
const MAX_SNOOZE_MS = MAX_SNOOZE_MINUTES * 60_000

function AlertHistory({ id }: { id: string }) {
  const { t, tx, date } = useI18n()
  const d = useLoad(`alert:${id}`, () => api<AlertDetail>(`/alerts/${encodeURIComponent(id)}`))
  useLive(d.reload, (e) => e.type === 'alert-changed' && e.alertId === id)
  if (!d.data) return d.error ? <ErrorBox error={d.error} retry={d.reload} /> : <Loading />
  return (
    <div class="alert-history">
      <h3 class="small">{t('alerts.history')}</h3>
      <ol class="timeline">
        {d.data.history.map((h, i) => (
          <li key={i}>
            <time dateTime={h.at}>{date(h.at)}</time> <strong>{tx(ALERT_EVENTS[h.kind])}</strong>
            {h.by && <span class="muted"> · {h.by}</span>}
            {h.detail && <span class="muted small"> · {h.detail}</span>}
          </li>
        ))}
        {d.data.notifications.map((n, i) => (
          <li key={`n${i}`} class="small">
            <time dateTime={n.createdAt}>{date(n.createdAt)}</time> → {n.channelName ?? n.channelId} ({tx(NOTIFY_EVENTS[n.event])}){' '}
            {n.sentAt ? (
              <span class="yes-good">
                <StatusIcon status="ok" size={12} /> {date(n.sentAt)}
              </span>
            ) : (
              <span class="yes-bad">
                <StatusIcon status="unknown" size={12} /> {n.lastError ?? `${n.attempts}×`}
              </span>
            )}
          </li>
        ))}
      </ol>
      <p class="small muted">{tx(d.data.alert.measureTitle)}</p>
    </div>
  )
}

/** What, where and in which state: the text part of a row. */
function AlertSummary({ a, compact }: { a: Alert; compact?: boolean }) {
  const { t, tx, ago, date } = useI18n()
  const state =
    a.state === 'resolved'
      ? t('alerts.state.resolved')
      : a.snoozed && a.snoozedUntil
        ? t('alerts.state.snoozed', { when: date(a.snoozedUntil) })
        : a.state === 'acknowledged'
          ? t('alerts.ackDone', { by: a.acknowledgedBy ?? '?', when: ago(a.acknowledgedAt) })
          : t('alerts.state.open')
  return (
    <div class="alert-main">
      <SeverityBadge severity={a.severity} />
      <div class="alert-text">
        <div>
          <strong>{tx(a.measureTitle)}</strong>
          {!compact && a.hostId && (
            <>
              {' · '}
              <HostLink id={a.hostId} name={a.hostname ?? a.hostId} />
            </>
          )}
          {a.crownJewel && (
            <>
              {' '}
              <CrownBadge short />
            </>
          )}
        </div>
        <div class="small alert-reason">{tx(a.reason)}</div>
        <div class="small muted">
          <span class={`state-chip chip-${a.state}${a.snoozed ? ' chip-snoozed' : ''}`}>
            {a.snoozed && <StatusIcon status="silent" size={12} />} {state}
          </span>{' '}
          · {t('alerts.col.opened')} {ago(a.openedAt)}
          {a.inMaintenance && a.state !== 'resolved' && (
            <>
              {' · '}
              <span class="chip-maint" title={t('alerts.maintenance')}>
                {t('alerts.maintenance')}
              </span>
            </>
          )}
        </div>
      </div>
    </div>
  )
}

/** Snooze for a fixed while, or choose "until …" (which opens the form below the row). */
function SnoozeSelect({ submit, snooze, chooseUntil }: { submit: Submit; snooze: (minutes: number) => void; chooseUntil: () => void }) {
  const { t } = useI18n()
  return (
    <label class="snooze">
      <span class="sr">{t('alerts.snooze')}</span>
      <select
        disabled={submit.busy}
        value=""
        aria-label={t('alerts.snooze')}
        onChange={(e) => {
          const raw = e.currentTarget.value
          e.currentTarget.value = ''
          if (raw === 'until') chooseUntil()
          else if (Number(raw)) snooze(Number(raw))
        }}
      >
        <option value="">{t('alerts.snooze')} …</option>
        {SNOOZES.map(([k, m]) => (
          <option key={m} value={m}>
            {t(k)}
          </option>
        ))}
        <option value="until">{t('alerts.snooze.until')}</option>
      </select>
    </label>
  )
}

/** "Snooze until": a date and time within the server's limit. */
function SnoozeUntilForm({ submit, initial, send, cancel }: { submit: Submit; initial: string; send: (iso: string) => void; cancel: () => void }) {
  const { t } = useI18n()
  const [until, setUntil] = useState(initial)
  const onSubmit = (e: Event) => {
    e.preventDefault()
    const at = until ? new Date(until).getTime() : NaN
    if (!Number.isFinite(at)) return submit.fail(t('alerts.snooze.empty'))
    if (at <= Date.now()) return submit.fail(t('alerts.snooze.past'))
    if (at - Date.now() > MAX_SNOOZE_MS) return submit.fail(t('alerts.snooze.tooFar', { n: MAX_SNOOZE_MINUTES / 1440 }))
    send(new Date(at).toISOString())
  }
  return (
    <form class="snooze-until" onSubmit={onSubmit} noValidate>
      <label class="field">
        <span>{t('alerts.snooze.untilLabel')}</span>
        <input
          type="datetime-local"
          name="snoozeUntil"
          value={until}
          min={toLocalInput(new Date().toISOString())}
          max={toLocalInput(new Date(Date.now() + MAX_SNOOZE_MS).toISOString())}
          onInput={(e) => setUntil(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="btn btn-small btn-primary" disabled={submit.busy}>
        {t('alerts.snooze.set')}
      </button>
      <button type="button" class="btn btn-small btn-ghost" disabled={submit.busy} onClick={cancel}>
        {t('common.cancel')}
      </button>
    </form>
  )
}

/** An alert that is more than a deviation: open an incident from it (its host affected, its severity taken over). */
function OpenIncidentButton({ a, submit }: { a: Alert; submit: Submit }) {
  const { t, tx } = useI18n()
  const open = () =>
    submit.run(async () => {
      const d = await api<IncidentDetail>('/incidents', {
        method: 'POST',
        body: { title: `${tx(a.measureTitle)}${a.hostname ? `: ${a.hostname}` : ''}`.slice(0, 200), scenario: 'other', severity: a.severity, description: tx(a.reason).slice(0, 4000), fromAlertId: a.id },
      })
      navigate(`/incidents/${d.incident.id}`)
    })
  return (
    <button type="button" class="btn btn-small" disabled={submit.busy} onClick={() => void open()}>
      {t('inc.fromAlert')}
    </button>
  )
}

export function AlertRow({ a, compact, onChanged, open: openInit }: { a: Alert; compact?: boolean; onChanged: () => void; open?: boolean }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(!!openInit)
  // "Snooze until …": the proposed local date-time while the form is shown, else null.
  const [until, setUntil] = useState<string | null>(null)
  const canAct = useIsAdmin() && a.state !== 'resolved'
  const submit = useSubmit()
  const act = (path: string, body: unknown) =>
    submit.run(async () => {
      await api(`/alerts/${encodeURIComponent(a.id)}/${path}`, { method: 'POST', body })
      onChanged()
    })

  return (
    <li class={`alert-item alert-${a.state} sev-row-${a.severity}`} data-alert={a.id} data-state={a.state} data-snoozed={a.snoozed ? 'true' : 'false'} data-host={a.hostname ?? ''}>
      <AlertSummary a={a} compact={compact} />
      <div class="alert-actions">
        {canAct && a.state === 'open' && (
          <button type="button" class="btn btn-small btn-primary" disabled={submit.busy} onClick={() => act('acknowledge', {})}>
            {t('alerts.ack')}
          </button>
        )}
        {canAct && (
          <SnoozeSelect
            submit={submit}
            snooze={(minutes) => void act('snooze', { minutes })}
            chooseUntil={() => {
              submit.reset()
              // Proposed: tomorrow at this time, which the admin then changes.
              setUntil(toLocalInput(new Date(Date.now() + 86_400_000).toISOString()))
            }}
          />
        )}
        {canAct && a.snoozed && (
          <button type="button" class="btn btn-small" disabled={submit.busy} onClick={() => void act('unsnooze', {})}>
            <StatusIcon status="silent" size={13} />
            {t('alerts.unsnooze')}
          </button>
        )}
        {canAct && !compact && <OpenIncidentButton a={a} submit={submit} />}
        {!compact && (
          <button type="button" class="btn btn-small btn-ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t('alerts.history')} {open ? '▴' : '▾'}
          </button>
        )}
      </div>
      {canAct && until !== null && (
        <SnoozeUntilForm
          submit={submit}
          initial={until}
          send={async (iso) => {
            if (await act('snooze', { until: iso })) setUntil(null)
          }}
          cancel={() => {
            setUntil(null)
            submit.reset()
          }}
        />
      )}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
      {open && !compact && <AlertHistory id={a.id} />}
    </li>
  )
}
