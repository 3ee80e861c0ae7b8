// What the board and the server agree on beyond the API's schemas: which paths are pages of the board, and the
// sort options of its lists.

/**
 * Every page of the board. The server answers exactly these paths with the board's index.html (anything else that
 * is not a file or an API route is a 404); the board's router has one view per entry.
 */
export const BOARD_PAGES = [
  '/', '/login', '/hosts', '/hosts/:id', '/alerts', '/alerts/:id', '/enroll', '/access', '/audit', '/settings',
  // Emergency readiness (docs/readiness.md): where every organisational measure is kept and fixed, and the card.
  '/readiness', '/readiness/people', '/readiness/providers', '/readiness/plan', '/readiness/crown-jewels', '/readiness/logs',
  '/readiness/technical', '/readiness/reporting', '/card',
  // Incidents (docs/incidents.md); /report and /ack/:token are for people without an account.
  '/incidents', '/incidents/:id', '/report', '/ack/:token',
] as const
export type BoardPage = (typeof BOARD_PAGES)[number]

/** Matches a path against a page pattern ("/hosts/:id"); returns the params or null. A trailing slash is ignored. */
export function matchPage(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/')
  const b = (path.length > 1 ? path.replace(/\/+$/, '') : path).split('/')
  if (a.length !== b.length) return null
  const out: Record<string, string> = {}
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!
    const v = b[i]!
    if (p.startsWith(':')) {
      if (!v) return null
      try {
        out[p.slice(1)] = decodeURIComponent(v)
      } catch {
        return null
      }
    } else if (p !== v) return null
  }
  return out
}

/** The first board page a path belongs to, or null. */
export function boardPageOf(path: string): { page: BoardPage; params: Record<string, string> } | null {
  for (const page of BOARD_PAGES) {
    const params = matchPage(page, path)
    if (params) return { page, params }
  }
  return null
}

/** How the host list can be sorted (GET /api/v1/hosts?sort=…). */
export const HOST_SORTS = ['status', 'hostname', 'lastReportAt', 'os'] as const
export type HostSort = (typeof HOST_SORTS)[number]
export const SORT_ORDERS = ['asc', 'desc'] as const
export type SortOrder = (typeof SORT_ORDERS)[number]

/** A tag on hosts and enrollment tokens (tags choose thresholds): letters, digits, . _ -; at most 50 characters. */
export const TAG_PATTERN = '^[\\w.-]{1,50}$'
/** At most this many tags per host or token. */
export const MAX_TAGS = 20
