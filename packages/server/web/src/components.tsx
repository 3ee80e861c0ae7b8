// Building blocks. Every status has a shape and a label besides its colour (readable without telling red from green).
import type { ComponentChildren, JSX } from 'preact'
import { useState } from 'preact/hooks'
import { displayText, SEVERITIES, type FindingStatus, type MeasureState, type Severity } from '@lagebild/shared'
import { onLinkClick } from './router.js'
import { useI18n, type Key } from './i18n.js'
import type { Submit } from './hooks.js'

/** Everything a status mark can show: a finding's status, a measure's light, or a host that stopped reporting. */
export type Light = FindingStatus | MeasureState | 'silent'

export function Link(props: JSX.IntrinsicElements['a'] & { href: string }) {
  return <a {...props} onClick={onLinkClick} />
}

/** A name an agent reported, as people may see it: invisible or direction-changing characters shown as [U+XXXX]. */
export const agentName = (name: string) => displayText(name, { max: 253 })

/**
 * Longer text that came from an agent or a user report (answers to the card's questions, timeline entries quoting them,
 * why an item could not be collected): line breaks kept, everything else as agentName.
 */
export const agentText = (text: string, max = 4000) => displayText(text, { multiline: true, max })

/**
 * A link to a host under the name its agent reported. Where space is short the CSS cuts it with "…" (.agent-name):
 * a 253-character name must not push the other columns out of view; the full name is in the tooltip.
 */
export function HostLink({ id, name }: { id: string; name: string }) {
  const shown = agentName(name)
  return (
    <Link href={`/hosts/${encodeURIComponent(id)}`} class="agent-name" title={shown}>
      {shown}
    </Link>
  )
}

/** The status icon: circle with a check (ok), triangle with "!" (deviation), square with "?" (unknown), dashed circle (not recorded), clock (silent). */
export function StatusIcon({ status, size = 18, title }: { status: Light; size?: number; title?: string }) {
  const common = { width: size, height: size, viewBox: '0 0 20 20', class: `icon icon-${status}`, role: title ? ('img' as const) : undefined, 'aria-hidden': title ? undefined : true }
  const label = title ? <title>{title}</title> : null
  switch (status) {
    case 'ok':
      return (
        <svg {...common}>
          {label}
          <circle cx="10" cy="10" r="9" fill="currentColor" />
          <path d="M5.5 10.5l3 3 6-7" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
      )
    case 'deviation':
      return (
        <svg {...common}>
          {label}
          <path d="M10 1.5l9 16.5H1z" fill="currentColor" stroke="currentColor" stroke-width="1" stroke-linejoin="round" />
          <path d="M10 7v5" stroke="#fff" stroke-width="2.2" stroke-linecap="round" />
          <circle cx="10" cy="15" r="1.3" fill="#fff" />
        </svg>
      )
    case 'unknown':
      return (
        <svg {...common}>
          {label}
          <rect x="1.5" y="1.5" width="17" height="17" rx="3.5" fill="currentColor" />
          <path d="M7.6 7.4a2.45 2.45 0 1 1 3.4 2.25c-.75.33-1 .85-1 1.6v.35" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" />
          <circle cx="10" cy="14.6" r="1.2" fill="#fff" />
        </svg>
      )
    case 'silent':
      return (
        <svg {...common}>
          {label}
          <circle cx="10" cy="10" r="9" fill="currentColor" />
          <path d="M10 5v5.5l3.5 2" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" />
        </svg>
      )
    case 'not-applicable':
      return (
        <svg {...common}>
          {label}
          <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="M4.5 15.5l11-11" stroke="currentColor" stroke-width="2" />
        </svg>
      )
    default:
      return (
        <svg {...common}>
          {label}
          <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2.3" />
          <path d="M6.5 10h7" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
      )
  }
}

const statusKey = (s: Light): Key => (s === 'silent' ? 'status.silent' : (`status.${s}` as Key))

