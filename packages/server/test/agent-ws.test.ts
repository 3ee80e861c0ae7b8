// The agents' WebSocket against the real server listening on 127.0.0.1 (port from the OS).
import { connect as tcpConnect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import WebSocket from 'ws'
import { facts, reports } from '../src/db/schema.js'
import { agentSocket, firewallOff, harness, report, type Harness } from './helper.js'
import { BACKLOG_HIGH } from '../src/plugins/ingest.js'
import { SLOW_DOWN_SECONDS } from '../src/plugins/agent-channel.js'

let h: Harness
beforeEach(async () => {
  h = await harness({ listen: true })
})
afterEach(async () => h.close())

const wsUrl = () => `${h.url.replace('http', 'ws')}/api/v1/agent`
const stored = () => h.db.select({ n: count() }).from(reports).get()!.n

const connect = (headers: Record<string, string> = {}) => agentSocket(wsUrl(), headers)

describe('GET /api/v1/agent (WebSocket)', () => {
  it('a report is acked only after it is committed; the same id again is a duplicate', async () => {
    const a = h.enroll()
    const c = connect({ authorization: a.bearer })
    await c.opened
    const r = report(a.identity, firewallOff)
    c.ws.send(JSON.stringify({ type: 'report', report: r }))
    const ack = await c.next()
    expect(ack).toEqual({ type: 'ack', reportId: r.id, duplicate: false })
    // The ack arrived: the report and its alert are in the database.
    expect(stored()).toBe(1)
    expect((await h.api<{ total: number }>('GET', '/api/v1/alerts?state=open')).body.total).toBe(1)
    c.ws.send(JSON.stringify({ type: 'report', report: r }))
    expect(await c.next()).toEqual({ type: 'ack', reportId: r.id, duplicate: true })
    expect(stored()).toBe(1)
    c.ws.close()
  })

  it('a report for another machine is refused with an error frame (4xx), nothing stored, the connection stays', async () => {
    const a = h.enroll()
    const b = h.enroll()
    const c = connect({ authorization: a.bearer })
    await c.opened
    const r = report(b.identity, firewallOff)
    c.ws.send(JSON.stringify({ type: 'report', report: r }))
    expect(await c.next()).toMatchObject({ type: 'error', reportId: r.id, status: 409 })
    expect(stored()).toBe(0)
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    c.ws.close()
  })

  const refusals: [string, (a: ReturnType<Harness['enroll']>) => string | Buffer, number, RegExp][] = [
    ['not JSON', () => '{"type":"report",', 1008, /not valid JSON/],
    ['an unknown type', () => JSON.stringify({ type: 'shell', cmd: 'rm -rf /' }), 1008, /unknown message type: shell/],
    ['no type at all', () => JSON.stringify({ report: {} }), 1008, /unknown message type/],
    ['an invalid report', (a) => JSON.stringify({ type: 'report', report: { ...report(a.identity, firewallOff), v: 2 } }), 1008, /invalid report: \/report\/v/],
    ['an extra property', (a) => JSON.stringify({ type: 'report', report: report(a.identity, firewallOff), extra: 1 }), 1008, /invalid report/],
    ['an oversized frame (> 256 KiB)', (a) => JSON.stringify({ type: 'report', report: report(a.identity, firewallOff), pad: 'x'.repeat(300 * 1024) }), 1009, /frame too large/],
    ['a frame over the hard limit (> 1 MiB)', () => 'x'.repeat(1024 * 1024 + 10), 1009, /.*/],
    ['a binary frame', () => Buffer.from([1, 2, 3]), 1008, /binary frames/],
  ]
  for (const [what, frame, code, reason] of refusals)
    it(`${what}: closed with ${code} and a reason, nothing stored`, async () => {
      const a = h.enroll()
      const c = connect({ authorization: a.bearer })
      await c.opened
      c.ws.send(frame(a))
      const closed = await c.closed
      expect(closed.code).toBe(code)
      expect(closed.reason).toMatch(reason)
      expect(stored()).toBe(0)
      expect(h.db.select({ n: count() }).from(facts).get()!.n).toBe(0)
    })

  for (const [what, headers] of [
    ['no credentials', {}],
    ['a wrong secret', { authorization: 'Bearer 00000000-0000-0000-0000-000000000000.wrong' }],
    ['an API key instead of agent credentials', { authorization: 'Bearer lbk_x' }],
  ] as const)
    it(`${what}: closed with 4401 bad-credentials before any frame is read, nothing stored`, async () => {
      const a = h.enroll()
      const c = connect({ ...headers })
      await c.opened.catch(() => undefined)
      // Whatever it sends is never looked at.
      if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify({ type: 'report', report: report(a.identity, firewallOff) }))
      const closed = await c.closed
      expect(closed.code).toBe(4401)
      // Neither an unknown id nor a wrong secret learns more than this.
      expect(closed.reason).toMatch(/^bad-credentials: /)
      expect(stored()).toBe(0)
    })

  it('commands reach the connected agent; a not connected one is reported as such', async () => {
    const a = h.enroll()
    const offline = await h.api<{ sent: boolean }>('POST', `/api/v1/hosts/${a.hostId}/commands`, { command: 'collect-now' })
    expect(offline.body.sent).toBe(false)
    const c = connect({ authorization: a.bearer })
    await c.opened
    const res = await h.api<{ sent: boolean; commandId: string }>('POST', `/api/v1/hosts/${a.hostId}/commands`, { command: 'set-interval', intervalMinutes: 5 })
    expect(res.body.sent).toBe(true)
    expect(await c.next()).toEqual({ type: 'command', commandId: res.body.commandId, command: 'set-interval', intervalMinutes: 5 })
    expect((await h.api('POST', `/api/v1/hosts/${a.hostId}/commands`, { command: 'set-interval' })).status).toBe(400)
    // The agent answers; the server accepts the answer and keeps the connection: frames are read in order, so the ack
    // of a report sent right after it proves the answer was read and did not end the channel.
    c.ws.send(JSON.stringify({ type: 'command-result', commandId: res.body.commandId, ok: true }))
    const r = report(a.identity, firewallOff)
    c.ws.send(JSON.stringify({ type: 'report', report: r }))
    expect(await c.next()).toEqual({ type: 'ack', reportId: r.id, duplicate: false })
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    c.ws.close()
  })

  it('a second connection of the same agent replaces the first', async () => {
    const a = h.enroll()
    const one = connect({ authorization: a.bearer })
    await one.opened
    const two = connect({ authorization: a.bearer })
    await two.opened
    expect((await one.closed).code).toBe(4000)
    expect(two.ws.readyState).toBe(WebSocket.OPEN)
    two.ws.close()
  })

  it('a stale handshake of the same agent never displaces its live connection', async () => {
    const a = h.enroll()
    const live = connect({ authorization: a.bearer })
    await live.opened
    // An upgrade the agent had already given up on (its handshake timed out and it connected again): the server
    // processes it late, and nobody answers on that socket any more.
    const stale = await rawUpgrade(a.bearer)
    expect(stale.head).toMatch(/^HTTP\/1\.1 101/)
    await new Promise((r) => setTimeout(r, 500))
    expect(live.ws.readyState).toBe(WebSocket.OPEN)
    // The live agent still gets its commands and its acks.
    const cmd = await h.api<{ sent: boolean; commandId: string }>('POST', `/api/v1/hosts/${a.hostId}/commands`, { command: 'collect-now' })
    expect(cmd.body.sent).toBe(true)
    expect(await live.next()).toMatchObject({ type: 'command', commandId: cmd.body.commandId })
    const r = report(a.identity, firewallOff)
    live.ws.send(JSON.stringify({ type: 'report', report: r }))
    expect(await live.next()).toEqual({ type: 'ack', reportId: r.id, duplicate: false })
    stale.socket.destroy()
    live.ws.close()
  })
})

