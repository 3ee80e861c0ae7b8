// A login flood must not block the server, lock the real admin out for long, or escape the limits with a forged
// X-Forwarded-For (issue #11 item 7). Real app, real SQLite file, real scrypt.
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildServer } from '../src/build.js'
import { configFromEnv, ConfigError, trustProxyFromEnv } from '../src/config.js'
import { openDb } from '../src/db/index.js'
import { createUser } from '../src/services/people.js'
import { createFailureLocks, HashGate } from '../src/services/login-limits.js'
import { LOGIN_LIMITS } from '../src/plugins/login-guard.js'
import { host } from './helper.js'

const PASSWORD = 'correct horse battery staple'
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

/** `trustProxy` undefined: as LAGEBILD_TRUST_PROXY says. */
async function server(trustProxy?: string[] | false) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lagebild-login-'))
  const db = openDb(dataDir)
  await createUser(db, 'admin', PASSWORD, 'admin')
  const app = await buildServer({ config: configFromEnv({ dataDir, logLevel: 'silent', ...(trustProxy !== undefined ? { trustProxy } : {}) }), db, logger: false, jobs: false })
  await app.ready()
  cleanups.push(async () => {
    await app.close()
    db.$client.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  const login = (username: string, password: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers, remoteAddress })
  return { app, db, login }
}

const cookieOf = (res: { cookies: { name: string; value: string }[] }, name: string) => res.cookies.find((c) => c.name === name)?.value

describe('the password-hash gate', () => {
  it('runs at most `concurrency` at once, serves known browsers first and refuses beyond the queue (503)', async () => {
    const gate = new HashGate(1, 2)
    const order: string[] = []
    let release!: () => void
    const first = gate.run('unknown', () => new Promise<void>((r) => (release = r)))
    const queued = ['u1', 'u2'].map((n) => gate.run('unknown', async () => void order.push(n)))
    const known = gate.run('known', async () => void order.push('k1'))
    await expect(gate.run('unknown', async () => undefined)).rejects.toMatchObject({ statusCode: 503, code: 'busy' })
    expect(gate.busy).toEqual({ running: 1, waiting: 3 })
    release()
    await Promise.all([first, ...queued, known])
    expect(order).toEqual(['k1', 'u1', 'u2'])
    expect(gate.busy).toEqual({ running: 0, waiting: 0 })
  })
})

describe('failure locks', () => {
  const opts = LOGIN_LIMITS.account
  it('5 failures are free; then 1, 2, 4 … minutes, never more than 15; a success clears the count', () => {
    const locks = createFailureLocks(opts)
    let now = 1_000_000
    for (let i = 0; i < opts.free; i++) locks.fail('admin', now)
    expect(locks.lockedFor('admin', now)).toBe(0)
    const seen: number[] = []
    for (let i = 0; i < 8; i++) {
      locks.fail('admin', now)
      seen.push(locks.lockedFor('admin', now) / 60)
      now += locks.lockedFor('admin', now) * 1000
    }
    expect(seen).toEqual([1, 2, 4, 8, 15, 15, 15, 15])
    locks.succeed('admin')
    expect(locks.lockedFor('admin', now)).toBe(0)
  })

  it('an unlocked account forgets its failures when the window ends', () => {
    const locks = createFailureLocks(opts)
    for (let i = 0; i < opts.free; i++) locks.fail('admin', 0)
    locks.fail('admin', opts.windowMs + 1)
    expect(locks.lockedFor('admin', opts.windowMs + 1)).toBe(0)
  })

  it('memory stays bounded under a spray of user names', () => {
    const locks = createFailureLocks({ ...opts, maxKeys: 100 })
    for (let i = 0; i < 10_000; i++) for (let j = 0; j <= opts.free; j++) locks.fail(`user${i}`, 0)
    expect(locks.lockedFor('user0', 0)).toBe(0)
    expect(locks.lockedFor('user9999', 0)).toBeGreaterThan(0)
  })
})

describe('a flood of wrong logins', () => {
  it('leaves the worker pool to everyone else: a file read stays fast while 12 logins from 12 addresses hash', async () => {
    const s = await server(['loopback'])
    const flood = Array.from({ length: 12 }, (_, i) => s.login(`user${i}`, 'wrong password', { 'x-forwarded-for': `198.51.100.${i + 1}` }))
    // Let the hashes take the threads, then read a file as the board's static files are read (libuv pool).
    await new Promise((r) => setTimeout(r, 300))
    const started = performance.now()
    await readFile(import.meta.filename)
    const readMs = performance.now() - started
    const health = await s.app.inject({ url: '/healthz' })
    const codes = (await Promise.all(flood)).map((r) => r.statusCode)
    expect(health.statusCode).toBe(200)
    // Unbounded, 12 scrypt calls took all 4 threads and this read waited for seconds.
    expect(readMs).toBeLessThan(1000)
    expect(codes.every((c) => c === 401 || c === 503)).toBe(true)
    // The queue is bounded: what does not fit is told to come back, not kept waiting.
    expect(codes.filter((c) => c === 503).length).toBeGreaterThanOrEqual(12 - LOGIN_LIMITS.hashConcurrency - LOGIN_LIMITS.hashWaiting)
  })
})

