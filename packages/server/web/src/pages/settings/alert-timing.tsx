// Reminder and escalation hours and the grace after a server start (GET/PUT /settings/alerts). Fields, labels, help
// and bounds come from @lagebild/shared ALERT_SETTINGS; the bounds are checked here too, so the form can say which
// field is wrong before anything is sent.
import { useEffect, useState } from 'preact/hooks'
import { ALERT_SETTING_KEYS, ALERT_SETTINGS, type AlertSettingKey, type AlertSettings } from '@lagebild/shared'
import { api } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { ErrorBox, Loading, SaveRow, StatusIcon } from '../../components.js'

type Texts = Record<AlertSettingKey, string>
const textOf = (s: AlertSettings): Texts => Object.fromEntries(ALERT_SETTING_KEYS.map((k) => [k, s[k] === null ? '' : String(s[k])])) as Texts

export function AlertTiming() {
  const { t, tx, num } = useI18n()
  const data = useLoad('settings:alerts', () => api<{ settings: AlertSettings; defaults: AlertSettings }>('/settings/alerts'))
  const [values, setValues] = useState<Texts | null>(null)
  const [invalid, setInvalid] = useState<Partial<Texts>>({})
  const submit = useSubmit()
  useEffect(() => {
    if (data.data) setValues(textOf(data.data.settings))
  }, [data.data])

  if (!data.data || !values) return data.error ? <ErrorBox error={data.error} retry={data.reload} /> : <Loading />
  const defaults = data.data.defaults

  /** The body to send, or the message per field that is wrong. */
  const check = (): { body: Record<string, number | null>; bad: Partial<Texts> } => {
    const body: Record<string, number | null> = {}
    const bad: Partial<Texts> = {}
    for (const k of ALERT_SETTING_KEYS) {
      const info = ALERT_SETTINGS[k]
      const field = tx(info.label)
      const raw = values[k].trim()
      const n = Number(raw)
      if (raw === '') {
        if (info.nullable) body[k] = null
        else bad[k] = t('settings.timing.required', { field })
      } else if (!Number.isInteger(n) || n < info.minimum || n > info.maximum)
        bad[k] = t('settings.timing.range', { field, min: info.minimum, max: info.maximum })
      else body[k] = n
    }
    return { body, bad }
  }

  const save = (e: Event) => {
    e.preventDefault()
    const { body, bad } = check()
    setInvalid(bad)
    if (Object.keys(bad).length) return submit.fail(t('settings.timing.check'))
    void submit.run(async () => {
      await api('/settings/alerts', { method: 'PUT', body })
      data.reload()
    }, t('common.saved'))
  }

  return (
    <form class="alert-timing" onSubmit={save} noValidate>
      <p class="small muted">{t('settings.timing.intro')}</p>
      <div class="timing-grid">
        {ALERT_SETTING_KEYS.map((k) => {
          const info = ALERT_SETTINGS[k]
          const def = defaults[k]
          return (
            <label class="field" key={k}>
              <span>{tx(info.label)}</span>
              <input
                type="number"
                name={k}
                min={info.minimum}
                max={info.maximum}
                step={1}
                inputMode="numeric"
                value={values[k]}
                aria-invalid={invalid[k] ? 'true' : undefined}
                onInput={(e) => {
                  setValues({ ...values, [k]: e.currentTarget.value })
                  submit.reset()
                }}
              />
              {invalid[k] && (
                <small class="field-error" data-invalid={k}>
                  <StatusIcon status="deviation" size={12} /> {invalid[k]}
                </small>
              )}
              <small class="muted">
                {def === null ? t('settings.timing.defaultEmpty') : t('settings.default', { v: num(def) })}
                {' · '}
                {tx(info.help)}
              </small>
            </label>
          )
        })}
      </div>
      <SaveRow submit={submit} />
    </form>
  )
}
