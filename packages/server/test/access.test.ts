// Who holds access, managed over the API as the board does it: enrollment tokens (safe default: one PC), API keys and
// people — list, create, revoke, new passwords — each refused at once after revocation and written to the audit log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { auditLog } from '../src/db/schema.js'
import { harness, host } from './helper.js'

let t: Awaited<ReturnType<typeof harness>>
let admin: Session
beforeEach(async () => {
  t = await harness()
  await t.user('anna', 'correct horse battery', 'admin')
  admin = await login('anna', 'correct horse battery')
})
afterEach(async () => t.close())

interface Session {
  status: number
  headers: Record<string, string>
}
async function login(username: string, password: string): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })
  const c = res.cookies.find((x) => x.name === 'lagebild_session')
  return { status: res.statusCode, headers: c ? { cookie: `lagebild_session=${c.value}`, 'x-csrf-token': res.json().csrfToken as string } : {} }
}
async function call<T = Record<string, unknown>>(s: Session, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : method === 'POST' ? { payload: {} } : {}) })
  return { status: res.statusCode, body: res.json() as T }
}
const enrollWith = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token, host: host() } })
const audit = (action: string) => t.db.select().from(auditLog).where(eq(auditLog.action, action)).all()

describe('enrollment tokens', () => {
  it('without a number of uses a token enrolls one PC (not an unlimited number), and lives 7 days', async () => {
    const created = await call<{ token: string; maxUses: number; expiresAt: string }>(admin, 'POST', '/api/v1/enroll-tokens', {})
    expect(created.status).toBe(200)
    expect(created.body.maxUses).toBe(1)
    expect(Math.round((Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000)).toBe(7)
    expect((await enrollWith(created.body.token)).statusCode).toBe(200)
    const second = await enrollWith(created.body.token)
    expect(second.statusCode).toBe(401)
    expect(second.json().error).toBe('token-used-up')
  })

  it('are listed with their state (never the token), and a revoked one enrolls nobody', async () => {
    const a = (await call<{ id: string; token: string }>(admin, 'POST', '/api/v1/enroll-tokens', { uses: 5, tags: ['office'] })).body
    const list = await call<{ tokens: Record<string, unknown>[] }>(admin, 'GET', '/api/v1/enroll-tokens')
    const row = list.body.tokens.find((x) => x.id === a.id)!
    expect(row).toMatchObject({ maxUses: 5, uses: 0, tags: ['office'], state: 'active', createdBy: 'anna', mayReplace: false })
    expect(JSON.stringify(list.body)).not.toContain(a.token)
    expect(Object.keys(row)).not.toContain('tokenHash')
    expect((await call(admin, 'POST', `/api/v1/enroll-tokens/${a.id}/revoke`)).status).toBe(200)
    const refused = await enrollWith(a.token)
    expect(refused.statusCode).toBe(401)
    expect(refused.json().error).toBe('bad-token')
    expect((await call<{ tokens: { id: string; state: string }[] }>(admin, 'GET', '/api/v1/enroll-tokens')).body.tokens.find((x) => x.id === a.id)!.state).toBe('revoked')
    // Revoking again changes nothing and writes nothing.
    await call(admin, 'POST', `/api/v1/enroll-tokens/${a.id}/revoke`)
    expect(audit('token.revoke')).toHaveLength(1)
    expect(audit('token.revoke')[0]).toMatchObject({ actor: 'anna', target: `token:${a.id}`, before: { revokedAt: null, uses: 0 }, after: { revokedAt: expect.any(String) } })
    expect((await call(admin, 'POST', '/api/v1/enroll-tokens/no-such-id/revoke')).status).toBe(404)
  })
})

describe('API keys', () => {
  it('created on the board, listed without the key, refused from the request after the revocation', async () => {
    const k = (await call<{ id: string; key: string }>(admin, 'POST', '/api/v1/api-keys', { name: 'monitoring' })).body
    const bearer = { authorization: `Bearer ${k.key}` }
    expect((await t.app.inject({ url: '/api/v1/hosts', headers: bearer })).statusCode).toBe(200)
    const list = await call<{ apiKeys: { id: string; name: string; lastUsedAt: string | null; createdBy: string }[] }>(admin, 'GET', '/api/v1/api-keys')
    expect(list.body.apiKeys.find((x) => x.id === k.id)).toMatchObject({ name: 'monitoring', createdBy: 'anna', lastUsedAt: expect.any(String) })
    expect(JSON.stringify(list.body)).not.toContain(k.key)
    expect((await call(admin, 'POST', `/api/v1/api-keys/${k.id}/revoke`)).status).toBe(200)
    expect((await t.app.inject({ url: '/api/v1/hosts', headers: bearer })).statusCode).toBe(401)
    expect(audit('api-key.revoke')[0]).toMatchObject({ target: `api-key:${k.id}`, before: { name: 'monitoring', revokedAt: null } })
  })
})

describe('people', () => {
  it('created on the board with a generated password shown once; it works for the login', async () => {
    const u = await call<{ id: string; username: string; role: string; password: string }>(admin, 'POST', '/api/v1/users', { username: 'viktor', role: 'viewer' })
    expect(u.status).toBe(200)
    expect(u.body).toMatchObject({ username: 'viktor', role: 'viewer', lastLoginAt: null })
    expect(u.body.password.length).toBeGreaterThanOrEqual(16)
    expect((await login('viktor', u.body.password)).status).toBe(200)
    expect((await call(admin, 'POST', '/api/v1/users', { username: 'viktor', role: 'viewer' })).status).toBe(409)
    const given = await call<Record<string, unknown>>(admin, 'POST', '/api/v1/users', { username: 'vera', role: 'admin', password: 'chosen by vera' })
    expect(given.body.password).toBeUndefined()
    expect((await call(admin, 'POST', '/api/v1/users', { username: 'x', role: 'viewer', password: 'short' })).status).toBe(400)
    expect(JSON.stringify(audit('user.create'))).not.toContain('chosen by vera')
  })

  it('a new password ends the person\'s sessions; the old one stops working', async () => {
    const u = (await call<{ id: string; password: string }>(admin, 'POST', '/api/v1/users', { username: 'viktor', role: 'viewer' })).body
    const s = await login('viktor', u.password)
    const reset = await call<{ password: string }>(admin, 'POST', `/api/v1/users/${u.id}/password`, {})
    expect(reset.status).toBe(200)
    expect(reset.body.password).not.toBe(u.password)
    expect((await call(s, 'GET', '/api/v1/auth/me')).status).toBe(401)
    expect((await login('viktor', u.password)).status).toBe(401)
    expect((await login('viktor', reset.body.password)).status).toBe(200)
    expect(audit('user.password')[0]).toMatchObject({ actor: 'anna', target: `user:${u.id}`, after: { sessionsEnded: true } })
  })

  it('a revoked person cannot log in and is logged out; nobody revokes themselves or the last admin', async () => {
    const u = (await call<{ id: string; password: string }>(admin, 'POST', '/api/v1/users', { username: 'viktor', role: 'viewer' })).body
    const s = await login('viktor', u.password)
    expect((await call(admin, 'POST', `/api/v1/users/${u.id}/revoke`)).status).toBe(200)
    expect((await call(s, 'GET', '/api/v1/auth/me')).status).toBe(401)
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'viktor', password: u.password } })
    expect(again.statusCode).toBe(401)
    expect(again.json().error).toBe('account-revoked')
    const users = (await call<{ users: { id: string; username: string; disabledAt: string | null }[] }>(admin, 'GET', '/api/v1/users')).body.users
    expect(users.find((x) => x.username === 'viktor')!.disabledAt).toEqual(expect.any(String))
    const anna = users.find((x) => x.username === 'anna')!
    const self = await call<{ message: string }>(admin, 'POST', `/api/v1/users/${anna.id}/revoke`)
    expect(self.status).toBe(400)
    expect(self.body.message).toMatch(/your own account/)
    // Through an API key (not anna herself): anna is the last active admin.
    const last = await t.app.inject({ method: 'POST', url: `/api/v1/users/${anna.id}/revoke`, headers: { authorization: `Bearer ${t.apiKey}` }, payload: {} })
    expect(last.statusCode).toBe(400)
    expect(last.json().message).toMatch(/last active admin/)
    expect(audit('user.revoke')[0]).toMatchObject({ target: `user:${u.id}`, before: { username: 'viktor', role: 'viewer' }, after: { sessionsEnded: true } })
  })

  it('a viewer sees none of it and changes none of it', async () => {
    await t.user('viktor', 'viewer password 1', 'viewer')
    const v = await login('viktor', 'viewer password 1')
    for (const url of ['/api/v1/users', '/api/v1/api-keys', '/api/v1/enroll-tokens']) expect((await call(v, 'GET', url)).status).toBe(403)
    expect((await call(v, 'POST', '/api/v1/users', { username: 'evil', role: 'admin' })).status).toBe(403)
    expect((await call(v, 'POST', '/api/v1/api-keys', { name: 'evil' })).status).toBe(403)
  })
})
