// The live agent channel (GET /api/v1/agent): reports in, acks after COMMIT, commands out.
// Every frame is checked against the compiled shared schema; anything else closes the connection with a reason, nothing stored.
import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { WebSocket } from '@fastify/websocket'
import { Compile } from 'typebox/compile'
import { AGENT_REFUSAL_TEXT, AgentMessageSchema, WS_CLOSE_REFUSED, type AgentCommand, type AgentMessage, type AgentRefusal, type Report, type ServerMessage } from '@lagebild/shared'
import { DomainError } from '../errors.js'
import { BACKLOG_HIGH } from './ingest.js'
import { overBudgetMessage } from './agent-budget.js'
import type { AgentIdentity } from './auth.js'

declare module 'fastify' {
  interface FastifyInstance {
    agentChannel: ReturnType<typeof createAgentChannel>
  }
}

/** Per-route frame limit: a report is far smaller; the WebSocket server's own hard limit (1 MiB) stays behind it. */
export const MAX_FRAME_BYTES = 256 * 1024
/** Ping interval; a connection that misses a whole interval is dropped. */
export const PING_MS = 30_000
/**
 * A second connection of a host takes over only once it has shown it is alive (a pong or a frame): in a reconnect storm
 * the server may process a handshake the agent has long given up on, and that must never displace the live connection.
 * A newcomer that shows nothing within this time is dropped.
 */
export const TAKEOVER_MS = 30_000

export const CLOSE = { policy: 1008, tooBig: 1009, replaced: 4000, shutdown: 1001, refused: WS_CLOSE_REFUSED } as const
const KNOWN_TYPES = new Set(['report', 'command-result', 'card-ack'])
const check = Compile(AgentMessageSchema)

function bearer(req: FastifyRequest): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  return m ? m[1]! : null
}

/** Why a frame is refused: the connection is closed with this code and reason; nothing of it is stored. */
class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message.slice(0, 120))
  }
}

