import { useEffect, useState } from 'preact/hooks'
import { api, qs, type Alert, type AlertDetail } from '../api.js'
import { useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n, type Key } from '../i18n.js'
import { navigate, useRoute } from '../router.js'
import { Card, CrownBadge, ErrorBox, TableMeta, Link, Loading, SeverityBadge, StatusIcon } from '../components.js'
import { useIsAdmin } from '../session.js'
import { toLocalInput } from './host-admin.js'

const EVENT_TEXT: Record<string, Text2> = {
  opened: { de: 'geöffnet', en: 'opened' },
  changed: { de: 'geändert', en: 'changed' },
  unknown: { de: 'Zustand unbekannt', en: 'state unknown' },
  notified: { de: 'benachrichtigt', en: 'notified' },
  reminded: { de: 'erinnert', en: 'reminded' },
  escalated: { de: 'eskaliert', en: 'escalated' },
  acknowledged: { de: 'bestätigt', en: 'acknowledged' },
  snoozed: { de: 'zurückgestellt', en: 'snoozed' },
  unsnoozed: { de: 'Zurückstellung beendet', en: 'snooze ended' },
  resolved: { de: 'erledigt', en: 'resolved' },
}
type Text2 = { de: string; en: string }
const SNOOZES: [Key, number][] = [
  ['alerts.snooze.1h', 60],
  ['alerts.snooze.8h', 480],
  ['alerts.snooze.24h', 1440],
  ['alerts.snooze.7d', 10080],
]
/** The server allows a snooze of at most 30 days. */
const MAX_SNOOZE_MS = 30 * 86_400_000


