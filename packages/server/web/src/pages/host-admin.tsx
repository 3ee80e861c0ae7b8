// The host's administration card: tags, crown-jewel flag, maintenance window (PUT /hosts/:id). Viewers see the values only.
import { useEffect, useState } from 'preact/hooks'
import { api, type HostAdminOut, type HostDetail } from '../api.js'
import { useI18n } from '../i18n.js'
import { useIsAdmin } from '../session.js'
import { CrownBadge, Facts, inMaintenance, MaintenanceBadge, SaveRow, YesNo } from '../components.js'

type Host = HostDetail['host']
const TAG = /^[\w.-]{1,50}$/
const MAX_TAGS = 20

const pad = (n: number) => String(n).padStart(2, '0')
/** An instant as the value of <input type="datetime-local"> (the reader's local time, to the minute). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const splitTags = (s: string) => [...new Set(s.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean))]

/** What the form shows for the stored host; the form follows live updates only while nobody is editing it. */
const fromHost = (h: Host) => ({ tags: h.tags.join(', '), crown: h.crownJewel, until: inMaintenance(h.maintenanceUntil) ? toLocalInput(h.maintenanceUntil) : '' })

export function HostAdmin({ host, onSaved }: { host: Host; onSaved: () => void }) {
  const { t, date } = useI18n()
  const isAdmin = useIsAdmin()
  const stored = fromHost(host)
  const storedKey = `${host.id}|${stored.tags}|${stored.crown}|${stored.until}`
  const [form, setForm] = useState(stored)
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState(false)
  const [msg, setMsg] = useState<string | null>(null)
  const [err, setErr] = useState<Error | null>(null)
  useEffect(() => {
    if (!dirty) setForm(fromHost(host))
  }, [storedKey])

  const running = inMaintenance(host.maintenanceUntil)
  const ended = !running && host.maintenanceUntil ? host.maintenanceUntil : null

  if (!isAdmin)
    return (
      <div class="host-admin" data-readonly="true">
        <Facts
          rows={[
            [t('hosts.crown'), host.crownJewel ? <CrownBadge /> : <YesNo value={false} />],
            [t('hosts.maintenance'), running ? <MaintenanceBadge until={host.maintenanceUntil!} /> : <span class="muted">{t('host.admin.maintenance.none')}</span>],
            [t('host.id.tags'), host.tags.length ? host.tags.join(', ') : '—'],
          ]}
        />
        <p class="small muted">{t('host.admin.viewer')}</p>
      </div>
    )

  const edit = (change: Partial<typeof form>) => {
    setForm({ ...form, ...change })
    setDirty(true)
    setMsg(null)
  }

  const put = async (body: { tags?: string[]; crownJewel?: boolean; maintenanceUntil?: string | null }) => {
    setBusy(true)
    setErr(null)
    setMsg(null)
    try {
      const out = await api<HostAdminOut>(`/hosts/${encodeURIComponent(host.id)}`, { method: 'PUT', body })
      setForm({ tags: out.tags.join(', '), crown: out.crownJewel, until: inMaintenance(out.maintenanceUntil) ? toLocalInput(out.maintenanceUntil) : '' })
      setDirty(false)
      setMsg(t('common.saved'))
      onSaved()
    } catch (x) {
      setErr(x instanceof Error ? x : new Error(String(x)))
    } finally {
      setBusy(false)
    }
  }

  const save = (e: Event) => {
    e.preventDefault()
    const tags = splitTags(form.tags)
    const bad = tags.find((x) => !TAG.test(x))
    if (bad !== undefined) return setErr(new Error(t('host.admin.tags.invalid', { tag: bad })))
    if (tags.length > MAX_TAGS) return setErr(new Error(t('host.admin.tags.tooMany')))
    const body: { tags: string[]; crownJewel: boolean; maintenanceUntil?: string | null } = { tags, crownJewel: form.crown }
    // Only a changed window is sent: the field holds minutes, the stored end may have seconds.
    if (form.until !== stored.until) {
      if (form.until && new Date(form.until).getTime() <= Date.now()) return setErr(new Error(t('host.admin.maintenance.past')))
      body.maintenanceUntil = form.until ? new Date(form.until).toISOString() : null
    }
    void put(body)
  }

  return (
    <form class="host-admin" onSubmit={save} data-readonly="false" noValidate>
      <label class="field">
        <span>{t('host.admin.tags')}</span>
        <input name="tags" value={form.tags} maxLength={1100} autocomplete="off" onInput={(e) => edit({ tags: e.currentTarget.value })} />
        <small>{t('host.admin.tags.help')}</small>
      </label>
      <div>
        <label class="check">
          <input type="checkbox" name="crownJewel" checked={form.crown} onChange={(e) => edit({ crown: e.currentTarget.checked })} />
          <span aria-hidden="true" class="crown">★</span>
          {t('host.admin.crown')}
        </label>
        <div class="check-help">{t('host.admin.crown.help')}</div>
      </div>
      <div class="field">
        <label for={`maint-${host.id}`}>{t('host.admin.maintenance')}</label>
        <div class="maint-row">
          <input
            id={`maint-${host.id}`}
            name="maintenanceUntil"
            type="datetime-local"
            value={form.until}
            min={toLocalInput(new Date().toISOString())}
            onInput={(e) => edit({ until: e.currentTarget.value })}
          />
          {running && (
            <button type="button" class="btn btn-small" disabled={busy} onClick={() => void put({ maintenanceUntil: null })}>
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
      <SaveRow busy={busy} msg={msg} err={err} />
    </form>
  )
}