/** Parses and checks one text frame against the shared schema. */
function parseFrame(data: Buffer): AgentMessage {
  let msg: unknown
  try {
    msg = JSON.parse(data.toString('utf8'))
  } catch {
    throw new Refusal(CLOSE.policy, 'frame is not valid JSON')
  }
  const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) throw new Refusal(CLOSE.policy, `unknown message type: ${String(type).slice(0, 40)}`)
  if (!check.Check(msg)) {
    const first = [...check.Errors(msg)].find((e) => e.instancePath) ?? [...check.Errors(msg)][0]
    throw new Refusal(CLOSE.policy, `invalid ${type}: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim())
  }
  return msg
}

/**
 * How the agent's own report frames begin. Such a frame is parsed and checked when its turn in a batch comes, not when it
 * is read: thousands of agents sending at once then cost the event loop a queue entry each, and people's requests are
 * read in between. Any other frame is parsed at once.
 */
const REPORT_PREFIX = Buffer.from('{"type":"report"')

export function createAgentChannel(fastify: FastifyInstance) {
  const byHost = new Map<string, WebSocket>()
  const log = fastify.log
  /** Connections not read while the ingest backlog is high (back-pressure through TCP); resumed when it drains. */
  const paused = new Set<WebSocket>()
  // Capabilities beside reports (the emergency card, incidents) hook in here instead of growing this file.
  const connectHooks: ((hostId: string) => void)[] = []
  const cardAckHooks: ((hostId: string, version: string) => void)[] = []
  const commandResultHooks: ((hostId: string, commandId: string, ok: boolean, message: string | undefined) => void)[] = []

  const send = (ws: WebSocket, m: ServerMessage) => ws.send(JSON.stringify(m))

  function refuse(ws: WebSocket, code: number, reason: string) {
    // A close reason is limited to 123 bytes.
    ws.close(code, Buffer.from(reason).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, ''))
  }

  /** Credentials refused: the shared code first, so the agent can say why ("agent-replaced: …"). */
  const refuseAgent = (ws: WebSocket, refusal: AgentRefusal) => refuse(ws, CLOSE.refused, `${refusal}: ${AGENT_REFUSAL_TEXT[refusal].en}`)
  const agentOf = new WeakMap<WebSocket, AgentIdentity>()

  /**
   * A revocation made by another process (the CLI) cannot reach our sockets: each ping interval looks the agent up again
   * (one key lookup) and ends the connection of one that may no longer report. Reports are refused at ingest anyway.
   */
  function stillAllowed(ws: WebSocket, agent: AgentIdentity): boolean {
    const refusal = fastify.auth.agentRefusal(agent.id)
    if (refusal) refuseAgent(ws, refusal)
    return !refusal
  }

  /** Admission control for agents: with a long backlog, stop reading this connection and ask the agent to wait. */
  function admit(ws: WebSocket) {
    if (fastify.ingest.backlog() <= BACKLOG_HIGH || paused.has(ws)) return
    paused.add(ws)
    ws.pause()
    send(ws, { type: 'slow-down', seconds: fastify.ingest.holdSeconds() })
  }
  fastify.ingest.onDrained(() => {
    for (const ws of paused) ws.resume()
    paused.clear()
  })

  function onFrame(ws: WebSocket, agent: AgentIdentity, data: Buffer, isBinary: boolean) {
    if (isBinary) return refuse(ws, CLOSE.policy, 'binary frames are not accepted; send JSON text')
    if (data.length > MAX_FRAME_BYTES) return refuse(ws, CLOSE.tooBig, `frame too large: ${data.length} bytes, at most ${MAX_FRAME_BYTES}`)
    let reportId: string | undefined
    let report: Report | (() => Report)
    if (data.subarray(0, REPORT_PREFIX.length).equals(REPORT_PREFIX)) {
      report = () => {
        const msg = parseFrame(data)
        if (msg.type !== 'report') throw new Refusal(CLOSE.policy, 'frame is not a report')
        reportId = msg.report.id
        return msg.report
      }
    } else {
      let msg: AgentMessage
      try {
        msg = parseFrame(data)
      } catch (err) {
        return refuse(ws, (err as Refusal).code, (err as Refusal).message)
      }
      if (msg.type === 'command-result') {
        log.info({ hostId: agent.hostId, commandId: msg.commandId, ok: msg.ok, message: msg.message }, 'agent command result')
        for (const h of commandResultHooks) h(agent.hostId, msg.commandId, msg.ok, msg.message)
        return
      }
      if (msg.type === 'card-ack') {
        for (const h of cardAckHooks) h(agent.hostId, msg.version)
        return
      }
      report = msg.report
      reportId = msg.report.id
    }
    // The agent's budget (plugins/agent-budget.ts): over it, the report is not stored and the agent is told to send it
    // again later (503); it stays in its spool. The id is read for the answer only then (a refusal is rare).
    const budget = fastify.agentBudget.admit(agent, data.length)
    if (!budget.ok) {
      let id = reportId
      if (!id)
        try {
          id = (typeof report === 'function' ? report() : report).id
        } catch (err) {
          return err instanceof Refusal ? refuse(ws, err.code, err.message) : undefined
        }
      return send(ws, { type: 'error', reportId: id, status: 503, message: overBudgetMessage(budget) })
    }
    // The ingest answers after the COMMIT that holds the report: the ack can never run ahead of the data.
    fastify.ingest.submit(agent, report).then(
      (r) => send(ws, { type: 'ack', reportId: reportId!, duplicate: r.duplicate }),
      (err: unknown) => {
        if (err instanceof Refusal) return refuse(ws, err.code, err.message)
        // Revoked or retired while connected: the report is not stored and the connection ends now.
        if (err instanceof DomainError && err.kind === 'unauthenticated') return refuseAgent(ws, err.code as AgentRefusal)
        const status = err instanceof DomainError ? err.statusCode : 500
        if (status >= 500) log.error({ err, hostId: agent.hostId }, 'storing a report from the agent channel failed')
        send(ws, { type: 'error', reportId, status, message: status >= 500 ? 'internal server error' : (err as Error).message })
      },
    )
    admit(ws)
  }

  return {
    /** Hosts with a live connection right now. */
    connected: () => [...byHost.keys()],
    isConnected: (hostId: string) => byHost.has(hostId),
    /** Sends a command to a connected agent; false when the agent is not connected. */
    command(hostId: string, command: AgentCommand, intervalMinutes?: number): { sent: boolean; commandId: string } {
      const commandId = randomUUID()
      const ws = byHost.get(hostId)
      if (!ws) return { sent: false, commandId }
      send(ws, { type: 'command', commandId, command, ...(intervalMinutes !== undefined ? { intervalMinutes } : {}) })
      return { sent: true, commandId }
    },
    /** Asks a connected agent to hold back its reports for a while; false when it is not connected. */
    slowDown(hostId: string, seconds: number): boolean {
      const ws = byHost.get(hostId)
      if (!ws) return false
      send(ws, { type: 'slow-down', seconds })
      return true
    },
    /** Checks every open connection now, as each ping does (tests; after a revocation made elsewhere). */
    recheck() {
      for (const ws of byHost.values()) stillAllowed(ws, agentOf.get(ws)!)
    },
    /** Closes the live connections of these agents at once (revoked, replaced, host retired), saying why. */
    refuseAgents(agentIds: readonly string[], refusal: AgentRefusal) {
      const ids = new Set(agentIds)
      for (const ws of byHost.values()) if (ids.has(agentOf.get(ws)?.id ?? '')) refuseAgent(ws, refusal)
    },
    /** Sends a frame to one connected agent; false when it is not connected. */
    sendTo(hostId: string, m: ServerMessage): boolean {
      const ws = byHost.get(hostId)
      if (!ws) return false
      send(ws, m)
      return true
    },
    /** Sends a frame to every connected agent; returns how many. */
    broadcast(m: ServerMessage): number {
      const frame = JSON.stringify(m)
      for (const ws of byHost.values()) ws.send(frame)
      return byHost.size
    },
    /** Called for every new connection, once it is registered (e.g. to send the current card). */
    onConnect(fn: (hostId: string) => void) {
      connectHooks.push(fn)
    },
    onCardAck(fn: (hostId: string, version: string) => void) {
      cardAckHooks.push(fn)
    },
    /** Called for every command-result frame (e.g. heightened monitoring confirmed). */
    onCommandResult(fn: (hostId: string, commandId: string, ok: boolean, message: string | undefined) => void) {
      commandResultHooks.push(fn)
    },
    accept(ws: WebSocket, req: FastifyRequest) {
      const checked = fastify.auth.checkAgent(bearer(req))
      if (checked.refusal) return refuseAgent(ws, checked.refusal)
      const agent = checked.agent
      agentOf.set(ws, agent)
      // One connection per host: a reconnecting agent replaces its half-dead predecessor, once it has shown it is alive.
      let takeover: NodeJS.Timeout | null = null
      const register = () => {
        if (byHost.get(agent.hostId) === ws || ws.readyState !== ws.OPEN) return
        if (takeover) clearTimeout(takeover)
        byHost.get(agent.hostId)?.close(CLOSE.replaced, 'replaced by a newer connection')
        byHost.set(agent.hostId, ws)
        for (const h of connectHooks) {
          try {
            h(agent.hostId)
          } catch (err) {
            log.error({ err, hostId: agent.hostId }, 'agent connect hook failed')
          }
        }
      }
      if (!byHost.has(agent.hostId)) register()
      else {
        ws.ping()
        takeover = setTimeout(() => ws.terminate(), TAKEOVER_MS)
        takeover.unref()
      }
      let alive = true
      const ping = setInterval(() => {
        if (!alive) return ws.terminate()
        if (!stillAllowed(ws, agent)) return
        alive = false
        ws.ping()
      }, PING_MS)
      ping.unref()
      ws.on('pong', () => {
        alive = true
        register()
      })
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        register()
        onFrame(ws, agent, data, isBinary)
      })
      ws.on('close', () => {
        paused.delete(ws)
        clearInterval(ping)
        if (takeover) clearTimeout(takeover)
        if (byHost.get(agent.hostId) === ws) byHost.delete(agent.hostId)
      })
      ws.on('error', (err) => log.warn({ err: err.message, hostId: agent.hostId }, 'agent connection error'))
      // debug, not info: 20,000 agents reconnecting after a restart would write 40,000 lines (the board shows who is connected).
      log.debug({ hostId: agent.hostId, agentId: agent.id }, 'agent connected')
    },
    closeAll() {
      for (const ws of byHost.values()) ws.close(CLOSE.shutdown, 'server shutting down')
      byHost.clear()
    },
  }
}

export default fp(
  async (fastify) => {
    const ch = createAgentChannel(fastify)
    fastify.decorate('agentChannel', ch)
    // Tell agents we are going, so they reconnect (with backoff) instead of waiting for a ping timeout.
    fastify.addHook('preClose', async () => ch.closeAll())
  },
  { name: 'agent-channel', dependencies: ['auth', 'ingest'] },
)