export function StatusBadge({ status, label }: { status: Light; label?: string }) {
  const { t } = useI18n()
  return (
    <span class={`badge badge-${status}`}>
      <StatusIcon status={status} size={14} />
      {label ?? t(statusKey(status))}
    </span>
  )
}

/** Most urgent first, as lists show them. */
export const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse()

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useI18n()
  const marks = { critical: '!!!', high: '!!', medium: '!', low: '·', info: 'i' }[severity]
  return (
    <span class={`sev sev-${severity}`}>
      <span class="sev-mark" aria-hidden="true">
        {marks}
      </span>
      {t(`sev.${severity}` as Key)}
    </span>
  )
}

/** A stacked bar of shares; deviation is striped and unknown dotted, so the parts differ without colour. */
export function ShareBar({ ok, deviation, unknown, label }: { ok: number; deviation: number; unknown: number; label: string }) {
  const total = ok + deviation + unknown
  if (!total) return <div class="sharebar sharebar-empty" role="img" aria-label={label} />
  const w = (n: number) => `${(100 * n) / total}%`
  return (
    <div class="sharebar" role="img" aria-label={label} title={label}>
      {deviation > 0 && <span class="seg seg-deviation" style={{ width: w(deviation) }} />}
      {unknown > 0 && <span class="seg seg-unknown" style={{ width: w(unknown) }} />}
      {ok > 0 && <span class="seg seg-ok" style={{ width: w(ok) }} />}
    </div>
  )
}

