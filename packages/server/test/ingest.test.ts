import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import { reports, facts } from '../src/db/schema.js'
import { createEnrollToken } from '../src/services/enrollment.js'
import { agentSocket, firewallOff, firewallOn, host, report, harness, type Harness } from './helper.js'

let t: Harness
beforeEach(async () => {
  t = await harness()
})
afterEach(async () => t.close())

async function enrolled(h = host()) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token: t.token(), host: h } })
  expect(res.statusCode).toBe(200)
  const c = res.json() as { agentId: string; secret: string; hostId: string }
  return { ...c, h, auth: { authorization: `Bearer ${c.agentId}.${c.secret}` } }
}
const stored = () => t.db.select({ n: count() }).from(reports).get()!.n

describe('enrollment', () => {
  it('refuses an unknown token and stores no host', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token: 'lbe_not-a-real-token', host: host() } })
    expect(res.statusCode).toBe(401)
    const hosts = await t.app.inject({ url: '/api/v1/hosts', headers: { authorization: `Bearer ${t.apiKey}` } })
    expect(hosts.json().total).toBe(0)
  })

  it('a token limited to one use works once', async () => {
    const { createEnrollToken } = await import('../src/services/enrollment.js')
    const { token } = createEnrollToken(t.db, { maxUses: 1 })
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token, host: host() } })
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token, host: host() } })
    expect(a.statusCode).toBe(200)
    expect(b.statusCode).toBe(401)
    expect(b.json().message).toMatch(/used up/)
  })

  it('a rollout of many PCs behind one address is not throttled', async () => {
    // 60 PCs of an office behind one NAT address, one token for all (the old limit let 30 a minute through).
    const { token } = createEnrollToken(t.db, { maxUses: 60 })
    for (let i = 0; i < 60; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', remoteAddress: '198.51.100.7', payload: { token, host: host() } })
      expect(res.statusCode).toBe(200)
    }
    const hosts = await t.app.inject({ url: '/api/v1/hosts?limit=1', headers: { authorization: `Bearer ${t.apiKey}` } })
    expect(hosts.json().total).toBe(60)
  })

  it('guessing tokens stops after 20 failures from one address; other addresses still enroll', async () => {
    const guess = (remoteAddress: string, token = `lbe_guess${Math.random()}`) =>
      t.app.inject({ method: 'POST', url: '/api/v1/enroll', remoteAddress, payload: { token, host: host() } })
    for (let i = 0; i < 20; i++) expect((await guess('203.0.113.9')).statusCode).toBe(401)
    // Refused before the token is looked at, even a valid one: the address may not try any more for now.
    const blocked = await guess('203.0.113.9', t.token())
    expect(blocked.statusCode).toBe(429)
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    expect(blocked.json().message).toMatch(/too many failed enrollments/)
    expect((await guess('203.0.113.10', t.token())).statusCode).toBe(200)
  })
})

