// Form fields of the readiness records. Bounds (lengths, ranges, days) come from the shared schemas' limits; choices
// from the shared lists with their labels — nothing listed twice.
import type { ComponentChildren } from 'preact'
import type { Text } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'

export function TextField(p: {
  label: string; value: string; set: (v: string) => void; name: string; maxLength: number
  required?: boolean; type?: 'text' | 'email' | 'tel' | 'date' | 'number'; placeholder?: string; help?: ComponentChildren; list?: string; min?: number; max?: number; step?: number
}) {
  return (
    <label class="field">
      <span>{p.label}</span>
      <input
        name={p.name} type={p.type ?? 'text'} value={p.value} required={p.required} maxLength={p.type === 'number' || p.type === 'date' ? undefined : p.maxLength}
        placeholder={p.placeholder} list={p.list} min={p.min} max={p.max} step={p.step} autocomplete="off"
        onInput={(e) => p.set(e.currentTarget.value)}
      />
      {p.help && <small>{p.help}</small>}
    </label>
  )
}

export function TextArea(p: { label: string; value: string; set: (v: string) => void; name: string; maxLength: number; rows?: number; help?: ComponentChildren }) {
  return (
    <label class="field">
      <span>{p.label}</span>
      <textarea name={p.name} value={p.value} maxLength={p.maxLength} rows={p.rows ?? 3} onInput={(e) => p.set(e.currentTarget.value)} />
      {p.help && <small>{p.help}</small>}
    </label>
  )
}

/** A choice from a shared list, labelled by the shared labels; `none` adds an empty choice. */
export function Choice<T extends string>(p: { label: string; values: readonly T[]; labels: Record<T, Text | string>; value: T | null; set: (v: T | null) => void; name: string; none?: string }) {
  const { tx, t } = useI18n()
  const text = (v: T) => (typeof p.labels[v] === 'string' ? (p.labels[v] as string) : tx(p.labels[v] as Text))
  return (
    <label class="field">
      <span>{p.label}</span>
      <select name={p.name} value={p.value ?? ''} onChange={(e) => p.set(e.currentTarget.value === '' ? null : (e.currentTarget.value as T))}>
        {(p.none !== undefined || p.value === null) && <option value="">{p.none ?? t('rd.choose')}</option>}
        {p.values.map((v) => (
          <option key={v} value={v}>
            {text(v)}
          </option>
        ))}
      </select>
    </label>
  )
}

export function Check(p: { label: string; checked: boolean; set: (v: boolean) => void; name: string }) {
  return (
    <label class="check">
      <input type="checkbox" name={p.name} checked={p.checked} onChange={(e) => p.set(e.currentTarget.checked)} />
      {p.label}
    </label>
  )
}

/** A list of names or short items, one per line. */
export function LinesField(p: { label: string; value: readonly string[]; set: (v: string[]) => void; name: string; maxItemLength: number; rows?: number; help?: ComponentChildren }) {
  return (
    <TextArea
      label={p.label} name={p.name} rows={p.rows ?? 4} maxLength={p.maxItemLength * 500} help={p.help}
      value={p.value.join('\n')}
      set={(v) => p.set(v.split('\n').map((x) => x.trim().slice(0, p.maxItemLength)).filter((x, i, all) => x !== '' || i === all.length - 1))}
    />
  )
}

/** Lines as entered, with the empty ones dropped (for sending). */
export const lines = (list: readonly string[]) => list.map((x) => x.trim()).filter(Boolean)

/** A number field kept as text while typing; null when empty. */
export const numberOrNull = (v: string): number | null => (v.trim() === '' ? null : Number(v))

/** A date input value (YYYY-MM-DD) of today in the browser's zone. */
export function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** A calendar day (YYYY-MM-DD) as the reader writes dates; no time zone shift. */
export function useDay(): (day: string) => string {
  const { locale } = useI18n()
  const f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
  return (day) => (day ? f.format(new Date(`${day.slice(0, 10)}T00:00:00Z`)) : '—')
}
