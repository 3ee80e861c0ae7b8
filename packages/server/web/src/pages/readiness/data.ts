// Loading the readiness records: the overview of everything (GET /readiness), a list kind, a document kind. Each page
// refetches when the server says a record changed (live event readiness-changed), whoever changed it.
import type { Entry, RecordDoc, RecordDocKind, RecordListInput, RecordListKind } from '@lagebild/shared'
import { api, type ReadinessView } from '../../api.js'
import { useLoad } from '../../hooks.js'
import { useLive } from '../../live.js'

const isChange = (e: { type: string }) => e.type === 'readiness-changed'

export function useReadiness() {
  const r = useLoad('readiness', () => api<ReadinessView>('/readiness'))
  useLive(r.reload, isChange, 300)
  return r
}

export function useEntries<K extends RecordListKind>(kind: K) {
  const r = useLoad(`readiness-${kind}`, () => api<{ entries: Entry<RecordListInput<K>>[] }>(`/readiness/${kind}`).then((x) => x.entries))
  useLive(r.reload, isChange, 300)
  return r
}

export function useDoc<K extends RecordDocKind>(kind: K) {
  const r = useLoad(`readiness-doc-${kind}`, () => api<{ data: RecordDoc<K> | null; defaults: RecordDoc<K> | null }>(`/readiness/${kind}`))
  useLive(r.reload, isChange, 300)
  return r
}

/** POST a new entry or PUT a changed one. */
export const saveEntry = <K extends RecordListKind>(kind: K, id: string | null, data: RecordListInput<K>) =>
  id ? api(`/readiness/${kind}/${encodeURIComponent(id)}`, { method: 'PUT', body: data }) : api(`/readiness/${kind}`, { method: 'POST', body: data })

export const deleteEntry = (kind: RecordListKind, id: string) => api(`/readiness/${kind}/${encodeURIComponent(id)}`, { method: 'DELETE' })

export const saveDoc = <K extends RecordDocKind>(kind: K, data: RecordDoc<K>) => api(`/readiness/${kind}`, { method: 'PUT', body: data })
