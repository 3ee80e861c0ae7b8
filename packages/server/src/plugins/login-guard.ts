// Login under attack (issue #11 item 7): a bounded number of password hashes at once, failed logins counted per account
// (and per known browser), and a device cookie that lets a browser which logged in before past an account lock.
// The limits themselves are in services/login-limits.ts; this file ties them to requests.
import { createHmac, randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { eq } from 'drizzle-orm'
import { settings } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { safeEqualHex } from '../crypto.js'
import { tooMany } from '../errors.js'
import { createFailureLocks, HashGate } from '../services/login-limits.js'

declare module 'fastify' {
  interface FastifyInstance {
    loginGuard: ReturnType<typeof createLoginGuard>
  }
}

const MINUTE = 60_000
/** The figures, documented in docs/security.md. */
export const LOGIN_LIMITS = {
  /**
   * Password hashes at once and how many may wait per lane before a login is refused (503). One scrypt hash takes a core
   * for ~0.5–1 s: one core stays for everything else (on 2 cores: 1 at a time), and at most 2 of libuv's 4 threads.
   */
  hashConcurrency: Math.max(1, Math.min(2, availableParallelism() - 1)),
  hashWaiting: 8,
  /** Unknown browsers, per account name: 5 failures per 15 min, then locks of 1, 2, 4 … at most 15 minutes. */
  account: { free: 5, windowMs: 15 * MINUTE, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  /** A browser that logged in before, on its own: 10 failures, then the same locks. */
  device: { free: 10, windowMs: 15 * MINUTE, firstLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  /** How long a device cookie is honoured after its login. */
  deviceMaxAgeMs: 365 * 24 * 60 * MINUTE,
}
/** Seconds a refused (busy) login should wait. */
const BUSY_RETRY_SECONDS = 5

const COOKIE_PLAIN = 'lagebild_device'
const COOKIE_SECURE = '__Host-lagebild_device'
const KEY_SETTING = 'auth.deviceKey'

/** The server's key for device cookies: made once, kept in the settings table (it survives restarts, never leaves the server). */
function deviceKey(db: Db): string {
  const row = db.select().from(settings).where(eq(settings.key, KEY_SETTING)).get()
  if (typeof row?.value === 'string' && /^[0-9a-f]{64}$/.test(row.value)) return row.value
  const key = randomBytes(32).toString('hex')
  db.insert(settings).values({ key: KEY_SETTING, value: key }).onConflictDoUpdate({ target: settings.key, set: { value: key } }).run()
  return key
}

export function createLoginGuard(fastify: FastifyInstance) {
  const key = deviceKey(fastify.db)
  const gate = new HashGate(LOGIN_LIMITS.hashConcurrency, LOGIN_LIMITS.hashWaiting)
  const accounts = createFailureLocks(LOGIN_LIMITS.account)
  const devices = createFailureLocks(LOGIN_LIMITS.device)
  const cookieName = (req: FastifyRequest) => (req.protocol === 'https' ? COOKIE_SECURE : COOKIE_PLAIN)
  const sign = (username: string, id: string, issued: number) => createHmac('sha256', key).update(`${username}\n${id}\n${issued}`).digest('hex')

  /** The id of this browser when it holds a valid device cookie for this account (it logged in as this user before). */
  function knownDevice(req: FastifyRequest, username: string, now: number): string | null {
    const [id, issued, sig] = (req.cookies?.[cookieName(req)] ?? '').split('.')
    const at = Number(issued)
    if (!id || !sig || !/^[0-9a-f]{32}$/.test(id) || !Number.isSafeInteger(at) || now - at > LOGIN_LIMITS.deviceMaxAgeMs || at > now + MINUTE) return null
    return safeEqualHex(sign(username, id, at), sig) ? id : null
  }

  function rememberDevice(req: FastifyRequest, reply: FastifyReply, username: string, now: number) {
    const id = randomBytes(16).toString('hex')
    reply.setCookie(cookieName(req), `${id}.${now}.${sign(username, id, now)}`, {
      path: '/', httpOnly: true, secure: req.protocol === 'https', sameSite: 'strict', maxAge: LOGIN_LIMITS.deviceMaxAgeMs / 1000,
    })
  }

  return {
    gate,
    /**
     * Runs `login` (which hashes the password and throws 401 when it is wrong) within the limits: 429 with Retry-After
     * while this account (or this known browser) is locked, 503 with Retry-After when too many hashes are waiting.
     */
    async attempt<T>(req: FastifyRequest, reply: FastifyReply, username: string, login: () => Promise<T>): Promise<T> {
      const now = Date.now()
      const device = knownDevice(req, username, now)
      const [locks, lockKey] = device ? [devices, `${username}\n${device}`] : [accounts, username]
      const wait = locks.lockedFor(lockKey, now)
      if (wait) {
        reply.header('retry-after', String(wait))
        const where = device ? '' : '; a browser that logged in as this user before is not affected'
        throw tooMany(`too many failed logins for this account: try again in ${wait} s${where}`, 'login-locked')
      }
      try {
        const result = await gate.run(device ? 'known' : 'unknown', login)
        locks.succeed(lockKey)
        rememberDevice(req, reply, username, Date.now())
        return result
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode
        if (status === 401) locks.fail(lockKey)
        if (status === 503) reply.header('retry-after', String(BUSY_RETRY_SECONDS))
        throw err
      }
    },
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('loginGuard', createLoginGuard(fastify))
  },
  { name: 'login-guard', dependencies: ['db'] },
)
