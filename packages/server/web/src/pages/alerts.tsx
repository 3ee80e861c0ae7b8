// The alerts: a tab per state (in the URL, so a filtered page can be linked), paged, newest and most urgent first.
import { useEffect } from 'preact/hooks'
import { ALERT_STATES } from '@lagebild/shared'
import { api, qs, type AlertList } from '../api.js'
import { useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n } from '../i18n.js'
import { navigate, useRoute } from '../router.js'
import { Card, ErrorBox, TableMeta, Loading, Pager, StatusIcon } from '../components.js'
import { useIsAdmin } from '../session.js'
import { AlertRow } from './alert-row.js'

// The server's filters (active = open or acknowledged, each state) and all.
const VIEWS = ['active', ...ALERT_STATES, 'all'] as const
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
  const list = useLoad(`alerts:${key}`, () => api<AlertList>(`/alerts${key}`))
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
          <Pager page={page} pages={pages} go={(p) => go(view, p)} />
        </Card>
      )}
    </div>
  )
}