function AlertHistory({ id }: { id: string }) {
  const { t, tx, lang, date } = useI18n()
  const d = useLoad(`alert:${id}`, () => api<AlertDetail>(`/alerts/${encodeURIComponent(id)}`))
  useLive(d.reload, (e) => e.type === 'alert-changed' && e.alertId === id)
  if (!d.data) return d.error ? <ErrorBox error={d.error} retry={d.reload} /> : <Loading />
  return (
    <div class="alert-history">
      <h3 class="small">{t('alerts.history')}</h3>
      <ol class="timeline">
        {d.data.history.map((h, i) => (
          <li key={i}>
            <time dateTime={h.at}>{date(h.at)}</time> <strong>{EVENT_TEXT[h.kind]?.[lang] ?? h.kind}</strong>
            {h.by && <span class="muted"> · {h.by}</span>}
            {h.detail && <span class="muted small"> · {h.detail}</span>}
          </li>
        ))}
        {d.data.notifications.map((n, i) => (
          <li key={`n${i}`} class="small">
            <time dateTime={n.createdAt}>{date(n.createdAt)}</time> → {n.channelName ?? n.channelId} ({n.event}){' '}
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

export function AlertRow({ a, compact, onChanged, open: openInit }: { a: Alert; compact?: boolean; onChanged: () => void; open?: boolean }) {
  const { t, tx, ago, date } = useI18n()
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<Error | null>(null)
  const [open, setOpen] = useState(!!openInit)
  const canAct = useIsAdmin()

  // "Snooze until …": the chosen local date-time, or null while the field is hidden.
  const [until, setUntil] = useState<string | null>(null)

  const act = async (path: string, body: unknown): Promise<boolean> => {
    setBusy(true)
    setErr(null)
    try {
      await api(`/alerts/${encodeURIComponent(a.id)}/${path}`, { method: 'POST', body })
      onChanged()
      return true
    } catch (e) {
      setErr(e instanceof Error ? e : new Error(String(e)))
      return false
    } finally {
      setBusy(false)
    }
  }

  const snoozeUntil = async (e: Event) => {
    e.preventDefault()
    if (!until) return setErr(new Error(t('alerts.snooze.empty')))
    const at = new Date(until).getTime()
    if (!Number.isFinite(at)) return setErr(new Error(t('alerts.snooze.empty')))
    if (at <= Date.now()) return setErr(new Error(t('alerts.snooze.past')))
    if (at - Date.now() > MAX_SNOOZE_MS) return setErr(new Error(t('alerts.snooze.tooFar')))
    if (await act('snooze', { until: new Date(at).toISOString() })) setUntil(null)
  }

  const state =
    a.state === 'resolved'
      ? t('alerts.state.resolved')
      : a.snoozed && a.snoozedUntil
        ? t('alerts.state.snoozed', { when: date(a.snoozedUntil) })
        : a.state === 'acknowledged'
          ? t('alerts.ackDone', { by: a.acknowledgedBy ?? '?', when: ago(a.acknowledgedAt) })
          : t('alerts.state.open')

  return (
    <li class={`alert-item alert-${a.state} sev-row-${a.severity}`} data-alert={a.id} data-state={a.state} data-snoozed={a.snoozed ? 'true' : 'false'} data-host={a.hostname ?? ''}>
      <div class="alert-main">
        <SeverityBadge severity={a.severity} />
        <div class="alert-text">
          <div>
            <strong>{tx(a.measureTitle)}</strong>
            {!compact && a.hostId && (
              <>
                {' · '}
                <Link href={`/hosts/${encodeURIComponent(a.hostId)}`}>{a.hostname ?? a.hostId}</Link>
              </>
            )}
            {a.crownJewel && (
              <>
                {' '}
                <CrownBadge short />
              </>
            )}
          </div>
          <div class="small">{tx(a.reason)}</div>
          <div class="small muted">
            <span class={`state-chip chip-${a.state}${a.snoozed ? ' chip-snoozed' : ''}`}>
              {a.snoozed && <StatusIcon status="silent" size={12} />} 
              {state}
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
      <div class="alert-actions">
        {canAct && a.state === 'open' && (
          <button type="button" class="btn btn-small btn-primary" disabled={busy} onClick={() => act('acknowledge', {})}>
            {t('alerts.ack')}
          </button>
        )}
        {canAct && a.state !== 'resolved' && (
          <label class="snooze">
            <span class="sr">{t('alerts.snooze')}</span>
            <select
              disabled={busy}
              value=""
              aria-label={t('alerts.snooze')}
              onChange={(e) => {
                const raw = e.currentTarget.value
                e.currentTarget.value = ''
                if (raw === 'until') {
                  setErr(null)
                  // Proposed: tomorrow at this time, which the admin then changes.
                  setUntil(toLocalInput(new Date(Date.now() + 86_400_000).toISOString()))
                  return
                }
                const v = Number(raw)
                if (v) void act('snooze', { minutes: v })
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
        )}
        {canAct && a.snoozed && a.state !== 'resolved' && (
          <button type="button" class="btn btn-small" disabled={busy} onClick={() => void act('unsnooze', {})}>
            <StatusIcon status="silent" size={13} />
            {t('alerts.unsnooze')}
          </button>
        )}
        {!compact && (
          <button type="button" class="btn btn-small btn-ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t('alerts.history')} {open ? '▴' : '▾'}
          </button>
        )}
      </div>
      {canAct && until !== null && a.state !== 'resolved' && (
        <form class="snooze-until" onSubmit={snoozeUntil} noValidate>
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
          <button type="submit" class="btn btn-small btn-primary" disabled={busy}>
            {t('alerts.snooze.set')}
          </button>
          <button type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => {
              setUntil(null)
              setErr(null)
            }}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {err && <ErrorBox error={err} action="save" />}
      {open && !compact && <AlertHistory id={a.id} />}
    </li>
  )
}

const VIEWS = ['active', 'open', 'acknowledged', 'resolved', 'all'] as const
type View = (typeof VIEWS)[number]
const PAGE = 50

export function AlertsPage({ focus }: { focus?: string }) {
  const { t, num } = useI18n()
  const canAct = useIsAdmin()
  const { query } = useRoute()
  // State and page live in the URL, so a filtered page can be linked and survives a reload.
  const view: View = (VIEWS as readonly string[]).includes(query.get('state') ?? '') ? (query.get('state') as View) : 'active'
  const page = Math.max(0, Math.floor(Number(query.get('page')) || 0))
  const go = (v: View, p: number) => navigate(`/alerts${qs({ state: v === 'active' ? '' : v, page: p || '' })}`, !!focus)
  const key = qs({ state: view === 'all' ? undefined : view, limit: PAGE, offset: page * PAGE })
  const list = useLoad(`alerts:${key}`, () => api<{ total: number; alerts: Alert[] }>(`/alerts${key}`))
  useLive(list.reload, (e) => e.type === 'alert-changed')
  const total = list.data?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE))
  // A page that emptied (alerts resolved meanwhile) falls back to the last one that has entries.
  useEffect(() => {
    if (list.data && page > 0 && page >= pages) go(view, pages - 1)
  }, [list.data, page, pages])

  return (
    <div>
      <h1 class="page-title">{t('alerts.title')}</h1>
      <div class="tabs" role="tablist" aria-label={t('alerts.filter')}>
        {VIEWS.map((v) => (
          <button type="button" role="tab" key={v} aria-selected={view === v} class={view === v ? 'on' : ''} data-view={v} onClick={() => go(v, 0)}>
            {t(`alerts.view.${v}`)}
            {view === v && list.data ? ` (${num(list.data.total)})` : ''}
          </button>
        ))}
      </div>
      {!canAct && <p class="notice small">{t('alerts.viewer')}</p>}
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data ? (
        !list.error && <Loading />
      ) : (
        <Card class="table-card">
          <TableMeta countKey="alerts.count" total={total} page={page} pageSize={PAGE} loading={list.loading} />
          {list.data.alerts.length === 0 ? (
            <p class="empty muted">
              <StatusIcon status="ok" size={14} /> {t('alerts.empty')}
            </p>
          ) : (
            <ul class="alert-list">
              {list.data.alerts.map((a) => (
                <AlertRow key={a.id} a={a} onChanged={list.reload} open={a.id === focus} />
              ))}
            </ul>
          )}
          {total > PAGE && (
            <nav class="pager" aria-label={t('common.pages')}>
              <button type="button" class="btn btn-small" disabled={page === 0} onClick={() => go(view, page - 1)}>
                ← {t('hosts.prev')}
              </button>
              <span class="small muted" data-page={page + 1}>
                {num(page + 1)} / {num(pages)}
              </span>
              <button type="button" class="btn btn-small" disabled={page + 1 >= pages} onClick={() => go(view, page + 1)}>
                {t('hosts.next')} →
              </button>
            </nav>
          )}
        </Card>
      )}
    </div>
  )
}
