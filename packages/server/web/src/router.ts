// A tiny router over the History API. The pages are @lagebild/shared BOARD_PAGES: the server answers exactly those
// paths with index.html, so a reload or a shared link lands on the same page.
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

/** Click handler for in-app links: plain left clicks stay in the page, anything else behaves like a normal link. */
export function onLinkClick(e: MouseEvent) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null
  if (!a || a.target || a.origin !== location.origin) return
  e.preventDefault()
  navigate(a.pathname + a.search)
}
