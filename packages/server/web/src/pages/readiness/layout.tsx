// The frame of every readiness page: its title, the tabs to the other parts, and the live judgement of the measures the
// page is about — so whoever fixes something sees it turn green right here.
import type { ComponentChildren } from 'preact'
import type { OrgMeasure } from '@lagebild/shared'
import type { Key } from '../../i18n.js'
import { useI18n } from '../../i18n.js'
import { useRoute } from '../../router.js'
import { useIsAdmin } from '../../session.js'
import { Link, StatusBadge } from '../../components.js'
import type { ReadinessView } from '../../api.js'
import { useReadiness } from './data.js'

const TABS: [string, Key][] = [
  ['/readiness', 'rd.tab.hub'],
  ['/readiness/people', 'rd.tab.people'],
  ['/readiness/providers', 'rd.tab.providers'],
  ['/readiness/plan', 'rd.tab.plan'],
  ['/readiness/crown-jewels', 'rd.tab.crown'],
  ['/readiness/logs', 'rd.tab.logs'],
  ['/readiness/technical', 'rd.tab.technical'],
  ['/readiness/reporting', 'rd.tab.reporting'],
  ['/card', 'rd.tab.card'],
]

export function MeasureStatus({ m }: { m: ReadinessView['measures'][number] }) {
  const { tx } = useI18n()
  return (
    <li class={`measure-status measure-${m.status}`} data-measure={m.id} data-state={m.status}>
      <StatusBadge status={m.status} />
      <span class="measure-status-title">{tx(m.title)}</span>
      {m.reason && <span class="small">{tx(m.reason)}</span>}
    </li>
  )
}

export function ReadinessLayout({ title, measures, children }: { title: string; measures: readonly OrgMeasure[]; children: ComponentChildren }) {
  const { t } = useI18n()
  const { path } = useRoute()
  const isAdmin = useIsAdmin()
  const view = useReadiness()
  const shown = view.data?.measures.filter((m) => measures.includes(m.id)) ?? []
  return (
    <div class="readiness">
      <h1 class="page-title">{title}</h1>
      <nav class="rd-tabs" aria-label={t('rd.tabs')}>
        {TABS.map(([href, key]) => (
          <Link key={href} href={href} class={path === href ? 'on' : ''} aria-current={path === href ? 'page' : undefined}>
            {t(key)}
          </Link>
        ))}
      </nav>
      {shown.length > 0 && <ul class="measure-strip">{shown.map((m) => <MeasureStatus key={m.id} m={m} />)}</ul>}
      {!isAdmin && <p class="small muted">{t('rd.viewer')}</p>}
      {children}
    </div>
  )
}
