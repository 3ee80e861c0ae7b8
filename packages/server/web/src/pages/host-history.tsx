// A host's status history: one lane per measure, each segment coloured and patterned by status. The window is the
// data there really are (a host enrolled an hour ago shows an hour, not "30 days"), at least an hour.
import type { FindingStatus, Measure } from '@lagebild/shared'
import type { HostHistory } from '../api.js'
import { useI18n } from '../i18n.js'
import { Card, ErrorBox, Loading, StatusIcon } from '../components.js'
import type { Loaded } from '../hooks.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** The window the chart draws: from the first record (or the start asked for, if later) to now; one hour at least. */
export function windowOf(h: HostHistory): { from: number; to: number } {
  const to = Date.parse(h.to)
  const first = h.firstRecordAt ? Date.parse(h.firstRecordAt) : to
  return { from: Math.min(Math.max(Date.parse(h.from), first), to - HOUR), to }
}

/** "3 Stunden", "12 days": the length of the window in the largest unit that fits, in words. */
function spanText(ms: number, locale: string): string {
  const [n, unit] = ms >= 2 * DAY ? [Math.round(ms / DAY), 'day'] : ms >= HOUR ? [Math.round(ms / HOUR), 'hour'] : [Math.max(1, Math.round(ms / 60_000)), 'minute']
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n)
}

function HistoryChart({ history, measures }: { history: HostHistory; measures: readonly Measure[] }) {
  const { t, tx, date, locale } = useI18n()
  const { from, to } = windowOf(history)
  const span = Math.max(1, to - from)
  const lanes = new Map<string, { status: FindingStatus; at: number }[]>()
  for (const c of history.changes) lanes.set(c.measureId, [...(lanes.get(c.measureId) ?? []), { status: c.status, at: Math.max(from, Date.parse(c.at)) }])
  if (!lanes.size) return <p class="muted">{t('host.history.empty')}</p>
  const order = measures.map((m) => m.id)
  const ids = [...lanes.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))
  const x = (ms: number) => ((ms - from) / span) * 1000
  // Three labels — start, middle, end — so they never run into each other, even in the narrow side column.
  const tickFmt = new Intl.DateTimeFormat(locale, span > 2 * DAY ? { day: 'numeric', month: 'short' } : span > DAY ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' })
  const title = (id: string) => {
    const m = measures.find((c) => c.id === id)
    return m ? tx(m.title) : id
  }
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
        const segs = list.map((c, i) => ({ ...c, end: list[i + 1]?.at ?? to }))
        const label = (s: (typeof segs)[number]) => `${t(`status.${s.status}`)} · ${date(new Date(s.at).toISOString())}`
        return (
          <div class="lane" key={id}>
            <span class="lane-label" title={id}>
              {title(id)}
            </span>
            <svg class="lane-bar" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img" aria-label={`${title(id)}: ${segs.map(label).join(', ')}`}>
              {segs.map((s, i) => (
                <rect key={i} x={x(s.at)} width={Math.max(2, x(s.end) - x(s.at))} y="0" height="14" class={`hseg hseg-${s.status}`}>
                  <title>{label(s)}</title>
                </rect>
              ))}
            </svg>
            <span class="lane-now">
              <StatusIcon status={segs[segs.length - 1]!.status} size={12} />
            </span>
          </div>
        )
      })}
      <div class="lane axis" aria-hidden="true">
        <span class="lane-label" />
        <div class="ticks">
          {[from, from + span / 2, to].map((ms, i) => (
            <span key={i}>{tickFmt.format(new Date(ms))}</span>
          ))}
        </div>
        <span class="lane-now" />
      </div>
    </div>
  )
}

/** The card: its title states the real length of the data shown. */
export function HistoryCard({ history, measures }: { history: Loaded<HostHistory>; measures: readonly Measure[] }) {
  const { t, locale, date } = useI18n()
  const h = history.data
  const w = h ? windowOf(h) : null
  return (
    <Card title={w ? t('host.history', { span: spanText(w.to - w.from, locale) }) : t('host.history', { span: '…' })}>
      {h ? (
        <>
          <HistoryChart history={h} measures={measures} />
          {h.firstRecordAt && Date.parse(h.firstRecordAt) > Date.parse(h.from) && <p class="small muted">{t('host.history.since', { when: date(h.firstRecordAt) })}</p>}
        </>
      ) : history.error ? (
        <ErrorBox error={history.error} retry={history.reload} />
      ) : (
        <Loading />
      )}
    </Card>
  )
}
