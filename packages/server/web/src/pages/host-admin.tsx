// The host's administration card: tags, crown-jewel flag, maintenance window (PUT /hosts/:id). Viewers see the values only.
import { useEffect, useState } from 'preact/hooks'
import { MAX_TAGS, TAG_PATTERN } from '@lagebild/shared'
import { api, type HostAdminOut, type HostDetail } from '../api.js'
import { useI18n } from '../i18n.js'
import { useSubmit, type Submit } from '../hooks.js'
import { useIsAdmin } from '../session.js'
import { CrownBadge, Facts, inMaintenance, MaintenanceBadge, SaveRow, YesNo } from '../components.js'

type Host = HostDetail['host']
type Update = { tags?: string[]; crownJewel?: boolean; maintenanceUntil?: string | null }
const TAG = new RegExp(TAG_PATTERN)

const pad = (n: number) => String(n).padStart(2, '0')
/** An instant as the value of <input type="datetime-local"> (the reader's local time, to the minute). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const splitTags = (s: string) => [...new Set(s.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean))]

/** What the form shows for the stored host; the form follows live updates only while nobody is editing it. */
const fromHost = (h: Pick<Host, 'tags' | 'crownJewel' | 'maintenanceUntil'>) => ({
  tags: h.tags.join(', '),
  crown: h.crownJewel,
  until: inMaintenance(h.maintenanceUntil) ? toLocalInput(h.maintenanceUntil) : '',
})
type Form = ReturnType<typeof fromHost>

/** What a viewer sees: the values, no controls. */
function HostAdminView({ host }: { host: Host }) {
  const { t } = useI18n()
  return (
    <div class="host-admin" data-readonly="true">
      <Facts
        rows={[
          [t('hosts.crown'), host.crownJewel ? <CrownBadge /> : <YesNo value={false} />],
          [t('hosts.maintenance'), inMaintenance(host.maintenanceUntil) ? <MaintenanceBadge until={host.maintenanceUntil!} /> : <span class="muted">{t('host.admin.maintenance.none')}</span>],
          [t('host.id.tags'), host.tags.length ? host.tags.join(', ') : '—'],
        ]}
      />
      <p class="small muted">{t('host.admin.viewer')}</p>
    </div>
  )
}

/** The maintenance field: until when, "end it now", and what is running or has ended. */
function MaintenanceField({ host, value, set, submit, end }: { host: Host; value: string; set: (v: string) => void; submit: Submit; end: () => void }) {
  const { t, date } = useI18n()
  const running = inMaintenance(host.maintenanceUntil)
  const ended = !running && host.maintenanceUntil ? host.maintenanceUntil : null
  return (
    <div class="field">
      <label for={`maint-${host.id}`}>{t('host.admin.maintenance')}</label>
      <div class="maint-row">
        <input id={`maint-${host.id}`} name="maintenanceUntil" type="datetime-local" value={value} min={toLocalInput(new Date().toISOString())} onInput={(e) => set(e.currentTarget.value)} />
        {running && (
          <button type="button" class="btn btn-small" disabled={submit.busy} onClick={end}>
            {t('host.admin.maintenance.end')}
          </button>
        )}
      </div>
      <small>
        {running ? <MaintenanceBadge until={host.maintenanceUntil!} /> : ended ? t('host.admin.maintenance.ended', { when: date(ended) }) : t('host.admin.maintenance.none')}
        {' · '}
        {t('host.admin.maintenance.help')}
      </small>
    </div>
  )
}

/** The body of a save, or why the form cannot be sent. */
function updateOf(form: Form, stored: Form, t: ReturnType<typeof useI18n>['t']): Update | string {
  const tags = splitTags(form.tags)
  const bad = tags.find((x) => !TAG.test(x))
  if (bad !== undefined) return t('host.admin.tags.invalid', { tag: bad })
  if (tags.length > MAX_TAGS) return t('host.admin.tags.tooMany', { n: MAX_TAGS })
  const body: Update = { tags, crownJewel: form.crown }
  // Only a changed window is sent: the field holds minutes, the stored end may have seconds.
  if (form.until !== stored.until) {
    if (form.until && new Date(form.until).getTime() <= Date.now()) return t('host.admin.maintenance.past')
    body.maintenanceUntil = form.until ? new Date(form.until).toISOString() : null
  }
  return body
}

export function HostAdmin({ host, onSaved }: { host: Host; onSaved: () => void }) {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const stored = fromHost(host)
  const [form, setForm] = useState(stored)
  const [dirty, setDirty] = useState(false)
  const submit = useSubmit()
  useEffect(() => {
    if (!dirty) setForm(fromHost(host))
  }, [`${host.id}|${stored.tags}|${stored.crown}|${stored.until}`])

  if (!isAdmin) return <HostAdminView host={host} />

  const edit = (change: Partial<Form>) => {
    setForm({ ...form, ...change })
    setDirty(true)
    submit.reset()
  }
  const put = (body: Update) =>
    submit.run(async () => {
      const out = await api<HostAdminOut>(`/hosts/${encodeURIComponent(host.id)}`, { method: 'PUT', body })
      setForm(fromHost(out))
      setDirty(false)
      onSaved()
    }, t('common.saved'))
  const save = (e: Event) => {
    e.preventDefault()
    const body = updateOf(form, stored, t)
    if (typeof body === 'string') submit.fail(body)
    else void put(body)
  }

  return (
    <form class="host-admin" onSubmit={save} data-readonly="false" noValidate>
      <label class="field">
        <span>{t('host.admin.tags')}</span>
        <input name="tags" value={form.tags} maxLength={1100} autocomplete="off" onInput={(e) => edit({ tags: e.currentTarget.value })} />
        <small>{t('host.admin.tags.help', { n: MAX_TAGS })}</small>
      </label>
      <div>
        <label class="check">
          <input type="checkbox" name="crownJewel" checked={form.crown} onChange={(e) => edit({ crown: e.currentTarget.checked })} />
          <span aria-hidden="true" class="crown">★</span>
          {t('host.admin.crown')}
        </label>
        <div class="check-help">{t('host.admin.crown.help')}</div>
      </div>
      <MaintenanceField host={host} value={form.until} set={(until) => edit({ until })} submit={submit} end={() => void put({ maintenanceUntil: null })} />
      <SaveRow submit={submit} />
    </form>
  )
}
