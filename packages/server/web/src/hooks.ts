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

const toError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)))

export interface Submit {
  /** The action is running: disable its buttons. */
  busy: boolean
  /** Why the last run failed (shown with ErrorBox action="save"). */
  error: Error | null
  /** The confirmation of the last successful run, if it asked for one. */
  done: string | null
  /** Runs `action` once at a time; true when it succeeded. `doneText` is shown as the confirmation. */
  run: (action: () => Promise<unknown>, doneText?: string) => Promise<boolean>
  /** A check before sending failed: show this as the error, send nothing. */
  fail: (message: string) => void
  /** Forget the last confirmation and error (the form was edited). */
  reset: () => void
}

/** One form action: busy while it runs, its error, its confirmation — the one copy of the busy/try/finally block. */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const running = useRef(false)
  const run = useCallback(async (action: () => Promise<unknown>, doneText?: string) => {
    if (running.current) return false
    running.current = true
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      await action()
      if (doneText) setDone(doneText)
      return true
    } catch (e) {
      setError(toError(e))
      return false
    } finally {
      running.current = false
      setBusy(false)
    }
  }, [])
  const fail = useCallback((message: string) => {
    setDone(null)
    setError(new Error(message))
  }, [])
  const reset = useCallback(() => {
    setDone(null)
    setError(null)
  }, [])
  return { busy, error, done, run, fail, reset }
}