describe('per-account limit', () => {
  it('after 5 wrong passwords from any addresses the account is locked for unknown browsers, but not for the admin’s own browser', async () => {
    const s = await server(['loopback'])
    // The admin logged in before from this browser: it holds a device cookie.
    const before = await s.login('admin', PASSWORD)
    expect(before.statusCode).toBe(200)
    const device = cookieOf(before, 'lagebild_device')
    expect(device).toMatch(/^[0-9a-f]{32}\.\d+\.[0-9a-f]{64}$/)

    for (let i = 0; i <= LOGIN_LIMITS.account.free; i++)
      expect((await s.login('admin', `guess ${i}`, { 'x-forwarded-for': `203.0.113.${i + 1}` })).statusCode).toBe(401)
    // Even the right password from a new browser and a new address waits now, and says for how long.
    const locked = await s.login('admin', PASSWORD, { 'x-forwarded-for': '203.0.113.99' })
    expect(locked.statusCode).toBe(429)
    expect(locked.json().error).toBe('login-locked')
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_LIMITS.account.maxLockMs / 1000)

    // The admin's own browser is not affected.
    const own = await s.login('admin', PASSWORD, { cookie: `lagebild_device=${device}`, 'x-forwarded-for': '192.0.2.7' })
    expect(own.statusCode).toBe(200)
    // A device cookie is bound to its user: it does not unlock another account name, and a forged one counts for nothing.
    const forged = await s.login('admin', PASSWORD, { cookie: `lagebild_device=${device!.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`, 'x-forwarded-for': '192.0.2.8' })
    expect(forged.statusCode).toBe(429)
  })
})

describe('LAGEBILD_TRUST_PROXY', () => {
  // An empty body is refused (400) before any hashing, but the per-address limit counts it: fast, and still the limit.
  const attempt = (s: Awaited<ReturnType<typeof server>>, forged: string, from: string) =>
    s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '', password: '' }, headers: { 'x-forwarded-for': forged }, remoteAddress: from })
  const elevenFrom = async (s: Awaited<ReturnType<typeof server>>, from: string) => {
    const codes: number[] = []
    for (let i = 0; i < 11; i++) codes.push((await attempt(s, `198.51.100.${i}`, from)).statusCode)
    return codes
  }

  it('=1 (a proxy on this machine): a client elsewhere cannot escape the 10-a-minute limit by forging X-Forwarded-For', async () => {
    process.env.LAGEBILD_TRUST_PROXY = '1'
    const s = await server(undefined).finally(() => delete process.env.LAGEBILD_TRUST_PROXY)
    const codes = await elevenFrom(s, '203.0.113.5')
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(400))
    expect(codes[10]).toBe(429)
    // Through the proxy on this machine, each client counts on its own.
    expect((await elevenFrom(s, '127.0.0.1')).every((c) => c === 400)).toBe(true)
  })

  it('unset: X-Forwarded-For is ignored; a named proxy is believed, no one else', async () => {
    expect((await elevenFrom(await server(false), '127.0.0.1'))[10]).toBe(429)
    const s = await server(['10.0.0.5'])
    expect((await elevenFrom(s, '203.0.113.5'))[10]).toBe(429)
    expect((await elevenFrom(s, '10.0.0.5')).every((c) => c === 400)).toBe(true)
  })

  it('enrollment: rotating a forged X-Forwarded-For does not escape the per-address limit', async () => {
    const s = await server(['loopback'])
    let limited = false
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await s.app.inject({
        method: 'POST', url: '/api/v1/enroll', remoteAddress: '203.0.113.5',
        headers: { 'x-forwarded-for': `198.51.100.${i}` }, payload: { token: 'lbe_not-a-real-token-0000', host: host() },
      })
      limited = res.statusCode === 429
    }
    expect(limited).toBe(true)
  })

  it.each([
    ['', false],
    ['1', ['loopback']],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.5, 10.1.0.0/16,::1, loopback', ['10.0.0.5', '10.1.0.0/16', '::1', 'loopback']],
  ])('%j is read as %j', (raw, want) => {
    expect(trustProxyFromEnv(raw)).toEqual(want)
  })

  it.each([
    ['2', /would trust whatever stands in front/],
    ['true', /would trust whatever stands in front/],
    ['0.0.0.0/0', /trusts every address/],
    ['proxy.example', /no IP address, CIDR range/],
    ['10.0.0.0/33', /no IP address, CIDR range/],
  ])('%j stops the start with a message naming the variable', (raw, msg) => {
    expect(() => trustProxyFromEnv(raw)).toThrow(ConfigError)
    expect(() => trustProxyFromEnv(raw)).toThrow(msg)
    expect(() => trustProxyFromEnv(raw)).toThrow(/LAGEBILD_TRUST_PROXY/)
  })
})
