// One host: its findings with reason and fix, every fact in words, open alerts, administration, history, identity.
import { useEffect, useState } from 'preact/hooks'
import type { FindingStatus, Measure } from '@lagebild/shared'
import { api, ApiError, getCatalogue, qs, type AlertList, type HostDetail, type HostHistory } from '../api.js'
import { useLoad, type Loaded } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n } from '../i18n.js'
import { WatchBadge } from './incidents/banner.js'
import { agentName, Card, CrownBadge, DuplicateNameBadge, ErrorBox, Facts, inMaintenance, Link, Loading, MaintenanceBadge, StatusBadge, StatusIcon } from '../components.js'
import { HostAdmin } from './host-admin.js'
import { HostLifecycle } from './host-lifecycle.js'
import { HostEnrollRequests } from './enroll-requests.js'
import { FactView } from '../facts.js'
import { AlertRow } from './alert-row.js'
import { CollectNow } from './collect-now.js'
import { HistoryCard } from './host-history.js'
import { useIsAdmin } from '../session.js'

type Host = HostDetail['host']
/** Findings that need attention first. */
const STATUS_RANK: Record<FindingStatus, number> = { deviation: 0, unknown: 1, ok: 2, 'not-applicable': 3 }

function useMeasures(): readonly Measure[] {
  const [measures, setMeasures] = useState<readonly Measure[]>([])
  useEffect(() => {
    getCatalogue().then((c) => setMeasures(c.measures), () => {})
  }, [])
  return measures
}

function HostHead({ h }: { h: Host }) {
  const { t, date, ago } = useI18n()
  return (
    <header class="host-head">
      <h1 class="page-title agent-title">{agentName(h.hostname)}</h1>
      <div class="host-badges">
        <StatusBadge status={h.status} />
        {h.silent && <StatusBadge status="silent" />}
        {h.crownJewel && <CrownBadge />}
        {inMaintenance(h.maintenanceUntil) && <MaintenanceBadge until={h.maintenanceUntil!} />}
        <WatchBadge hostId={h.id} />
        {h.duplicateName && <DuplicateNameBadge />}
        {h.retiredAt && <span class="flag flag-retired" data-flag="retired">{t('hosts.retired')}</span>}
        <span class="muted small">
          {h.osName} · {t('host.id.lastReport')}{' '}
          <time data-last-report dateTime={h.lastReportAt ?? undefined} title={date(h.lastReportAt)}>
            {ago(h.lastReportAt)}
          </time>
        </span>
      </div>
      {useIsAdmin() && !h.retiredAt && <CollectNow hostId={h.id} lastReportAt={h.lastReportAt} />}
    </header>
  )
}

function FindingsCard({ findings, title }: { findings: HostDetail['findings']; title: (id: string) => string }) {
  const { t, tx, date } = useI18n()
  const sorted = [...findings].sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status])
  return (
    <Card title={t('host.findings')} class="card-findings">
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
  )
}

function FactsCard({ facts, measures, title }: { facts: HostDetail['facts']; measures: readonly Measure[]; title: (id: string) => string }) {
  const { t, ago } = useI18n()
  const ids = (measures.length ? measures.map((m) => m.id) : Object.keys(facts)).filter((id) => id in facts)
  return (
    <Card title={t('host.facts')}>
      {ids.length === 0 ? (
        <p class="muted">{t('host.facts.none')}</p>
      ) : (
        ids.map((id) => (
          <section class="fact-block" key={id}>
            <h3>
              {title(id)} <span class="muted small">{t('host.facts.collected', { when: ago(facts[id]!.collectedAt) })}</span>
            </h3>
            <FactView id={id} value={facts[id]!.value} />
          </section>
        ))
      )}
    </Card>
  )
}

function HostAlerts({ alerts }: { alerts: Loaded<AlertList> }) {
  const { t } = useI18n()
  return (
    <Card title={t('host.alerts')} class="card-alerts">
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
  )
}

function Identity({ h, sameName }: { h: Host; sameName: HostDetail['sameName'] }) {
  const { t, date } = useI18n()
  return (
    <Card title={t('host.identity')}>
      {sameName.length > 0 && (
        <p class="notice small" data-same-name>
          {t('host.sameName', { name: agentName(h.hostname) })}{' '}
          {sameName.map((o, i) => (
            <span key={o.id}>
              {i > 0 && ', '}
              <Link href={`/hosts/${encodeURIComponent(o.id)}`}>
                <code>{o.machineId.slice(0, 12)}</code>
              </Link>
            </span>
          ))}
        </p>
      )}
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
  )
}

export function HostPage({ id }: { id: string }) {
  const { t, tx } = useI18n()
  const admin = useIsAdmin()
  const measures = useMeasures()
  const detail = useLoad(`host:${id}`, () => api<HostDetail>(`/hosts/${encodeURIComponent(id)}`))
  const history = useLoad(`history:${id}`, () => api<HostHistory>(`/hosts/${encodeURIComponent(id)}/history?days=30`))
  const alerts = useLoad(`alerts:${id}`, () => api<AlertList>(`/alerts${qs({ hostId: id, state: 'active', limit: 100 })}`))
  useLive(
    () => {
      detail.reload()
      history.reload()
      alerts.reload()
    },
    (e) => 'hostId' in e && e.hostId === id,
  )

  if (detail.error instanceof ApiError && detail.error.status === 404)
    return (
      <div class="empty">
        <p>{t('host.notFound')}</p>
        <Link href="/hosts">{t('host.back')}</Link>
      </div>
    )
  if (!detail.data) return detail.error ? <ErrorBox error={detail.error} retry={detail.reload} /> : <Loading />
  const { host: h, facts, findings, sameName } = detail.data
  const title = (mid: string) => {
    const m = measures.find((x) => x.id === mid)
    return m ? tx(m.title) : mid
  }

  return (
    <div class="host-page" data-host-status={h.status}>
      <Link href="/hosts" class="back">
        ← {t('host.back')}
      </Link>
      <HostHead h={h} />
      <HostEnrollRequests hostId={h.id} />
      <div class="host-grid">
        <div class="host-main">
          <FindingsCard findings={findings} title={title} />
          <FactsCard facts={facts} measures={measures} title={title} />
        </div>
        <aside class="host-side">
          <HostAlerts alerts={alerts} />
          <Card title={t('host.admin')} id="host-admin">
            <HostAdmin host={h} onSaved={detail.reload} />
          </Card>
          {admin && (
            <Card title={t('lifecycle.title')} id="host-lifecycle">
              <HostLifecycle host={h} onChanged={detail.reload} />
            </Card>
          )}
          <HistoryCard history={history} measures={measures} />
          <Identity h={h} sameName={sameName} />
        </aside>
      </div>
    </div>
  )
}
