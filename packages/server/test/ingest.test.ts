import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import { reports, facts } from '../src/db/schema.js'
import { firewallOff, firewallOn, host, report, harness, type Harness } from './helper.js'

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
