// The host list: search, filters and sort live in the URL (a filtered list can be linked), paged, live.
import { useEffect, useState } from 'preact/hooks'
import { FINDING_STATUSES, HOST_SORTS, HOST_STATUSES, isOneOf, OS_FAMILIES, OS_FAMILY_NAMES, type HostSort, type Measure } from '@lagebild/shared'
import { api, getCatalogue, qs, type HostList, type HostSummary } from '../api.js'
import { useDebounced, useLoad } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n } from '../i18n.js'
import { navigate, useRoute } from '../router.js'
import { EnrollRequestsNotice } from './enroll-requests.js'
import { Card, CrownBadge, DuplicateNameBadge, ErrorBox, HostLink, TableMeta, inMaintenance, Loading, MaintenanceBadge, Pager, StatusBadge, StatusIcon } from '../components.js'

const PAGE = 50
const FILTERS = ['q', 'status', 'measure', 'measureStatus', 'tag', 'os', 'retired', 'sort', 'order', 'page'] as const
type Filter = (typeof FILTERS)[number]

/** The list's state, read from and written to the URL. */
function useHostQuery() {
  const { query } = useRoute()
  const get = (k: Filter) => query.get(k) ?? ''
  const sort: HostSort = isOneOf(HOST_SORTS, get('sort')) ? get('sort') as HostSort : 'status'
  const order = get('order') === 'desc' ? 'desc' : 'asc'
  const page = Math.max(0, Number(get('page')) || 0)
  const update = (changes: Partial<Record<Filter, string>>) => {
    const next: Record<string, string> = {}
    for (const k of FILTERS) next[k] = changes[k] ?? get(k)
    navigate(`/hosts${qs(next)}`, true)
  }
  const filtered = FILTERS.some((k) => k !== 'sort' && k !== 'order' && k !== 'page' && get(k))
  return { get, sort, order, page, update, filtered }
}
type HostQuery = ReturnType<typeof useHostQuery>

function useMeasures(): readonly Measure[] {
  const [measures, setMeasures] = useState<readonly Measure[]>([])
  useEffect(() => {
    getCatalogue().then((c) => setMeasures(c.measures), () => {})
  }, [])
  return measures
}

/** The agent-judged measures of a host, one mark each, in the catalogue's order; each named in its tooltip and for screen readers. */
export function MeasureDots({ measures, catalogue }: { measures: HostSummary['measures']; catalogue: readonly Measure[] }) {
  const { t, tx } = useI18n()
  const ids = catalogue.length ? catalogue.map((m) => m.id).filter((id) => id in measures) : Object.keys(measures)
  const name = (id: string) => {
    const m = catalogue.find((x) => x.id === id)
    return m ? tx(m.title) : id
  }
  return (
    <ul class="dots" aria-label={t('hosts.col.measures')}>
      {ids.map((id) => {
        const s = measures[id]!
        const label = `${name(id)}: ${t(`status.${s}`)}`
        return (
          <li key={id} class={`dot dot-${s}`} data-measure={id} title={label}>
            <StatusIcon status={s} size={13} />
            <span class="sr">{label}</span>
          </li>
        )
      })}
    </ul>
  )
}

