// The audit log: every admin action with who, when, from where and what (before → after). Append-only and hash-chained.
// Callers write the entry in the same transaction as the change itself, so there is no change without its entry.
import { userInfo } from 'node:os'
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { auditLog, AUDIT_VIA } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { chainHash, GENESIS_HASH, verifyChain, type ChainCheck } from './hash-chain.js'

export interface Actor {
  actor: string
  via: (typeof AUDIT_VIA)[number]
  ip: string | null
}

export interface AuditEntry {
  /** `area.verb`, e.g. `host.update`. */
  action: string
  /** `kind:id`, e.g. `host:3f…`. */
  target?: string | null
  /** State before and after, without secrets. */
  before?: unknown
  after?: unknown
}

type Writer = Pick<Db, 'select' | 'insert'>

/** The person (or API key) behind a request; routes that change something are always authenticated. */
export function requestActor(req: FastifyRequest): Actor {
  const p = req.person
  return { actor: p?.username ?? 'anonymous', via: p?.via ?? 'session', ip: req.ip ?? null }
}

/** The operating-system user running a CLI command (`lagebild-server user create …`). */
export function cliActor(): Actor {
  let name = process.env.SUDO_USER || process.env.USER || ''
  try {
    name ||= userInfo().username
  } catch {
    /* no passwd entry (containers) */
  }
  return { actor: name || 'cli', via: 'cli', ip: null }
}

export const SYSTEM_ACTOR: Actor = { actor: 'system', via: 'system', ip: null }

/** The fields covered by an entry's hash (everything but id and the hashes themselves). */
const hashed = (r: Omit<typeof auditLog.$inferSelect, 'id' | 'prevHash' | 'hash'>) => ({
  at: r.at, actor: r.actor, via: r.via, ip: r.ip, action: r.action, target: r.target, before: r.before, after: r.after,
})

/** Appends one entry. Call it inside the transaction that makes the change. */
export function recordAudit(db: Writer, who: Actor, entry: AuditEntry, now = new Date()) {
  const last = db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get()
  const prevHash = last?.hash ?? GENESIS_HASH
  const row = {
    at: now.toISOString(),
    actor: who.actor,
    via: who.via,
    ip: who.ip,
    action: entry.action,
    target: entry.target ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  }
  db.insert(auditLog).values({ ...row, prevHash, hash: chainHash(prevHash, hashed(row)) }).run()
}

export interface AuditQuery {
  limit: number
  /** Entries older than this id (paging backwards from the newest). */
  before?: number
  action?: string
  target?: string
}

/** Newest first. `action` matches a prefix (`host.` finds every host action). */
export function listAudit(db: Pick<Db, 'select'>, q: AuditQuery) {
  const where: SQL[] = []
  if (q.before !== undefined) where.push(lt(auditLog.id, q.before))
  // A plain prefix comparison: LIKE would treat _ and % in the user's text as wildcards.
  if (q.action) where.push(sql`substr(${auditLog.action}, 1, ${q.action.length}) = ${q.action}`)
  if (q.target) where.push(eq(auditLog.target, q.target))
  const rows = db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(q.limit).all()
  return rows.map(({ prevHash: _p, ...r }) => r)
}

/** Walks the whole log, oldest first, and says whether any stored entry was changed, removed or reordered. */
export function verifyAudit(db: Pick<Db, 'select'>): ChainCheck {
  return verifyChain(db.select().from(auditLog).orderBy(auditLog.id).all(), hashed)
}
