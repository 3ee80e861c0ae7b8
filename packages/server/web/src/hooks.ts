import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export interface Loaded<T> {
  data: T | null
  error: Error | null
  loading: boolean
  /** Refetch; the old data stays on screen meanwhile (no flicker on live updates). */
  reload: () => void
}

/** Fetches with `load` whenever `key` changes; answers that arrive out of order are dropped. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean; key: string }>({ data: null, error: null, loading: true, key })
  const seq = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const run = useCallback(() => {
    const n = ++seq.current
    setState((s) => ({ ...s, loading: true }))
    loadRef.current().then(
      (data) => n === seq.current && setState({ data, error: null, loading: false, key }),
      (error: unknown) => n === seq.current && setState((s) => ({ ...s, error: error instanceof Error ? error : new Error(String(error)), loading: false })),
    )
  }, [key])
  useEffect(run, [run])
  // Data of another key is not shown as if it were this one's (e.g. another host's page).
  const data = state.key === key ? state.data : null
  return { data, error: state.error, loading: state.loading, reload: run }
}

/** A value that follows `value` after `ms` of quiet (search boxes). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, set] = useState(value)
  useEffect(() => {
    const t = window.setTimeout(() => set(value), ms)
    return () => window.clearTimeout(t)
  }, [value, ms])
  return v
}
