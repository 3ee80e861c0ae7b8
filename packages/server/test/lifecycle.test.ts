// A host's and an agent's end of life, and the re-enroll rule, against the real server listening on 127.0.0.1:
// revoked agents and retired hosts are refused on HTTP and on their open WebSocket; a PC enrolled already is never
// taken over silently.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import WebSocket from 'ws'
import { agents, alerts, auditLog, enrollTokens, reports } from '../src/db/schema.js'
import { createEnrollToken, enroll } from '../src/services/enrollment.js'
import { revokeAgents } from '../src/services/lifecycle.js'
import { cliActor } from '../src/services/audit.js'
import { agentSocket, firewallOff, firewallOn, harness, host, report, type Harness } from './helper.js'

let h: Harness
beforeEach(async () => {
  h = await harness({ listen: true })
})
afterEach(async () => h.close())

type Enrolled = ReturnType<Harness['enroll']>
const wsUrl = () => `${h.url.replace('http', 'ws')}/api/v1/agent`
const stored = () => h.db.select({ n: count() }).from(reports).get()!.n
const post = (a: Pick<Enrolled, 'bearer' | 'identity'>, facts = firewallOn) =>
  h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: report(a.identity, facts) })
const enrollHttp = (token: string, identity: Enrolled['identity']) => h.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token, host: identity } })
const audit = (action: string) => h.db.select().from(auditLog).where(eq(auditLog.action, action)).all()

async function live(a: Enrolled) {
  const c = agentSocket(wsUrl(), { authorization: a.bearer })
  await c.opened
  c.ws.send(JSON.stringify({ type: 'report', report: report(a.identity, firewallOn) }))
  expect(await c.next()).toMatchObject({ type: 'ack' })
  return c
}

describe('revoking an agent', () => {
  it('closes its open WebSocket at once with 4401 agent-revoked; HTTP reports are refused with that code; nothing more is stored', async () => {
    const a = h.enroll()
    const c = await live(a)
    const before = stored()
    const res = await h.api<{ revokedAgents: string[] }>('POST', `/api/v1/hosts/${a.hostId}/revoke-agent`)
    expect(res.status).toBe(200)
    expect(res.body.revokedAgents).toEqual([a.agentId])
    const closed = await c.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^agent-revoked: /)
    const http = await post(a)
    expect(http.statusCode).toBe(401)
    expect(http.json().error).toBe('agent-revoked')
    // A reconnect is refused with the same reason.
    const again = agentSocket(wsUrl(), { authorization: a.bearer })
    expect((await again.closed).reason).toMatch(/^agent-revoked: /)
    expect(stored()).toBe(before)
    expect(audit('agent.revoke')[0]).toMatchObject({ target: `host:${a.hostId}`, before: { agents: [a.agentId] } })
  })

  it('a report on a connection opened before a revocation made elsewhere (the CLI) is refused at ingest and the connection closed', async () => {
    const a = h.enroll()
    const c = await live(a)
    const before = stored()
    // Another process revokes: it cannot reach this server's sockets.
    revokeAgents(h.db, a.hostId, cliActor())
    const r = report(a.identity, firewallOff)
    c.ws.send(JSON.stringify({ type: 'report', report: r }))
    const closed = await c.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^agent-revoked: /)
    expect(c.frames).not.toContainEqual(expect.objectContaining({ type: 'ack', reportId: r.id }))
    expect(stored()).toBe(before)
  })

  it('an idle connection of an agent revoked elsewhere is closed by the periodic check', async () => {
    const a = h.enroll()
    const c = await live(a)
    revokeAgents(h.db, a.hostId, cliActor())
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    h.app.agentChannel.recheck()
    expect((await c.closed).reason).toMatch(/^agent-revoked: /)
  })

  it('a viewer may not revoke or retire', async () => {
    const a = h.enroll()
    const { createUser } = await import('../src/services/people.js')
    await createUser(h.db, 'vera', 'viewer password 1', 'viewer')
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'vera', password: 'viewer password 1' } })
    const cookie = `lagebild_session=${login.cookies.find((x) => x.name === 'lagebild_session')!.value}`
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string }
    for (const url of [`/api/v1/hosts/${a.hostId}/revoke-agent`, `/api/v1/hosts/${a.hostId}/retire`])
      expect((await h.app.inject({ method: 'POST', url, headers, payload: { purge: true } })).statusCode).toBe(403)
    expect((await post(a)).statusCode).toBe(200)
  })
})

