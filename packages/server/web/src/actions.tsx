// Small pieces for actions with consequences: text shown once to be copied (tokens, keys, passwords), and a button
// that asks before it does something that cannot be undone (revoke, retire, purge).
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { useI18n } from './i18n.js'
import { Link } from './components.js'

/** The two pages about access: who holds it, and what was done with it. */
export function AccessTabs({ on }: { on: 'access' | 'audit' }) {
  const { t } = useI18n()
  return (
    <nav class="tabs" aria-label={t('nav.access')}>
      {(['access', 'audit'] as const).map((p) => (
        <Link key={p} href={`/${p}`} class={on === p ? 'on' : ''} aria-current={on === p ? 'page' : undefined}>
          {t(p === 'access' ? 'access.title' : 'audit.title')}
        </Link>
      ))}
    </nav>
  )
}

/** A secret or a command to copy; the text stays selectable where the browser has no clipboard (plain HTTP). */
export function CopyBlock({ text, label }: { text: string; label: string }) {
  const { t } = useI18n()
  const [done, setDone] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setDone(true)
      window.setTimeout(() => setDone(false), 1500)
    } catch {
      // No clipboard (plain HTTP on another host): the text stays selectable.
    }
  }
  return (
    <div class="copy">
      <pre aria-label={label}>
        <code>{text}</code>
      </pre>
      <button type="button" class="btn btn-small" onClick={copy}>
        {done ? t('enroll.copied') : t('enroll.copy')}
      </button>
    </div>
  )
}

/**
 * A button that asks first: the first click shows what will happen (`question`) with a confirm and a cancel button;
 * only the confirm runs `onConfirm`. Used for every revocation, so no click takes access away by accident.
 */
export function ConfirmButton({ label, question, confirm, onConfirm, busy, danger = true }: {
  label: ComponentChildren
  question: ComponentChildren
  confirm: string
  onConfirm: () => void
  busy?: boolean
  danger?: boolean
}) {
  const { t } = useI18n()
  const [asking, setAsking] = useState(false)
  if (!asking)
    return (
      <button type="button" class={`btn btn-small${danger ? ' btn-danger' : ''}`} disabled={busy} onClick={() => setAsking(true)}>
        {label}
      </button>
    )
  return (
    <span class="confirm" role="group">
      <span class="small">{question}</span>{' '}
      <button type="button" class={`btn btn-small${danger ? ' btn-danger' : ' btn-primary'}`} disabled={busy} onClick={() => { setAsking(false); onConfirm() }}>
        {confirm}
      </button>{' '}
      <button type="button" class="btn btn-small btn-ghost" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  )
}
