// The overview: the overall traffic light, readiness, hosts, open alerts, silent hosts, and one light per measure of
// the BSI guide by phase.
import { HOST_STATUSES, isOneOf, MEASURE_FIX_PATH, ORG_MEASURES, SCORED_PHASES, SEVERITIES } from '@lagebild/shared'
import { api, qs, type MeasureLight, type Overview, type ReadinessView } from '../api.js'
import { FirstSteps } from './readiness/hub.js'
import { OverviewIncidents } from './incidents/banner.js'
import { useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n, type Key } from '../i18n.js'
import { EnrollRequestsNotice } from './enroll-requests.js'
import { Card, ErrorBox, HostLink, Link, Loading, SEVERITY_ORDER, SeverityBadge, ShareBar, StatusBadge, StatusIcon } from '../components.js'

type Overall = 'red' | 'amber' | 'green'
const openAlertsOf = (ov: Overview) => SEVERITIES.reduce((a, s) => a + ov.alerts.open[s], 0)

function overallOf(ov: Overview): Overall {
  if (ov.hosts.deviation > 0 || openAlertsOf(ov) > 0) return 'red'
  // Handling and follow-up are judged in an emergency: before one, "all in order" means the phases of readiness.
  const allOk = ov.phases.filter((p) => SCORED_PHASES.includes(p.id)).every((p) => p.measures.every((m) => m.state === 'ok'))
  if (ov.hosts.unknown > 0 || ov.hosts.silent > 0 || !allOk || ov.hosts.total === 0) return 'amber'
  return 'green'
}

function TrafficLight({ state }: { state: Overall }) {
  return (
    <div class="traffic" aria-hidden="true">
      <span class={`lamp lamp-red ${state === 'red' ? 'lit' : ''}`}>{state === 'red' && <StatusIcon status="deviation" size={20} />}</span>
      <span class={`lamp lamp-amber ${state === 'amber' ? 'lit' : ''}`}>{state === 'amber' && <StatusIcon status="unknown" size={20} />}</span>
      <span class={`lamp lamp-green ${state === 'green' ? 'lit' : ''}`}>{state === 'green' && <StatusIcon status="ok" size={20} />}</span>
    </div>
  )
}

/** The host part of a measure: a bar and its counts, with a link to the hosts that deviate (or are unknown). */
function HostPart({ m, h }: { m: MeasureLight; h: NonNullable<MeasureLight['hosts']> }) {
  const { t } = useI18n()
  if (h.ok + h.deviation + h.unknown === 0) return <div class="small muted">{t('ov.m.noHosts')}</div>
  const worst = h.deviation > 0 ? 'deviation' : h.unknown > 0 ? 'unknown' : null
  const counts = [t('ov.m.ok', { n: h.ok }), h.deviation ? t('ov.m.dev', { n: h.deviation }) : '', h.unknown ? t('ov.m.unk', { n: h.unknown }) : ''].filter(Boolean).join(' · ')
  return (
    <>
      <ShareBar ok={h.ok} deviation={h.deviation} unknown={h.unknown} label={counts} />
      <div class="small counts">
        {counts}
        {worst && (
          <>
            {' · '}
            <Link href={`/hosts${qs({ measure: m.id, measureStatus: worst })}`}>{t('ov.m.showDeviating')}</Link>
          </>
        )}
      </div>
    </>
  )
}

/** Where a measure is fixed: its records' page, or the hosts that deviate from it. */
const fixPath = (m: MeasureLight) =>
  isOneOf(ORG_MEASURES, m.id) ? MEASURE_FIX_PATH[m.id] : `/hosts${qs({ measure: m.id, measureStatus: m.hosts?.deviation ? 'deviation' : m.hosts?.unknown ? 'unknown' : undefined })}`

