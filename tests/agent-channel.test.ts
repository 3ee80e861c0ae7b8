// The agent's live channel against the real server on 127.0.0.1: reports over the WebSocket, the server restarts,
// the agent spools meanwhile, reconnects by itself and replays its spool in order.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Agent, nextFullAt } from '../packages/agent/src/agent.js'
import { backoffDelay } from '../packages/agent/src/transport/ws.js'
import { watchNftables } from '../packages/agent/src/watch.js'
import { firewallOff, firewallOn, harness, report, waitUntil, type Harness } from '../packages/server/test/helper.js'

let h: Harness
let dir: string
let agent: Agent | null = null
const logs: string[] = []
/** The first agent's log lines with the time they were written. */
const timed: { at: number; line: string }[] = []

beforeEach(async () => {
  h = await harness({ listen: true })
  dir = mkdtempSync(join(tmpdir(), 'lagebild-agent-'))
  logs.length = 0
  timed.length = 0
})
afterEach(async () => {
  agent?.stop()
  agent = null
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

function startAgent(a: ReturnType<Harness['enroll']>) {
  agent = new Agent({
    dir,
    config: { server: h.url, agentId: a.agentId, secret: a.secret, hostId: a.hostId, intervalMinutes: 15, backups: [] },
    log: (m) => {
      logs.push(m)
      timed.push({ at: performance.now(), line: m })
    },
    worker: false,
    watchFirewall: false,
    backoff: { baseMs: 50, maxMs: 500 },
  })
  agent.channel!.start()
  return agent
}
const storedIds = () => (h.db.$client.prepare('select id from reports order by rowid').all() as { id: string }[]).map((r) => r.id)

describe('agent live channel', () => {
  it('two agents with the same credentials do not fight over the connection', async () => {
    const a = h.enroll()
    const first = startAgent(a)
    await waitUntil(() => first.channel!.connected, 5_000, 'the first agent')
    const otherLogs: string[] = []
    const twinDir = mkdtempSync(join(tmpdir(), 'lagebild-agent-twin-'))
    const second = new Agent({
      dir: twinDir,
      config: { server: h.url, agentId: a.agentId, secret: a.secret, hostId: a.hostId, intervalMinutes: 15, backups: [] },
      log: (m) => otherLogs.push(m),
      worker: false,
      watchFirewall: false,
      backoff: { baseMs: 50, maxMs: 2_000 },
    })
    try {
      second.channel!.start()
      // The twin takes the connection; the first agent says why it lost it …
      const replaced = await waitUntil(() => timed.find((l) => l.line.includes('another agent with the same credentials')), 5_000, 'the first agent to be replaced')
      // … and comes back only after its longest backoff (500 ms, jittered down to 250 ms at the least). Without that
      // pause it would be back after its first backoff step (25–50 ms) and the two would fight every few milliseconds.
      const back = await waitUntil(() => timed.find((l) => l.at > replaced.at && l.line.startsWith('live channel connected')), 5_000, 'the first agent to reconnect')
      expect(back.at - replaced.at).toBeGreaterThanOrEqual(250)
    } finally {
      second.stop()
      rmSync(twinDir, { recursive: true, force: true })
    }
  })

  it('reports go over the WebSocket and are delivered on the ack', async () => {
    const a = h.enroll()
    const ag = startAgent(a)
    await waitUntil(() => ag.channel!.connected, 5_000, 'the live channel')
    expect(h.app.agentChannel.isConnected(a.hostId)).toBe(true)
    const r = report(a.identity, firewallOff)
    const result = await ag.shipper.ship(r)
    expect(result).toMatchObject({ delivered: 1, spooled: 0 })
    expect(storedIds()).toEqual([r.id])
  })

  it('after a server restart the agent reconnects and replays its spool in order, each report once', async () => {
    const a = h.enroll()
    const ag = startAgent(a)
    await waitUntil(() => ag.channel!.connected, 5_000, 'the live channel')
    const first = report(a.identity, firewallOn)
    await ag.shipper.ship(first)

    // Server down: neither the channel nor HTTP works; reports wait in the spool.
    await h.stop()
    await waitUntil(() => ag.channel!.lastClose, 5_000, 'the channel to drop')
    expect(ag.channel!.lastClose?.code).toBe(1001)
    const t0 = Date.now()
    const waiting = [0, 1, 2].map((i) => report(a.identity, i % 2 ? firewallOn : firewallOff, { kind: 'quick', collectedAt: new Date(t0 + i * 1000).toISOString() }))
    for (const r of waiting) expect(await ag.shipper.ship(r)).toMatchObject({ delivered: 0, spooled: 1 })
    expect(await ag.spool.size()).toBe(3)

    // Same file, same port; the agent finds it again by itself (backoff with jitter) and empties the spool.
    await h.start()
    await waitUntil(() => ag.channel!.connected, 10_000, 'the reconnect')
    await waitUntil(() => storedIds().length === 4, 10_000, 'the replay')
    expect(storedIds()).toEqual([first.id, ...waiting.map((r) => r.id)])
    // The agent removes a spool file once the ack is in, a moment after the server committed.
    await waitUntil(async () => (await ag.spool.size()) === 0, 2_000, 'the spool to empty')
    // The last replayed report decides: firewall off → an open alert of this host (the organisation may have its own:
    // after the restart, ready.status says no alert channel is set up).
    expect((await h.api<{ total: number }>('GET', `/api/v1/alerts?state=open&hostId=${a.hostId}`)).body.total).toBe(1)
    expect(logs.some((l) => /live channel closed \(1001/.test(l))).toBe(true)
  })

  it('stopped and started again: the old connection closing late does not disturb the new one', async () => {
    const a = h.enroll()
    const ag = startAgent(a)
    await waitUntil(() => ag.channel!.connected, 5_000, 'the live channel')
    ag.channel!.stop()
    ag.channel!.start()
    await waitUntil(() => ag.channel!.connected, 5_000, 'the new connection')
    // The close of the first connection arrives meanwhile; before, it planned a reconnect of its own on the running channel.
    await new Promise((r) => setTimeout(r, 1_500))
    expect(logs.filter((l) => l.startsWith('live channel connected'))).toHaveLength(2)
    expect(logs.some((l) => l.includes('took over'))).toBe(false)
    expect(await ag.shipper.ship(report(a.identity, firewallOff))).toMatchObject({ delivered: 1, spooled: 0 })
  })

  it('the server asks the agent to slow down: reports wait in the spool and go out by themselves afterwards', async () => {
    const a = h.enroll()
    const ag = startAgent(a)
    await waitUntil(() => ag.channel!.connected, 5_000, 'the live channel')
    expect(h.app.agentChannel.slowDown(a.hostId, 2)).toBe(true)
    await waitUntil(() => logs.some((l) => l.includes('asks to hold reports back for 2 s')), 5_000, 'the slow-down message')
    const r = report(a.identity, firewallOff)
    expect(await ag.shipper.ship(r)).toMatchObject({ delivered: 0, spooled: 1 })
    expect(storedIds()).not.toContain(r.id)
    // About 2 s later (±20 %) the agent sends what waited, without being asked again.
    await waitUntil(() => storedIds().includes(r.id), 10_000, 'the held-back report')
    // The spool file goes once the ack arrives (after the COMMIT is on disk).
    for (let i = 0; i < 100 && (await ag.spool.size()) > 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(await ag.spool.size()).toBe(0)
  })

  it('a command from the admin API reaches the agent: set-interval is applied and kept in config.json', async () => {
    const a = h.enroll()
    const ag = startAgent(a)
    await waitUntil(() => ag.channel!.connected && h.app.agentChannel.isConnected(a.hostId), 5_000, 'the live channel')
    const res = await h.api<{ sent: boolean }>('POST', `/api/v1/hosts/${a.hostId}/commands`, { command: 'set-interval', intervalMinutes: 7 })
    expect(res.body.sent).toBe(true)
    await waitUntil(() => ag.intervalMinutes === 7, 5_000, 'the new interval')
    await waitUntil(() => existsSync(join(dir, 'config.json')) && JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).intervalMinutes === 7, 5_000, 'config.json')
    expect(logs.some((l) => /interval set to 7 min/.test(l))).toBe(true)
  })

  it('a report the channel cannot carry (too large) still reaches the server over HTTP', async () => {
    const a = h.enroll()
    const ag = startAgent(a)
    await waitUntil(() => ag.channel!.connected, 5_000, 'the live channel')
    const items = Array.from({ length: 2000 }, (_, i) => ({ name: `package-with-a-rather-long-name-${i}`, version: `1.${i}.0-1ubuntu0.${i}`, security: false, source: 'noble-updates/main amd64 [upgradable from 1.0]' }))
    const big = report(a.identity, { 'base.patches': { manager: 'apt', pending: 2000, security: 0, items, oldestPendingSince: null, lastInstall: null, lastCheck: null, rebootRequired: false } })
    expect(JSON.stringify(big).length).toBeGreaterThan(256 * 1024)
    expect(await ag.shipper.ship(big)).toMatchObject({ delivered: 1 })
    expect(storedIds()).toEqual([big.id])
    expect(ag.channel!.connected).toBe(true)
  })
})

describe('backoff and the nft monitor trigger', () => {
  it('reconnect delays grow exponentially with jitter, capped', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 1000, 300_000, () => 0))).toEqual([500, 1000, 2000, 4000])
    expect(backoffDelay(3, 1000, 300_000, () => 1)).toBe(8000)
    expect(backoffDelay(40, 1000, 300_000, () => 1)).toBe(300_000)
  })

  it('full collections drift apart: each comes after the interval ±10 %', () => {
    const t0 = Date.parse('2026-11-30T08:00:00Z')
    expect(nextFullAt(t0, 60, () => 0) - t0).toBe(54 * 60_000)
    expect(nextFullAt(t0, 60, () => 1) - t0).toBe(66 * 60_000)
    expect(nextFullAt(t0, 60, () => 0.5) - t0).toBe(60 * 60_000)
  })

  it('debounces a burst of output into one call and stops its child', async () => {
    let calls = 0
    // A stand-in for `nft monitor`: three changes in quick succession, then it stays quiet.
    const w = watchNftables(() => calls++, { debounceMs: 200, command: ['sh', '-c', 'echo a; sleep 0.05; echo b; sleep 0.05; echo c; sleep 30'] })!
    await new Promise((r) => setTimeout(r, 600))
    expect(calls).toBe(1)
    w.stop()
  })
})
