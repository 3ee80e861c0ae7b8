// A PC that is enrolled already asks to enroll again with an ordinary token: the server records a request, an admin
// allows or refuses it on the board, and only that token + machine id + request key may then enroll, once, in time.
// The real server listening on 127.0.0.1 (the old agent's WebSocket must hear that it was replaced).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { ENROLL_REQUESTS_PER_HOST, ENROLL_REQUESTS_TOTAL, type LiveEvent } from '@lagebild/shared'
import { auditLog, enrollTokens } from '../src/db/schema.js'
import { createEnrollToken, enroll } from '../src/services/enrollment.js'
import { decideEnrollRequest, listEnrollRequests, MachineEnrolledError } from '../src/services/enroll-requests.js'
import { SYSTEM_ACTOR } from '../src/services/audit.js'
import { agentSocket, firewallOn, harness, host, minutes, PUBLIC_URL, report, type Harness } from './helper.js'

let h: Harness
let events: LiveEvent[]
beforeEach(async () => {
  h = await harness({ listen: true })
  events = []
  h.app.events.on((e) => events.push(e))
})
afterEach(async () => h.close())

type Enrolled = ReturnType<Harness['enroll']>
type Approval = { state: string; requestId: string; hostId: string; hostname: string; url: string; expiresAt: string }
type Request = { id: string; state: string; hostname: string; ip: string | null; tokenId: string; token: { createdBy: string | null }; decidedBy: string | null }
const key = () => randomBytes(32).toString('base64url')
const enrollHttp = (token: string, identity: Enrolled['identity'], approvalKey?: string) =>
  h.app.inject({ method: 'POST', url: '/api/v1/enroll', remoteAddress: '192.0.2.44', payload: { token, host: identity, ...(approvalKey ? { approvalKey } : {}) } })
const audit = (action: string) => h.db.select().from(auditLog).where(eq(auditLog.action, action)).all()
const uses = (id: string) => h.db.select().from(enrollTokens).where(eq(enrollTokens.id, id)).get()!.uses
const requests = async (hostId?: string) => (await h.api<{ requests: Request[] }>('GET', `/api/v1/enroll-requests${hostId ? `?hostId=${hostId}` : ''}`)).body.requests

async function live(a: Enrolled) {
  const c = agentSocket(`${h.url.replace('http', 'ws')}/api/v1/agent`, { authorization: a.bearer })
  await c.opened
  c.ws.send(JSON.stringify({ type: 'report', report: report(a.identity, firewallOn) }))
  expect(await c.next()).toMatchObject({ type: 'ack' })
  return c
}

async function viewer() {
  const { createUser } = await import('../src/services/people.js')
  await createUser(h.db, 'vera', 'viewer password 1', 'viewer')
  const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'vera', password: 'viewer password 1' } })
  return { cookie: `lagebild_session=${login.cookies.find((x) => x.name === 'lagebild_session')!.value}`, 'x-csrf-token': login.json().csrfToken as string }
}

