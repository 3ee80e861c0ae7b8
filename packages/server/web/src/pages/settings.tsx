import { useEffect, useState } from 'preact/hooks'
import { api, type Channel, type ThresholdsOut } from '../api.js'
import { useLoad } from '../hooks.js'
import { useI18n, type Key } from '../i18n.js'
import { useIsAdmin } from '../session.js'
import { Card, ErrorBox, Loading, SaveRow, StatusIcon } from '../components.js'

type Scope = 'global' | 'tag' | 'host'
type ChannelType = Channel['type']
const TH_KEYS = [
  'securityUpdateMaxHours',
  'pendingUpdatesMax',
  'updateCheckMaxHours',
  'rebootPendingMaxHours',
  'signatureMaxHours',
  'xprotectMaxHours',
  'backupMaxHours',
  'minPasswordLength',
  'screenLockMaxSeconds',
  'silentMaxMinutes',
] as const

const toError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)))

function Thresholds() {
  const { t, num } = useI18n()
  const data = useLoad('thresholds', () => api<ThresholdsOut>('/thresholds'))
  const [scope, setScope] = useState<Scope>('global')
  const [target, setTarget] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const [msg, setMsg] = useState<string | null>(null)
  const [err, setErr] = useState<Error | null>(null)

  const current = (d: ThresholdsOut): Record<string, number | undefined> =>
    scope === 'global' ? d.global : scope === 'tag' ? (d.tags[target] ?? {}) : (d.hosts[target] ?? {})
  // Show the stored override of the chosen scope; empty fields inherit.
  useEffect(() => {
    if (!data.data) return
    const c = current(data.data)
    setValues(Object.fromEntries(TH_KEYS.map((k) => [k, c[k] === undefined ? '' : String(c[k])])))
  }, [data.data, scope, target])
  // "Saved" stays until another scope is chosen (the reload after saving must not wipe it at once).
  useEffect(() => setMsg(null), [scope, target])

  if (!data.data) return data.error ? <ErrorBox error={data.error} retry={data.reload} /> : <Loading />
  const d = data.data
  const save = async (e: Event) => {
    e.preventDefault()
    setErr(null)
    setMsg(null)
    const body: Record<string, number> = {}
    for (const k of TH_KEYS) if (values[k]) body[k] = Number(values[k])
    const path = scope === 'global' ? '/thresholds/global' : scope === 'tag' ? `/thresholds/tags/${encodeURIComponent(target)}` : `/thresholds/hosts/${encodeURIComponent(target)}`
    try {
      await api<ThresholdsOut>(path, { method: 'PUT', body })
      setMsg(t('common.saved'))
      data.reload()
    } catch (x) {
      setErr(toError(x))
    }
  }
  const inherited = (k: (typeof TH_KEYS)[number]) => (scope === 'global' ? d.defaults[k] : (d.global[k] ?? d.defaults[k]))

  return (
    <form onSubmit={save}>
      <p class="small muted">{t('settings.thresholds.intro')}</p>
      <div class="filter-row">
        <label class="field">
          <span>{t('settings.scope')}</span>
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)}>
            {(['global', 'tag', 'host'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`settings.scope.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {scope !== 'global' && (
          <label class="field grow">
            <span>{t(`settings.scope.${scope}`)}</span>
            <input required list={`th-${scope}`} value={target} maxLength={100} onInput={(e) => setTarget(e.currentTarget.value.trim())} />
            <datalist id={`th-${scope}`}>
              {Object.keys(scope === 'tag' ? d.tags : d.hosts).map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </label>
        )}
      </div>
      <div class="th-grid">
        {TH_KEYS.map((k) => (
          <label class="field" key={k}>
            <span>{t(`th.${k}` as Key)}</span>
            <input
              type="number"
              min={0}
              value={values[k] ?? ''}
              placeholder={num(inherited(k))}
              onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
            />
            <small class="muted">{t('settings.default', { v: d.defaults[k] })}</small>
          </label>
        ))}
      </div>
      <SaveRow msg={msg} err={err} />
    </form>
  )
}

interface AlertSettings {
  reminderHours: number
  escalationHours: number
  silentGraceMinutes: number | null
}
type TimingKey = keyof AlertSettings
/** The limits of PUT /settings/alerts (services/settings.ts), checked here too so the form can say which field is wrong. */
const TIMING: { key: TimingKey; min: number; max: number; optional?: boolean }[] = [
  { key: 'reminderHours', min: 1, max: 24 * 30 },
  { key: 'escalationHours', min: 1, max: 24 * 30 },
  { key: 'silentGraceMinutes', min: 0, max: 7 * 24 * 60, optional: true },
]
const timingText = (v: number | null) => (v === null ? '' : String(v))

/** Reminder and escalation hours and the grace after a server start (GET/PUT /settings/alerts). */
function AlertTiming() {
  const { t, num } = useI18n()
  const data = useLoad('settings:alerts', () => api<{ settings: AlertSettings; defaults: AlertSettings }>('/settings/alerts'))
  const [values, setValues] = useState<Record<TimingKey, string>>({ reminderHours: '', escalationHours: '', silentGraceMinutes: '' })
  const [invalid, setInvalid] = useState<Partial<Record<TimingKey, string>>>({})
  const [msg, setMsg] = useState<string | null>(null)
  const [err, setErr] = useState<Error | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (!data.data) return
    const st = data.data.settings
    setValues({ reminderHours: timingText(st.reminderHours), escalationHours: timingText(st.escalationHours), silentGraceMinutes: timingText(st.silentGraceMinutes) })
  }, [data.data])

  if (!data.data) return data.error ? <ErrorBox error={data.error} retry={data.reload} /> : <Loading />
  const defaults = data.data.defaults
  const label = (k: TimingKey) => t(`settings.timing.${k}` as Key)

  const save = async (e: Event) => {
    e.preventDefault()
    setMsg(null)
    setErr(null)
    const body: Record<string, number | null> = {}
    const bad: Partial<Record<TimingKey, string>> = {}
    for (const { key, min, max, optional } of TIMING) {
      const raw = values[key].trim()
      if (raw === '') {
        if (optional) body[key] = null
        else bad[key] = t('settings.timing.required', { field: label(key) })
        continue
      }
      const n = Number(raw)
      if (!Number.isInteger(n) || n < min || n > max) bad[key] = t('settings.timing.range', { field: label(key), min, max })
      else body[key] = n
    }
    setInvalid(bad)
    if (Object.keys(bad).length) return setErr(new Error(t('settings.timing.check')))
    setBusy(true)
    try {
      await api('/settings/alerts', { method: 'PUT', body })
      setMsg(t('common.saved'))
      data.reload()
    } catch (x) {
      setErr(toError(x))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="alert-timing" onSubmit={save} noValidate>
      <p class="small muted">{t('settings.timing.intro')}</p>
      <div class="timing-grid">
        {TIMING.map(({ key, min, max }) => {
          const def = defaults[key]
          return (
            <label class="field" key={key}>
              <span>{label(key)}</span>
              <input
                type="number"
                name={key}
                min={min}
                max={max}
                step={1}
                inputMode="numeric"
                value={values[key]}
                aria-invalid={invalid[key] ? 'true' : undefined}
                onInput={(e) => {
                  setValues({ ...values, [key]: e.currentTarget.value })
                  setMsg(null)
                }}
              />
              {invalid[key] && (
                <small class="field-error" data-invalid={key}>
                  <StatusIcon status="deviation" size={12} /> {invalid[key]}
                </small>
              )}
              <small class="muted">
                {def === null ? t('settings.timing.defaultEmpty') : t('settings.default', { v: num(def) })}
                {' · '}
                {t(`settings.timing.${key}.help` as Key)}
              </small>
            </label>
          )
        })}
      </div>
      <SaveRow busy={busy} msg={msg} err={err} />
    </form>
  )
}

const target = (c: Channel) => {
  const cfg = c.config
  if (c.type === 'email') return Array.isArray(cfg.to) ? cfg.to.join(', ') : ''
  if (c.type === 'ntfy') return `${String(cfg.server ?? '')}/${String(cfg.topic ?? '')}`
  return String(cfg.url ?? '')
}

/** The server shows stored secrets as this; sent back (or left out) they keep their value. */
const MASK = '********'
const SECRETS: Record<ChannelType, string[]> = { email: ['password'], webhook: ['secret'], slack: ['url'], teams: ['url'], ntfy: ['token'] }
type Values = Record<string, string>

/** The form values of a stored channel: its config as text, secrets empty ("leave empty to keep"). */
function valuesOf(c: Channel): Values {
  const out: Values = {}
  for (const [k, v] of Object.entries(c.config)) {
    if (SECRETS[c.type].includes(k)) continue
    if (Array.isArray(v)) out[k] = v.join(', ')
    else if (typeof v === 'string' || typeof v === 'number') out[k] = String(v)
  }
  return out
}

/** The config of a channel type from the form; on edit, keys the form does not show (e.g. rejectUnauthorized) stay as stored. */
function configOf(type: ChannelType, f: Values, stored?: Record<string, unknown>): Record<string, unknown> {
  let c: Record<string, unknown>
  if (type === 'email')
    c = {
      host: f.host,
      port: Number(f.port || 587),
      security: f.security || 'starttls',
      ...(f.user ? { user: f.user, password: f.password ?? '' } : {}),
      from: f.from,
      to: (f.to ?? '').split(',').map((x) => x.trim()).filter(Boolean),
    }
  else if (type === 'ntfy') c = { server: f.server || 'https://ntfy.sh', topic: f.topic, ...(f.token ? { token: f.token } : {}) }
  else if (type === 'webhook') c = { url: f.url, secret: f.secret }
  else c = { url: f.url }
  if (!stored) return c
  const out: Record<string, unknown> = { ...stored, ...c }
  if (type === 'email' && !f.user) {
    delete out.user
    delete out.password
  }
  // An empty secret field means "keep": send the mask back.
  for (const k of SECRETS[type]) if (!f[k] && stored[k] !== undefined) out[k] = MASK
  return out
}

/** The target fields of one channel type; `editing` makes secrets optional (empty keeps the stored one). */
function ChannelFields({ type, f, set, editing }: { type: ChannelType; f: Values; set: (f: Values) => void; editing?: boolean }) {
  const { t } = useI18n()
  const field = (k: string, label: string, props: Record<string, string | number | boolean> = {}) => {
    const secret = editing && SECRETS[type].includes(k)
    return (
      <label class="field" key={k}>
        <span>{label}</span>
        <input
          name={k}
          value={f[k] ?? ''}
          onInput={(e) => set({ ...f, [k]: e.currentTarget.value })}
          {...props}
          {...(secret ? { required: false, placeholder: t('settings.channel.secretKept'), autocomplete: 'off' } : {})}
        />
      </label>
    )
  }
  return (
    <>
      {type === 'email' && [
        field('host', t('ch.host'), { required: true }),
        field('port', t('ch.port'), { type: 'number', placeholder: '587', min: 1, max: 65535 }),
        <label class="field" key="security">
          <span>{t('ch.security')}</span>
          <select name="security" value={f.security || 'starttls'} onChange={(e) => set({ ...f, security: e.currentTarget.value })}>
            {(['starttls', 'tls', 'none'] as const).map((x) => (
              <option key={x} value={x}>
                {t(`ch.security.${x}`)}
              </option>
            ))}
          </select>
        </label>,
        field('user', t('ch.user'), { autocomplete: 'off' }),
        field('password', t('ch.password'), { type: 'password', autocomplete: 'new-password' }),
        field('from', t('ch.from'), { required: true, placeholder: 'Lagebild <lagebild@example.com>' }),
        field('to', t('settings.channel.to'), { required: true }),
      ]}
      {(type === 'webhook' || type === 'slack' || type === 'teams') && field('url', t('settings.channel.url'), { required: true, type: 'url' })}
      {type === 'webhook' && field('secret', t('ch.secret'), { required: true, minLength: 16 })}
      {type === 'ntfy' && [field('server', t('ch.server'), { placeholder: 'https://ntfy.sh' }), field('topic', t('ch.topic'), { required: true }), field('token', t('ch.token'))]}
    </>
  )
}

function LanguageSelect({ value, set }: { value: 'de' | 'en'; set: (l: 'de' | 'en') => void }) {
  const { t } = useI18n()
  return (
    <label class="field">
      <span>{t('settings.channel.language')}</span>
      <select name="language" value={value} onChange={(e) => set(e.currentTarget.value === 'en' ? 'en' : 'de')}>
        <option value="de">{t('lang.de')}</option>
        <option value="en">{t('lang.en')}</option>
      </select>
    </label>
  )
}

function EditChannel({ c, done, cancel }: { c: Channel; done: () => void; cancel: () => void }) {
  const { t } = useI18n()
  const [name, setName] = useState(c.name)
  const [f, setF] = useState<Values>(() => valuesOf(c))
  const [language, setLanguage] = useState(c.language)
  const [escalation, setEscalation] = useState(c.escalation)
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<Error | null>(null)
  const submit = async (e: Event) => {
    e.preventDefault()
    setErr(null)
    setBusy(true)
    try {
      await api(`/channels/${encodeURIComponent(c.id)}`, { method: 'PUT', body: { name, language, escalation, config: configOf(c.type, f, c.config) } })
      done()
    } catch (x) {
      setErr(toError(x))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="channel-edit" onSubmit={submit}>
      <h3>{t('settings.channel.edit', { name: c.name })}</h3>
      <div class="filter-row">
        <label class="field grow">
          <span>{t('settings.channel.name')}</span>
          <input name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <LanguageSelect value={language} set={setLanguage} />
      </div>
      <div class="filter-row">
        <ChannelFields type={c.type} f={f} set={setF} editing />
        <label class="check">
          <input type="checkbox" name="escalation" checked={escalation} onChange={(e) => setEscalation(e.currentTarget.checked)} />
          {t('settings.channel.escalation')}
        </label>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={cancel}>
          {t('common.cancel')}
        </button>
      </div>
      {err && <ErrorBox error={err} action="save" />}
    </form>
  )
}

function ChannelItem({ c, reload }: { c: Channel; reload: () => void }) {
  const { t, date } = useI18n()
  const [result, setResult] = useState<{ ok: boolean; error: string | null } | null>(null)
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState(false)
  const [err, setErr] = useState<Error | null>(null)
  const run = async (fn: () => Promise<void>) => {
    setBusy(true)
    setErr(null)
    try {
      await fn()
    } catch (x) {
      setErr(toError(x))
    } finally {
      setBusy(false)
    }
  }
  return (
    <li class={`channel${editing ? ' channel-wrap' : ''}`} data-channel={c.name}>
      <div class="channel-main">
        <strong>{c.name}</strong> <span class="tag">{c.type}</span>{' '}
        <span class="tag" title={t('settings.channel.language')} lang={c.language}>
          {c.language.toUpperCase()}
        </span>{' '}
        {c.escalation && <span class="tag">{t('settings.channel.escalation')}</span>}
        {!c.enabled && <span class="tag tag-off">{t('settings.channel.disabled')}</span>}
        <div class="small muted wrap">{target(c)}</div>
        <div class="small muted">
          {c.delivery.lastSentAt ? `✓ ${date(c.delivery.lastSentAt)}` : ''}
          {c.delivery.pending > 0 ? ` · ${c.delivery.pending} …` : ''}
          {c.delivery.lastError ? <span class="yes-bad"> · {c.delivery.lastError}</span> : ''}
        </div>
        {result && (
          <div class={`small ${result.ok ? 'yes-good' : 'yes-bad'}`} role="status" data-test-result={result.ok ? 'ok' : 'failed'}>
            <StatusIcon status={result.ok ? 'ok' : 'deviation'} size={13} /> {result.ok ? t('settings.channel.testSent') : t('settings.channel.testFailed', { msg: result.error ?? '?' })}
          </div>
        )}
        {err && <ErrorBox error={err} action="save" />}
      </div>
      <div class="channel-actions">
        <button
          type="button"
          class="btn btn-small"
          disabled={busy}
          onClick={() => run(async () => setResult(await api<{ ok: boolean; error: string | null }>(`/channels/${encodeURIComponent(c.id)}/test`, { method: 'POST' })))}
        >
          {t('settings.channel.test')}
        </button>
        <button type="button" class="btn btn-small" aria-expanded={editing} disabled={busy} onClick={() => setEditing(!editing)}>
          {t('common.edit')}
        </button>
        <label class="check">
          <input
            type="checkbox"
            checked={c.enabled}
            disabled={busy}
            onChange={(e) => {
              const enabled = e.currentTarget.checked
              void run(async () => {
                await api(`/channels/${encodeURIComponent(c.id)}`, { method: 'PUT', body: { enabled } })
                reload()
              })
            }}
          />
          {t('settings.channel.enabled')}
        </label>
        <button
          type="button"
          class="btn btn-small btn-ghost"
          disabled={busy}
          onClick={() =>
            run(async () => {
              await api(`/channels/${encodeURIComponent(c.id)}`, { method: 'DELETE' })
              reload()
            })
          }
        >
          {t('common.delete')}
        </button>
      </div>
      {editing && (
        <EditChannel
          c={c}
          cancel={() => setEditing(false)}
          done={() => {
            setEditing(false)
            reload()
          }}
        />
      )}
    </li>
  )
}

function NewChannel({ done }: { done: () => void }) {
  const { t, lang } = useI18n()
  const [type, setType] = useState<ChannelType>('webhook')
  const [name, setName] = useState('')
  const [f, setF] = useState<Values>({})
  const [language, setLanguage] = useState<'de' | 'en'>(lang)
  const [escalation, setEscalation] = useState(false)
  const [err, setErr] = useState<Error | null>(null)
  const submit = async (e: Event) => {
    e.preventDefault()
    setErr(null)
    try {
      await api('/channels', { method: 'POST', body: { name, type, language, escalation, config: configOf(type, f) } })
      setName('')
      setF({})
      done()
    } catch (x) {
      setErr(toError(x))
    }
  }
  return (
    <form class="new-channel" onSubmit={submit}>
      <h3>{t('settings.channel.add')}</h3>
      <div class="filter-row">
        <label class="field">
          <span>{t('settings.channel.type')}</span>
          <select value={type} onChange={(e) => setType(e.currentTarget.value as ChannelType)}>
            {(['webhook', 'email', 'slack', 'teams', 'ntfy'] as const).map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label class="field grow">
          <span>{t('settings.channel.name')}</span>
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <LanguageSelect value={language} set={setLanguage} />
      </div>
      <div class="filter-row">
        <ChannelFields type={type} f={f} set={setF} />
        <label class="check">
          <input type="checkbox" checked={escalation} onChange={(e) => setEscalation(e.currentTarget.checked)} />
          {t('settings.channel.escalation')}
        </label>
      </div>
      <button type="submit" class="btn btn-primary">
        {t('settings.channel.add')}
      </button>
      {err && <ErrorBox error={err} action="save" />}
    </form>
  )
}

function Channels() {
  const { t } = useI18n()
  const list = useLoad('channels', () => api<{ channels: Channel[] }>('/channels'))
  if (!list.data) return list.error ? <ErrorBox error={list.error} retry={list.reload} /> : <Loading />
  return (
    <>
      <p class="small muted">{t('settings.channels.intro')}</p>
      {list.data.channels.length === 0 ? (
        <p class="muted">{t('settings.channels.none')}</p>
      ) : (
        <ul class="channels">
          {list.data.channels.map((c) => (
            <ChannelItem key={c.id} c={c} reload={list.reload} />
          ))}
        </ul>
      )}
      <NewChannel done={list.reload} />
    </>
  )
}

export function SettingsPage() {
  const { t } = useI18n()
  if (!useIsAdmin()) return <p class="notice">{t('settings.viewer')}</p>
  return (
    <div class="narrow">
      <h1 class="page-title">{t('settings.title')}</h1>
      <Card title={t('settings.channels')}>
        <Channels />
      </Card>
      <Card title={t('settings.timing')} id="alert-timing">
        <AlertTiming />
      </Card>
      <Card title={t('settings.thresholds')}>
        <Thresholds />
      </Card>
    </div>
  )
}
