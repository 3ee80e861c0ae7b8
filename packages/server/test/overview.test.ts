// The board's read models: overview, a host's history, the live WebSocket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { MEASURES } from '@lagebild/shared'
import { hosts, findings } from '../src/db/schema.js'
import { measureLight } from '../src/services/overview.js'
import { firewallOff, firewallOn, host, report, harness, type Harness } from './helper.js'

let t: Harness
beforeEach(async () => {
  t = await harness()
})
afterEach(async () => t.close())

const api = () => ({ authorization: `Bearer ${t.apiKey}` })
async function enrolled(h = host()) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token: t.token(), host: h } })
  const c = res.json() as { agentId: string; secret: string; hostId: string }
  return { ...c, h, auth: { authorization: `Bearer ${c.agentId}.${c.secret}` } }
}
const send = (a: Awaited<ReturnType<typeof enrolled>>, facts = firewallOn, over = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: a.auth, payload: report(a.h, facts, over) })

type Light = { id: string; state: string; hosts: { ok: number; deviation: number; unknown: number } | null; record: string | null; score: number }
const lightOf = (ov: { phases: { measures: Light[] }[] }, id: string) => ov.phases.flatMap((p) => p.measures).find((m) => m.id === id)!

describe('GET /api/v1/overview', () => {
  it('is empty and honest without hosts: nothing is ok', async () => {
    const res = await t.app.inject({ url: '/api/v1/overview', headers: api() })
    expect(res.statusCode).toBe(200)
    const ov = res.json()
    expect(ov.phases.map((p: { id: string }) => p.id)).toEqual(['prep', 'ready', 'handle', 'follow'])
    expect(ov.phases.flatMap((p: { measures: Light[] }) => p.measures)).toHaveLength(MEASURES.length)
    // Nothing is green on an empty database. Preparation and readiness are "not yet recorded"; a measure of an incident's
    // handling has nothing to judge while no incident is open (not applicable, grey), never ok.
    for (const p of ov.phases as { id: string; measures: Light[] }[])
      for (const m of p.measures)
        expect([m.id, m.state]).toEqual([m.id, p.id === 'prep' || p.id === 'ready' ? 'not-recorded' : expect.stringMatching(/^not-(recorded|applicable)$/)])
    expect(ov.score.value).toBe(0)
    expect(ov.hosts.total).toBe(0)
  })

  it('counts hosts per measure and status; record measures stay "not recorded"', async () => {
    const a = await enrolled()
    const b = await enrolled()
    const c = await enrolled()
    await send(a, firewallOn)
    await send(b, firewallOn)
    await send(c, firewallOff)
    const ov = (await t.app.inject({ url: '/api/v1/overview', headers: api() })).json()
    const fw = lightOf(ov, 'base.firewall')
    expect(fw.hosts).toEqual({ ok: 2, deviation: 1, unknown: 0, notApplicable: 0 })
    expect(fw.state).toBe('deviation')
    expect(fw.record).toBeNull()
    expect(fw.score).toBeCloseTo(2 / 3)
    // No backup facts were sent: unknown on every host, never ok.
    const bk = lightOf(ov, 'base.backups')
    expect(bk.hosts!.unknown).toBe(3)
    expect(bk.state).toBe('unknown')
    expect(bk.record).toBe('not-recorded')
    expect(lightOf(ov, 'prep.exercises')).toMatchObject({ state: 'not-recorded', hosts: null, record: 'not-recorded', score: 0 })
    // Facts not sent make a host unknown: two hosts unknown, one deviating.
    expect(ov.hosts).toMatchObject({ total: 3, deviation: 1, unknown: 2, ok: 0, silent: 0 })
    expect(ov.score.value).toBeGreaterThan(0)
    expect(ov.score.value).toBeLessThan(100)
    expect(ov.score.explanation.de).toMatch(/Vorbereitung/)
  })

  it('lists hosts that fell silent', async () => {
    const a = await enrolled()
    await send(a)
    t.db.update(hosts).set({ lastReportAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }).run()
    const b = await enrolled()
    await send(b)
    const ov = (await t.app.inject({ url: '/api/v1/overview', headers: api() })).json()
    expect(ov.hosts.silent).toBe(1)
    expect(ov.silentHosts).toHaveLength(1)
    expect(ov.silentHosts[0]).toMatchObject({ id: a.hostId, silentMaxMinutes: 60 })
  })

  it('ignores findings of subjects that are not hosts, and shows an org finding as the record part', async () => {
    const now = new Date().toISOString()
    const row = { severity: 'info' as const, reasonDe: 'x', reasonEn: 'x', since: now, updatedAt: now }
    t.db.insert(findings).values({ ...row, subjectId: 'org', measureId: 'prep.exercises', status: 'ok' }).run()
    t.db.insert(findings).values({ ...row, subjectId: 'gone-host', measureId: 'base.firewall', status: 'deviation' }).run()
    const ov = (await t.app.inject({ url: '/api/v1/overview', headers: api() })).json()
    expect(lightOf(ov, 'prep.exercises')).toMatchObject({ state: 'ok', record: 'ok', score: 1 })
    expect(lightOf(ov, 'base.firewall').state).toBe('not-recorded')
  })
})

