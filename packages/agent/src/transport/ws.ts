// The live channel to the server (GET /api/v1/agent): reports go out as frames and count as delivered only on the
// matching ack (sent after COMMIT); commands come in. Reconnects with exponential backoff and jitter, forever.
import WebSocket from 'ws'
import { Compile } from 'typebox/compile'
import { agentRefusalOf, ServerMessageSchema, WS_CLOSE_REFUSED, type Card, type ReportAck, type Report, type ServerMessage } from '@lagebild/shared'
import { agentToken, certificateProblem, refusalText, TransportError, type TlsOptions } from './http.js'

type Command = Extract<ServerMessage, { type: 'command' }>
type EvidenceRequest = Extract<ServerMessage, { type: 'evidence-request' }>
type Watch = Extract<ServerMessage, { type: 'watch' }>

/** The server refuses larger frames (256 KiB); such a report goes over HTTP instead. */
export const WS_MAX_FRAME_BYTES = 256 * 1024
export const ACK_TIMEOUT_MS = 30_000
/** The server pings every 30 s; hearing nothing for this long means the connection is dead even if TCP has not noticed. */
export const SILENCE_MS = 75_000

/** Delay before reconnect attempt n (0-based): exponential up to maxMs, "equal jitter" so agents do not return in lockstep. */
export function backoffDelay(attempt: number, baseMs = 1_000, maxMs = 300_000, random = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(cap / 2 + (random() * cap) / 2)
}

/**
 * When the server goes away (restart: 1001, crash or network: 1006, overload: 1011–1013), every agent notices at the
 * same moment. The first attempt then waits a random time within this window instead of ~1 s, so a fleet of 20,000
 * comes back spread over seconds rather than all in the same one (capped by the backoff's maxMs; tests shorten it).
 */
export const RECONNECT_SPREAD_MS = 15_000
const SERVER_GONE = new Set([1001, 1006, 1011, 1012, 1013])

const checkServerMessage = Compile(ServerMessageSchema)

export interface WsChannelOptions {
  server: string
  agentId: string
  secret: string
  log: (msg: string) => void
  onCommand?: (cmd: Command) => Promise<{ ok: boolean; message?: string }>
  /** The emergency card arrived; once kept, the server is told (card-ack). */
  onCard?: (card: Card) => Promise<void>
  /** The server asks for evidence of an incident (answered over HTTP, see evidence/answer.ts). */
  onEvidenceRequest?: (req: EvidenceRequest) => void
  /** Heightened monitoring after an incident: answered with a command-result, like a command. */
  onWatch?: (w: Watch) => Promise<{ ok: boolean; message?: string }>
  /** Called on every (re)connect, e.g. to replay the spool. */
  onConnect?: () => void
  /** The server is busy: hold back reports for this many seconds (the agent's shipper decides how). */
  onSlowDown?: (seconds: number) => void
  /** Called when a connection closes or could not be opened (`opened` false), before the reconnect is planned. */
  onClose?: (code: number, reason: string, opened: boolean) => void
  backoff?: { baseMs: number; maxMs: number }
  ackTimeoutMs?: number
  /** The CA to trust for wss:// (same as for the HTTP path). */
  tls?: TlsOptions
}

interface Waiting {
  resolve: (ack: ReportAck) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

export class WsChannel {
  private ws: WebSocket | null = null
  private attempt = 0
  private reconnectTimer: NodeJS.Timeout | null = null
  private silenceTimer: NodeJS.Timeout | null = null
  private stopped = true
  private readonly waiting = new Map<string, Waiting>()
  /** Counts connections and stops: events of a socket from an earlier generation (stopped, replaced) are ignored. */
  private generation = 0
  /** Close code and reason of the last connection, for logs and tests. */
  lastClose: { code: number; reason: string } | null = null

  constructor(private readonly opts: WsChannelOptions) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN
  }

  get url(): string {
    const u = new URL('/api/v1/agent', this.opts.server)
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:'
    return u.href
  }

