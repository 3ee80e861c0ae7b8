// Talks to the server: same origin, session cookie, X-CSRF-Token on every state change. The shapes of what it sends and
// receives are the API's own route schemas (types only: nothing of the server's code is bundled).
import type { Catalogue, MeasureLight, Overview } from '../../src/schemas/board.js'
import type { HostAdminOut, HostDetail, HostHistory, HostList, HostSummary, CommandOut } from '../../src/schemas/hosts.js'
import type { AlertDetail, AlertList, AlertOut } from '../../src/schemas/alerts.js'
import type { ChannelOut, ChannelTypeOut, ConfigField, ConfigSchema, TestResult } from '../../src/schemas/channels.js'
import type { ThresholdsOut } from '../../src/schemas/thresholds.js'
import type { Me } from '../../src/schemas/people.js'
import type { EnrollTokenOut, InstallInfo } from '../../src/schemas/enrollment.js'

export type { Catalogue, MeasureLight, Overview, HostAdminOut, HostDetail, HostHistory, HostList, HostSummary, CommandOut, AlertDetail, AlertList }
export type { ChannelTypeOut, ConfigField, ConfigSchema, TestResult, ThresholdsOut, Me, EnrollTokenOut, InstallInfo }
export type Alert = AlertOut
export type Channel = ChannelOut

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds the server asks to wait (Retry-After of a 429 or 503); null: it did not say. */
    readonly retryAfter: number | null = null,
  ) {
    super(message)
  }
}

let csrf = ''
let onUnauthorized: () => void = () => {}
export const setCsrf = (token: string) => {
  csrf = token
}
export const setUnauthorizedHandler = (fn: () => void) => {
  onUnauthorized = fn
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; quiet401?: boolean } = {}): Promise<T> {
  const method = init.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrf
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  if (res.status === 204) return undefined as T
  const data: unknown = await res.json().catch(() => null)
  if (!res.ok) {
    const err = (data ?? {}) as { error?: string; message?: string }
    if (res.status === 401 && !init.quiet401) onUnauthorized()
    const wait = Number(res.headers.get('retry-after') ?? '')
    throw new ApiError(res.status, err.error ?? 'error', err.message ?? res.statusText, Number.isFinite(wait) && wait > 0 ? wait : null)
  }
  return data as T
}

/** Builds a query string from the set values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}

let catalogue: Promise<Catalogue> | null = null
/** The measure catalogue, fetched once per page load. */
export function getCatalogue(): Promise<Catalogue> {
  catalogue ??= api<Catalogue>('/measures').catch((e: unknown) => {
    catalogue = null
    throw e
  })
  return catalogue
}
