// follow.architecture: the share of hosts without deviation per technical measure over time, from the findings' history.
// A small line per measure and the numbers now and at the start, so it reads without telling the lines apart.
import { useState } from 'preact/hooks'
import { MEASURE_BY_ID } from '@lagebild/shared'
import { api, type ComplianceHistory } from '../../api.js'
import { useLoad } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { Card, ErrorBox, Loading } from '../../components.js'

const W = 160
const H = 36

function Spark({ values }: { values: (number | null)[] }) {
  const pts = values.map((v, i) => (v === null ? null : `${((i / Math.max(1, values.length - 1)) * W).toFixed(1)},${(H - v * H).toFixed(1)}`)).filter(Boolean)
  return (
    <svg width={W} height={H} viewBox={`0 -2 ${W} ${H + 4}`} class="spark" aria-hidden="true">
      <line x1="0" y1={H} x2={W} y2={H} class="spark-base" />
      <polyline points={pts.join(' ')} class="spark-line" />
    </svg>
  )
}

export function ComplianceChart() {
  const { t, tx, pct } = useI18n()
  const [days, setDays] = useState(90)
  const h = useLoad(`compliance-${days}`, () => api<ComplianceHistory>(`/compliance-history?days=${days}`))
  return (
    <Card title={t('inc.compliance')} id="compliance" actions={
      <select aria-label={t('inc.compliance.days')} value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
        {[30, 90, 365].map((d) => <option key={d} value={d}>{t('inc.compliance.lastDays', { n: d })}</option>)}
      </select>
    }>
      <p class="small muted">{t('inc.compliance.help', { n: h.data?.historyDays ?? 0 })}</p>
      {h.error && <ErrorBox error={h.error} retry={h.reload} />}
      {!h.data ? <Loading /> : (
        <table class="table compliance">
          <thead><tr><th>{t('inc.compliance.measure')}</th><th>{t('inc.compliance.then')}</th><th /><th>{t('inc.compliance.now')}</th></tr></thead>
          <tbody>
            {h.data.measures.map((m) => {
              const values = h.data!.points.map((p) => p.shares[m] ?? null)
              // At the start of the period: no data then is "—", not today's value.
              const first = values[0] ?? null
              const last = values.at(-1) ?? null
              return (
                <tr key={m} data-measure={m}>
                  <td>{tx(MEASURE_BY_ID.get(m)?.title) || m}</td>
                  <td class="num">{first === null ? '—' : pct(first)}</td>
                  <td><Spark values={values} /></td>
                  <td class={`num ${first !== null && last !== null && last < first - 0.099 ? 'worse' : ''}`}>{last === null ? '—' : pct(last)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </Card>
  )
}
