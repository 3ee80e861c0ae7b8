// Enrollment tokens (created by an admin) and the exchange of a token for per-agent credentials.
import { randomUUID } from 'node:crypto'
import { and, desc, eq, isNull } from 'drizzle-orm'
import { DEFAULT_TOKEN_USES, ENROLL_REFUSAL_TEXT, MAX_TOKEN_USES, REPLACE_TOKEN_MAX_HOURS, type EnrollRefusal, type HostIdentity } from '@lagebild/shared'
import { agents, enrollTokens, hosts } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { randomToken, sha256 } from '../crypto.js'
import { invalid, unauthorized } from '../errors.js'
import { recordAudit, SYSTEM_ACTOR, type Actor } from './audit.js'
import { revokeCredential } from './lifecycle.js'
import { askOrApproved, markUsed, MachineEnrolledError } from './enroll-requests.js'

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

export const DEFAULT_TOKEN_EXPIRY = '7d'
export const DEFAULT_REPLACE_TOKEN_EXPIRY = '1h'
const REPLACE_TOKEN_MAX_MS = REPLACE_TOKEN_MAX_HOURS * 3_600_000

export interface TokenOptions {
  expiresInMs?: number | null
  /** How many PCs may enroll with it (default 1). */
  maxUses?: number
  tags?: string[]
  /** May enroll a PC that is already enrolled with an active agent, revoking that agent (a reinstall). */
  mayReplace?: boolean
}

export function createEnrollToken(db: Db, opts: TokenOptions = {}, who: Actor = SYSTEM_ACTOR, now = new Date()) {
  const maxUses = opts.maxUses ?? DEFAULT_TOKEN_USES
  if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > MAX_TOKEN_USES)
    throw invalid(`uses must be a whole number from 1 to ${MAX_TOKEN_USES}`)
  const mayReplace = opts.mayReplace ?? false
  const expiresInMs = opts.expiresInMs ?? parseDuration(mayReplace ? DEFAULT_REPLACE_TOKEN_EXPIRY : DEFAULT_TOKEN_EXPIRY)
  if (mayReplace && expiresInMs > REPLACE_TOKEN_MAX_MS)
    throw invalid(`a token that may replace enrolled PCs expires within ${REPLACE_TOKEN_MAX_HOURS} h at most (e.g. --expires 1h)`)
  const token = `lbe_${randomToken(24)}`
  const id = randomUUID()
  const expiresAt = new Date(now.getTime() + expiresInMs).toISOString()
  const row = { id, expiresAt, maxUses, tags: opts.tags ?? [], mayReplace }
  db.transaction((tx) => {
    tx.insert(enrollTokens).values({ ...row, tokenHash: sha256(token), createdBy: who.actor }).run()
    recordAudit(tx, who, { action: 'token.create', target: `token:${id}`, after: row }, now)
  })
  return { id, token, expiresAt, maxUses, mayReplace }
}

export type TokenState = 'active' | 'expired' | 'used-up' | 'revoked'

export function listEnrollTokens(db: Pick<Db, 'select'>, now = new Date()) {
  const iso = now.toISOString()
  return db
    .select()
    .from(enrollTokens)
    .orderBy(desc(enrollTokens.createdAt))
    .limit(500)
    .all()
    .map(({ tokenHash: _secret, ...t }) => ({
      ...t,
      state: (t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt < iso ? 'expired' : t.maxUses !== null && t.uses >= t.maxUses ? 'used-up' : 'active') as TokenState,
    }))
}

export const revokeEnrollToken = (db: Db, id: string, who: Actor, now = new Date()) =>
  revokeCredential(db, enrollTokens, id, { kind: 'token', describe: (t) => ({ uses: t.uses, maxUses: t.maxUses, expiresAt: t.expiresAt }) }, who, now)

const enrollError = (code: Exclude<EnrollRefusal, 'machine-enrolled'>) => unauthorized(ENROLL_REFUSAL_TEXT[code].en, code)

export interface EnrollResult {
  agentId: string
  secret: string
  hostId: string
  /** Agents whose credentials this enrollment revoked (their live connections must be closed). */
  replaced: string[]
  /** An admin had allowed this enrollment on the board (the board hears that the request is spent). */
  approved: boolean
}

