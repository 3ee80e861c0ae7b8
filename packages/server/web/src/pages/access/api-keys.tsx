// API keys for automation: create (the key is shown once), see when each was last used, revoke.
import { useState } from 'preact/hooks'
import { api, type ApiKeyCreated, type ApiKeyList } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { ErrorBox, ListTable, Loading, SaveRow } from '../../components.js'
import { ConfirmButton, CopyBlock } from '../../actions.js'

const NAME = /^[\w .-]{1,64}$/

export function ApiKeys() {
  const { t, date, ago } = useI18n()
  const list = useLoad('api-keys', () => api<ApiKeyList>('/api-keys'))
  const create = useSubmit()
  const revoke = useSubmit()
  const [name, setName] = useState('')
  const [created, setCreated] = useState<ApiKeyCreated | null>(null)
  const add = (e: Event) => {
    e.preventDefault()
    if (!NAME.test(name.trim())) return create.fail(t('access.apiKeys.nameInvalid'))
    void create.run(async () => {
      setCreated(await api<ApiKeyCreated>('/api-keys', { method: 'POST', body: { name: name.trim() } }))
      setName('')
      list.reload()
    })
  }
  return (
    <>
      <p class="small muted">{t('access.apiKeys.intro')}</p>
      <form class="filter-row" onSubmit={add} noValidate>
        <label class="field grow">
          <span>{t('access.apiKeys.name')}</span>
          <input name="apiKeyName" value={name} maxLength={64} placeholder="monitoring" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <SaveRow submit={create} label={t('access.apiKeys.create')} />
      </form>
      {created && (
        <div class="secret-once" role="status">
          <p>{t('access.apiKeys.created', { name: created.name })}</p>
          <CopyBlock text={created.key} label={t('access.apiKeys.key')} />
          <p class="small muted">{t('access.shownOnce')}</p>
        </div>
      )}
      {!list.data ? (
        list.error ? <ErrorBox error={list.error} retry={list.reload} /> : <Loading />
      ) : list.data.apiKeys.length === 0 ? (
        <p class="muted">{t('access.apiKeys.none')}</p>
      ) : (
        <ListTable list="api-keys" head={[t('access.apiKeys.name'), t('access.col.created'), t('access.col.lastUsed'), '']}>
          {list.data.apiKeys.map((k) => (
            <tr key={k.id} data-id={k.id} data-state={k.revokedAt ? 'revoked' : 'active'}>
              <td>{k.name}</td>
              <td>
                {date(k.createdAt)}
                <div class="small muted">{k.createdBy ?? ''}</div>
              </td>
              <td title={date(k.lastUsedAt)}>{ago(k.lastUsedAt)}</td>
              <td class="row-actions">
                {k.revokedAt ? (
                  <span class="state state-revoked">{t('access.revokedAt', { when: date(k.revokedAt) })}</span>
                ) : (
                  <ConfirmButton
                    label={t('access.revoke')}
                    question={t('access.apiKeys.revoke.q', { name: k.name })}
                    confirm={t('access.revoke')}
                    busy={revoke.busy}
                    onConfirm={() => void revoke.run(() => api(`/api-keys/${encodeURIComponent(k.id)}/revoke`, { method: 'POST', body: {} }).then(list.reload))}
                  />
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {revoke.error && <ErrorBox error={revoke.error} action="save" />}
    </>
  )
}
