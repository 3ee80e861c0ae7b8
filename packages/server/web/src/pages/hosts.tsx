import { useEffect, useState } from 'preact/hooks'
import { api, getCatalogue, qs, type Catalogue, type HostSummary } from '../api.js'
import { useDebounced, useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n, type Key } from '../i18n.js'
import { navigate, useRoute } from '../router.js'
import { Card, CrownBadge, ErrorBox, TableMeta, inMaintenance, Link, Loading, MaintenanceBadge, StatusBadge, StatusIcon, type Light } from '../components.js'

const PAGE = 50
const SORTS = ['status', 'hostname', 'os', 'lastReportAt'] as const
type Sort = (typeof SORTS)[number]
const FILTERS = ['q', 'status', 'measure', 'measureStatus', 'tag', 'os', 'sort', 'order', 'page'] as const

const osLabel = (os: string) => ({ windows: 'Windows', macos: 'macOS', linux: 'Linux' })[os] ?? os

export function MeasureDots({ measures, catalogue }: { measures: Record<string, string>; catalogue: Catalogue | null }) {
  const { tx } = useI18n()
  const ids = catalogue ? catalogue.measures.map((m) => m.id).filter((id) => id in measures) : Object.keys(measures)
  return (
    <span class="dots">
      {ids.map((id) => {
        const m = catalogue?.measures.find((x) => x.id === id)
        const s = measures[id] as Light
        return (
          <span key={id} class={`dot dot-${s}`}>
            <StatusIcon status={s} size={13} title={`${m ? tx(m.title) : id}: ${s}`} />
          </span>
        )
      })}
    </span>
  )
}

