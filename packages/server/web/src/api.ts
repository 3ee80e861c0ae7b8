// Talks to the server: same origin, session cookie, X-CSRF-Token on every state change. The shapes of what it sends and
// receives are the API's own route schemas (types only: nothing of the server's code is bundled).
import type { Catalogue, MeasureLight, Overview } from '../../src/schemas/board.js'
import type { AgentList, HostAdminOut, HostDetail, HostHistory, HostList, HostSummary, CommandOut, LifecycleOut } from '../../src/schemas/hosts.js'
import type { AlertDetail, AlertList, AlertOut } from '../../src/schemas/alerts.js'
import type { ChannelOut, ChannelTypeOut, ConfigField, ConfigSchema, TestResult } from '../../src/schemas/channels.js'
import type { ThresholdsOut } from '../../src/schemas/thresholds.js'
import type { ApiKeyCreated, ApiKeyList, Me, PasswordOut, User, UserCreated, UserList } from '../../src/schemas/people.js'
import type { EnrollRequestList, EnrollRequestOut, EnrollTokenList, EnrollTokenOut, InstallInfo } from '../../src/schemas/enrollment.js'
import type { AuditList, AuditCheck } from '../../src/schemas/audit.js'
import type { PlanInfo, ReadinessView } from '../../src/schemas/readiness.js'
import type { ComplianceHistory, Draft, IncidentDetail, IncidentSummary, UserReportOut } from '../../src/schemas/incidents.js'

export type { Catalogue, MeasureLight, Overview, HostAdminOut, HostDetail, HostHistory, HostList, HostSummary, CommandOut, AlertDetail, AlertList }
export type { ChannelTypeOut, ConfigField, ConfigSchema, TestResult, ThresholdsOut, Me, EnrollTokenOut, InstallInfo }
export type { AgentList, LifecycleOut, ApiKeyCreated, ApiKeyList, PasswordOut, User, UserCreated, UserList, EnrollTokenList, AuditList, AuditCheck }
export type { PlanInfo, ReadinessView, EnrollRequestList, EnrollRequestOut }
export type { ComplianceHistory, Draft, IncidentDetail, IncidentSummary, UserReportOut }
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

/** The error of a refused request: the server's message, or its reason in the board's language when it gives one. */
function refusal(res: Response, data: unknown, quiet401?: boolean): ApiError {
  const err = (data ?? {}) as { error?: string; message?: string; text?: { de: string; en: string } }
  if (res.status === 401 && !quiet401) onUnauthorized()
  const text = err.text ? err.text[document.documentElement.lang === 'de' ? 'de' : 'en'] : null
  const wait = Number(res.headers.get('retry-after') ?? '')
  return new ApiError(res.status, err.error ?? 'error', text ?? err.message ?? res.statusText, Number.isFinite(wait) && wait > 0 ? wait : null)
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
  if (!res.ok) throw refusal(res, data, init.quiet401)
  return data as T
}

/** PUT a file as the raw body (the server decides its type from the content). */
export async function upload<T>(path: string, file: Blob): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'PUT',
    headers: { accept: 'application/json', 'content-type': 'application/octet-stream', 'x-csrf-token': csrf },
    credentials: 'same-origin',
    body: file,
  })
  const data: unknown = await res.json().catch(() => null)
  if (!res.ok) throw refusal(res, data)
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
