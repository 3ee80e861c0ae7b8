// The proof suite's attacks (issue #11), automated: forged, expired, revoked and other agents' credentials, replayed
// reports, an agent at the people's routes, a viewer at every admin action (the route table walked from the OpenAPI
// document), and parameter injection on every list. Each ends in a refusal that changes nothing.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CLOSE } from '../src/plugins/agent-channel.js'
import { firewallOff, firewallOn, harness, report, type Harness } from './helper.js'

let h: Harness
let viewer: { cookie: string; csrf: string }
let agentA: ReturnType<Harness['enroll']>
let agentB: ReturnType<Harness['enroll']>

/** Every table but the sessions (a login writes there): a refused request must leave all of them as they were. */
function fingerprint() {
  const tables = (h.db.$client.prepare(`select name from sqlite_master where type = 'table' and name not in ('sessions', 'sqlite_sequence') and name not like '__drizzle%'`).all() as { name: string }[]).map((t) => t.name)
  const hash = createHash('sha256')
  for (const t of tables.sort()) hash.update(t).update(JSON.stringify(h.db.$client.prepare(`select * from "${t}" order by rowid`).all()))
  return hash.digest('hex')
}

beforeAll(async () => {
  h = await harness({ listen: true })
  await h.user('viktor', 'viewer password 1', 'viewer')
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'viktor', password: 'viewer password 1' } })
  viewer = { cookie: `lagebild_session=${res.cookies.find((c) => c.name === 'lagebild_session')!.value}`, csrf: res.json().csrfToken as string }
  agentA = h.enroll()
  agentB = h.enroll()
  h.store(agentA, firewallOff)
})
afterAll(async () => h.close())

const post = (url: string, authorization: string, payload: object) => h.app.inject({ method: 'POST', url, headers: { authorization }, payload })

