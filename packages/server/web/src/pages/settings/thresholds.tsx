// Thresholds: the catalogue's defaults, overridden for all hosts, per tag or per host (PUT /thresholds/…). The fields,
// their labels and bounds come from @lagebild/shared THRESHOLDS — a new threshold there appears here by itself.
import { useEffect, useState } from 'preact/hooks'
import { THRESHOLD_KEYS, THRESHOLD_SCOPES, THRESHOLDS, type ThresholdKey, type ThresholdScope } from '@lagebild/shared'
import { api, type ThresholdsOut } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { ErrorBox, Loading, SaveRow } from '../../components.js'

const pathOf = (scope: ThresholdScope, target: string) =>
  scope === 'global' ? '/thresholds/global' : `/thresholds/${scope === 'tag' ? 'tags' : 'hosts'}/${encodeURIComponent(target)}`

/** The stored override of one scope (empty fields inherit). */
const overrideOf = (d: ThresholdsOut, scope: ThresholdScope, target: string): Partial<Record<ThresholdKey, number>> =>
  scope === 'global' ? d.global : scope === 'tag' ? (d.tags[target] ?? {}) : (d.hosts[target] ?? {})

export function Thresholds() {
  const { t, tx, num } = useI18n()
  const data = useLoad('thresholds', () => api<ThresholdsOut>('/thresholds'))
  const [scope, setScope] = useState<ThresholdScope>('global')
  const [target, setTarget] = useState('')
  const [values, setValues] = useState<Partial<Record<ThresholdKey, string>>>({})
  const submit = useSubmit()

  useEffect(() => {
    if (!data.data) return
    const o = overrideOf(data.data, scope, target)
    setValues(Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, o[k] === undefined ? '' : String(o[k])])))
  }, [data.data, scope, target])
  // "Saved" stays until another scope is chosen (the reload after saving must not wipe it at once).
  useEffect(submit.reset, [scope, target])

  if (!data.data) return data.error ? <ErrorBox error={data.error} retry={data.reload} /> : <Loading />
  const d = data.data
  const inherited = (k: ThresholdKey) => (scope === 'global' ? d.defaults[k] : (d.global[k] ?? d.defaults[k]))
  const save = (e: Event) => {
    e.preventDefault()
    const body: Partial<Record<ThresholdKey, number>> = {}
    for (const k of THRESHOLD_KEYS) if (values[k]) body[k] = Number(values[k])
    void submit.run(async () => {
      await api<ThresholdsOut>(pathOf(scope, target), { method: 'PUT', body })
      data.reload()
    }, t('common.saved'))
  }

  return (
    <form onSubmit={save}>
      <p class="small muted">{t('settings.thresholds.intro')}</p>
      <div class="filter-row">
        <label class="field">
          <span>{t('settings.scope')}</span>
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as ThresholdScope)}>
            {THRESHOLD_SCOPES.map((s) => (
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
        {THRESHOLD_KEYS.map((k) => (
          <label class="field" key={k}>
            <span>{tx(THRESHOLDS[k].label)}</span>
            <input
              type="number"
              name={k}
              min={THRESHOLDS[k].minimum}
              max={THRESHOLDS[k].maximum}
              step={1}
              value={values[k] ?? ''}
              placeholder={num(inherited(k))}
              onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
            />
            <small class="muted">{t('settings.default', { v: d.defaults[k] })}</small>
          </label>
        ))}
      </div>
      <SaveRow submit={submit} />
    </form>
  )
}
