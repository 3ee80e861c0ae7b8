// Answers an evidence request of the server: collects each item read-only, uploads it with the agent's own credentials
// and the SHA-256 it computed (the server refuses bytes that arrive changed), then says what could not be collected.
import { createHash } from 'node:crypto'
import type { EvidenceDone, ServerMessage } from '@lagebild/shared'
import { agentToken, call, TransportError, type TlsOptions } from '../transport/http.js'
import { collectEvidence } from './collect.js'

export type EvidenceRequest = Extract<ServerMessage, { type: 'evidence-request' }>

export interface Credentials {
  server: string
  agentId: string
  secret: string
  tls: TlsOptions
}

/** Waits between tries when the server is busy (503/429), at most this often before giving the item up. */
export const BUSY_RETRY_MS = 10_000
export const BUSY_TRIES = 30

/** One upload; a busy server (503/429) is asked again after a pause, so many hosts answering at once take turns. */
async function put(url: string, data: Buffer, headers: Record<string, string>, tls: TlsOptions, pauseMs: number): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await call('PUT', url, data, headers, tls, 10 * 60_000)
      return
    } catch (err) {
      if (!(err instanceof TransportError) || (err.status !== 503 && err.status !== 429) || n >= BUSY_TRIES) throw err
      await new Promise((r) => setTimeout(r, pauseMs))
    }
  }
}

/** Collects and uploads; an item already stored (a request answered again after a reconnect) counts as delivered. */
export async function answerEvidence(req: EvidenceRequest, creds: Credentials, log: (m: string) => void, pauseMs = BUSY_RETRY_MS): Promise<EvidenceDone> {
  const auth = { authorization: `Bearer ${agentToken(creds.agentId, creds.secret)}` }
  const base = `${creds.server.replace(/\/+$/, '')}/api/v1/evidence/${encodeURIComponent(req.requestId)}`
  const results: EvidenceDone['results'] = []
  for await (const c of collectEvidence(req.items, req.hours, req.maxItemBytes)) {
    if (!c.data) {
      log(`evidence ${c.item}: not collected (${c.error})`)
      results.push({ item: c.item, ok: false, error: c.error })
      continue
    }
    const sha256 = createHash('sha256').update(c.data).digest('hex')
    try {
      await put(`${base}/items/${c.item}`, c.data, {
        ...auth, 'content-type': 'application/octet-stream', 'x-lagebild-sha256': sha256, 'x-lagebild-collected-at': c.collectedAt,
        'x-lagebild-truncated': c.truncated ? '1' : '0', 'x-lagebild-source': encodeURIComponent(c.source),
      }, creds.tls, pauseMs)
      log(`evidence ${c.item}: ${c.data.length} bytes uploaded, SHA-256 ${sha256}${c.truncated ? ' (cut at the size limit)' : ''}`)
      results.push({ item: c.item, ok: true, error: null })
    } catch (err) {
      if (err instanceof TransportError && err.status === 409) results.push({ item: c.item, ok: true, error: null })
      else {
        log(`evidence ${c.item}: upload failed: ${(err as Error).message}`)
        results.push({ item: c.item, ok: false, error: `upload failed: ${(err as Error).message}`.slice(0, 2000) })
      }
    }
  }
  const done: EvidenceDone = { results }
  await call('POST', `${base}/done`, done, auth, creds.tls)
  return done
}