describe('admission control: agents wait, people do not', () => {
  /** Fills the ingest queue beyond its high-water mark with real reports (each costs the server real work). */
  function flood(a: ReturnType<Harness['enroll']>, n = 6 * BACKLOG_HIGH) {
    return Promise.all(Array.from({ length: n }, () => h.app.ingest.submit(a.agent, report(a.identity, firewallOff))))
  }

  it('with a long backlog an HTTP report gets 503 and Retry-After, while the board and /healthz answer', async () => {
    const a = h.enroll()
    const flooding = flood(a)
    expect(h.app.ingest.backlog()).toBeGreaterThan(BACKLOG_HIGH)
    const [busy, overview, health] = await Promise.all([
      h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: report(a.identity, firewallOff) }),
      h.api('GET', '/api/v1/overview'),
      h.app.inject({ url: '/healthz' }),
    ])
    expect(busy.statusCode).toBe(503)
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0)
    expect(overview.status).toBe(200)
    expect(health.statusCode).toBe(200)
    // Every queued report is acknowledged in the end; then the agent's report goes through again.
    expect((await flooding).every((r) => r.duplicate === false)).toBe(true)
    const after = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: report(a.identity, firewallOff) })
    expect(after.statusCode).toBe(200)
  })

  it('an agent sending while the backlog is long is told to slow down, and still gets its ack', async () => {
    const a = h.enroll()
    const b = h.enroll()
    const c = connect({ authorization: b.bearer })
    await c.opened
    const flooding = flood(a)
    const r = report(b.identity, firewallOff)
    c.ws.send(JSON.stringify({ type: 'report', report: r }))
    expect(await c.next()).toEqual({ type: 'slow-down', seconds: SLOW_DOWN_SECONDS })
    expect(await c.next()).toEqual({ type: 'ack', reportId: r.id, duplicate: false })
    await flooding
    c.ws.close()
  })
})

/** A WebSocket upgrade on a bare TCP socket that reads the answer's head and then never says anything again. */
async function rawUpgrade(authorization: string): Promise<{ head: string; socket: Socket }> {
  const u = new URL(h.url)
  const socket = tcpConnect(Number(u.port), u.hostname)
  await new Promise((r) => socket.once('connect', r))
  socket.write(
    `GET /api/v1/agent HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nAuthorization: ${authorization}\r\n\r\n`,
  )
  let head = ''
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      head += d.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      resolve()
    }
    socket.on('data', onData)
  })
  return { head, socket }
}