describe('retiring a host', () => {
  it('keeping its history: agent refused at once (WebSocket and HTTP), alerts closed, gone from lists and counts, still readable', async () => {
    const a = h.enroll()
    const other = h.enroll()
    h.store(other, firewallOff)
    const c = await live(a)
    expect((await post(a, firewallOff)).statusCode).toBe(200)
    expect((await h.api<{ total: number }>('GET', '/api/v1/alerts?state=open')).body.total).toBe(2)
    const reportsBefore = stored()

    const res = await h.api<{ revokedAgents: string[]; closedAlerts: string[] }>('POST', `/api/v1/hosts/${a.hostId}/retire`, { purge: false })
    expect(res.status).toBe(200)
    expect(res.body.closedAlerts).toHaveLength(1)
    const closed = await c.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^host-retired: /)
    const http = await post(a)
    expect(http.statusCode).toBe(401)
    expect(http.json().error).toBe('host-retired')

    const list = await h.api<{ total: number; hosts: { id: string }[] }>('GET', '/api/v1/hosts')
    expect(list.body.hosts.map((x) => x.id)).toEqual([other.hostId])
    const retired = await h.api<{ hosts: { id: string; retiredAt: string }[] }>('GET', '/api/v1/hosts?retired=true')
    expect(retired.body.hosts).toEqual([expect.objectContaining({ id: a.hostId, retiredAt: expect.any(String) })])
    const overview = await h.api<{ hosts: { total: number; deviation: number } }>('GET', '/api/v1/overview')
    expect(overview.body.hosts).toMatchObject({ total: 1, deviation: 1 })
    expect((await h.api<{ total: number }>('GET', '/api/v1/alerts?state=open')).body.total).toBe(1)
    // History stays: the host page, its reports and its status history.
    expect((await h.api('GET', `/api/v1/hosts/${a.hostId}`)).status).toBe(200)
    expect(stored()).toBe(reportsBefore)
    expect((await h.api<{ changes: unknown[] }>('GET', `/api/v1/hosts/${a.hostId}/history?days=1`)).body.changes.length).toBeGreaterThan(0)
    // Nobody is paged for a retired host: re-judging and the silence check leave it alone.
    h.app.alerts.rejudgeAll(new Date(Date.now() + 3 * 86_400_000))
    h.app.alerts.tick(new Date(Date.now() + 3 * 86_400_000))
    expect(h.db.select().from(alerts).where(eq(alerts.subjectId, a.hostId)).all().every((x) => x.state === 'resolved')).toBe(true)
    expect(audit('host.retire')[0]).toMatchObject({ target: `host:${a.hostId}`, before: { agents: [a.agentId], openAlerts: 1 }, after: { purged: false } })
  })

  it('purging: the host and its reports, facts, findings and alerts are deleted; the audit log keeps that it happened', async () => {
    const a = h.enroll()
    const c = await live(a)
    expect((await post(a, firewallOff)).statusCode).toBe(200)
    const res = await h.api('POST', `/api/v1/hosts/${a.hostId}/retire`, { purge: true })
    expect(res.status).toBe(200)
    expect((await c.closed).reason).toMatch(/^host-retired: /)
    expect((await h.api('GET', `/api/v1/hosts/${a.hostId}`)).status).toBe(404)
    expect(stored()).toBe(0)
    expect(h.db.select().from(alerts).all()).toHaveLength(0)
    expect(h.db.select().from(agents).all()).toHaveLength(0)
    // Its old credentials now belong to nobody: the plain refusal.
    expect((await post(a)).json().error).toBe('bad-credentials')
    expect(audit('host.purge')[0]).toMatchObject({ target: `host:${a.hostId}`, before: { hostname: 'pc-buchhaltung' } })
  })
})

