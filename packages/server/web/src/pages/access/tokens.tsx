// Enrollment tokens: their state and uses (never the token itself) and revocation. New ones are made on the enroll page.
import { api, type EnrollTokenList } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { ErrorBox, Link, ListTable, Loading } from '../../components.js'
import { ConfirmButton } from '../../actions.js'

export function Tokens() {
  const { t, date } = useI18n()
  const list = useLoad('enroll-tokens', () => api<EnrollTokenList>('/enroll-tokens'))
  const submit = useSubmit()
  const revoke = (id: string) => void submit.run(() => api(`/enroll-tokens/${encodeURIComponent(id)}/revoke`, { method: 'POST', body: {} }).then(list.reload), t('access.revoked'))
  if (!list.data) return list.error ? <ErrorBox error={list.error} retry={list.reload} /> : <Loading />
  return (
    <>
      <p class="small muted">
        {t('access.tokens.intro')} <Link href="/enroll">{t('access.tokens.new')}</Link>
      </p>
      {list.data.tokens.length === 0 ? (
        <p class="muted">{t('access.tokens.none')}</p>
      ) : (
        <ListTable list="tokens" head={[t('access.col.created'), t('access.col.state'), t('access.col.uses'), t('access.col.expires'), t('access.col.tags'), '']}>
          {list.data.tokens.map((k) => (
            <tr key={k.id} data-id={k.id} data-state={k.state}>
              <td>
                {date(k.createdAt)}
                <div class="small muted">{k.createdBy ?? ''}</div>
              </td>
              <td>
                <span class={`state state-${k.state}`}>{t(`access.token.${k.state}`)}</span>
                {k.mayReplace && <div class="small">{t('access.token.mayReplace')}</div>}
              </td>
              <td>{k.maxUses === null ? t('access.token.usesUnlimited', { n: k.uses }) : t('access.token.uses', { n: k.uses, max: k.maxUses })}</td>
              <td>{k.expiresAt ? date(k.expiresAt) : t('common.never')}</td>
              <td>{k.tags.join(', ') || '—'}</td>
              <td class="row-actions">
                {k.state === 'active' && (
                  <ConfirmButton label={t('access.revoke')} question={t('access.tokens.revoke.q')} confirm={t('access.revoke')} busy={submit.busy} onConfirm={() => revoke(k.id)} />
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </>
  )
}
