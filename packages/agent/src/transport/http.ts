// Enrollment and the HTTP report path (the fallback of the WebSocket channel).
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
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

/**
 * POST JSON with node:http(s). Not fetch: undici costs the resident agent ~9 MiB and keeps timers alive.
 * `maxBytes` bounds what we read back from the server.
 */
function post<T>(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000, maxBytes = 1 << 20): Promise<T> {
  const target = new URL(url)
  const payload = Buffer.from(JSON.stringify(body))
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<T>((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > maxBytes) req.destroy(new Error('answer too large'))
          else chunks.push(c)
        })
        res.on('error', (err) => reject(new TransportError(`cannot reach ${target.origin}: ${err.message}`, 0)))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const status = res.statusCode ?? 0
          if (status < 200 || status > 299) {
            let msg = text
            try {
              msg = (JSON.parse(text) as { message?: string }).message ?? text
            } catch {
              /* not JSON */
            }
            return reject(new TransportError(`${status} ${msg}`.trim(), status))
          }
          try {
            resolve(JSON.parse(text) as T)
          } catch {
            reject(new TransportError(`${status}: the answer is not JSON`, 502))
          }
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (err) => reject(new TransportError(`cannot reach ${target.origin}: ${err.message}`, 0)))
    req.end(payload)
  })
}

export const agentToken = (agentId: string, secret: string) => `${agentId}.${secret}`

export function enroll(server: string, token: string, host: HostIdentity): Promise<EnrollResponse> {
  return post<EnrollResponse>(new URL('/api/v1/enroll', server).href, { token, host })
}

export function sendReport(server: string, agentId: string, secret: string, report: Report): Promise<ReportAck> {
  return post<ReportAck>(new URL('/api/v1/reports', server).href, report, { authorization: `Bearer ${agentToken(agentId, secret)}` })
}
