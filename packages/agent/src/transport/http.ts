// Enrollment and the HTTP report path (the fallback of the WebSocket channel).
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { EnrollResponse, HostIdentity, Report, ReportAck } from '@lagebild/shared'

export class TransportError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server is busy and asked to wait this long before sending again (Retry-After, or a slow-down message). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
  /** Worth retrying later (server unreachable or busy), as opposed to a refusal. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500
  }
  /** The server answered but is overloaded: trying another path to the same server now would only add to its load. */
  get busy() {
    return this.status === 429 || this.status === 503
  }
}

/** TLS settings of every connection to the server. */
export interface TlsOptions {
  /** PEM CA certificate(s) to trust instead of the built-in public CAs (a private CA); unset: the usual public CAs. */
  ca?: Buffer | string
}

/** Node's codes for "the chain does not end at a CA we trust". */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
])

/**
 * A readable explanation when a connection failed because of the server's certificate; null for other errors.
 * The connection is never retried without verification, nor over plain HTTP.
 */
export function certificateProblem(err: unknown, origin: string): string | null {
  const code = (err as { code?: unknown })?.code
  const detail = (err as Error)?.message ?? String(err)
  if (typeof code !== 'string') return null
  if (UNTRUSTED.has(code))
    return `${origin}: certificate not trusted — pass --ca FILE (the CA that signed the server certificate) / Zertifikat nicht vertrauenswürdig — --ca DATEI angeben (die CA, die das Serverzertifikat signiert hat) [${detail}]`
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `${origin}: the server certificate is not valid for this host name — use the name or IP address it was issued for / Serverzertifikat gilt nicht für diesen Namen — den Namen oder die IP-Adresse aus dem Zertifikat verwenden [${detail}]`
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return `${origin}: the server certificate is expired or not yet valid / Serverzertifikat abgelaufen oder noch nicht gültig [${detail}]`
  return null
}

const unreachable = (origin: string, err: Error) => new TransportError(certificateProblem(err, origin) ?? `cannot reach ${origin}: ${err.message}`, 0)

/**
 * POST JSON with node:http(s). Not fetch: undici costs the resident agent ~9 MiB and keeps timers alive.
 * `maxBytes` bounds what we read back from the server.
 */
function post<T>(url: string, body: unknown, headers: Record<string, string> = {}, tls: TlsOptions = {}, timeoutMs = 30_000, maxBytes = 1 << 20): Promise<T> {
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
        // Only for https: the CA to trust (verification itself always stays on).
        ...(target.protocol === 'https:' && tls.ca ? { ca: tls.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > maxBytes) req.destroy(new Error('answer too large'))
          else chunks.push(c)
        })
        res.on('error', (err) => reject(unreachable(target.origin, err)))
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
            const retryAfter = Number(res.headers['retry-after'])
            return reject(new TransportError(`${status} ${msg}`.trim(), status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined))
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
    req.on('error', (err) => reject(unreachable(target.origin, err)))
    req.end(payload)
  })
}

export const agentToken = (agentId: string, secret: string) => `${agentId}.${secret}`

export function enroll(server: string, token: string, host: HostIdentity, tls: TlsOptions = {}): Promise<EnrollResponse> {
  return post<EnrollResponse>(new URL('/api/v1/enroll', server).href, { token, host }, {}, tls)
}

export function sendReport(server: string, agentId: string, secret: string, report: Report, tls: TlsOptions = {}): Promise<ReportAck> {
  return post<ReportAck>(new URL('/api/v1/reports', server).href, report, { authorization: `Bearer ${agentToken(agentId, secret)}` }, tls)
}
