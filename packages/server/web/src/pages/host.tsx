import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, getCatalogue, qs, type Alert, type Catalogue, type HostDetail, type HostHistory } from '../api.js'
import { useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n } from '../i18n.js'
import { Card, CrownBadge, ErrorBox, Facts, inMaintenance, Link, Loading, MaintenanceBadge, StatusBadge, StatusIcon, type Light } from '../components.js'
import { HostAdmin } from './host-admin.js'
import { FactView } from '../facts.js'
import { AlertRow } from './alerts.js'
import { useIsAdmin } from '../session.js'

const STATUS_RANK: Record<string, number> = { deviation: 0, unknown: 1, ok: 2, 'not-applicable': 3 }

/** One lane per measure over the window; each segment is coloured and patterned by status. */
export function HistoryChart({ history, catalogue }: { history: HostHistory; catalogue: Catalogue | null }) {
  const { t, tx, date, locale } = useI18n()
  const to = Date.parse(history.to)
  // The chart starts with the host's first record (a new host has no 30 days yet), and spans at least an hour.
  const first = Math.min(...history.changes.map((c) => Date.parse(c.at)), to)
  const from = Math.min(Math.max(Date.parse(history.from), first), to - 3_600_000)
  const span = Math.max(1, to - from)
  const lanes = new Map<string, { status: string; at: number }[]>()
  for (const c of history.changes) {
    const list = lanes.get(c.measureId) ?? []
    list.push({ status: c.status, at: Math.max(from, Date.parse(c.at)) })
    lanes.set(c.measureId, list)
  }
  if (!lanes.size) return <p class="muted">{t('host.history.empty')}</p>
  const order = catalogue ? catalogue.measures.map((m) => m.id) : [...lanes.keys()]
  const ids = [...lanes.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))
  const x = (ms: number) => ((ms - from) / span) * 1000
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => from + f * span)
  const tickFmt = new Intl.DateTimeFormat(locale, span > 2 * 86_400_000 ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' })
  return (
    <div class="history">
      <svg width="0" height="0" class="defs" aria-hidden="true">
        <defs>
          <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" class="seg-deviation-fill" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="rgba(255,255,255,.45)" stroke-width="2.5" />
          </pattern>
          <pattern id="dots" width="5" height="5" patternUnits="userSpaceOnUse">
            <rect width="5" height="5" class="seg-unknown-fill" />
            <circle cx="2.5" cy="2.5" r="1" fill="rgba(255,255,255,.55)" />
          </pattern>
        </defs>
      </svg>
      {ids.map((id) => {
        const list = lanes.get(id)!
        const m = catalogue?.measures.find((c) => c.id === id)
        const segs = list.map((c, i) => ({ ...c, end: list[i + 1]?.at ?? to }))
        return (
          <div class="lane" key={id}>
            <span class="lane-label" title={id}>
              {m ? tx(m.title) : id}
            </span>
            <svg class="lane-bar" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" aria-label={`${m ? tx(m.title) : id}: ${segs.map((s) => `${s.status} ${date(new Date(s.at).toISOString())}`).join(', ')}`}>
              {segs.map((s, i) => (
                <rect key={i} x={x(s.at)} width={Math.max(2, x(s.end) - x(s.at))} y="0" height="14" class={`hseg hseg-${s.status}`}>
                  <title>{`${t(`status.${s.status}` as 'status.ok')} · ${date(new Date(s.at).toISOString())}`}</title>
                </rect>
              ))}
            </svg>
            <span class="lane-now">
              <StatusIcon status={segs[segs.length - 1]!.status as Light} size={12} />
            </span>
          </div>
        )
      })}
      <div class="lane axis" aria-hidden="true">
        <span class="lane-label" />
        <div class="ticks">
          {ticks.map((ms, i) => (
            <span key={i} style={{ left: `${(i / (ticks.length - 1)) * 100}%` }}>
              {tickFmt.format(new Date(ms))}
            </span>
          ))}
        </div>
        <span class="lane-now" />
      </div>
    </div>
  )
}

