// A tiny router over the History API: the server answers every non-API path with index.html.
import { useEffect, useState } from 'preact/hooks'

type Listener = () => void
const listeners = new Set<Listener>()
const notify = () => listeners.forEach((l) => l())
window.addEventListener('popstate', notify)

export function navigate(href: string, replace = false) {
  if (href === location.pathname + location.search) return
  if (replace) history.replaceState(null, '', href)
  else history.pushState(null, '', href)
  notify()
  if (!replace) window.scrollTo(0, 0)
}

export interface Route {
  path: string
  query: URLSearchParams
}

export function useRoute(): Route {
  const [, set] = useState(0)
  useEffect(() => {
    const l = () => set((n) => n + 1)
    listeners.add(l)
    return () => void listeners.delete(l)
  }, [])
  return { path: location.pathname, query: new URLSearchParams(location.search) }
}

/** Matches "/hosts/:id" against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/')
  const b = path.replace(/\/+$/, '').split('/')
  if (a.length !== b.length) return null
  const out: Record<string, string> = {}
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!
    if (p.startsWith(':')) out[p.slice(1)] = decodeURIComponent(b[i]!)
    else if (p !== b[i]) return null
  }
  return out
}

/** Click handler for in-app links: plain left clicks stay in the page, anything else behaves like a normal link. */
export function onLinkClick(e: MouseEvent) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null
  if (!a || a.target || a.origin !== location.origin) return
  e.preventDefault()
  navigate(a.pathname + a.search)
}
