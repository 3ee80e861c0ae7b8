// The audit log (admins): every admin action with who, when, from where and before → after, newest first; paged
// backwards, filtered by action; and the check that no entry was changed, removed or reordered behind the server's back.
import { useState } from 'preact/hooks'
import { api, qs, type AuditCheck, type AuditList } from '../api.js'
import { useDebounced, useLoad, useSubmit } from '../hooks.js'
import { useI18n } from '../i18n.js'
import { useIsAdmin } from '../session.js'
import { Card, ErrorBox, ListTable, Loading, SaveRow, StatusIcon } from '../components.js'
import { AccessTabs } from '../actions.js'

type Entry = AuditList['entries'][number]
const PAGE = 50

/** A value of before/after as short readable JSON; long ones fold away. */
function Change({ e }: { e: Entry }) {
  const { t } = useI18n()
  if (e.before === null && e.after === null) return null
  const text = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 1).replace(/\n\s*/g, ' '))
  return (
    <details class="audit-change">
      <summary class="small">{t('audit.change')}</summary>
      <dl class="small">
        <dt>{t('audit.before')}</dt>
        <dd><code class="wrap">{text(e.before)}</code></dd>
        <dt>{t('audit.after')}</dt>
        <dd><code class="wrap">{text(e.after)}</code></dd>
      </dl>
    </details>
  )
}

function Verify() {
  const { t } = useI18n()
  const submit = useSubmit()
  const [result, setResult] = useState<AuditCheck | null>(null)
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit.run(async () => setResult(await api<AuditCheck>('/audit/verify'))))}>
      <SaveRow submit={submit} label={t('audit.verify')}>
        {result && (
          <span role="status" data-verified={result.ok ? 'ok' : 'broken'} class={result.ok ? 'yes-good' : 'yes-bad'}>
            <StatusIcon status={result.ok ? 'ok' : 'deviation'} size={14} />{' '}
            {result.ok ? t('audit.verified', { n: result.entries }) : t('audit.broken', { id: result.brokenAt ?? 0, reason: result.reason ?? '' })}
          </span>
        )}
      </SaveRow>
    </form>
  )
}

export function AuditPage() {
  const { t, date } = useI18n()
  const admin = useIsAdmin()
  const [action, setAction] = useState('')
  const [pages, setPages] = useState<number[]>([])
  const filter = useDebounced(action.trim(), 300)
  const before = pages.at(-1)
  const list = useLoad(`audit:${filter}:${before ?? ''}`, () => api<AuditList>(`/audit${qs({ limit: PAGE, action: filter, before })}`))
  if (!admin) return <p class="notice">{t('audit.viewer')}</p>
  const entries = list.data?.entries ?? []
  return (
    <div>
      <AccessTabs on="audit" />
      <h1 class="page-title">{t('audit.title')}</h1>
      <p class="muted">{t('audit.intro')}</p>
      <Card>
        <div class="filter-row">
          <label class="field grow">
            <span>{t('audit.filter')}</span>
            <input name="action" value={action} maxLength={100} placeholder="host. / token. / user." onInput={(e) => (setAction(e.currentTarget.value), setPages([]))} />
          </label>
          <Verify />
        </div>
      </Card>
      <Card class="table-card">
        {!list.data ? (
          list.error ? <ErrorBox error={list.error} retry={list.reload} /> : <Loading />
        ) : entries.length === 0 ? (
          <p class="muted pad">{t('audit.none')}</p>
        ) : (
          <ListTable list="audit" class="audit" head={[t('audit.when'), t('audit.who'), t('audit.what'), t('audit.target')]}>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{date(e.at)}</td>
                <td>
                  {e.actor}
                  <div class="small muted">{t(`audit.via.${e.via}`)}{e.ip ? ` · ${e.ip}` : ''}</div>
                </td>
                <td>
                  <code>{e.action}</code>
                  <Change e={e} />
                </td>
                <td><code class="wrap small">{e.target ?? '—'}</code></td>
              </tr>
            ))}
          </ListTable>
        )}
        <nav class="pager">
          <button type="button" class="btn btn-small" disabled={!pages.length} onClick={() => setPages(pages.slice(0, -1))}>
            ← {t('audit.newer')}
          </button>
          <button type="button" class="btn btn-small" disabled={entries.length < PAGE} onClick={() => setPages([...pages, entries.at(-1)!.id])}>
            {t('audit.older')} →
          </button>
        </nav>
      </Card>
    </div>
  )
}
