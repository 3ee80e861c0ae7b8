// Enrollment tokens (created by an admin) and the exchange of a token for per-agent credentials.
import { randomUUID } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import type { HostIdentity } from '@lagebild/shared'
import { agents, enrollTokens, hosts } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { randomToken, sha256 } from '../crypto.js'
import { invalid, unauthorized } from '../errors.js'
import { recordAudit, SYSTEM_ACTOR, type Actor } from './audit.js'

export const MAX_DURATION_MS = 366 * 86_400_000

/** Parses a duration such as 30m, 12h, 7d, 2w (at most 366 days). */
export function parseDuration(s: string): number {
  const m = /^(\d+)\s*(m|h|d|w)$/.exec(s.trim())
  if (!m) throw invalid(`duration "${s}": expected a number with m, h, d or w, e.g. 7d`)
  const n = Number(m[1])
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as 'm' | 'h' | 'd' | 'w']
  if (n <= 0) throw invalid(`duration "${s}" must be positive`)
  // Unbounded, "99999999999999d" made an invalid date (500); no token needs to live longer than a year.
  if (n * unit > MAX_DURATION_MS) throw invalid(`duration "${s}" is longer than a year (366d)`)
  return n * unit
}

export interface TokenOptions {
  expiresInMs?: number | null
  maxUses?: number | null
  tags?: string[]
}

export function createEnrollToken(db: Db, opts: TokenOptions = {}, who: Actor = SYSTEM_ACTOR, now = new Date()) {
  if (opts.maxUses !== undefined && opts.maxUses !== null && (!Number.isInteger(opts.maxUses) || opts.maxUses < 1))
    throw invalid('uses must be a whole number of at least 1')
  const token = `lbe_${randomToken(24)}`
  const id = randomUUID()
  const expiresAt = opts.expiresInMs ? new Date(now.getTime() + opts.expiresInMs).toISOString() : null
  const row = { id, expiresAt, maxUses: opts.maxUses ?? null, tags: opts.tags ?? [] }
  db.transaction((tx) => {
    tx.insert(enrollTokens).values({ ...row, tokenHash: sha256(token) }).run()
    recordAudit(tx, who, { action: 'token.create', target: `token:${id}`, after: row }, now)
  })
  return { id, token, expiresAt, maxUses: opts.maxUses ?? null }
}

/** Exchanges a token for agent credentials. A machine enrolled before keeps its host (and history); its old agents are revoked. */
export function enroll(db: Db, token: string, host: HostIdentity, now = new Date()) {
  const iso = now.toISOString()
  return db.transaction((tx) => {
    const t = tx.select().from(enrollTokens).where(and(eq(enrollTokens.tokenHash, sha256(token)), isNull(enrollTokens.revokedAt))).get()
    if (!t) throw unauthorized('unknown or revoked enrollment token', 'bad-token')
    if (t.expiresAt && t.expiresAt < iso) throw unauthorized('enrollment token has expired', 'token-expired')
    if (t.maxUses !== null && t.uses >= t.maxUses) throw unauthorized('enrollment token is used up', 'token-used-up')
    tx.update(enrollTokens).set({ uses: t.uses + 1 }).where(eq(enrollTokens.id, t.id)).run()
    const identity = {
      hostname: host.hostname, osFamily: host.os.family, osDistribution: host.os.distribution, osVersion: host.os.version,
      osBuild: host.os.build, kernel: host.kernel, arch: host.arch, agentVersion: host.agentVersion, bootTime: host.bootTime,
    }
    let existing = tx.select().from(hosts).where(eq(hosts.machineId, host.machineId)).get()
    if (existing) {
      tx.update(hosts).set(identity).where(eq(hosts.id, existing.id)).run()
      tx.update(agents).set({ revokedAt: iso }).where(and(eq(agents.hostId, existing.id), isNull(agents.revokedAt))).run()
    } else {
      existing = tx.insert(hosts).values({ id: randomUUID(), machineId: host.machineId, tags: t.tags, ...identity }).returning().get()
    }
    const agentId = randomUUID()
    const secret = randomToken(32)
    tx.insert(agents).values({ id: agentId, hostId: existing.id, secretHash: sha256(secret) }).run()
    return { agentId, secret, hostId: existing.id }
  })
}
