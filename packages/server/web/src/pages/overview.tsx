import { api, qs, type Overview } from '../api.js'
import { useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n, type Key } from '../i18n.js'
import { Card, ErrorBox, Link, Loading, SEVERITY_ORDER, SeverityBadge, ShareBar, StatusBadge, StatusIcon, type Light } from '../components.js'

type MeasureLight = Overview['phases'][number]['measures'][number]
type Overall = 'red' | 'amber' | 'green'

function overallOf(ov: Overview): Overall {
  const openAlerts = Object.values(ov.alerts.open).reduce((a, b) => a + b, 0)
  if (ov.hosts.deviation > 0 || openAlerts > 0) return 'red'
  const allOk = ov.phases.every((p) => p.measures.every((m) => m.state === 'ok'))
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

function MeasureRow({ m }: { m: MeasureLight }) {
  const { t, tx } = useI18n()
  const h = m.hosts
  const link =
    h && h.deviation > 0
      ? `/hosts${qs({ measure: m.id, measureStatus: 'deviation' })}`
      : h && h.unknown > 0
        ? `/hosts${qs({ measure: m.id, measureStatus: 'unknown' })}`
        : null
  const countsText = h
    ? [t('ov.m.ok', { n: h.ok }), h.deviation ? t('ov.m.dev', { n: h.deviation }) : '', h.unknown ? t('ov.m.unk', { n: h.unknown }) : ''].filter(Boolean).join(' · ')
    : ''
  const partKey: Key = m.judgedBy.includes('record') ? 'ov.m.record' : m.judgedBy.includes('workflow') ? 'ov.m.workflow' : 'ov.m.check'
  return (
    <li class={`measure measure-${m.state}`} data-measure={m.id} data-state={m.state}>
      <div class="measure-state">
        <StatusBadge status={m.state as Light} />
      </div>
      <div class="measure-text">
        <div class="measure-title">
          {tx(m.title)} <code class="measure-id">{m.id}</code>
        </div>
        <div class="muted small">{tx(m.summary)}</div>
      </div>
      <div class="measure-data">
        {h ? (
          h.ok + h.deviation + h.unknown > 0 ? (
            <>
              <ShareBar ok={h.ok} deviation={h.deviation} unknown={h.unknown} label={countsText} />
              <div class="small counts">
                {countsText}
                {link && (
                  <>
                    {' · '}
                    <Link href={link}>{t('ov.m.showDeviating')}</Link>
                  </>
                )}
              </div>
            </>
          ) : (
            <div class="small muted">{t('ov.m.noHosts')}</div>
          )
        ) : null}
        {m.record !== null && (
          <div class={`small record record-${m.record}`}>
            <StatusIcon status={m.record as Light} size={12} />
            {t(partKey, { state: t(`status.${m.record}` as Key).toLowerCase() })}
          </div>
        )}
      </div>
    </li>
  )
}

export function OverviewPage() {
  const { t, tx, num, ago } = useI18n()
  const ov = useLoad('overview', () => api<Overview>('/overview'))
  // The overview aggregates every host: refetch at most once a second however many reports arrive.
  useLive(ov.reload, () => true, 1000)

  if (!ov.data) return ov.error ? <ErrorBox error={ov.error} retry={ov.reload} /> : <Loading />
  const d = ov.data
  const overall = overallOf(d)
  const openAlerts = SEVERITY_ORDER.reduce((a, s) => a + d.alerts.open[s], 0)

  return (
    <div class="overview">
      <h1 class="page-title">{t('ov.title')}</h1>
      {ov.error && <ErrorBox error={ov.error} retry={ov.reload} />}
      <div class="tiles">
        <Card class={`tile tile-overall overall-${overall}`} title={t('ov.overall')}>
          <div class="overall" data-overall={overall}>
            <TrafficLight state={overall} />
            <div>
              <div class="overall-label">{t(`ov.overall.${overall}`)}</div>
              <div class="small muted">
                {overall === 'red'
                  ? t('ov.overall.red.why', { n: d.hosts.deviation, a: openAlerts })
                  : t(`ov.overall.${overall}.why` as Key)}
              </div>
            </div>
          </div>
        </Card>

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

        <Card class="tile" title={t('ov.hosts')}>
          {d.hosts.total === 0 ? (
            <p class="muted">
              {t('ov.noHosts')} <Link href="/enroll">{t('ov.noHosts.cta')}</Link>
            </p>
          ) : (
            <>
              <ul class="stat-list">
                {(['deviation', 'unknown', 'ok'] as const).map((s) => (
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

        <Card class="tile" title={t('ov.alerts')}>
          {openAlerts === 0 ? (
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
          {(d.alerts.acknowledged > 0 || d.alerts.snoozed > 0) && (
            <div class="small muted">
              {[d.alerts.acknowledged > 0 && t('ov.alerts.ack', { n: d.alerts.acknowledged }), d.alerts.snoozed > 0 && t('ov.alerts.snoozed', { n: d.alerts.snoozed })]
                .filter(Boolean)
                .join(' · ')}
            </div>
          )}
        </Card>

      </div>

      {d.silentHosts.length > 0 && (
        <Card title={t('ov.silent')} id="silent" class="silent-card">
          <ul class="silent-list">
            {d.silentHosts.map((h) => (
              <li key={h.id}>
                <StatusIcon status="silent" size={14} />
                <Link href={`/hosts/${encodeURIComponent(h.id)}`}>{h.hostname}</Link>
                <span class="small muted">{t('ov.silent.since', { when: ago(h.lastReportAt) })}</span>
              </li>
            ))}
            {d.hosts.silent > d.silentHosts.length && <li class="small muted">{t('ov.silent.more', { n: d.hosts.silent - d.silentHosts.length })}</li>}
          </ul>
        </Card>
      )}

      <h2 class="section-title">{t('ov.measures')}</h2>
      <div class="phases">
        {d.phases.map((p) => (
          <Card key={p.id} class="phase" title={tx(p.title)} id={`phase-${p.id}`}>
            <ul class="measures">
              {/* Measures with live data from the hosts first, then those kept as records; the guide's order within each. */}
              {[...p.measures.filter((m) => m.hosts), ...p.measures.filter((m) => !m.hosts)].map((m) => (
                <MeasureRow key={m.id} m={m} />
              ))}
            </ul>
          </Card>
        ))}
      </div>
      <p class="small muted source">{t('ov.measures.source')}</p>
    </div>
  )
}