/**
 * Exchanges a token for agent credentials. The re-enroll rule (docs/architecture.md): a PC whose machine id is
 * enrolled with an active agent is refused (409 machine-enrolled, the token is not used up) unless the token may
 * replace, or an admin allowed this very attempt on the board (`approvalKey`, services/enroll-requests.ts) — then the
 * old agent is revoked as `agent-replaced` and told so. Without such a decision the refusal records a request for one.
 * A PC whose agent an admin revoked, or whose host was retired, enrolls again with any token and keeps its host and history.
 */
export function enroll(db: Db, token: string, host: HostIdentity, now = new Date(), ip: string | null = null, approvalKey?: string): EnrollResult {
  const iso = now.toISOString()
  type Refused = { refused: MachineEnrolledError; audit: { who: Actor; hostId: string } | null }
  const outcome = db.transaction((tx): Refused | (EnrollResult & { refused?: undefined }) => {
    const t = tx.select().from(enrollTokens).where(and(eq(enrollTokens.tokenHash, sha256(token)), isNull(enrollTokens.revokedAt))).get()
    if (!t) throw enrollError('bad-token')
    if (t.expiresAt && t.expiresAt < iso) throw enrollError('token-expired')
    if (t.maxUses !== null && t.uses >= t.maxUses) throw enrollError('token-used-up')
    const who: Actor = { actor: `enroll-token:${t.id}`, via: 'system', ip }
    const identity = {
      hostname: host.hostname, osFamily: host.os.family, osDistribution: host.os.distribution, osVersion: host.os.version,
      osBuild: host.os.build, kernel: host.kernel, arch: host.arch, agentVersion: host.agentVersion, bootTime: host.bootTime,
    }
    let existing = tx.select().from(hosts).where(eq(hosts.machineId, host.machineId)).get()
    let replaced: string[] = []
    let approvedBy: { request: string; by: string | null } | null = null
    if (existing) {
      const active = tx.select({ id: agents.id }).from(agents).where(and(eq(agents.hostId, existing.id), isNull(agents.revokedAt))).all().map((a) => a.id)
      if (active.length && !existing.retiredAt && !t.mayReplace) {
        const asked = askOrApproved(tx, { tokenId: t.id, host, hostRow: existing, activeAgent: active[0]!, approvalKey, ip }, now)
        // Nothing else written: the token stays unused. A refusal worth an entry is logged (a takeover try? a reinstall?).
        if ('refused' in asked) return { refused: asked.refused, audit: asked.audit ? { who, hostId: existing.id } : null }
        approvedBy = { request: asked.approved.id, by: asked.approved.decidedBy }
      }
      replaced = active
      if (active.length)
        tx.update(agents).set({ revokedAt: iso, revokedReason: 'agent-replaced' }).where(and(eq(agents.hostId, existing.id), isNull(agents.revokedAt))).run()
      // identityAt null: the next report's identity wins whatever the agent's clock says (order is kept among reports).
      tx.update(hosts).set({ ...identity, identityAt: null, retiredAt: null }).where(eq(hosts.id, existing.id)).run()
    } else {
      existing = tx.insert(hosts).values({ id: randomUUID(), machineId: host.machineId, tags: t.tags, ...identity }).returning().get()
    }
    tx.update(enrollTokens).set({ uses: t.uses + 1 }).where(eq(enrollTokens.id, t.id)).run()
    const agentId = randomUUID()
    const secret = randomToken(32)
    tx.insert(agents).values({ id: agentId, hostId: existing.id, secretHash: sha256(secret) }).run()
    if (approvedBy) markUsed(tx, approvedBy.request, agentId, now)
    const wasRetired = !!existing.retiredAt
    recordAudit(tx, who, {
      action: replaced.length ? 'agent.replace' : 'agent.enroll',
      target: `host:${existing.id}`,
      before: replaced.length || wasRetired ? { agents: replaced, retiredAt: existing.retiredAt ?? null } : null,
      after: { agentId, hostname: host.hostname, machineId: host.machineId, ...(approvedBy ? { approvedRequest: approvedBy.request, approvedBy: approvedBy.by } : {}) },
    }, now)
    return { agentId, secret, hostId: existing.id, replaced, approved: !!approvedBy }
  })
  if (outcome.refused) {
    const { refused, audit } = outcome
    if (audit)
      recordAudit(db, audit.who, {
        action: 'agent.enroll-refused', target: `host:${audit.hostId}`,
        after: { reason: 'machine-enrolled', hostname: host.hostname, request: refused.created ? refused.approval!.requestId : null },
      }, now)
    throw refused
  }
  const { refused: _none, ...ok } = outcome
  return ok
}