export function Card({ title, children, class: cls, actions, id }: { title?: ComponentChildren; children: ComponentChildren; class?: string; actions?: ComponentChildren; id?: string }) {
  return (
    <section class={`card ${cls ?? ''}`} id={id}>
      {(title || actions) && (
        <header class="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div class="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  )
}

export function Loading() {
  const { t } = useI18n()
  return (
    <p class="muted loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {t('common.loading')}
    </p>
  )
}

/** `action` says what failed: loading (default) or saving/changing something. */
export function ErrorBox({ error, retry, action = 'load' }: { error: Error; retry?: () => void; action?: 'load' | 'save' }) {
  const { t } = useI18n()
  return (
    <div class="alert-box" role="alert">
      <StatusIcon status="deviation" size={16} />
      <span>{t(action === 'save' ? 'common.saveError' : 'common.error', { msg: error.message })}</span>
      {retry && (
        <button type="button" class="btn btn-small" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}

/** A definition list of label → value; null values show as "unknown", never as a made-up default. */
export function Facts({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="kv">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  )
}

export function YesNo({ value, good }: { value: boolean | null | undefined; good?: boolean }) {
  const { t } = useI18n()
  if (value === null || value === undefined) return <span class="muted">{t('common.unknownValue')}</span>
  const fine = good === undefined ? null : value === good
  return (
    <span class={fine === null ? '' : fine ? 'yes-good' : 'yes-bad'}>
      {fine !== null && <StatusIcon status={fine ? 'ok' : 'deviation'} size={13} />}
      {value ? t('common.yes') : t('common.no')}
    </span>
  )
}

/** Whether a maintenance window is running now (a past end means: over). */
export const inMaintenance = (until: string | null | undefined, now = Date.now()) => !!until && Date.parse(until) > now

/** The crown-jewel mark: a star and a word, so it reads without its colour. `short` keeps only the star (label for screen readers and as tooltip). */
export function CrownBadge({ short }: { short?: boolean }) {
  const { t } = useI18n()
  return (
    <span class={`flag flag-crown${short ? ' flag-short' : ''}`} title={t('hosts.crown')} data-flag="crown">
      <span aria-hidden="true">★</span>
      {short ? <span class="sr">{t('hosts.crown')}</span> : t('hosts.crown')}
    </span>
  )
}

/** Another active host reports the same name: told apart by machine id, never taken for the same PC. */
export function DuplicateNameBadge() {
  const { t } = useI18n()
  return (
    <span class="flag flag-duplicate" title={t('hosts.duplicate.title')} data-flag="duplicate-name">
      <span aria-hidden="true">⚠</span>
      {t('hosts.duplicate')}
    </span>
  )
}

/** A running maintenance window: a wrench and "maintenance until …". */
export function MaintenanceBadge({ until, short }: { until: string; short?: boolean }) {
  const { t, date } = useI18n()
  const text = t('hosts.maintenanceUntil', { when: date(until) })
  return (
    <span class="flag flag-maintenance" title={text} data-flag="maintenance">
      <svg width="13" height="13" viewBox="0 0 20 20" aria-hidden="true" class="icon">
        <path d="M13.6 2.2a4.6 4.6 0 0 0-5.7 5.9L2.6 13.4a1.9 1.9 0 0 0 2.7 2.7l5.3-5.3a4.6 4.6 0 0 0 5.9-5.7l-2.8 2.8-2.3-.6-.6-2.3z" fill="currentColor" />
      </svg>
      {short ? t('hosts.maintenance') : text}
    </span>
  )
}

/** The end of a form: its submit button (save unless told), the confirmation (icon + text) and the error of `submit`. */
export function SaveRow({ submit, label, children }: { submit: Submit; label?: string; children?: ComponentChildren }) {
  const { t } = useI18n()
  return (
    <>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={submit.busy}>
          {label ?? t('common.save')}
        </button>
        {children}
        {submit.done && (
          <span class="yes-good" role="status">
            <StatusIcon status="ok" size={14} /> {submit.done}
          </span>
        )}
      </div>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </>
  )
}

/** A list as a table that scrolls sideways on narrow screens: the column heads (an empty one for row actions), then the rows. */
export function ListTable({ list, head, class: cls = 'access-list', children }: { list: string; head: ComponentChildren[]; class?: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll">
      <table class={cls} data-list={list}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}

/** A long list shows its first `few` entries and a button for the rest ("show all 133"), so it never buries what follows. */
export function Collapsible<T>({ items, few = 8, children }: { items: readonly T[]; few?: number; children: (shown: readonly T[]) => ComponentChildren }) {
  const { t } = useI18n()
  const [all, setAll] = useState(false)
  // A list only a little longer than `few` is shown whole: a button to reveal two more rows helps nobody.
  const long = items.length > few + 2
  return (
    <>
      {children(long && !all ? items.slice(0, few) : items)}
      {long && (
        <button type="button" class="btn btn-small btn-ghost show-all" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('common.showFewer') : t('common.showAll', { n: items.length })}
        </button>
      )}
    </>
  )
}

/** Above a paged table: "1–50 of 1,234" and a spinner while it reloads. */
export function TableMeta({ countKey, total, page, pageSize, loading }: { countKey: Key; total: number; page: number; pageSize: number; loading: boolean }) {
  const { t } = useI18n()
  return (
    <div class="table-meta">
      <span class="small muted" data-total={total}>
        {total ? t(countKey, { from: page * pageSize + 1, to: Math.min(total, (page + 1) * pageSize), total }) : ''}
      </span>
      {loading && <span class="spinner" aria-hidden="true" />}
    </div>
  )
}

/** Back and forth through the pages of a list; nothing when it fits on one. */
export function Pager({ page, pages, go }: { page: number; pages: number; go: (page: number) => void }) {
  const { t, num } = useI18n()
  if (pages <= 1) return null
  return (
    <nav class="pager" aria-label={t('common.pages')}>
      <button type="button" class="btn btn-small" disabled={page === 0} onClick={() => go(page - 1)}>
        ← {t('hosts.prev')}
      </button>
      <span class="small muted" data-page={page + 1}>
        {num(page + 1)} / {num(pages)}
      </span>
      <button type="button" class="btn btn-small" disabled={page + 1 >= pages} onClick={() => go(page + 1)}>
        {t('hosts.next')} →
      </button>
    </nav>
  )
}