describe('enrolling a PC that is enrolled already (the re-enroll rule)', () => {
  it('anyone with a reusable token who knows a machine id cannot take the host over: 409, the real agent keeps reporting', async () => {
    const real = h.enroll()
    const c = await live(real)
    const { token, id } = createEnrollToken(h.db, { maxUses: 10 })
    // The machine id is on the host page for any viewer.
    const machineId = (await h.api<{ host: { machineId: string } }>('GET', `/api/v1/hosts/${real.hostId}`)).body.host.machineId
    const attempt = await enrollHttp(token, { ...host(machineId), hostname: 'attacker' })
    expect(attempt.statusCode).toBe(409)
    expect(attempt.json().error).toBe('machine-enrolled')
    expect(attempt.json().message).toMatch(/already enrolled/)
    // Nothing changed: the real agent's connection stays, its reports are stored, the name is the real one, the token is unused.
    await new Promise((r) => setTimeout(r, 100))
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    expect((await post(real)).statusCode).toBe(200)
    expect((await h.api<{ host: { hostname: string } }>('GET', `/api/v1/hosts/${real.hostId}`)).body.host.hostname).toBe('pc-buchhaltung')
    expect(h.db.select().from(enrollTokens).where(eq(enrollTokens.id, id)).get()!.uses).toBe(0)
    expect(audit('agent.enroll-refused')[0]).toMatchObject({ actor: `enroll-token:${id}`, target: `host:${real.hostId}` })
    c.ws.close()
  })

  it('a token that may replace (a reinstall) takes the host over: the displaced agent is told agent-replaced on both paths', async () => {
    const old = h.enroll()
    const c = await live(old)
    const { token } = createEnrollToken(h.db, { mayReplace: true })
    const res = await enrollHttp(token, old.identity)
    expect(res.statusCode).toBe(200)
    expect(res.json().hostId).toBe(old.hostId)
    const closed = await c.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^agent-replaced: this PC was enrolled again elsewhere/)
    const http = await post(old)
    expect(http.statusCode).toBe(401)
    expect(http.json()).toMatchObject({ error: 'agent-replaced' })
    const fresh = { identity: old.identity, bearer: `Bearer ${res.json().agentId}.${res.json().secret}` }
    expect((await post(fresh)).statusCode).toBe(200)
    expect(audit('agent.replace')[0]).toMatchObject({ target: `host:${old.hostId}`, before: { agents: [old.agentId] } })
  })

  it('after an admin revoked the old agent, any token enrolls the PC again and it keeps its host and history', async () => {
    const old = h.enroll()
    expect((await post(old, firewallOff)).statusCode).toBe(200)
    await h.api('POST', `/api/v1/hosts/${old.hostId}/revoke-agent`)
    const again = enroll(h.db, createEnrollToken(h.db).token, old.identity)
    expect(again.hostId).toBe(old.hostId)
    expect(stored()).toBe(1)
  })

  it('a retired host enrolls again (back in the lists, same host)', async () => {
    const old = h.enroll()
    await h.api('POST', `/api/v1/hosts/${old.hostId}/retire`, { purge: false })
    const res = await enrollHttp(createEnrollToken(h.db).token, old.identity)
    expect(res.statusCode).toBe(200)
    expect(res.json().hostId).toBe(old.hostId)
    expect((await h.api<{ hosts: { id: string }[] }>('GET', '/api/v1/hosts')).body.hosts.map((x) => x.id)).toEqual([old.hostId])
  })

  it('a token that may replace lives at most 24 hours', async () => {
    const res = await h.api('POST', '/api/v1/enroll-tokens', { mayReplace: true, expires: '2d' })
    expect(res.status).toBe(400)
    const ok = await h.api<{ expiresAt: string; maxUses: number; mayReplace: boolean }>('POST', '/api/v1/enroll-tokens', { mayReplace: true })
    expect(ok.body).toMatchObject({ maxUses: 1, mayReplace: true })
    expect(Date.parse(ok.body.expiresAt) - Date.now()).toBeLessThanOrEqual(3_600_000)
  })
})

describe('host names', () => {
  it('two active hosts reporting the same name are both marked as duplicates; a retired one no longer counts', async () => {
    const a = h.enroll({ ...host(), hostname: 'PC-01' })
    const b = h.enroll({ ...host(), hostname: 'pc-01' })
    const c = h.enroll({ ...host(), hostname: 'pc-02' })
    const list = async () =>
      Object.fromEntries((await h.api<{ hosts: { id: string; duplicateName: boolean }[] }>('GET', '/api/v1/hosts')).body.hosts.map((x) => [x.id, x.duplicateName]))
    expect(await list()).toEqual({ [a.hostId]: true, [b.hostId]: true, [c.hostId]: false })
    const detail = await h.api<{ host: { duplicateName: boolean }; sameName: { id: string; machineId: string }[] }>('GET', `/api/v1/hosts/${a.hostId}`)
    expect(detail.body.host.duplicateName).toBe(true)
    expect(detail.body.sameName).toEqual([{ id: b.hostId, machineId: b.identity.machineId }])
    await h.api('POST', `/api/v1/hosts/${b.hostId}/retire`, { purge: false })
    expect(await list()).toEqual({ [a.hostId]: false, [c.hostId]: false })
  })

  it('a report older than the newest never puts its (old) name back', async () => {
    const a = h.enroll()
    const now = Date.now()
    h.store({ ...a, identity: { ...a.identity, hostname: 'new-name' } }, firewallOn, new Date(now))
    h.store({ ...a, identity: { ...a.identity, hostname: 'old-name' } }, firewallOn, new Date(now), { collectedAt: new Date(now - 3_600_000).toISOString() })
    const name = async () => (await h.api<{ host: { hostname: string } }>('GET', `/api/v1/hosts/${a.hostId}`)).body.host.hostname
    expect(await name()).toBe('new-name')
    h.store({ ...a, identity: { ...a.identity, hostname: 'newer-name' } }, firewallOn, new Date(now + 1000))
    expect(await name()).toBe('newer-name')
  })
})