type Collect = { kind: 'busy' } | { kind: 'sent'; before: string | null } | { kind: 'offline' } | { kind: 'failed'; error: Error }

/**
 * "Collect now" (admins): asks the agent over its live connection for a full report. Says what the server answered —
 * sent, or the agent is not connected — and, once the page has the newer report (live update), that it arrived.
 */
function CollectNow({ hostId, lastReportAt }: { hostId: string; lastReportAt: string | null }) {
  const { t, date } = useI18n()
  const [state, setState] = useState<Collect | null>(null)
  // Another host's page: forget the last answer.
  useEffect(() => setState(null), [hostId])
  const run = async () => {
    const before = lastReportAt
    setState({ kind: 'busy' })
    try {
      const r = await api<{ sent: boolean; commandId: string }>(`/hosts/${encodeURIComponent(hostId)}/commands`, { method: 'POST', body: { command: 'collect-now' } })
      setState(r.sent ? { kind: 'sent', before } : { kind: 'offline' })
    } catch (e) {
      setState({ kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) })
    }
  }
  const arrived = state?.kind === 'sent' && !!lastReportAt && lastReportAt !== state.before
  return (
    <div class="collect-now">
      <button type="button" class="btn btn-small" disabled={state?.kind === 'busy'} title={t('host.collect.title')} onClick={() => void run()}>
        <span aria-hidden="true">⟳</span>
        {t('host.collect')}
      </button>
      {state?.kind === 'busy' && (
        <span class="muted" role="status" data-collect="busy">
          {t('host.collect.busy')}
        </span>
      )}
      {state?.kind === 'sent' &&
        (arrived ? (
          <span class="yes-good" role="status" data-collect="arrived">
            <StatusIcon status="ok" size={14} /> {t('host.collect.arrived', { when: date(lastReportAt) })}
          </span>
        ) : (
          <span class="muted" role="status" data-collect="sent">
            <StatusIcon status="silent" size={14} /> {t('host.collect.sent')}
          </span>
        ))}
      {state?.kind === 'offline' && (
        <span class="yes-bad" role="status" data-collect="offline">
          <StatusIcon status="deviation" size={14} /> {t('host.collect.offline')}
        </span>
      )}
      {state?.kind === 'failed' && <ErrorBox error={state.error} action="save" />}
    </div>
  )
}