export function HostsPage() {
  const { t, tx, num, ago } = useI18n()
  const { query } = useRoute()
  const get = (k: (typeof FILTERS)[number]) => query.get(k) ?? ''
  const sort = (SORTS as readonly string[]).includes(get('sort')) ? (get('sort') as Sort) : 'status'
  const order = get('order') === 'desc' ? 'desc' : 'asc'
  const page = Math.max(0, Number(get('page')) || 0)

  const [catalogue, setCatalogue] = useState<Catalogue | null>(null)
  useEffect(() => {
    getCatalogue().then(setCatalogue, () => {})
  }, [])

  // The search box types freely; the URL (and the request) follow after a short pause.
  const [search, setSearch] = useState(get('q'))
  const debounced = useDebounced(search, 250)
  useEffect(() => {
    if (debounced !== get('q')) update({ q: debounced, page: '' })
  }, [debounced])

  function update(changes: Partial<Record<(typeof FILTERS)[number], string>>) {
    const next: Record<string, string> = {}
    for (const k of FILTERS) next[k] = changes[k] ?? get(k)
    navigate(`/hosts${qs(next)}`, true)
  }

  const params = {
    q: get('q'),
    status: get('status'),
    measure: get('measure'),
    measureStatus: get('measure') ? get('measureStatus') : '',
    tag: get('tag'),
    os: get('os'),
    sort,
    order,
    limit: PAGE,
    offset: page * PAGE,
  }
  const key = qs(params)
  const list = useLoad(key, () => api<{ total: number; hosts: HostSummary[] }>(`/hosts${key}`))
  useLive(list.reload, (e) => e.type === 'host-updated', 1000)

  const sortHeader = (col: Sort, label: string) => {
    const on = sort === col
    const nextOrder = on && order === 'asc' ? 'desc' : 'asc'
    return (
      <th aria-sort={on ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" class={`sort ${on ? 'on' : ''}`} title={t('hosts.sortBy', { col: label })} onClick={() => update({ sort: col, order: nextOrder, page: '' })}>
          {label}
          <span aria-hidden="true" class="sort-arrow">
            {on ? (order === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    )
  }
  const filtered = FILTERS.some((k) => k !== 'sort' && k !== 'order' && k !== 'page' && get(k))
  const agentMeasures = catalogue?.measures.filter((m) => m.judgedBy.includes('agent')) ?? []
  const total = list.data?.total ?? 0

  return (
    <div>
      <h1 class="page-title">{t('hosts.title')}</h1>
      <Card class="filters">
        <form class="filter-row" onSubmit={(e) => e.preventDefault()} role="search">
          <label class="field grow">
            <span>{t('hosts.search')}</span>
            <input type="search" name="q" value={search} placeholder={t('hosts.search.ph')} maxLength={100} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('hosts.filter.status')}</span>
            <select name="status" value={get('status')} onChange={(e) => update({ status: e.currentTarget.value, page: '' })}>
              <option value="">{t('common.all')}</option>
              {(['deviation', 'unknown', 'ok'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{t('hosts.filter.measure')}</span>
            <select name="measure" value={get('measure')} onChange={(e) => update({ measure: e.currentTarget.value, page: '' })}>
              <option value="">{t('common.all')}</option>
              {agentMeasures.map((m) => (
                <option key={m.id} value={m.id}>
                  {tx(m.title)}
                </option>
              ))}
            </select>
          </label>
          {get('measure') && (
            <label class="field">
              <span>{t('hosts.filter.measureStatus')}</span>
              <select name="measureStatus" value={get('measureStatus') || 'deviation'} onChange={(e) => update({ measureStatus: e.currentTarget.value, page: '' })}>
                {(['deviation', 'unknown', 'ok', 'not-applicable'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}` as Key)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="field">
            <span>{t('hosts.filter.os')}</span>
            <select name="os" value={get('os')} onChange={(e) => update({ os: e.currentTarget.value, page: '' })}>
              <option value="">{t('common.all')}</option>
              {['windows', 'macos', 'linux'].map((o) => (
                <option key={o} value={o}>
                  {osLabel(o)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{t('hosts.filter.tag')}</span>
            <input name="tag" value={get('tag')} maxLength={50} size={10} onChange={(e) => update({ tag: e.currentTarget.value.trim(), page: '' })} />
          </label>
          {filtered && (
            <button
              type="button"
              class="btn btn-ghost btn-small reset"
              onClick={() => {
                setSearch('')
                navigate('/hosts', true)
              }}
            >
              {t('hosts.filter.reset')}
            </button>
          )}
        </form>
      </Card>

      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data ? (
        !list.error && <Loading />
      ) : (
        <Card class="table-card">
          <TableMeta countKey="hosts.count" total={total} page={page} pageSize={PAGE} loading={list.loading} />
          {list.data.hosts.length === 0 ? (
            <p class="empty muted">{t('hosts.empty')}</p>
          ) : (
            <table class="hosts responsive">
              <thead>
                <tr>
                  {sortHeader('status', t('hosts.col.status'))}
                  {sortHeader('hostname', t('hosts.col.hostname'))}
                  {sortHeader('os', t('hosts.col.os'))}
                  <th>{t('hosts.col.tags')}</th>
                  {sortHeader('lastReportAt', t('hosts.col.lastReport'))}
                  <th>{t('hosts.col.measures')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.hosts.map((h) => (
                  <tr key={h.id} data-host={h.hostname} data-status={h.status}>
                    <td data-label={t('hosts.col.status')}>
                      <StatusBadge status={h.status} />
                    </td>
                    <td data-label={t('hosts.col.hostname')} class="host-name">
                      <Link href={`/hosts/${encodeURIComponent(h.id)}`}>{h.hostname}</Link>
                      {h.crownJewel && <CrownBadge />}
                      {inMaintenance(h.maintenanceUntil) && <MaintenanceBadge until={h.maintenanceUntil!} short />}
                    </td>
                    <td data-label={t('hosts.col.os')}>
                      {osLabel(h.osFamily)} <span class="muted small">{h.osName}</span>
                      {h.outdated && (
                        <span class="badge badge-unknown" data-testid="outdated" title={t('hosts.outdated.title')}>
                          {t('hosts.outdated', { version: h.agentVersion })}
                        </span>
                      )}
                    </td>
                    <td data-label={t('hosts.col.tags')}>
                      {h.tags.map((tag) => (
                        <button type="button" key={tag} class="tag" onClick={() => update({ tag, page: '' })}>
                          {tag}
                        </button>
                      ))}
                    </td>
                    <td data-label={t('hosts.col.lastReport')}>
                      <span title={h.lastReportAt ?? ''}>{ago(h.lastReportAt)}</span>
                      {h.silent && <StatusBadge status="silent" />}
                    </td>
                    <td data-label={t('hosts.col.measures')}>
                      <MeasureDots measures={h.measures} catalogue={catalogue} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {total > PAGE && (
            <nav class="pager" aria-label={t('common.pages')}>
              <button type="button" class="btn btn-small" disabled={page === 0} onClick={() => update({ page: String(page - 1) })}>
                ← {t('hosts.prev')}
              </button>
              <span class="small muted">
                {num(page + 1)} / {num(Math.ceil(total / PAGE))}
              </span>
              <button type="button" class="btn btn-small" disabled={(page + 1) * PAGE >= total} onClick={() => update({ page: String(page + 1) })}>
                {t('hosts.next')} →
              </button>
            </nav>
          )}
        </Card>
      )}
    </div>
  )
}