  start() {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  stop() {
    this.stopped = true
    this.generation++
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    if (this.silenceTimer) clearTimeout(this.silenceTimer)
    this.reconnectTimer = this.silenceTimer = null
    this.failWaiting('agent stopping')
    this.ws?.close(1000, 'agent stopping')
    this.ws = null
  }

  /** Sends a report; resolves on its ack. Rejects with a retryable TransportError when the channel cannot carry it. */
  send(report: Report): Promise<ReportAck> {
    const ws = this.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new TransportError('live channel not connected', 0))
    const frame = JSON.stringify({ type: 'report', report })
    if (Buffer.byteLength(frame) > WS_MAX_FRAME_BYTES) return Promise.reject(new TransportError(`report too large for the live channel (${frame.length} bytes)`, 0))
    return new Promise<ReportAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(report.id)
        reject(new TransportError(`no ack for report ${report.id} within ${this.opts.ackTimeoutMs ?? ACK_TIMEOUT_MS} ms`, 0))
      }, this.opts.ackTimeoutMs ?? ACK_TIMEOUT_MS)
      this.waiting.set(report.id, { resolve, reject, timer })
      ws.send(frame, (err) => {
        if (!err) return
        clearTimeout(timer)
        this.waiting.delete(report.id)
        reject(new TransportError(`live channel: ${err.message}`, 0))
      })
    })
  }

  private failWaiting(why: string) {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer)
      w.reject(new TransportError(`live channel closed before the ack of ${id}: ${why}`, 0))
    }
    this.waiting.clear()
  }

  private heard() {
    if (this.silenceTimer) clearTimeout(this.silenceTimer)
    this.silenceTimer = setTimeout(() => {
      this.opts.log(`live channel: nothing heard for ${SILENCE_MS / 1000} s, reconnecting`)
      this.ws?.terminate()
    }, SILENCE_MS)
  }

  private connect() {
    if (this.stopped) return
    const ws = new WebSocket(this.url, {
      headers: { authorization: `Bearer ${agentToken(this.opts.agentId, this.opts.secret)}` },
      handshakeTimeout: 10_000,
      maxPayload: 1024 * 1024,
      ...(this.opts.tls?.ca ? { ca: this.opts.tls.ca } : {}),
    })
    this.ws = ws
    const gen = ++this.generation
    let opened = false
    ws.on('open', () => {
      if (gen !== this.generation) return void ws.close(1000, 'agent stopping')
      opened = true
      this.attempt = 0
      this.heard()
      this.opts.log(`live channel connected to ${this.url}`)
      this.opts.onConnect?.()
    })
    ws.on('ping', () => gen === this.generation && this.heard())
    ws.on('message', (data: WebSocket.RawData) => {
      if (gen !== this.generation) return
      this.heard()
      this.onMessage(ws, data)
    })
    // 'error' is always followed by 'close'; reconnecting happens there. A certificate problem is said once per outage.
    ws.on('error', (err: Error) => {
      const problem = certificateProblem(err, new URL(this.url).origin)
      if (problem && this.attempt === 0) this.opts.log(`live channel: ${problem}`)
    })
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.ws === ws) this.ws = null
      // A connection given up before (stop, then start again): its late close must not touch the current one — neither
      // its waiting reports nor the reconnect plan.
      if (gen !== this.generation) return
      if (this.silenceTimer) clearTimeout(this.silenceTimer)
      this.lastClose = { code, reason: reason.toString('utf8') }
      this.failWaiting(`${code} ${reason.toString('utf8')}`.trim())
      this.opts.onClose?.(code, reason.toString('utf8'), opened)
      if (this.stopped) return
      // Replaced by a newer connection with the same credentials (4000), or refused (1008, 4401 credentials refused):
      // reconnecting at once would only fight the other process or hammer the server. Wait the longest backoff, say why.
      if (code === 4000 || code === 1008 || code === WS_CLOSE_REFUSED) {
        this.attempt = Math.max(this.attempt, 30)
        if (code === 4000)
          this.opts.log('live channel: another agent with the same credentials took over (agent running twice, or a cloned disk?)')
        const refusal = code === WS_CLOSE_REFUSED ? refusalText(agentRefusalOf(reason.toString('utf8')) ?? undefined) : null
        if (refusal) this.opts.log(`live channel refused: ${refusal}`)
      }
      const spread = Math.min(RECONNECT_SPREAD_MS, this.opts.backoff?.maxMs ?? RECONNECT_SPREAD_MS)
      const delay =
        opened && SERVER_GONE.has(code) ? Math.round(spread * Math.random()) : backoffDelay(this.attempt++, this.opts.backoff?.baseMs, this.opts.backoff?.maxMs)
      if (opened || code !== 1006 || this.attempt === 1)
        this.opts.log(`live channel closed (${code}${reason.length ? ` ${reason.toString('utf8')}` : ''}); reconnecting in ${Math.round(delay / 100) / 10} s`)
      this.reconnectTimer = setTimeout(() => this.connect(), delay)
    })
  }

  private onMessage(ws: WebSocket, data: WebSocket.RawData) {
    let msg: unknown
    try {
      msg = JSON.parse(data.toString())
    } catch {
      return this.opts.log('live channel: a frame from the server was not JSON; ignored')
    }
    if (!checkServerMessage.Check(msg)) return this.opts.log('live channel: unknown frame from the server; ignored')
    if (msg.type === 'ack' || msg.type === 'error') {
      const w = msg.reportId ? this.waiting.get(msg.reportId) : undefined
      if (!w) return
      clearTimeout(w.timer)
      this.waiting.delete(msg.reportId!)
      if (msg.type === 'ack') w.resolve({ reportId: msg.reportId, duplicate: msg.duplicate })
      else w.reject(new TransportError(msg.message, msg.status ?? 500))
      return
    }
    if (msg.type === 'slow-down') {
      this.opts.log(`live channel: the server is busy and asks to hold reports back for ${msg.seconds} s`)
      this.opts.onSlowDown?.(msg.seconds)
      return
    }
    if (msg.type === 'card') {
      const card = msg.card
      this.opts.onCard?.(card).then(
        () => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'card-ack', version: card.version })),
        (err: Error) => this.opts.log(`emergency card not kept: ${err.message}`),
      )
      return
    }
    if (msg.type === 'evidence-request') {
      this.opts.onEvidenceRequest?.(msg)
      return
    }
    const cmd = msg
    const answer = (ok: boolean, message?: string) =>
      ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'command-result', commandId: cmd.commandId, ok, ...(message ? { message: message.slice(0, 2000) } : {}) }))
    const handler = cmd.type === 'watch' ? this.opts.onWatch?.(cmd) : this.opts.onCommand?.(cmd)
    if (!handler) return void answer(false, 'commands not supported by this agent')
    handler.then(
      (r) => answer(r.ok, r.message),
      (err: Error) => answer(false, err.message),
    )
  }
}