describe('POST /api/v1/reports', () => {
  it('stores a report, judges it and shows the host with its findings', async () => {
    const a = await enrolled()
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOff) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ duplicate: false })
    const detail = (await t.app.inject({ url: `/api/v1/hosts/${a.hostId}`, headers: { authorization: `Bearer ${t.apiKey}` } })).json()
    expect(detail.host.hostname).toBe('pc-buchhaltung')
    expect(detail.host.status).toBe('deviation')
    const fw = detail.findings.find((f: { measureId: string }) => f.measureId === 'base.firewall')
    expect(fw.status).toBe('deviation')
    expect(fw.reason.de).toContain('Public')
    expect(fw.fix.en).toMatch(/firewall on/i)
    // Facts not sent are unknown, never ok.
    expect(detail.findings.find((f: { measureId: string }) => f.measureId === 'base.backups').status).toBe('unknown')
  })

  it('a quick report updates only its facts; older replays do not overwrite newer facts', async () => {
    const a = await enrolled()
    const t0 = new Date(Date.now() - 60_000).toISOString()
    await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, { ...firewallOn, 'base.encryption': { volumes: [{ mount: 'C:', system: true, encrypted: true, method: 'BitLocker' }] } }, { collectedAt: t0 }) })
    await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOff, { kind: 'quick' }) })
    await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOn, { kind: 'quick', collectedAt: new Date(Date.now() - 120_000).toISOString() }) })
    const detail = (await t.app.inject({ url: `/api/v1/hosts/${a.hostId}`, headers: { authorization: `Bearer ${t.apiKey}` } })).json()
    expect(detail.facts['base.firewall'].value.profiles[0].enabled).toBe(false)
    expect(detail.findings.find((f: { measureId: string }) => f.measureId === 'base.encryption').status).toBe('ok')
  })

  it('keeps the body of a report when something changed, and one a day otherwise; every report id is kept', async () => {
    const a = await enrolled()
    const send = (facts: typeof firewallOn, at: string) => t.app.ingest.store({ id: a.agentId, hostId: a.hostId }, report(a.h, facts, { collectedAt: at }), new Date(at))
    send(firewallOn, '2026-11-30T08:00:00.000Z') // first of the day: kept
    send(firewallOn, '2026-11-30T08:15:00.000Z') // nothing new: not kept
    send(firewallOff, '2026-11-30T08:30:00.000Z') // the firewall went off: kept
    send(firewallOff, '2026-11-30T08:45:00.000Z') // nothing new: not kept
    send(firewallOff, '2026-12-01T00:05:00.000Z') // nothing new, but a new day: kept
    const rows = t.db.$client.prepare('select received_at as at, body is not null as kept from reports order by received_at').all() as { at: string; kept: number }[]
    expect(rows.map((r) => r.kept)).toEqual([1, 0, 1, 0, 1])
    // What the unchanged report said is still known: the facts carry its time.
    const detail = (await t.app.inject({ url: `/api/v1/hosts/${a.hostId}`, headers: { authorization: `Bearer ${t.apiKey}` } })).json()
    expect(detail.facts['base.firewall'].collectedAt).toBe('2026-12-01T00:05:00.000Z')
  })

  it('the same report id twice is stored once', async () => {
    const a = await enrolled()
    const r = report(a.h, firewallOn)
    const one = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: r })
    const two = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: r })
    expect(one.json().duplicate).toBe(false)
    expect(two.statusCode).toBe(200)
    expect(two.json().duplicate).toBe(true)
    expect(stored()).toBe(1)
  })

  it('wrong or missing credentials: 401, nothing stored', async () => {
    const a = await enrolled()
    for (const headers of [{}, { authorization: `Bearer ${a.agentId}.wrong-secret` }, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${t.apiKey}` }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: report(a.h, firewallOn) })
      expect(res.statusCode).toBe(401)
    }
    expect(stored()).toBe(0)
  })

  it('an invalid report: 400 with the path of the first error, nothing stored', async () => {
    const a = await enrolled()
    const bad = report(a.h, { 'base.patches': { manager: 'apt', pending: -3, security: 0, items: [], oldestPendingSince: null, lastInstall: null, lastCheck: null, rebootRequired: null } })
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: bad })
    expect(res.statusCode).toBe(400)
    expect(res.json().path).toBe('/facts/base.patches/pending')
    const notJson = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { ...a.auth, 'content-type': 'application/json' }, payload: '{"v":1,' })
    expect(notJson.statusCode).toBe(400)
    expect(stored()).toBe(0)
    expect(t.db.select({ n: count() }).from(facts).get()!.n).toBe(0)
  })

  it('a body over 1 MiB: 413, nothing stored', async () => {
    const a = await enrolled()
    const big = report(a.h, { 'base.segmentation': { listening: [] } })
    const payload = JSON.stringify(big).replace('"listening":[]', `"listening":[],"pad":"${'x'.repeat(1024 * 1024)}"`)
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { ...a.auth, 'content-type': 'application/json' }, payload })
    expect(res.statusCode).toBe(413)
    expect(stored()).toBe(0)
  })

  it('a report for another machine than enrolled: 409, nothing stored', async () => {
    const a = await enrolled()
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(host(), firewallOn) })
    expect(res.statusCode).toBe(409)
    expect(stored()).toBe(0)
  })
})

describe('times from agents (#11 item 3)', () => {
  const firewall = async (hostId: string) =>
    (await t.app.inject({ url: `/api/v1/hosts/${hostId}`, headers: { authorization: `Bearer ${t.apiKey}` } })).json().findings.find((f: { measureId: string }) => f.measureId === 'base.firewall')
  const clockAlerts = async (hostId: string) =>
    (await t.app.inject({ url: `/api/v1/alerts?hostId=${hostId}&state=active`, headers: { authorization: `Bearer ${t.apiKey}` } })).json().alerts.filter((x: { measureId: string }) => x.measureId === 'agent.clock')

  it('a report dated in year 9999 no longer freezes the facts: the next genuine one counts; the wrong clock is an alert until then', async () => {
    const a = await enrolled()
    const future = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOn, { collectedAt: '9999-12-31T23:59:59Z' }) })
    expect(future.statusCode).toBe(200)
    expect((await firewall(a.hostId)).status).toBe('ok')
    const [alert] = await clockAlerts(a.hostId)
    expect(alert.reason.en).toMatch(/clock is \d+ min ahead/)
    // Before the fix the firewall stayed "on" here: the genuine report looked older than the one from 9999.
    const genuine = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOff) })
    expect(genuine.statusCode).toBe(200)
    expect((await firewall(a.hostId)).status).toBe('deviation')
    expect(await clockAlerts(a.hostId)).toEqual([])
  })
})

describe('the per-agent budget at ingest (#11 item 6)', () => {
  it('over its budget an agent gets 503 with Retry-After on HTTP and an error frame on the WebSocket; nothing of it is stored', async () => {
    await t.close()
    t = await harness({ listen: true, config: { agentBudget: { reports: { burst: 2, perDay: 10 }, bytes: { burst: 64 * 1024 * 1024, perDay: 64 * 1024 * 1024 } } } })
    const a = await enrolled()
    for (let i = 0; i < 2; i++)
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOn) })).statusCode).toBe(200)
    const over = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, firewallOn) })
    expect(over.statusCode).toBe(503)
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    expect(over.json().message).toMatch(/over its budget/)
    const ws = agentSocket(t.url.replace(/^http/, 'ws') + '/api/v1/agent', a.auth)
    await ws.opened
    const r = report(a.h, firewallOn)
    ws.ws.send(JSON.stringify({ type: 'report', report: r }))
    expect(await ws.next()).toMatchObject({ type: 'error', reportId: r.id, status: 503 })
    ws.ws.close()
    expect(stored()).toBe(2)
  })
})