describe('measureLight', () => {
  const m = (id: string) => MEASURES.find((x) => x.id === id)!
  it('an agent measure is ok only when every host is judged ok', () => {
    expect(measureLight(m('base.firewall'), { ok: 5, deviation: 0, unknown: 0, notApplicable: 1 }, undefined).state).toBe('ok')
    expect(measureLight(m('base.firewall'), { ok: 5, deviation: 0, unknown: 1, notApplicable: 0 }, undefined).state).toBe('unknown')
  })
  it('a measure judged by agent and record is not ok while its record is missing, and says that rather than "unknown"', () => {
    const l = measureLight(m('base.backups'), { ok: 4, deviation: 0, unknown: 0, notApplicable: 0 }, undefined)
    expect(l.state).toBe('not-recorded')
    expect(l.score).toBe(0.5)
    // An unknown host stays unknown: the bar shows it, the light agrees.
    expect(measureLight(m('base.backups'), { ok: 3, deviation: 0, unknown: 1, notApplicable: 0 }, undefined).state).toBe('unknown')
  })
})

describe('GET /api/v1/hosts/:id/history', () => {
  it('gives the status at the start of the window and every change since', async () => {
    const a = await enrolled()
    await send(a, firewallOn)
    await send(a, firewallOff)
    const res = await t.app.inject({ url: `/api/v1/hosts/${a.hostId}/history?days=7`, headers: api() })
    expect(res.statusCode).toBe(200)
    const fw = res.json().changes.filter((c: { measureId: string }) => c.measureId === 'base.firewall')
    expect(fw.map((c: { status: string }) => c.status)).toEqual(['ok', 'deviation'])
    expect((await t.app.inject({ url: '/api/v1/hosts/nope/history', headers: api() })).statusCode).toBe(404)
    expect((await t.app.inject({ url: `/api/v1/hosts/${a.hostId}/history?days=9999`, headers: api() })).statusCode).toBe(400)
  })
})

describe('GET /api/v1/live', () => {
  async function session() {
    await t.user('anna', 'correct horse battery', 'admin')
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'anna', password: 'correct horse battery' } })
    const c = res.cookies.find((x) => x.name === 'lagebild_session')!
    return `lagebild_session=${c.value}`
  }
  let address: string | undefined
  beforeEach(() => {
    address = undefined
  })
  /** Opens a real WebSocket; resolves when open, rejects with the HTTP status when refused. */
  async function connect(headers: Record<string, string>) {
    address ??= await t.app.listen({ host: '127.0.0.1', port: 0 })
    const url = address.replace('http', 'ws') + '/api/v1/live'
    const origin = headers.origin === 'same' ? address : headers.origin
    const ws = new WebSocket(url, { headers: { ...headers, ...(origin ? { origin } : {}) } })
    return new Promise<WebSocket>((resolve, reject) => {
      ws.once('open', () => resolve(ws))
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
      ws.once('error', reject)
    })
  }
  const next = (ws: WebSocket) => new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))))

  it('pushes host-updated to a logged-in browser of the same origin', async () => {
    const cookie = await session()
    const ws = await connect({ cookie, origin: 'same' })
    const a = await enrolled()
    const msg = next(ws)
    await send(a, firewallOff)
    expect(await msg).toEqual({ type: 'host-updated', hostId: a.hostId })
    ws.terminate()
  })

  it('refuses no session, a session from another origin, and a session without Origin', async () => {
    await expect(connect({ origin: 'same' })).rejects.toThrow(/401/)
    const cookie = await session()
    await expect(connect({ cookie, origin: 'https://evil.example' })).rejects.toThrow(/403/)
    await expect(connect({ cookie })).rejects.toThrow(/403/)
  })
})
