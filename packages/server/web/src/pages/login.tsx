import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { api, ApiError, type Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { StatusIcon } from '../components.js'
import { useSubmit } from '../hooks.js'

export function LoginPage({ onLogin, expired, langSwitch }: { onLogin: (m: Me) => void; expired: boolean; langSwitch: ComponentChildren }) {
  const { t } = useI18n()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const submit = useSubmit()

  // Wrong name and wrong password get the same words: the server does not say which one it was either.
  const e = submit.error
  const error = !e
    ? null
    : e instanceof ApiError && e.code === 'login-locked'
      ? t('login.locked', { min: Math.max(1, Math.ceil((e.retryAfter ?? 60) / 60)) })
      : e instanceof ApiError && e.status === 429
        ? t('login.limited')
        : e instanceof ApiError && e.status === 503
          ? t('login.serverBusy')
          : e instanceof ApiError && (e.status === 401 || e.status === 400)
            ? t('login.failed')
            : t('common.error', { msg: e.message })

  const onSubmit = async (ev: Event) => {
    ev.preventDefault()
    const ok = await submit.run(async () => onLogin(await api<Me>('/auth/login', { method: 'POST', body: { username, password }, quiet401: true })))
    if (!ok) setPassword('')
  }

  return (
    <div class="login-wrap">
      <div class="login-lang">{langSwitch}</div>
      <form class="card login" onSubmit={onSubmit} aria-labelledby="login-title">
        <div class="login-brand">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <div>
            <div class="login-name">{t('app.name')}</div>
            <div class="muted small">{t('app.tagline')}</div>
          </div>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        <p class="muted">{t('login.intro')}</p>
        {expired && !error && (
          <p class="notice" role="status">
            {t('login.expired')}
          </p>
        )}
        {error && (
          <p class="alert-box" role="alert">
            <StatusIcon status="deviation" size={16} />
            {error}
          </p>
        )}
        <label class="field">
          <span>{t('login.username')}</span>
          <input name="username" autocomplete="username" required maxLength={64} value={username} onInput={(e) => setUsername(e.currentTarget.value)} autoFocus />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxLength={128}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button class="btn btn-primary btn-block" type="submit" disabled={submit.busy}>
          {submit.busy ? t('login.busy') : t('login.submit')}
        </button>
        <p class="muted small">{t('login.firstAdmin')}</p>
      </form>
    </div>
  )
}