function MeasureRow({ m }: { m: MeasureLight }) {
  const { t, tx } = useI18n()
  const workflow = m.judgedBy.every((j) => j === 'workflow')
  const partKey: Key = m.judgedBy.includes('record') ? 'ov.m.record' : m.judgedBy.includes('workflow') ? 'ov.m.workflow' : 'ov.m.check'
  // Hosts checked, only the record missing: the badge says so, rather than a bare "not yet recorded" beside a green bar.
  const recordMissing = m.state === 'not-recorded' && !!m.hosts && m.hosts.ok + m.hosts.deviation + m.hosts.unknown > 0
  return (
    <li class={`measure measure-${m.state}`} data-measure={m.id} data-state={m.state}>
      <div class="measure-state" title={recordMissing ? t('ov.m.recordMissing.title') : undefined}>
        <StatusBadge status={m.state} label={recordMissing ? t('ov.m.recordMissing') : undefined} />
      </div>
      <div class="measure-text">
        <div class="measure-title">
          {workflow ? tx(m.title) : <Link href={fixPath(m)}>{tx(m.title)}</Link>} <code class="measure-id">{m.id}</code>
        </div>
        <div class="muted small">{tx(m.summary)}</div>
      </div>
      <div class="measure-data">
        {m.hosts && <HostPart m={m} h={m.hosts} />}
        {m.record !== null && (
          <div class={`small record record-${m.record}`}>
            <StatusIcon status={m.record} size={12} />
            {t(partKey, { state: t(`status.${m.record}`).toLowerCase() })}
          </div>
        )}
      </div>
    </li>
  )
}

function OverallTile({ d }: { d: Overview }) {
  const { t } = useI18n()
  const overall = overallOf(d)
  const why =
    overall === 'red'
      ? `${t('ov.overall.red.hosts', { n: d.hosts.deviation })}, ${t('ov.overall.red.alerts', { n: openAlertsOf(d) })}.`
      : t(`ov.overall.${overall}.why`)
  return (
    <Card class={`tile tile-overall overall-${overall}`} title={t('ov.overall')}>
      <div class="overall" data-overall={overall}>
        <TrafficLight state={overall} />
        <div>
          <div class="overall-label">{t(`ov.overall.${overall}`)}</div>
          <div class="small muted">{why}</div>
        </div>
      </div>
    </Card>
  )
}

function ScoreTile({ d }: { d: Overview }) {
  const { t, tx, num } = useI18n()
  return (
    <Card class="tile" title={t('ov.score')}>
      <div class="score">
        <span class="score-value" data-score={d.score.value}>
          {num(d.score.value)}
          <span class="score-unit">%</span>
        </span>
        <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={d.score.value} aria-label={t('ov.score')}>
          <span style={{ width: `${d.score.value}%` }} />
        </div>
      </div>
      <details class="how">
        <summary>{t('ov.score.how')}</summary>
        <p class="small">{tx(d.score.explanation)}</p>
      </details>
    </Card>
  )
}

function HostsTile({ d }: { d: Overview }) {
  const { t, num } = useI18n()
  return (
    <Card class="tile" title={t('ov.hosts')}>
      {d.hosts.total === 0 ? (
        <p class="muted">
          {t('ov.noHosts')} <Link href="/enroll">{t('ov.noHosts.cta')}</Link>
        </p>
      ) : (
        <>
          <ul class="stat-list">
            {HOST_STATUSES.map((s) => (
              <li key={s}>
                <Link href={`/hosts${qs({ status: s })}`} class="stat-link">
                  <StatusIcon status={s} size={16} />
                  <span class="stat-num">{num(d.hosts[s])}</span>
                  <span>{t(`status.${s}`)}</span>
                </Link>
              </li>
            ))}
            <li>
              <a href="#silent" class="stat-link">
                <StatusIcon status="silent" size={16} />
                <span class="stat-num">{num(d.hosts.silent)}</span>
                <span>{t('ov.silent')}</span>
              </a>
            </li>
          </ul>
          <div class="small muted">{t('ov.hosts.total', { n: d.hosts.total })}</div>
        </>
      )}
    </Card>
  )
}

