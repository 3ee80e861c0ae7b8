import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { api, ApiError, type Me } from '../api.js'
import { useI18n } from '../i18n.js'
import { StatusIcon } from '../components.js'

export function LoginPage({ onLogin, expired, langSwitch }: { onLogin: (m: Me) => void; expired: boolean; langSwitch: ComponentChildren }) {
  const { t } = useI18n()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onLogin(await api<Me>('/auth/login', { method: 'POST', body: { username, password }, quiet401: true }))
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('login.limited'))
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('login.failed'))
      else setError(t('common.error', { msg: err instanceof Error ? err.message : String(err) }))
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="login-wrap">
      <div class="login-lang">{langSwitch}</div>
      <form class="card login" onSubmit={submit} aria-labelledby="login-title">
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
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <p class="muted small">{t('login.firstAdmin')}</p>
      </form>
    </div>
  )
}
