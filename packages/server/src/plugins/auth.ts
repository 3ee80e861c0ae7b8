// Who is asking: an agent (per-agent secret), a person (server-side session cookie + CSRF token) or automation (API key).
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { randomUUID } from 'node:crypto'
import type { AgentRefusal, Role } from '@lagebild/shared'
import { agents, apiKeys, hosts, sessions, users } from '../db/schema.js'
import { randomToken, safeEqualHex, sha256, verifyPassword } from '../crypto.js'
import { agentRefused, forbidden, unauthorized } from '../errors.js'

export interface Person {
  id: string
  username: string
  role: Role
  via: 'session' | 'api-key'
  sessionIdHash?: string
  csrfToken?: string
}
export interface AgentIdentity {
  id: string
  hostId: string
  /** When the agent was enrolled: a report collected before that is not believed (services/agent-time.ts). */
  createdAt?: string
}
export type AgentCheck = { agent: AgentIdentity; refusal?: undefined } | { agent?: undefined; refusal: AgentRefusal }

declare module 'fastify' {
  interface FastifyRequest {
    person?: Person
    agentIdentity?: AgentIdentity
  }
  interface FastifyInstance {
    auth: ReturnType<typeof createAuth>
  }
}

/** Inactivity and absolute session timeouts (OWASP: idle 15–30 min, absolute 4–12 h for an office app). */
export const SESSION_IDLE_MS = 30 * 60_000
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000
const COOKIE_PLAIN = 'lagebild_session'
const COOKIE_SECURE = '__Host-lagebild_session'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// A fixed dummy hash so that a login with an unknown user name costs as much as one with a wrong password.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
// The same for agents: an unknown agent id is compared against this, so it costs as much as a wrong secret.
const DUMMY_SECRET_HASH = sha256('no agent has this secret')

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization
  if (!h) return null
  const m = /^Bearer\s+(\S+)$/i.exec(h)
  return m ? m[1]! : null
}

const refusalOf = (a: { revokedAt: string | null; revokedReason: AgentRefusal | null }, hostRetiredAt: string | null): AgentRefusal | null =>
  a.revokedAt ? (a.revokedReason ?? 'agent-revoked') : hostRetiredAt ? 'host-retired' : null

