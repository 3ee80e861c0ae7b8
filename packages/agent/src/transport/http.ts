// Enrollment and the HTTP report path (the fallback of the WebSocket channel).
import type { EnrollResponse, HostIdentity, Report, ReportAck } from '@lagebild/shared'

export class TransportError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message)
  }
  /** Worth retrying later (server unreachable or busy), as opposed to a refusal. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500
  }
}

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    throw new TransportError(`cannot reach ${new URL(url).origin}: ${(err as Error).message}`, 0)
  }
  const text = await res.text()
  if (!res.ok) {
    let msg = text
    try {
      msg = (JSON.parse(text) as { message?: string }).message ?? text
    } catch {
      /* not JSON */
    }
    throw new TransportError(`${res.status} ${msg}`.trim(), res.status)
  }
  return JSON.parse(text) as T
}

export const agentToken = (agentId: string, secret: string) => `${agentId}.${secret}`

export function enroll(server: string, token: string, host: HostIdentity): Promise<EnrollResponse> {
  return post<EnrollResponse>(new URL('/api/v1/enroll', server).href, { token, host })
}

export function sendReport(server: string, agentId: string, secret: string, report: Report): Promise<ReportAck> {
  return post<ReportAck>(new URL('/api/v1/reports', server).href, report, { authorization: `Bearer ${agentToken(agentId, secret)}` })
}
