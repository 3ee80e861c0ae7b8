// People who may log in: create (a generated password is shown once), a new password (ends their sessions), revoke.
import { useState } from 'preact/hooks'
import { ROLES, type Role } from '@lagebild/shared'
import { api, type PasswordOut, type User, type UserCreated, type UserList } from '../../api.js'
import { useLoad, useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useMe } from '../../session.js'
import { ErrorBox, ListTable, Loading, SaveRow } from '../../components.js'
import { ConfirmButton, CopyBlock } from '../../actions.js'

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/

/** A password to hand over: shown once, with who it is for. */
function NewPassword({ username, password }: { username: string; password: string }) {
  const { t } = useI18n()
  return (
    <div class="secret-once" role="status">
      <p>{t('access.people.passwordFor', { name: username })}</p>
      <CopyBlock text={password} label={t('access.people.password')} />
      <p class="small muted">{t('access.shownOnce')}</p>
    </div>
  )
}

function CreatePerson({ onCreated }: { onCreated: (u: UserCreated) => void }) {
  const { t } = useI18n()
  const submit = useSubmit()
  const [form, setForm] = useState({ username: '', role: 'viewer' as Role, password: '' })
  const add = (e: Event) => {
    e.preventDefault()
    if (!USERNAME.test(form.username)) return submit.fail(t('access.people.nameInvalid'))
    if (form.password && (form.password.length < 8 || form.password.length > 128)) return submit.fail(t('access.people.passwordInvalid'))
    void submit.run(async () => {
      onCreated(await api<UserCreated>('/users', { method: 'POST', body: { username: form.username, role: form.role, ...(form.password ? { password: form.password } : {}) } }))
      setForm({ username: '', role: 'viewer', password: '' })
    })
  }
  return (
    <form class="filter-row" onSubmit={add} noValidate>
      <label class="field">
        <span>{t('login.username')}</span>
        <input name="newUsername" value={form.username} maxLength={64} autocomplete="off" onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} />
      </label>
      <label class="field">
        <span>{t('access.people.role')}</span>
        <select name="newRole" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="field grow">
        <span>{t('access.people.passwordOptional')}</span>
        <input name="newPassword" type="password" value={form.password} autocomplete="new-password" onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
      </label>
      <SaveRow submit={submit} label={t('access.people.create')} />
    </form>
  )
}

function PersonRow({ u, self, onChanged, onPassword }: { u: User; self: boolean; onChanged: () => void; onPassword: (p: { username: string; password: string }) => void }) {
  const { t, date, ago } = useI18n()
  const submit = useSubmit()
  const newPassword = () =>
    void submit.run(async () => {
      const out = await api<PasswordOut>(`/users/${encodeURIComponent(u.id)}/password`, { method: 'POST', body: {} })
      if (out.password) onPassword({ username: u.username, password: out.password })
    })
  const revoke = () => void submit.run(() => api(`/users/${encodeURIComponent(u.id)}/revoke`, { method: 'POST', body: {} }).then(onChanged))
  return (
    <tr data-username={u.username} data-state={u.disabledAt ? 'revoked' : 'active'}>
      <td>
        {u.username} {self && <span class="small muted">({t('access.people.you')})</span>}
      </td>
      <td>{t(`role.${u.role}`)}</td>
      <td title={date(u.lastLoginAt)}>{ago(u.lastLoginAt)}</td>
      <td class="row-actions">
        {u.disabledAt ? (
          <span class="state state-revoked">{t('access.revokedAt', { when: date(u.disabledAt) })}</span>
        ) : (
          <>
            <ConfirmButton label={t('access.people.newPassword')} question={t('access.people.newPassword.q', { name: u.username })} confirm={t('access.people.newPassword')} danger={false} busy={submit.busy} onConfirm={newPassword} />
            {!self && <ConfirmButton label={t('access.revoke')} question={t('access.people.revoke.q', { name: u.username })} confirm={t('access.revoke')} busy={submit.busy} onConfirm={revoke} />}
          </>
        )}
        {submit.error && <ErrorBox error={submit.error} action="save" />}
      </td>
    </tr>
  )
}

export function People() {
  const { t } = useI18n()
  const me = useMe()
  const list = useLoad('users', () => api<UserList>('/users'))
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null)
  return (
    <>
      <p class="small muted">{t('access.people.intro')}</p>
      <CreatePerson
        onCreated={(u) => {
          if (u.password) setShown({ username: u.username, password: u.password })
          list.reload()
        }}
      />
      {shown && <NewPassword {...shown} />}
      {!list.data ? (
        list.error ? <ErrorBox error={list.error} retry={list.reload} /> : <Loading />
      ) : (
        <ListTable list="people" head={[t('login.username'), t('access.people.role'), t('access.col.lastLogin'), '']}>
          {list.data.users.map((u) => (
            <PersonRow key={u.id} u={u} self={u.id === me?.user.id} onChanged={list.reload} onPassword={setShown} />
          ))}
        </ListTable>
      )}
    </>
  )
}