export function createAuth(fastify: FastifyInstance) {
  const db = fastify.db
  const cookieName = (req: FastifyRequest) => (req.protocol === 'https' ? COOKIE_SECURE : COOKIE_PLAIN)

  /**
   * Checks `agentId.secret`. The secret is hashed and compared whether or not the id exists (no timing oracle for ids),
   * and whoever does not prove the secret learns only `bad-credentials`. A revoked agent or a retired host is refused
   * with its own code, so the agent can say why.
   */
  function checkAgent(token: string | null): AgentCheck {
    const dot = token ? token.indexOf('.') : -1
    const id = dot > 0 ? token!.slice(0, dot) : ''
    const given = sha256(dot > 0 ? token!.slice(dot + 1) : (token ?? ''))
    const row = id
      ? db.select({ a: agents, retiredAt: hosts.retiredAt }).from(agents).innerJoin(hosts, eq(hosts.id, agents.hostId)).where(eq(agents.id, id)).get()
      : undefined
    const match = safeEqualHex(row?.a.secretHash ?? DUMMY_SECRET_HASH, given)
    if (!row || !match) return { refusal: 'bad-credentials' }
    const refusal = refusalOf(row.a, row.retiredAt)
    return refusal ? { refusal } : { agent: { id: row.a.id, hostId: row.a.hostId, createdAt: row.a.createdAt } }
  }

  // Asked for every report (inside the ingest's transaction: the same connection) and every ping: prepared once.
  const refusalRow = db
    .select({ revokedAt: agents.revokedAt, revokedReason: agents.revokedReason, retiredAt: hosts.retiredAt })
    .from(agents)
    .innerJoin(hosts, eq(hosts.id, agents.hostId))
    .where(eq(agents.id, sql.placeholder('agentId')))
    .prepare()

  /**
   * Why a known agent may not report any more (null: it may). Used at ingest, inside its transaction, and by the live
   * channel for connections opened before a revocation.
   */
  function agentRefusal(agentId: string): AgentRefusal | null {
    const row = refusalRow.get({ agentId })
    return row ? refusalOf(row, row.retiredAt) : 'bad-credentials'
  }

  function sessionPerson(req: FastifyRequest): Person | null {
    const raw = req.cookies?.[cookieName(req)]
    if (!raw) return null
    const idHash = sha256(raw)
    const row = db
      .select({ s: sessions, u: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.idHash, idHash))
      .get()
    if (!row || row.u.disabledAt) return null
    const now = Date.now()
    if (now - Date.parse(row.s.lastSeenAt) > SESSION_IDLE_MS || now - Date.parse(row.s.createdAt) > SESSION_ABSOLUTE_MS) {
      db.delete(sessions).where(eq(sessions.idHash, idHash)).run()
      return null
    }
    // Refresh the idle clock at most once a minute, to keep reads cheap.
    if (now - Date.parse(row.s.lastSeenAt) > 60_000)
      db.update(sessions).set({ lastSeenAt: new Date(now).toISOString() }).where(eq(sessions.idHash, idHash)).run()
    return { id: row.u.id, username: row.u.username, role: row.u.role, via: 'session', sessionIdHash: idHash, csrfToken: row.s.csrfToken }
  }

  function apiKeyPerson(token: string | null): Person | null {
    if (!token?.startsWith('lbk_')) return null
    const row = db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, sha256(token)), isNull(apiKeys.revokedAt))).get()
    if (!row) return null
    // At most once a minute, as for sessions: a script polling the API must not turn every read into a write.
    const now = Date.now()
    if (!row.lastUsedAt || now - Date.parse(row.lastUsedAt) > 60_000)
      db.update(apiKeys).set({ lastUsedAt: new Date(now).toISOString() }).where(eq(apiKeys.id, row.id)).run()
    return { id: row.id, username: `api-key:${row.name}`, role: 'admin', via: 'api-key' }
  }

  return {
    checkAgent,
    agentRefusal,
    /** onRequest: the request must carry valid agent credentials; a refusal says why (401, `error` = the refusal code). */
    async requireAgent(req: FastifyRequest) {
      const c = checkAgent(bearer(req))
      if (c.refusal) throw agentRefused(c.refusal)
      req.agentIdentity = c.agent
    },
    /** preHandler factory: a logged-in person (or an API key) with at least this role; CSRF-checked for state changes. */
    requirePerson(role: Role = 'viewer') {
      return async (req: FastifyRequest) => {
        const p = apiKeyPerson(bearer(req)) ?? sessionPerson(req)
        if (!p) throw unauthorized()
        if (p.via === 'session' && !SAFE_METHODS.has(req.method)) {
          const sent = req.headers['x-csrf-token']
          if (typeof sent !== 'string' || sent !== p.csrfToken) throw forbidden('missing or wrong CSRF token', 'csrf')
        }
        if (role === 'admin' && p.role !== 'admin') throw forbidden()
        req.person = p
      }
    },
    /** Checks a login; a new session id every time (no fixation). */
    async login(req: FastifyRequest, reply: FastifyReply, username: string, password: string) {
      const user = db.select().from(users).where(eq(users.username, username)).get()
      const okPw = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
      if (!user || !okPw) throw unauthorized('wrong user name or password')
      // Said only to someone who knows the password: the account exists but an admin revoked it.
      if (user.disabledAt) throw unauthorized('this account was revoked by an administrator', 'account-revoked')
      const old = req.cookies?.[cookieName(req)]
      if (old) db.delete(sessions).where(eq(sessions.idHash, sha256(old))).run()
      const value = randomToken(32)
      const now = new Date().toISOString()
      const csrfToken = randomToken(24)
      db.insert(sessions).values({ idHash: sha256(value), userId: user.id, csrfToken, createdAt: now, lastSeenAt: now }).run()
      db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id)).run()
      // Old sessions of everyone: drop the expired ones now and then.
      db.delete(sessions)
        .where(or(lt(sessions.lastSeenAt, new Date(Date.now() - SESSION_IDLE_MS).toISOString()), lt(sessions.createdAt, new Date(Date.now() - SESSION_ABSOLUTE_MS).toISOString())))
        .run()
      reply.setCookie(cookieName(req), value, {
        path: '/',
        httpOnly: true,
        secure: req.protocol === 'https',
        sameSite: 'strict',
        maxAge: SESSION_ABSOLUTE_MS / 1000,
      })
      return { user: { id: user.id, username: user.username, role: user.role }, csrfToken }
    },
    logout(req: FastifyRequest, reply: FastifyReply) {
      const raw = req.cookies?.[cookieName(req)]
      if (raw) db.delete(sessions).where(eq(sessions.idHash, sha256(raw))).run()
      reply.clearCookie(cookieName(req), { path: '/' })
    },
    newId: () => randomUUID(),
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('auth', createAuth(fastify))
  },
  { name: 'auth', dependencies: ['db'] })
