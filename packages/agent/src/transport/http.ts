// Enrollment and the HTTP report path (the fallback of the WebSocket channel).
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import {
  AGENT_REFUSAL_TEXT, agentRefusalOf, bilingual, ENROLL_REFUSAL_TEXT, ENROLL_REFUSALS, type EnrollRefusal, type EnrollResponse, type HostIdentity,
  type Report, type ReportAck,
} from '@lagebild/shared'

export class TransportError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's error code (`error` of the body), e.g. agent-replaced. */
    readonly code?: string,
    /** The server is busy and asked to wait this long before sending again (Retry-After, or a slow-down message). */
    readonly retryAfterSeconds?: number,
    /** The whole error body as the server sent it (e.g. the `approval` of a 409 machine-enrolled). */
    readonly body?: unknown,
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
 * One request with node:http(s). Not fetch: undici costs the resident agent ~9 MiB and keeps timers alive.
 * `maxBytes` bounds what we read back from the server. A Buffer body goes as it is (set its content-type in `headers`).
 */
export function call<T>(method: 'GET' | 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}, tls: TlsOptions = {}, timeoutMs = 30_000, maxBytes = 1 << 20): Promise<T> {
  const target = new URL(url)
  const payload = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body))
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<T>((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers } : headers,
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
            let body: { message?: string; error?: string } = {}
            try {
              body = JSON.parse(text) as typeof body
            } catch {
              /* not JSON */
            }
            const retryAfter = Number(res.headers['retry-after'])
            return reject(new TransportError(`${status} ${refusalText(body.error) ?? body.message ?? text}`.trim(), status, body.error, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined, body))
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
    req.end(payload ?? undefined)
  })
}

const post = <T>(url: string, body: unknown, headers: Record<string, string> = {}, tls: TlsOptions = {}) => call<T>('POST', url, body, headers, tls)

/** GET JSON from the server, with the agent's credentials when given. */
export function getJson<T>(server: string, path: string, tls: TlsOptions = {}, auth?: { agentId: string; secret: string }, timeoutMs = 15_000): Promise<T> {
  return call<T>('GET', new URL(path, server).href, undefined, auth ? { authorization: `Bearer ${agentToken(auth.agentId, auth.secret)}` } : {}, tls, timeoutMs)
}

/** Streams a file from the server to `file`; resolves with its SHA-256 (hex). At most `maxBytes`. */
export function download(server: string, path: string, file: string, tls: TlsOptions = {}, maxBytes = 512 << 20, timeoutMs = 10 * 60_000): Promise<string> {
  const target = new URL(path, server)
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<string>((resolve, reject) => {
    const req = request(target, { timeout: timeoutMs, ...(target.protocol === 'https:' && tls.ca ? { ca: tls.ca } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        return reject(new TransportError(`${res.statusCode} for ${target.pathname}`, res.statusCode ?? 0))
      }
      const hash = createHash('sha256')
      const out = createWriteStream(file, { mode: 0o600 })
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > maxBytes) req.destroy(new Error(`download larger than ${maxBytes} bytes`))
        hash.update(c)
      })
      pipeline(res, out).then(() => resolve(hash.digest('hex')), (err: Error) => reject(unreachable(target.origin, err)))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (err) => reject(unreachable(target.origin, err)))
    req.end()
  })
}

/** A refusal the server named with a shared code, in plain words (English / German); null for other errors. */
export function refusalText(code: string | undefined): string | null {
  const agent = agentRefusalOf(code)
  if (agent) return `${agent}: ${bilingual(AGENT_REFUSAL_TEXT[agent])}`
  if ((ENROLL_REFUSALS as readonly string[]).includes(code ?? '')) return `${code}: ${bilingual(ENROLL_REFUSAL_TEXT[code as EnrollRefusal])}`
  return null
}

export const agentToken = (agentId: string, secret: string) => `${agentId}.${secret}`

/** `approvalKey`: when this PC is enrolled already, ask an admin on the board (see enroll-wait.ts); without it, refused at once. */
export function enroll(server: string, token: string, host: HostIdentity, tls: TlsOptions = {}, approvalKey?: string): Promise<EnrollResponse> {
  return post<EnrollResponse>(new URL('/api/v1/enroll', server).href, { token, host, ...(approvalKey ? { approvalKey } : {}) }, {}, tls)
}

export function sendReport(server: string, agentId: string, secret: string, report: Report, tls: TlsOptions = {}): Promise<ReportAck> {
  return post<ReportAck>(new URL('/api/v1/reports', server).href, report, { authorization: `Bearer ${agentToken(agentId, secret)}` }, tls)
}
