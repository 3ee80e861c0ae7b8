// Crown jewels: time-critical processes, their longest tolerable downtime, the hosts and services they need.
import { useState } from 'preact/hooks'
import type { CrownJewelInput, Entry } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { api, qs, type HostList } from '../../api.js'
import { useDebounced, useLoad } from '../../hooks.js'
import { agentName, CrownBadge, Link, Loading } from '../../components.js'
import { ReadinessLayout } from './layout.js'
import { dataOf, EntryList, RecordForm } from './entry-list.js'
import { LinesField, lines, TextArea, TextField } from './fields.js'
import { saveEntry } from './data.js'

const EMPTY: CrownJewelInput = { name: '', description: '', maxDowntimeHours: 24, hostIds: [], services: [] }

/** Hosts to tick; a search keeps it usable with hundreds of hosts. The ticked ones stay listed. */
function HostPicker({ value, set }: { value: string[]; set: (ids: string[]) => void }) {
  const { t } = useI18n()
  const [q, setQ] = useState('')
  const query = useDebounced(q, 250)
  const found = useLoad(`crown-hosts${query}`, () => api<HostList>(`/hosts${qs({ q: query, sort: 'hostname', limit: 50 })}`))
  const picked = useLoad(`crown-picked-${value.length}`, () => api<HostList>(`/hosts${qs({ limit: 500, sort: 'hostname' })}`))
  const byId = new Map([...(picked.data?.hosts ?? []), ...(found.data?.hosts ?? [])].map((h) => [h.id, h]))
  const shown = [...new Set([...value, ...(found.data?.hosts ?? []).map((h) => h.id)])]
  return (
    <fieldset class="checks host-picker">
      <legend>{t('rd.crown.hosts')}</legend>
      <input type="search" aria-label={t('rd.crown.hostsFilter')} placeholder={t('rd.crown.hostsFilter')} value={q} maxLength={100} onInput={(e) => setQ(e.currentTarget.value)} />
      {!found.data ? <Loading /> : shown.map((id) => (
        <label class="check" key={id}>
          <input type="checkbox" checked={value.includes(id)} onChange={(e) => set(e.currentTarget.checked ? [...value, id] : value.filter((x) => x !== id))} />
          {agentName(byId.get(id)?.hostname ?? id)}
        </label>
      ))}
    </fieldset>
  )
}

function CrownForm({ entry, done, cancel }: { entry: Entry<CrownJewelInput> | null; done: () => void; cancel: () => void }) {
  const { t } = useI18n()
  return (
    <RecordForm<CrownJewelInput>
      initial={entry ? dataOf(entry) : EMPTY}
      send={(v) => saveEntry('crown-jewels', entry?.id ?? null, { ...v, services: lines(v.services) })}
      check={(v) => (!v.name.trim() ? t('rd.crown.name') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.crown.name')} name="name" maxLength={120} value={v.name} set={(name) => set({ name })} />
            <TextField label={t('rd.crown.downtime')} name="maxDowntimeHours" type="number" min={0.25} max={8760} step={0.25} maxLength={6} value={String(v.maxDowntimeHours)} set={(x) => set({ maxDowntimeHours: Number(x) })} />
          </div>
          <TextArea label={t('rd.crown.description')} name="description" maxLength={2000} rows={2} value={v.description} set={(description) => set({ description })} />
          <HostPicker value={v.hostIds} set={(hostIds) => set({ hostIds })} />
          <LinesField label={t('rd.crown.services')} name="services" maxItemLength={120} rows={3} value={v.services} set={(services) => set({ services })} />
        </>
      )}
    </RecordForm>
  )
}

function CrownSummary({ j, names }: { j: Entry<CrownJewelInput>; names: Map<string, string> }) {
  const { t } = useI18n()
  return (
    <>
      <CrownBadge short /> <strong>{j.name}</strong> <span class="rd-tag">{t('rd.crown.downtimeShort', { h: j.maxDowntimeHours })}</span>
      {j.description && <div class="small muted">{j.description}</div>}
      <div class="small">
        {j.hostIds.map((id, i) => (
          <span key={id}>{i > 0 && ', '}<Link href={`/hosts/${encodeURIComponent(id)}`}>{names.get(id) ?? id}</Link></span>
        ))}
        {j.hostIds.length > 0 && j.services.length > 0 && ' · '}
        {j.services.join(', ')}
      </div>
    </>
  )
}

export function CrownJewelsPage() {
  const { t } = useI18n()
  const hosts = useLoad('crown-all-hosts', () => api<HostList>(`/hosts${qs({ limit: 500, sort: 'hostname' })}`))
  const names = new Map((hosts.data?.hosts ?? []).map((h) => [h.id, h.hostname]))
  return (
    <ReadinessLayout title={t('rd.crown')} measures={['prep.crown-jewels']}>
      <EntryList
        kind="crown-jewels"
        title={t('rd.crown')}
        intro={<p class="small muted">{t('rd.crown.help')}</p>}
        name={(j) => j.name}
        summary={(j) => <CrownSummary j={j} names={names} />}
        form={(f) => <CrownForm {...f} />}
      />
    </ReadinessLayout>
  )
}
