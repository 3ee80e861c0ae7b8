// The one list editor of the readiness records (contacts, providers, crown jewels, the logs …): the entries with a
// summary each; admins add, edit and delete. And the one form frame: values, a check before sending, busy, error, saved.
import { useState } from 'preact/hooks'
import type { ComponentChildren } from 'preact'
import type { Entry, RecordListInput, RecordListKind } from '@lagebild/shared'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card, ErrorBox, Loading, SaveRow } from '../../components.js'
import { deleteEntry, useEntries } from './data.js'

/** The record's own data, without id and times (what a form edits and sends back). */
export function dataOf<T>(e: Entry<T>): T {
  const { id: _id, createdAt: _c, updatedAt: _u, ...data } = e
  return data as T
}

export function RecordForm<T>(p: {
  initial: T
  send: (v: T) => Promise<unknown>
  /** A reason not to send, in the reader's language; null when fine. */
  check?: (v: T) => string | null
  done?: () => void
  cancel?: () => void
  class?: string
  children: (v: T, set: (patch: Partial<T>) => void) => ComponentChildren
}) {
  const { t } = useI18n()
  const [v, setV] = useState(p.initial)
  const submit = useSubmit()
  const set = (patch: Partial<T>) => {
    setV((old) => ({ ...old, ...patch }))
    submit.reset()
  }
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    const problem = p.check?.(v)
    if (problem) return submit.fail(problem)
    if (await submit.run(() => p.send(v), t('rd.saved'))) p.done?.()
  }
  return (
    <form class={`record-form ${p.class ?? ''}`} onSubmit={onSubmit} noValidate>
      {p.children(v, set)}
      <SaveRow submit={submit}>
        {p.cancel && (
          <button type="button" class="btn btn-ghost" onClick={p.cancel}>
            {t('common.cancel')}
          </button>
        )}
      </SaveRow>
    </form>
  )
}

type FormProps<K extends RecordListKind> = { entry: Entry<RecordListInput<K>> | null; done: () => void; cancel: () => void }

export function EntryList<K extends RecordListKind>(p: {
  kind: K
  title: string
  id?: string
  intro?: ComponentChildren
  name: (e: Entry<RecordListInput<K>>) => string
  summary: (e: Entry<RecordListInput<K>>) => ComponentChildren
  form: (f: FormProps<K>) => ComponentChildren
  /** Newest first (logs) instead of the order they were added. */
  newestFirst?: boolean
}) {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const list = useEntries(p.kind)
  const [editing, setEditing] = useState<string | null>(null)
  const [delError, setDelError] = useState<Error | null>(null)
  const close = () => setEditing(null)
  const entries = [...(list.data ?? [])]
  if (p.newestFirst) entries.sort((a, b) => ('date' in b && 'date' in a ? String(b.date).localeCompare(String(a.date)) : 0))
  const remove = async (e: Entry<RecordListInput<K>>) => {
    if (!window.confirm(t('rd.deleteConfirm', { name: p.name(e) }))) return
    setDelError(null)
    await deleteEntry(p.kind, e.id).then(list.reload, (x: unknown) => setDelError(x instanceof Error ? x : new Error(String(x))))
  }
  const actions = isAdmin && editing !== 'new' ? <button type="button" class="btn btn-small" onClick={() => setEditing('new')}>+ {t('rd.add')}</button> : null
  return (
    <Card title={p.title} id={p.id} actions={actions} class="entry-list">
      {p.intro}
      {list.error && <ErrorBox error={list.error} retry={list.reload} />}
      {delError && <ErrorBox error={delError} action="save" />}
      {editing === 'new' && p.form({ entry: null, done: () => (close(), list.reload()), cancel: close })}
      {!list.data ? <Loading /> : !entries.length && editing !== 'new' ? <p class="muted">{t('rd.none')}</p> : null}
      <ul class="entries">
        {entries.map((e) => (
          <li key={e.id} data-entry={p.name(e)}>
            {editing === e.id ? (
              p.form({ entry: e, done: () => (close(), list.reload()), cancel: close })
            ) : (
              <div class="entry">
                <div class="entry-text">{p.summary(e)}</div>
                {isAdmin && (
                  <div class="entry-actions">
                    <button type="button" class="btn btn-small" onClick={() => setEditing(e.id)}>{t('rd.edit')}</button>
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => void remove(e)}>{t('rd.delete')}</button>
                  </div>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </Card>
  )
}