describe('a PC that is enrolled already, with an ordinary token', () => {
  it('is refused with 409 and a request on the board: where to confirm, the token not used up, retries are the same request', async () => {
    const real = h.enroll()
    const { token, id: tokenId } = createEnrollToken(h.db, {}, { actor: 'anna', via: 'session', ip: null })
    const k = key()
    const res = await enrollHttp(token, { ...real.identity, hostname: 'pc-neu' }, k)
    expect(res.statusCode).toBe(409)
    const body = res.json() as { error: string; message: string; approval: Approval }
    expect(body.error).toBe('machine-enrolled')
    expect(body.approval).toMatchObject({ state: 'pending', hostId: real.hostId, hostname: 'pc-buchhaltung', url: `${PUBLIC_URL}/hosts/${real.hostId}` })
    expect(body.message).toContain('An admin must confirm on the board')
    expect(body.message).toContain(body.approval.url)
    expect(uses(tokenId)).toBe(0)
    expect(events).toContainEqual({ type: 'enroll-request', hostId: real.hostId })

    // Who, from where, with which token — for the admin who decides.
    const [r] = await requests(real.hostId)
    expect(r).toMatchObject({ id: body.approval.requestId, state: 'pending', hostname: 'pc-neu', ip: '192.0.2.44', tokenId, token: { createdBy: 'anna' } })
    expect(audit('agent.enroll-refused')).toEqual([expect.objectContaining({ target: `host:${real.hostId}`, after: expect.objectContaining({ request: r!.id }) })])

    // The waiting agent asks again every few seconds: the same request, no new audit entry, no new board event.
    events.length = 0
    const again = await enrollHttp(token, real.identity, k)
    expect(again.json().approval.requestId).toBe(r!.id)
    expect(await requests()).toHaveLength(1)
    expect(audit('agent.enroll-refused')).toHaveLength(1)
    expect(events).toEqual([])
  })

  it('without an approval key (an older agent, a hand-made request) is refused at once and nothing is recorded', async () => {
    const real = h.enroll()
    const res = await enrollHttp(h.token(), real.identity)
    expect(res.statusCode).toBe(409)
    expect(res.json().approval).toBeUndefined()
    expect(await requests()).toEqual([])
  })

  it('a viewer sees the request but may not decide it', async () => {
    const real = h.enroll()
    const ask = await enrollHttp(h.token(), real.identity, key())
    const id = ask.json().approval.requestId as string
    const headers = await viewer()
    const seen = await h.app.inject({ method: 'GET', url: `/api/v1/enroll-requests?hostId=${real.hostId}`, headers })
    expect(seen.statusCode).toBe(200)
    expect(seen.json().requests.map((r: Request) => r.id)).toEqual([id])
    for (const verb of ['approve', 'refuse']) expect((await h.app.inject({ method: 'POST', url: `/api/v1/enroll-requests/${id}/${verb}`, headers })).statusCode).toBe(403)
    expect((await requests())[0]!.state).toBe('pending')
  })

  it('once allowed, exactly that token + machine id + key enrolls, once; the old agent is replaced and told so on its WebSocket', async () => {
    const real = h.enroll()
    const c = await live(real)
    const { token, id: tokenId } = createEnrollToken(h.db, { maxUses: 5 })
    const k = key()
    const id = (await enrollHttp(token, real.identity, k)).json().approval.requestId as string
    events.length = 0
    const ok = await h.api<Request>('POST', `/api/v1/enroll-requests/${id}/approve`)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ state: 'approved', decidedBy: 'api-key:test' })
    expect(events).toContainEqual({ type: 'enroll-request', hostId: real.hostId })
    expect(audit('enroll-request.approve')).toEqual([expect.objectContaining({ target: `host:${real.hostId}`, after: expect.objectContaining({ request: id, tokenId }) })])

    // Someone else who knows the machine id and holds the same token (or another one) is not let in by the approval.
    expect((await enrollHttp(token, real.identity, key())).statusCode).toBe(409)
    expect((await enrollHttp(h.token(), real.identity, k)).statusCode).toBe(409)
    expect((await enrollHttp(token, host(), k)).statusCode).toBe(200) // another PC: an ordinary enrollment, untouched by the rule
    expect(c.ws.readyState).toBe(c.ws.OPEN)

    const res = await enrollHttp(token, real.identity, k)
    expect(res.statusCode).toBe(200)
    expect(res.json().hostId).toBe(real.hostId)
    const closed = await c.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^agent-replaced: /)
    expect(audit('agent.replace')).toEqual([expect.objectContaining({ after: expect.objectContaining({ approvedRequest: id, approvedBy: 'api-key:test' }) })])
    expect(uses(tokenId)).toBe(2)

    // Spent: the same attempt again meets the new agent, and the approval does not let it replace that one.
    const replay = await enrollHttp(token, real.identity, k)
    expect(replay.statusCode).toBe(409)
    expect(replay.json().approval).toMatchObject({ state: 'pending' })
    expect((await requests()).map((r) => r.id)).not.toContain(id)
  })

  it('refused: the waiting agent hears so, nothing changes, and the request cannot be allowed afterwards', async () => {
    const real = h.enroll()
    const k = key()
    const { token } = createEnrollToken(h.db)
    const id = (await enrollHttp(token, real.identity, k)).json().approval.requestId as string
    expect((await h.api<Request>('POST', `/api/v1/enroll-requests/${id}/refuse`)).body.state).toBe('refused')
    const res = await enrollHttp(token, real.identity, k)
    expect(res.statusCode).toBe(409)
    expect(res.json().approval).toMatchObject({ state: 'refused', requestId: id })
    expect(audit('enroll-request.refuse')).toHaveLength(1)
    expect(await requests()).toEqual([])
    const late = await h.api<{ error: string }>('POST', `/api/v1/enroll-requests/${id}/approve`)
    expect(late.status).toBe(409)
    expect(late.body.error).toBe('request-closed')
    expect((await h.api('POST', '/api/v1/enroll-requests/nope/approve')).status).toBe(404)
  })

  it('expires: an undecided request after 30 minutes, an approval 30 minutes after it was given', () => {
    const real = h.enroll()
    const { token } = createEnrollToken(h.db, { maxUses: 5 })
    const k = key()
    const t0 = new Date()
    const ask = (now: Date, approvalKey = k) => {
      try {
        enroll(h.db, token, real.identity, now, '192.0.2.1', approvalKey)
        return null
      } catch (err) {
        return err instanceof MachineEnrolledError ? err.approval : (() => { throw err })()
      }
    }
    const first = ask(t0)!
    expect(listEnrollRequests(h.db, real.hostId, minutes(29, t0))).toHaveLength(1)
    expect(listEnrollRequests(h.db, real.hostId, minutes(31, t0))).toEqual([])
    expect(() => decideEnrollRequest(h.db, first.requestId, 'approved', SYSTEM_ACTOR, minutes(31, t0))).toThrow(/no longer waiting/)
    // Asked again later: a new request.
    const second = ask(minutes(31, t0))!
    expect(second.requestId).not.toBe(first.requestId)

    decideEnrollRequest(h.db, second.requestId, 'approved', SYSTEM_ACTOR, minutes(35, t0))
    expect(ask(minutes(66, t0))).toMatchObject({ state: 'pending' }) // the approval ran out at 65: still refused, asked anew
    const third = listEnrollRequests(h.db, real.hostId, minutes(66, t0))[0]!
    decideEnrollRequest(h.db, third.id, 'approved', SYSTEM_ACTOR, minutes(67, t0))
    expect(ask(minutes(90, t0))).toBeNull() // within its 30 minutes: enrolled
  })

  it('is bounded: a few waiting requests per host and in all, so nobody can flood the board', () => {
    const { token } = createEnrollToken(h.db, { maxUses: 100 })
    const tryEnroll = (identity: Enrolled['identity']) => {
      try {
        enroll(h.db, token, identity, new Date(), null, key())
      } catch (err) {
        return err as MachineEnrolledError
      }
      throw new Error('enrolled')
    }
    const first = h.enroll()
    for (let i = 0; i < ENROLL_REQUESTS_PER_HOST; i++) expect(tryEnroll(first.identity).approval).toMatchObject({ state: 'pending' })
    const over = tryEnroll(first.identity)
    expect(over.approval).toBeNull()
    expect(over.message).toMatch(/Too many requests wait/)

    let made = ENROLL_REQUESTS_PER_HOST
    while (made < ENROLL_REQUESTS_TOTAL) {
      const other = h.enroll()
      for (let i = 0; i < ENROLL_REQUESTS_PER_HOST && made < ENROLL_REQUESTS_TOTAL; i++, made++) expect(tryEnroll(other.identity).approval).not.toBeNull()
    }
    expect(tryEnroll(h.enroll().identity).approval).toBeNull()
    expect(listEnrollRequests(h.db)).toHaveLength(ENROLL_REQUESTS_TOTAL)
  })

  it('void once the agent it would replace is gone: after "revoke agent" the waiting PC simply enrolls', async () => {
    const real = h.enroll()
    const k = key()
    const { token } = createEnrollToken(h.db)
    expect((await enrollHttp(token, real.identity, k)).statusCode).toBe(409)
    await h.api('POST', `/api/v1/hosts/${real.hostId}/revoke-agent`)
    expect(await requests()).toEqual([])
    const res = await enrollHttp(token, real.identity, k)
    expect(res.statusCode).toBe(200)
    expect(res.json().hostId).toBe(real.hostId)
  })
})
