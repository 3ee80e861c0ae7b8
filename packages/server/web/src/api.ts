// Talks to the server: same origin, session cookie, X-CSRF-Token on every state change.
import type { HostDetail, HostHistory, HostSummary, InstallInfo, Overview } from '../../src/schemas.js'

export type { HostDetail, HostHistory, HostSummary, InstallInfo, Overview }
export type Status = 'ok' | 'deviation' | 'unknown' | 'not-applicable'
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical'
export interface Me {
  user: { id: string; username: string; role: 'admin' | 'viewer' }
  csrfToken: string
}
export interface MeasureInfo {
  id: string
  phase: string
  judgedBy: string[]
  title: { de: string; en: string }
  summary: { de: string; en: string }
  thresholds: string[]
}
export interface Catalogue {
  measures: MeasureInfo[]
  defaultThresholds: Record<string, number>
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
    throw new ApiError(res.status, err.error ?? 'error', err.message ?? res.statusText)
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

import type { Static } from 'typebox'
import type { AlertDetailSchema, AlertOutSchema, ChannelOutSchema, HostAdminOutSchema, ThresholdsOutSchema } from '../../src/alert-schemas.js'
export type Alert = Static<typeof AlertOutSchema>
export type AlertDetail = Static<typeof AlertDetailSchema>
export type Channel = Static<typeof ChannelOutSchema>
export type ThresholdsOut = Static<typeof ThresholdsOutSchema>
export type HostAdminOut = Static<typeof HostAdminOutSchema>