function AlertsTile({ d }: { d: Overview }) {
  const { t, num } = useI18n()
  const { acknowledged, snoozed } = d.alerts
  return (
    <Card class="tile" title={t('ov.alerts')}>
      {openAlertsOf(d) === 0 ? (
        <p class="muted">
          <StatusIcon status="ok" size={14} /> {t('ov.alerts.none')}
        </p>
      ) : (
        <ul class="stat-list">
          {SEVERITY_ORDER.filter((s) => d.alerts.open[s] > 0).map((s) => (
            <li key={s}>
              <Link href="/alerts" class="stat-link">
                <span class="stat-num">{num(d.alerts.open[s])}</span>
                <SeverityBadge severity={s} />
              </Link>
            </li>
          ))}
        </ul>
      )}
      {(acknowledged > 0 || snoozed > 0) && (
        <div class="small muted">
          {[acknowledged > 0 && t('ov.alerts.ack', { n: acknowledged }), snoozed > 0 && t('ov.alerts.snoozed', { n: snoozed })].filter(Boolean).join(' · ')}
        </div>
      )}
    </Card>
  )
}

function SilentHosts({ d }: { d: Overview }) {
  const { t, ago } = useI18n()
  if (!d.silentHosts.length) return null
  return (
    <Card title={t('ov.silent')} id="silent" class="silent-card">
      <ul class="silent-list">
        {d.silentHosts.map((h) => (
          <li key={h.id}>
            <StatusIcon status="silent" size={14} />
            <HostLink id={h.id} name={h.hostname} />
            <span class="small muted">{t('ov.silent.since', { when: ago(h.lastReportAt) })}</span>
          </li>
        ))}
        {d.hosts.silent > d.silentHosts.length && <li class="small muted">{t('ov.silent.more', { n: d.hosts.silent - d.silentHosts.length })}</li>}
      </ul>
    </Card>
  )
}

/** A company that has recorded nothing sees the first steps instead of rows of "not yet recorded". */
function PhaseMeasures({ p, empty }: { p: Overview['phases'][number]; empty: boolean }) {
  const { t } = useI18n()
  const incident = p.id === 'handle' || p.id === 'follow'
  // Measures with live data from the hosts first, then those kept as records; the guide's order within each.
  const list = [...p.measures.filter((m) => m.hosts), ...p.measures.filter((m) => !m.hosts)]
  const shown = empty ? list.filter((m) => m.hosts) : list
  return (
    <>
      {incident && <p class="small muted">{t('rd.incidentPhases')}</p>}
      <ul class="measures">{shown.map((m) => <MeasureRow key={m.id} m={m} />)}</ul>
      {empty && shown.length < list.length && !incident && <p class="small muted">{t('rd.firstSteps.rest')}</p>}
    </>
  )
}

export function OverviewPage() {
  const { t, tx } = useI18n()
  const ov = useLoad('overview', () => api<Overview>('/overview'))
  const readiness = useLoad('overview-readiness', () => api<ReadinessView>('/readiness'))
  useLive(readiness.reload, (e) => e.type === 'readiness-changed', 1000)
  // The overview aggregates every host: refetch at most once a second however many reports arrive.
  useLive(ov.reload, () => true, 1000)

  if (!ov.data) return ov.error ? <ErrorBox error={ov.error} retry={ov.reload} /> : <Loading />
  const d = ov.data
  const empty = readiness.data?.empty ?? false
  return (
    <div class="overview">
      <h1 class="page-title">{t('ov.title')}</h1>
      <EnrollRequestsNotice />
      {ov.error && <ErrorBox error={ov.error} retry={ov.reload} />}
      <div class="tiles">
        <OverallTile d={d} />
        <ScoreTile d={d} />
        <HostsTile d={d} />
        <AlertsTile d={d} />
      </div>
      <OverviewIncidents />
      <SilentHosts d={d} />
      {empty && readiness.data && <FirstSteps view={readiness.data} />}
      <h2 class="section-title">{t('ov.measures')}</h2>
      <div class="phases">
        {d.phases.map((p) => (
          <Card key={p.id} class="phase" title={tx(p.title)} id={`phase-${p.id}`}>
            <PhaseMeasures p={p} empty={empty} />
          </Card>
        ))}
      </div>
      <p class="small muted source">{t('ov.measures.source')}</p>
    </div>
  )
}
