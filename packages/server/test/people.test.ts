// People: login, session cookie, CSRF, roles, timeouts, logout, rate limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { sessions } from '../src/db/schema.js'
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../src/plugins/auth.js'
import { sha256 } from '../src/crypto.js'
import { harness, type Harness } from './helper.js'

let t: Harness
beforeEach(async () => {
  t = await harness()
  await t.user('anna', 'correct horse battery', 'admin')
  await t.user('viktor', 'viewer password 1', 'viewer')
})
afterEach(async () => t.close())

async function login(username: string, password: string, cookie?: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: cookie ? { cookie } : {} })
  const set = res.cookies.find((c) => c.name === 'lagebild_session')
  return { res, set, cookie: set ? `lagebild_session=${set.value}` : '', csrf: res.statusCode === 200 ? (res.json().csrfToken as string) : '' }
}

describe('login', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and answers with a CSRF token', async () => {
    const { res, set, csrf } = await login('anna', 'correct horse battery')
    expect(res.statusCode).toBe(200)
    expect(res.json().user).toMatchObject({ username: 'anna', role: 'admin' })
    expect(csrf.length).toBeGreaterThan(20)
    expect(set).toBeDefined()
    expect(set!.httpOnly).toBe(true)
    expect(set!.sameSite).toBe('Strict')
    expect(set!.path).toBe('/')
    // Plain HTTP here; over HTTPS the cookie is __Host- and Secure.
    expect(set!.secure).toBeFalsy()
    // The session id is stored hashed, never in clear.
    expect(t.db.select().from(sessions).where(eq(sessions.idHash, set!.value)).get()).toBeUndefined()
    expect(t.db.select().from(sessions).where(eq(sessions.idHash, sha256(set!.value))).get()).toBeDefined()
  })

  it('refuses a wrong password and an unknown user alike', async () => {
    const a = await login('anna', 'wrong password!')
    const b = await login('nobody', 'wrong password!')
    expect(a.res.statusCode).toBe(401)
    expect(b.res.statusCode).toBe(401)
    expect(a.res.json().message).toBe(b.res.json().message)
    expect(a.set).toBeUndefined()
  })

  it('renews the session id at login: the old cookie stops working', async () => {
    const first = await login('anna', 'correct horse battery')
    const second = await login('anna', 'correct horse battery', first.cookie)
    expect(second.set!.value).not.toBe(first.set!.value)
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: first.cookie } })).statusCode).toBe(401)
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: second.cookie } })
    expect(me.statusCode).toBe(200)
    expect(me.json().csrfToken).toBe(second.csrf)
  })

  it('is rate-limited', async () => {
    let last = 0
    for (let i = 0; i < 11; i++) last = (await login('anna', 'wrong password!')).res.statusCode
    expect(last).toBe(429)
  })
})

describe('CSRF and roles', () => {
  it('a state change without or with a wrong X-CSRF-Token is refused; with it, it works', async () => {
    const { cookie, csrf } = await login('anna', 'correct horse battery')
    const url = '/api/v1/enroll-tokens'
    const none = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: {} })
    expect(none.statusCode).toBe(403)
    expect(none.json().error).toBe('csrf')
    const wrong = await t.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: {} })
    expect(wrong.statusCode).toBe(403)
    const right = await t.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf }, payload: {} })
    expect(right.statusCode).toBe(200)
    expect(right.json().token).toMatch(/^lbe_/)
  })

  it('a viewer reads the board but may not create enrollment tokens', async () => {
    const { cookie, csrf } = await login('viktor', 'viewer password 1')
    expect((await t.app.inject({ url: '/api/v1/overview', headers: { cookie } })).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/v1/hosts', headers: { cookie } })).statusCode).toBe(200)
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll-tokens', headers: { cookie, 'x-csrf-token': csrf }, payload: {} })
    expect(res.statusCode).toBe(403)
  })

  it('without a session the API answers 401', async () => {
    for (const url of ['/api/v1/overview', '/api/v1/hosts', '/api/v1/auth/me', '/api/v1/measures'])
      expect((await t.app.inject({ url })).statusCode).toBe(401)
  })
})

describe('timeouts and logout', () => {
  it('a session idle for longer than 30 minutes has ended', async () => {
    const { cookie, set } = await login('anna', 'correct horse battery')
    const old = new Date(Date.now() - SESSION_IDLE_MS - 60_000).toISOString()
    t.db.update(sessions).set({ lastSeenAt: old }).where(eq(sessions.idHash, sha256(set!.value))).run()
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401)
    // …and it is gone, not just refused.
    expect(t.db.select().from(sessions).where(eq(sessions.idHash, sha256(set!.value))).get()).toBeUndefined()
  })

  it('a session older than 12 hours has ended even when used all the time', async () => {
    const { cookie, set } = await login('anna', 'correct horse battery')
    const created = new Date(Date.now() - SESSION_ABSOLUTE_MS - 60_000).toISOString()
    t.db.update(sessions).set({ createdAt: created, lastSeenAt: new Date().toISOString() }).where(eq(sessions.idHash, sha256(set!.value))).run()
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401)
  })

  it('an active session keeps going: use refreshes the idle clock', async () => {
    const { cookie, set } = await login('anna', 'correct horse battery')
    const almost = new Date(Date.now() - SESSION_IDLE_MS + 5 * 60_000).toISOString()
    t.db.update(sessions).set({ lastSeenAt: almost }).where(eq(sessions.idHash, sha256(set!.value))).run()
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200)
    const row = t.db.select().from(sessions).where(eq(sessions.idHash, sha256(set!.value))).get()!
    expect(Date.parse(row.lastSeenAt)).toBeGreaterThan(Date.parse(almost))
  })

  it('logout needs the CSRF token, ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await login('anna', 'correct horse battery')
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(403)
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } })
    expect(out.statusCode).toBe(204)
    const cleared = out.cookies.find((c) => c.name === 'lagebild_session')
    expect(cleared?.value).toBe('')
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401)
  })
})

describe('security headers', () => {
  it('CSP allows only our own scripts, no framing; no-referrer; nosniff', async () => {
    const res = await t.app.inject({ url: '/healthz' })
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
  })
})
