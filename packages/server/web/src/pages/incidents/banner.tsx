// While an incident is going on, every page of the board says so at the top: red while open or contained, amber while
// resolved but not closed, with the next reporting deadline — unmistakable, and a link to the incident.
import { INCIDENT_STATE_LABEL } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { agentName, Link } from '../../components.js'
import { useActiveIncidents } from './data.js'
import { api } from '../../api.js'
import { useLoad } from '../../hooks.js'
import { useLive } from '../../live.js'
import { Deadline } from './clocks.js'

export function IncidentBanner() {
  const { t, tx } = useI18n()
  const r = useActiveIncidents(true)
  const list = r.data?.incidents ?? []
  const waiting = r.data?.unassigned ?? 0
  if (!list.length && !waiting) return null
  const hot = list.some((i) => i.state === 'open' || i.state === 'contained')
  return (
    <div class={`incident-banner ${hot ? 'incident-banner-hot' : 'incident-banner-follow'}`} role="alert" data-banner={hot ? 'hot' : 'follow'}>
      {list.map((i) => (
        <div key={i.id} class="incident-banner-row">
          <strong>{i.drill ? t('banner.drill') : hot ? t('banner.emergency') : t('banner.followUp')}</strong>
          <Link href={`/incidents/${i.id}`}>{i.number}: {agentName(i.title)}</Link>
          <span>· {tx(INCIDENT_STATE_LABEL[i.state])}</span>
          {i.nextDeadline && <Deadline title={i.nextDeadline.title} dueAt={i.nextDeadline.dueAt} stage={i.nextDeadline.stage} />}
        </div>
      ))}
      {waiting > 0 && <div class="incident-banner-row"><Link href="/incidents">{t('banner.waiting', { n: waiting })}</Link></div>}
    </div>
  )
}

/** On the overview: the incidents going on, each with its state and its next reporting deadline. */
export function OverviewIncidents() {
  const { t, tx } = useI18n()
  const r = useActiveIncidents(true)
  const list = r.data?.incidents ?? []
  if (!list.length) return null
  return (
    <section class="card overview-incidents" id="incidents">
      <header class="card-head"><h2>{t('inc.title')}</h2></header>
      <ul>
        {list.map((i) => (
          <li key={i.id} data-incident={i.number}>
            <Link href={`/incidents/${i.id}`}>{i.number}: {agentName(i.title)}</Link> · {tx(INCIDENT_STATE_LABEL[i.state])}
            {i.nextDeadline ? <> · <Deadline title={i.nextDeadline.title} dueAt={i.nextDeadline.dueAt} stage={i.nextDeadline.stage} /></> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** On a host's page: heightened monitoring running for it (after which incident, until when). */
export function WatchBadge({ hostId }: { hostId: string }) {
  const { t, date } = useI18n()
  const r = useLoad(`watch-${hostId}`, () => api<{ watches: { incidentId: string; number: string; intervalMinutes: number; until: string; confirmedAt: string | null }[] }>(`/hosts/${encodeURIComponent(hostId)}/watch`))
  useLive(r.reload, (e) => e.type === 'incident-changed', 1000)
  return (
    <>
      {(r.data?.watches ?? []).map((w) => (
        <Link key={w.incidentId} href={`/incidents/${w.incidentId}#watch`} class="flag flag-watch" data-flag="watch">
          {t('inc.watch')} ({w.number}) · {t('inc.watch.every', { n: w.intervalMinutes })} · {t('inc.watch.until', { when: date(w.until) })}
        </Link>
      ))}
    </>
  )
}