describe('agent credentials', () => {
  const forged = () => [
    ['no credentials', ''],
    ['a wrong secret', `Bearer ${agentA.agentId}.not-the-secret`],
    ['an unknown agent id', `Bearer 00000000-0000-4000-8000-000000000000.${agentA.secret}`],
    ["another agent's id with this agent's secret", `Bearer ${agentB.agentId}.${agentA.secret}`],
    ['no dot', `Bearer ${agentA.agentId}${agentA.secret}`],
    ['an API key', `Bearer ${h.apiKey}`],
    ['10 kB of token', `Bearer ${'x'.repeat(10_000)}`],
    ['Basic instead of Bearer', `Basic ${Buffer.from(`${agentA.agentId}:${agentA.secret}`).toString('base64')}`],
  ] as const

  it('every forged credential gets 401 on every agent route, and nothing is stored', async () => {
    const before = fingerprint()
    for (const [what, authorization] of forged()) {
      expect((await post('/api/v1/reports', authorization, report(agentA.identity, firewallOn))).statusCode, what).toBe(401)
      expect((await h.app.inject({ url: '/api/v1/agents/me', headers: { authorization } })).statusCode, what).toBe(401)
    }
    expect(fingerprint()).toBe(before)
  })

  it('on the WebSocket a forged credential is closed (refused, with the reason) before any frame is read', async () => {
    for (const [what, authorization] of forged().slice(0, 4)) {
      const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/agent`, { headers: authorization ? { authorization } : {} })
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)))
      expect(code, what).toBe(CLOSE.refused)
    }
  })

  it('revoked credentials stop working at once', async () => {
    const old = h.enroll()
    expect((await h.api('POST', `/api/v1/hosts/${old.hostId}/revoke-agent`)).status).toBe(200)
    expect((await post('/api/v1/reports', old.bearer, report(old.identity, firewallOn))).statusCode).toBe(401)
  })

  it('an agent cannot report for another machine (409) nor reach any route of people (401)', async () => {
    expect((await post('/api/v1/reports', agentB.bearer, report(agentA.identity, firewallOn))).statusCode).toBe(409)
    const doc = h.app.swagger() as { paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>> }
    let tried = 0
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        if (!op.security?.some((s) => 'session' in s)) continue
        tried++
        const res = await h.app.inject({ method: method.toUpperCase() as 'GET', url: `/api/v1${path.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, 'x')}`, headers: { authorization: agentA.bearer }, payload: method === 'get' ? undefined : {} })
        expect(res.statusCode, `${method} ${path}`).toBe(401)
      }
    expect(tried).toBeGreaterThan(15)
  })
})

describe('replayed reports', () => {
  it('the same report again is acknowledged as a duplicate and stored once; an older replay never overwrites newer facts', async () => {
    // Older, but after the agent's enrollment (a report dated before it is a wrong clock: ordered by receipt, agent-time.ts).
    const off = report(agentB.identity, firewallOff, { collectedAt: new Date(Date.now() - 60_000).toISOString() })
    const on = report(agentB.identity, firewallOn)
    expect((await post('/api/v1/reports', agentB.bearer, on)).json()).toMatchObject({ duplicate: false })
    expect((await post('/api/v1/reports', agentB.bearer, on)).json()).toMatchObject({ duplicate: true })
    expect((await post('/api/v1/reports', agentB.bearer, off)).statusCode).toBe(200)
    const detail = (await h.api<{ facts: Record<string, { value: { profiles: { enabled: boolean }[] } }> }>('GET', `/api/v1/hosts/${agentB.hostId}`)).body
    expect(detail.facts['base.firewall']!.value.profiles.every((p) => p.enabled)).toBe(true)
    expect(h.db.$client.prepare('select count(*) n from reports where id = ?').get(on.id)).toEqual({ n: 1 })
  })
})

describe('a viewer at every admin action', () => {
  it('is refused (403) at every state-changing route and the admin-only reads; nothing changes', async () => {
    const before = fingerprint()
    type Choice = { enum?: string[]; const?: string }
    type Param = { in: string; name: string; schema?: Choice & { anyOf?: Choice[] } }
    const doc = h.app.swagger() as { paths: Record<string, Record<string, { security?: Record<string, unknown>[]; responses?: Record<string, unknown>; parameters?: Param[] }>> }
    const headers = { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }
    const tried: string[] = []
    // A path parameter with a fixed set of values (a reporting clock …) gets the first of them, so the read gets past
    // validation and really runs for the viewer; any other parameter gets an id.
    const fill = (op: { parameters?: Param[] }, name: string) => {
      const s = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema
      const first = (c?: Choice) => c?.enum?.[0] ?? c?.const
      return first(s) ?? first(s?.anyOf?.[0]) ?? agentA.hostId
    }
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        if (!op.security?.some((s) => 'session' in s) || path === '/api/v1/auth/logout') continue
        const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => fill(op, name))
        const res = await h.app.inject({ method: method.toUpperCase() as 'GET', url, headers, ...(method === 'get' ? {} : { payload: {} }) })
        // Every change is for admins; a read is when the route says it can answer 403 (the audit log, the install lines …).
        const adminOnly = method !== 'get' || '403' in (op.responses ?? {})
        if (adminOnly) {
          expect(res.statusCode, `${method.toUpperCase()} ${path}`).toBe(403)
          tried.push(`${method} ${path}`)
        } else expect([200, 404], `${method.toUpperCase()} ${path}`).toContain(res.statusCode)
      }
    expect(tried.length).toBeGreaterThan(12)
    expect(fingerprint()).toBe(before)
  })

  it('without the CSRF token even an admin session changes nothing (403)', async () => {
    await h.user('anna', 'admin password 1', 'admin')
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'anna', password: 'admin password 1' } })
    const cookie = `lagebild_session=${res.cookies.find((c) => c.name === 'lagebild_session')!.value}`
    const before = fingerprint()
    expect((await h.app.inject({ method: 'PUT', url: '/api/v1/thresholds/global', headers: { cookie }, payload: { backupMaxHours: 1 } })).statusCode).toBe(403)
    expect(fingerprint()).toBe(before)
  })
})

describe('parameter injection on every list', () => {
  const NASTY = [
    "' OR '1'='1", "pc%' OR 1=1 --", '%', '_', '\\', '"; drop table hosts; --', '\u0000', '\u202E', 'ü'.repeat(100), 'x'.repeat(5000),
    '__proto__', 'constructor', '../../etc/passwd', '$where', '${7*7}', '<script>alert(1)</script>',
  ]
  const lists = () => {
    const doc = h.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> }
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      (ops.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => [path.replace(/\{[^}]+\}/g, agentA.hostId), p.name] as const),
    )
  }

  it('every query parameter of every list: 200 with nothing extra, or 400 — never 500, never everything', async () => {
    const all = lists()
    expect(all.length).toBeGreaterThan(10)
    const totalHosts = (await h.api<{ total: number }>('GET', '/api/v1/hosts')).body.total
    for (const [path, name] of all)
      for (const v of [...NASTY, ['a', 'b'], { a: 1 }]) {
        const qs = Array.isArray(v) ? v.map((x) => `${name}=${x}`).join('&') : typeof v === 'object' ? `${name}[a]=1` : `${name}=${encodeURIComponent(v)}`
        const res = await h.app.inject({ url: `${path}?${qs}`, headers: h.auth })
        expect([200, 400], `${path}?${qs.slice(0, 60)}`).toContain(res.statusCode)
        // A search that matched by injection would return every host.
        if (res.statusCode === 200 && path === '/api/v1/hosts' && name === 'q') expect(res.json().total, `q=${JSON.stringify(v).slice(0, 20)}`).toBeLessThan(totalHosts)
      }
  })

  it('unknown parameters are refused (400), not ignored', async () => {
    for (const [path] of lists()) expect((await h.app.inject({ url: `${path}?__proto__[admin]=1`, headers: h.auth })).statusCode, path).toBe(400)
  })
})
