// Connection exhaustion (issue #11 item 8), small enough for CI: a real listening server with low limits, idle sockets
// from several loopback addresses (127.0.0.2 …), and what still gets through. 20,000 sockets: bench/connections.ts.
import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ConnectionGuard, defaultMaxConnections, FD_MARGIN, proxyMatcher } from '../src/plugins/connection-guard.js'
import { configFromEnv } from '../src/config.js'
import { harness, type Harness } from './helper.js'

let h: Harness | undefined
const sockets: Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await h?.close()
  h = undefined
})

/** An idle socket: connected, never a byte sent (a slow-header attacker). Resolves when connected. */
function idle(port: number, from: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(s))
    s.on('error', () => {})
    // Flowing, so that the server's close (after a 408) is seen.
    s.resume()
    s.once('error', reject)
    sockets.push(s)
  })
}
const closed = (s: Socket) => s.destroyed || s.readyState === 'closed'
const waitClosed = (s: Socket, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (closed(s)) return resolve(true)
    const timer = setTimeout(() => resolve(false), ms)
    s.once('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
const settle = () => new Promise((r) => setTimeout(r, 200))

describe('the guard', () => {
  it('default total follows the open-file limit, less a margin for the server’s own files', () => {
    expect(defaultMaxConnections(20_000)).toBe(20_000 - FD_MARGIN)
    expect(defaultMaxConnections(256)).toBe(64)
    expect(configFromEnv().connections.max).toBe(defaultMaxConnections())
  })

  it('trusted proxies are matched by address, range or name (also as IPv4-mapped IPv6)', () => {
    const m = proxyMatcher(['10.0.0.5', '192.168.10.0/24', 'loopback'])
    expect([m('10.0.0.5'), m('10.0.0.6'), m('192.168.10.77'), m('127.0.0.1'), m('::1'), m('::ffff:10.0.0.5')]).toEqual([true, false, true, true, true, true])
    expect(proxyMatcher(false)('127.0.0.1')).toBe(false)
  })

  it('closes the oldest connection without a complete request when the unproven half is full; proven ones stay', () => {
    const guard = new ConnectionGuard({ max: 8, perAddress: 100 })
    const fake = (port: number) => {
      const handlers: (() => void)[] = []
      const s = {
        remoteAddress: '198.51.100.1', remotePort: port, destroyed: false,
        once: (_: string, fn: () => void) => handlers.push(fn),
        destroy() {
          this.destroyed = true
          handlers.forEach((f) => f())
        },
      }
      return s
    }
    const proven = fake(1)
    guard.accept(proven as never)
    guard.prove(proven)
    const slow = Array.from({ length: 6 }, (_, i) => fake(10 + i))
    for (const s of slow) guard.accept(s as never)
    expect(guard.unprovenMax).toBe(4)
    expect(slow.map((s) => s.destroyed)).toEqual([true, true, false, false, false, false])
    expect(proven.destroyed).toBe(false)
    expect(guard.open).toEqual({ total: 5, unproven: 4, addresses: 1 })
    expect(guard.stats.evictedUnproven).toBe(2)
  })
})

describe('a real server under idle sockets', () => {
  async function listening(max: number, perAddress: number) {
    process.env.LAGEBILD_MAX_CONNECTIONS = String(max)
    process.env.LAGEBILD_MAX_CONNECTIONS_PER_ADDRESS = String(perAddress)
    try {
      h = await harness({ listen: true })
    } finally {
      delete process.env.LAGEBILD_MAX_CONNECTIONS
      delete process.env.LAGEBILD_MAX_CONNECTIONS_PER_ADDRESS
    }
    return Number(new URL(h.url).port)
  }

  it('one address cannot hold more than its share', async () => {
    const port = await listening(200, 20)
    const mine = []
    for (let i = 0; i < 30; i++) mine.push(await idle(port, '127.0.0.9'))
    await settle()
    expect(mine.filter((s) => !closed(s))).toHaveLength(20)
    // Another address is not affected.
    expect((await fetch(`${h!.url}/healthz`)).status).toBe(200)
  })

  it('120 idle sockets from 6 addresses against a limit of 100: the board, /healthz and a connected agent still get through', async () => {
    const port = await listening(100, 50)
    const a = h!.enroll()
    const agent = new WebSocket(`${h!.url.replace('http', 'ws')}/api/v1/agent`, { headers: { authorization: a.bearer } })
    await new Promise((resolve, reject) => agent.once('open', resolve).once('error', reject))
    for (let i = 0; i < 120; i++) await idle(port, `127.0.0.${2 + (i % 6)}`)
    await settle()
    expect(h!.app.connections.open.unproven).toBeLessThanOrEqual(50)
    expect(h!.app.connections.stats.evictedUnproven).toBeGreaterThanOrEqual(70)
    const started = performance.now()
    expect((await fetch(`${h!.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${h!.url}/api/v1/hosts`, { headers: h!.auth })).status).toBe(200)
    expect(performance.now() - started).toBeLessThan(2000)
    // The agent's live connection was proven at its upgrade and is still open.
    expect(agent.readyState).toBe(WebSocket.OPEN)
    agent.close()
  })

  it('a socket that never finishes its headers is closed after the header timeout', async () => {
    const port = await listening(100, 50)
    const s = await idle(port, '127.0.0.3')
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n')
    expect(await waitClosed(s, 13_000)).toBe(true)
  }, 20_000)
})