export function HostPage({ id }: { id: string }) {
  const { t, tx, date, ago } = useI18n()
  const isAdmin = useIsAdmin()
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null)
  useEffect(() => {
    getCatalogue().then(setCatalogue, () => {})
  }, [])
  const detail = useLoad(`host:${id}`, () => api<HostDetail>(`/hosts/${encodeURIComponent(id)}`))
  const history = useLoad(`history:${id}`, () => api<HostHistory>(`/hosts/${encodeURIComponent(id)}/history?days=30`))
  const alerts = useLoad(`alerts:${id}`, () => api<{ total: number; alerts: Alert[] }>(`/alerts${qs({ hostId: id, state: 'active', limit: 100 })}`))
  useLive(
    () => {
      detail.reload()
      history.reload()
      alerts.reload()
    },
    (e) => e.hostId === id,
  )

  if (detail.error instanceof ApiError && detail.error.status === 404)
    return (
      <div class="empty">
        <p>{t('host.notFound')}</p>
        <Link href="/hosts">{t('host.back')}</Link>
      </div>
    )
  if (!detail.data) return detail.error ? <ErrorBox error={detail.error} retry={detail.reload} /> : <Loading />
  const { host: h, facts, findings } = detail.data
  const title = (mid: string) => {
    const m = catalogue?.measures.find((x) => x.id === mid)
    return m ? tx(m.title) : mid
  }
  const sorted = [...findings].sort((a, b) => (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9))

  return (
    <div class="host-page" data-host-status={h.status}>
      <Link href="/hosts" class="back">
        ← {t('host.back')}
      </Link>
      <header class="host-head">
        <h1 class="page-title">
          {h.hostname}
        </h1>
        <div class="host-badges">
          <StatusBadge status={h.status} />
          {h.silent && <StatusBadge status="silent" />}
          {h.crownJewel && <CrownBadge />}
          {inMaintenance(h.maintenanceUntil) && <MaintenanceBadge until={h.maintenanceUntil!} />}
          <span class="muted small">
            {h.osName} · {t('host.id.lastReport')}{' '}
            <time data-last-report dateTime={h.lastReportAt ?? undefined} title={date(h.lastReportAt)}>
              {ago(h.lastReportAt)}
            </time>
          </span>
        </div>
        {isAdmin && <CollectNow hostId={h.id} lastReportAt={h.lastReportAt} />}
      </header>

      <div class="host-grid">
        <div class="host-main">
          <Card title={t('host.findings')}>
            <ul class="findings">
              {sorted.map((f) => (
                <li key={f.measureId} class={`finding finding-${f.status}`} data-measure={f.measureId} data-status={f.status}>
                  <div class="finding-head">
                    <StatusBadge status={f.status} />
                    <strong>{title(f.measureId)}</strong>
                    <span class="muted small">{t('host.since', { when: date(f.since) })}</span>
                  </div>
                  <p class="finding-reason">{tx(f.reason)}</p>
                  {f.fix && f.status !== 'ok' && (
                    <p class="fix">
                      <span class="fix-label">{t('host.fix')}:</span> {tx(f.fix)}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </Card>

          <Card title={t('host.facts')}>
            {Object.keys(facts).length === 0 ? (
              <p class="muted">{t('host.facts.none')}</p>
            ) : (
              (catalogue ? catalogue.measures.map((m) => m.id) : Object.keys(facts))
                .filter((fid) => fid in facts)
                .map((fid) => (
                  <section class="fact-block" key={fid}>
                    <h3>
                      {title(fid)} <span class="muted small">{t('host.facts.collected', { when: ago(facts[fid]!.collectedAt) })}</span>
                    </h3>
                    <FactView id={fid} value={facts[fid]!.value} />
                  </section>
                ))
            )}
          </Card>
        </div>

        <aside class="host-side">
          <Card title={t('host.alerts')}>
            {alerts.error ? (
              <ErrorBox error={alerts.error} retry={alerts.reload} />
            ) : !alerts.data ? (
              <Loading />
            ) : alerts.data.alerts.length === 0 ? (
              <p class="muted">
                <StatusIcon status="ok" size={14} /> {t('host.alerts.none')}
              </p>
            ) : (
              <ul class="alert-list compact">
                {alerts.data.alerts.map((a) => (
                  <AlertRow key={a.id} a={a} compact onChanged={alerts.reload} />
                ))}
              </ul>
            )}
          </Card>

          <Card title={t('host.admin')} id="host-admin">
            <HostAdmin host={h} onSaved={detail.reload} />
          </Card>

          <Card title={t('host.history')}>
            {history.data ? <HistoryChart history={history.data} catalogue={catalogue} /> : history.error ? <ErrorBox error={history.error} /> : <Loading />}
          </Card>

          <Card title={t('host.identity')}>
            <Facts
              rows={[
                [t('host.id.os'), `${h.osName}${h.osBuild ? ` (${h.osBuild})` : ''}`],
                [t('host.id.kernel'), h.kernel],
                [t('host.id.arch'), h.arch],
                [t('host.id.agent'), h.agentVersion],
                [t('host.id.boot'), date(h.bootTime)],
                [t('host.id.lastReport'), date(h.lastReportAt)],
                [t('host.id.enrolled'), date(h.createdAt)],
                [t('host.id.tags'), h.tags.length ? h.tags.join(', ') : '—'],
                [t('host.id.machineId'), <code class="wrap">{h.machineId}</code>],
              ]}
            />
          </Card>
        </aside>
      </div>
    </div>
  )
}
