// The agents' WebSocket against the real server listening on 127.0.0.1 (port from the OS).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import WebSocket from 'ws'
import { facts, reports } from '../src/db/schema.js'
import { agentSocket, firewallOff, harness, report, type Harness } from './helper.js'

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
})
