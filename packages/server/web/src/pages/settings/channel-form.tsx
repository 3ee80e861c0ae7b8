// One form for a new and for a stored channel. Its fields are built from the channel type's config schema
// (GET /channel-types): label (x-label), choices, bounds, placeholder (examples), preset (default), secrets (writeOnly).
// A new channel type on the server needs nothing here.
import { useState } from 'preact/hooks'
import { LANGUAGES, type Language } from '@lagebild/shared'
import { api, type Channel, type ChannelTypeOut, type ConfigField, type ConfigSchema } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { SaveRow } from '../../components.js'

/** The server shows stored secrets as this; sent back (or left out) they keep their value. */
const MASK = '********'
type Values = Record<string, string | boolean>

const schemaOf = (type: ChannelTypeOut) => type.configSchema as ConfigSchema

/** The form's values: a stored channel's config as text (secrets empty: "leave empty to keep"), or the schema's presets. */
function initialValues(type: ChannelTypeOut, stored?: Record<string, unknown>): Values {
  const out: Values = {}
  for (const [k, f] of Object.entries(schemaOf(type).properties)) {
    const v = stored ? stored[k] : f.default
    if (f.writeOnly && stored) out[k] = ''
    else if (f.type === 'boolean') out[k] = v === undefined ? f.default !== false : v === true
    else if (Array.isArray(v)) out[k] = v.join(', ')
    else out[k] = v === undefined || v === null ? '' : String(v)
  }
  return out
}

/** The config the server expects, from the form; on edit an empty secret is sent as the mask (kept). */
function configOf(type: ChannelTypeOut, values: Values, stored?: Record<string, unknown>): Record<string, unknown> {
  const schema = schemaOf(type)
  const config: Record<string, unknown> = {}
  for (const [k, f] of Object.entries(schema.properties)) {
    const v = values[k]
    if (f.type === 'boolean') {
      config[k] = v === true
      continue
    }
    const text = typeof v === 'string' ? v.trim() : ''
    if (!text) {
      if (f.writeOnly && stored?.[k] !== undefined) config[k] = MASK
      else if (schema.required?.includes(k)) config[k] = f.type === 'array' ? [] : ''
      continue
    }
    config[k] = f.type === 'integer' ? Number(text) : f.type === 'array' ? text.split(',').map((x) => x.trim()).filter(Boolean) : text
  }
  return config
}

function ConfigInput({ name, field, required, value, set, keptSecret }: { name: string; field: ConfigField; required: boolean; value: string | boolean; set: (v: string | boolean) => void; keptSecret: boolean }) {
  const { t, tx } = useI18n()
  const label = field['x-label'] ? tx(field['x-label']) : name
  if (field.type === 'boolean')
    return (
      <label class="check">
        <input type="checkbox" name={name} checked={value === true} onChange={(e) => set(e.currentTarget.checked)} />
        {label}
      </label>
    )
  if (field.anyOf)
    return (
      <label class="field">
        <span>{label}</span>
        <select name={name} value={String(value)} onChange={(e) => set(e.currentTarget.value)}>
          {field.anyOf.map((o) => (
            <option key={o.const} value={o.const}>
              {o['x-label'] ? tx(o['x-label']) : o.const}
            </option>
          ))}
        </select>
      </label>
    )
  const kind = field.writeOnly ? 'password' : field.type === 'integer' ? 'number' : field.pattern?.startsWith('^https?:') ? 'url' : 'text'
  return (
    <label class="field">
      <span>{label}</span>
      <input
        name={name}
        type={kind as 'text'}
        value={String(value)}
        required={required && !keptSecret}
        min={field.minimum}
        max={field.maximum}
        minLength={field.minLength}
        maxLength={field.maxLength}
        placeholder={keptSecret ? t('settings.channel.secretKept') : field.examples?.[0] !== undefined ? String(field.examples[0]) : undefined}
        autocomplete={field.writeOnly ? 'new-password' : 'off'}
        title={field.description}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </label>
  )
}

/** Creates a channel (no `channel`) or changes one; `done` after the server said yes. */
export function ChannelForm({ types, channel, done, cancel }: { types: ChannelTypeOut[]; channel?: Channel; done: () => void; cancel?: () => void }) {
  const { t, tx, lang } = useI18n()
  const [typeName, setTypeName] = useState(channel?.type ?? types[0]!.type)
  const type = types.find((x) => x.type === typeName) ?? types[0]!
  const [name, setName] = useState(channel?.name ?? '')
  const [language, setLanguage] = useState<Language>(channel?.language ?? lang)
  const [escalation, setEscalation] = useState(channel?.escalation ?? false)
  const [values, setValues] = useState<Values>(() => initialValues(type, channel?.config))
  const submit = useSubmit()
  const schema = schemaOf(type)

  const send = async () => {
    const config = configOf(type, values, channel?.config)
    if (channel) await api(`/channels/${encodeURIComponent(channel.id)}`, { method: 'PUT', body: { name, language, escalation, config } })
    else await api('/channels', { method: 'POST', body: { name, type: type.type, language, escalation, config } })
  }
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    if (await submit.run(send)) {
      if (!channel) {
        setName('')
        setValues(initialValues(type))
      }
      done()
    }
  }

  return (
    <form class={channel ? 'channel-edit' : 'new-channel'} onSubmit={onSubmit}>
      <h3>{channel ? t('settings.channel.edit', { name: channel.name }) : t('settings.channel.add')}</h3>
      <div class="filter-row">
        {!channel && (
          <label class="field">
            <span>{t('settings.channel.type')}</span>
            <select
              name="type"
              value={type.type}
              onChange={(e) => {
                const next = types.find((x) => x.type === e.currentTarget.value)!
                setTypeName(next.type)
                setValues(initialValues(next))
              }}
            >
              {types.map((x) => (
                <option key={x.type} value={x.type}>
                  {tx(x.title)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="field grow">
          <span>{t('settings.channel.name')}</span>
          <input name="name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('settings.channel.language')}</span>
          <select name="language" value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="filter-row">
        {Object.entries(schema.properties).map(([k, f]) => (
          <ConfigInput
            key={`${type.type}.${k}`}
            name={k}
            field={f}
            required={schema.required?.includes(k) ?? false}
            value={values[k] ?? ''}
            set={(v) => setValues({ ...values, [k]: v })}
            keptSecret={!!channel && !!f.writeOnly && channel.config[k] !== undefined}
          />
        ))}
        <label class="check">
          <input type="checkbox" name="escalation" checked={escalation} onChange={(e) => setEscalation(e.currentTarget.checked)} />
          {t('settings.channel.escalation')}
        </label>
      </div>
      <SaveRow submit={submit} label={channel ? t('common.save') : t('settings.channel.add')}>
        {cancel && (
          <button type="button" class="btn btn-ghost" onClick={cancel}>
            {t('common.cancel')}
          </button>
        )}
      </SaveRow>
    </form>
  )
}
