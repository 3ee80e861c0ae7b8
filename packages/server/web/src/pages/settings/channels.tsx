// Alert channels: the list with each channel's delivery state, test, edit, switch off, delete; and a form for a new one.
import { useState } from 'preact/hooks'
import { api, type Channel, type ChannelTypeOut, type TestResult } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { ErrorBox, Loading, StatusIcon } from '../../components.js'
import { ChannelForm } from './channel-form.js'

function TestResultLine({ result }: { result: TestResult }) {
  const { t } = useI18n()
  return (
    <div class={`small ${result.ok ? 'yes-good' : 'yes-bad'}`} role="status" data-test-result={result.ok ? 'ok' : 'failed'}>
      <StatusIcon status={result.ok ? 'ok' : 'deviation'} size={13} />{' '}
      {result.ok ? t('settings.channel.testSent') : t('settings.channel.testFailed', { msg: result.error ?? '?' })}
    </div>
  )
}

function ChannelItem({ c, types, reload }: { c: Channel; types: ChannelTypeOut[]; reload: () => void }) {
  const { t, tx, date } = useI18n()
  const [result, setResult] = useState<TestResult | null>(null)
  const [editing, setEditing] = useState(false)
  const action = useSubmit()
  const path = `/channels/${encodeURIComponent(c.id)}`
  const type = types.find((x) => x.type === c.type)
  return (
    <li class={`channel${editing ? ' channel-wrap' : ''}`} data-channel={c.name}>
      <div class="channel-main">
        <strong>{c.name}</strong> <span class="tag" title={type ? tx(type.title) : c.type}>{c.type}</span>{' '}
        <span class="tag" title={t('settings.channel.language')} lang={c.language}>
          {c.language.toUpperCase()}
        </span>{' '}
        {c.escalation && <span class="tag">{t('settings.channel.escalation')}</span>}
        {!c.enabled && <span class="tag tag-off">{t('settings.channel.disabled')}</span>}
        <div class="small muted wrap">{c.target}</div>
        <div class="small muted">
          {c.delivery.lastSentAt ? `✓ ${date(c.delivery.lastSentAt)}` : ''}
          {c.delivery.pending > 0 ? ` · ${c.delivery.pending} …` : ''}
          {c.delivery.lastError ? <span class="yes-bad"> · {c.delivery.lastError}</span> : ''}
        </div>
        {result && <TestResultLine result={result} />}
        {action.error && <ErrorBox error={action.error} action="save" />}
      </div>
      <div class="channel-actions">
        <button type="button" class="btn btn-small" disabled={action.busy} onClick={() => action.run(async () => setResult(await api<TestResult>(`${path}/test`, { method: 'POST' })))}>
          {t('settings.channel.test')}
        </button>
        <button type="button" class="btn btn-small" aria-expanded={editing} disabled={action.busy} onClick={() => setEditing(!editing)}>
          {t('common.edit')}
        </button>
        <label class="check">
          <input
            type="checkbox"
            checked={c.enabled}
            disabled={action.busy}
            onChange={(e) => {
              const enabled = e.currentTarget.checked
              void action.run(async () => {
                await api(path, { method: 'PUT', body: { enabled } })
                reload()
              })
            }}
          />
          {t('settings.channel.enabled')}
        </label>
        <button
          type="button"
          class="btn btn-small btn-ghost"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              await api(path, { method: 'DELETE' })
              reload()
            })
          }
        >
          {t('common.delete')}
        </button>
      </div>
      {editing && (
        <ChannelForm
          types={types}
          channel={c}
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

let typesOnce: Promise<ChannelTypeOut[]> | null = null
/** The channel types the server offers: they do not change while the page is open. */
const channelTypes = () =>
  (typesOnce ??= api<{ types: ChannelTypeOut[] }>('/channel-types').then(
    (r) => r.types,
    (e: unknown) => {
      typesOnce = null
      throw e
    },
  ))

export function Channels() {
  const { t } = useI18n()
  const list = useLoad('channels', async () => ({ channels: (await api<{ channels: Channel[] }>('/channels')).channels, types: await channelTypes() }))
  if (!list.data) return list.error ? <ErrorBox error={list.error} retry={list.reload} /> : <Loading />
  const { channels, types } = list.data
  return (
    <>
      <p class="small muted">{t('settings.channels.intro')}</p>
      {channels.length === 0 ? (
        <p class="muted">{t('settings.channels.none')}</p>
      ) : (
        <ul class="channels">
          {channels.map((c) => (
            <ChannelItem key={c.id} c={c} types={types} reload={list.reload} />
          ))}
        </ul>
      )}
      <ChannelForm types={types} done={list.reload} />
    </>
  )
}