function HostFilters({ q, measures }: { q: HostQuery; measures: readonly Measure[] }) {
  const { t, tx } = useI18n()
  // The search box types freely; the URL (and the request) follow after a short pause.
  const [search, setSearch] = useState(q.get('q'))
  const debounced = useDebounced(search, 250)
  useEffect(() => {
    if (debounced !== q.get('q')) q.update({ q: debounced, page: '' })
  }, [debounced])
  const select = (name: Filter, label: string, options: readonly [string, string][], all = true) => (
    <label class="field">
      <span>{label}</span>
      <select name={name} value={q.get(name) || (all ? '' : options[0]![0])} onChange={(e) => q.update({ [name]: e.currentTarget.value, page: '' })}>
        {all && <option value="">{t('common.all')}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <Card class="filters">
      <form class="filter-row" onSubmit={(e) => e.preventDefault()} role="search">
        <label class="field grow">
          <span>{t('hosts.search')}</span>
          <input type="search" name="q" value={search} placeholder={t('hosts.search.ph')} maxLength={100} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        {select('status', t('hosts.filter.status'), HOST_STATUSES.map((s) => [s, t(`status.${s}`)]))}
        {select('measure', t('hosts.filter.measure'), measures.filter((m) => m.judgedBy.includes('agent')).map((m) => [m.id, tx(m.title)]))}
        {q.get('measure') &&
          select('measureStatus', t('hosts.filter.measureStatus'), ['deviation', ...FINDING_STATUSES.filter((s) => s !== 'deviation')].map((s) => [s, t(`status.${s as 'ok'}`)]), false)}
        {select('os', t('hosts.filter.os'), OS_FAMILIES.map((o) => [o, OS_FAMILY_NAMES[o]]))}
        <label class="check">
          <input type="checkbox" name="retired" checked={q.get('retired') === '1'} onChange={(e) => q.update({ retired: e.currentTarget.checked ? '1' : '', page: '' })} />
          {t('hosts.filter.retired')}
        </label>
        <label class="field">
          <span>{t('hosts.filter.tag')}</span>
          <input name="tag" value={q.get('tag')} maxLength={50} size={10} onChange={(e) => q.update({ tag: e.currentTarget.value.trim(), page: '' })} />
        </label>
        {q.filtered && (
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
  )
}

function SortHeader({ q, col, label }: { q: HostQuery; col: HostSort; label: string }) {
  const { t } = useI18n()
  const on = q.sort === col
  return (
    <th aria-sort={on ? (q.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class={`sort ${on ? 'on' : ''}`} title={t('hosts.sortBy', { col: label })} onClick={() => q.update({ sort: col, order: on && q.order === 'asc' ? 'desc' : 'asc', page: '' })}>
        {label}
        <span aria-hidden="true" class="sort-arrow">
          {on ? (q.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  )
}

function HostRow({ h, q, measures }: { h: HostSummary; q: HostQuery; measures: readonly Measure[] }) {
  const { t, ago } = useI18n()
  return (
    <tr data-host={h.hostname} data-status={h.status}>
      <td data-label={t('hosts.col.status')}>
        <StatusBadge status={h.status} />
      </td>
      <td data-label={t('hosts.col.hostname')} class="host-name">
        <HostLink id={h.id} name={h.hostname} />
        {h.crownJewel && <CrownBadge />}
        {inMaintenance(h.maintenanceUntil) && <MaintenanceBadge until={h.maintenanceUntil!} short />}
        {h.duplicateName && (
          <>
            <DuplicateNameBadge /> <code class="small muted" title={h.machineId}>{h.machineId.slice(0, 8)}</code>
          </>
        )}
      </td>
      <td data-label={t('hosts.col.os')}>
        {OS_FAMILY_NAMES[h.osFamily]} <span class="muted small">{h.osName}</span>
        {h.outdated && (
          <span class="badge badge-unknown" data-testid="outdated" title={t('hosts.outdated.title')}>
            {t('hosts.outdated', { version: h.agentVersion })}
          </span>
        )}
      </td>
      <td data-label={t('hosts.col.tags')}>
        {h.tags.map((tag) => (
          <button type="button" key={tag} class="tag" onClick={() => q.update({ tag, page: '' })}>
            {tag}
          </button>
        ))}
      </td>
      <td data-label={t('hosts.col.lastReport')}>
        <span title={h.lastReportAt ?? ''}>{ago(h.lastReportAt)}</span>
        {h.silent && <StatusBadge status="silent" />}
      </td>
      <td data-label={t('hosts.col.measures')}>
        <MeasureDots measures={h.measures} catalogue={measures} />
      </td>
    </tr>
  )
}

function HostTable({ list, q, measures }: { list: HostList; q: HostQuery; measures: readonly Measure[] }) {
  const { t, tx } = useI18n()
  const order = measures.filter((m) => m.judgedBy.includes('agent')).map((m) => tx(m.title))
  return (
    <table class="hosts responsive">
      <thead>
        <tr>
          <SortHeader q={q} col="status" label={t('hosts.col.status')} />
          <SortHeader q={q} col="hostname" label={t('hosts.col.hostname')} />
          <SortHeader q={q} col="os" label={t('hosts.col.os')} />
          <th>{t('hosts.col.tags')}</th>
          <SortHeader q={q} col="lastReportAt" label={t('hosts.col.lastReport')} />
          <th title={t('hosts.col.measures.title', { list: order.join(' · ') })}>{t('hosts.col.measures')}</th>
        </tr>
      </thead>
      <tbody>
        {list.hosts.map((h) => (
          <HostRow key={h.id} h={h} q={q} measures={measures} />
        ))}
      </tbody>
    </table>
  )
}

export function HostsPage() {
  const { t } = useI18n()
  const q = useHostQuery()
  const measures = useMeasures()
  const params = {
    q: q.get('q'),
    status: q.get('status'),
    measure: q.get('measure'),
    measureStatus: q.get('measure') ? q.get('measureStatus') : '',
    tag: q.get('tag'),
    os: q.get('os'),
    retired: q.get('retired') === '1' ? 'true' : undefined,
    sort: q.sort,
    order: q.order,
    limit: PAGE,
    offset: q.page * PAGE,
  }
  const key = qs(params)
  const list = useLoad(key, () => api<HostList>(`/hosts${key}`))
  useLive(list.reload, (e) => e.type === 'host-updated', 1000)
  const total = list.data?.total ?? 0

  return (
    <div>
      <h1 class="page-title">{t('hosts.title')}</h1>
      <EnrollRequestsNotice />
      <HostFilters q={q} measures={measures} />
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {!list.data ? (
        !list.error && <Loading />
      ) : (
        <Card class="table-card">
          <TableMeta countKey="hosts.count" total={total} page={q.page} pageSize={PAGE} loading={list.loading} />
          {list.data.hosts.length === 0 ? <p class="empty muted">{t('hosts.empty')}</p> : <HostTable list={list.data} q={q} measures={measures} />}
          <Pager page={q.page} pages={Math.ceil(total / PAGE)} go={(p) => q.update({ page: String(p) })} />
        </Card>
      )}
    </div>
  )
}
