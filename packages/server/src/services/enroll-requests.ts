// Requests of PCs that are enrolled already to enroll again (the re-enroll rule, docs/architecture.md): recorded when
// such a PC comes with an ordinary token and an approval key, allowed or refused by an admin on the host page, used
// once by exactly the sender of that key. The enrollment itself stays in enrollment.ts, which calls `askOrApproved`.
import { randomUUID } from 'node:crypto'
import { and, count, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm'
import {
  ENROLL_REFUSAL_TEXT, ENROLL_REQUEST_TTL_MINUTES, ENROLL_REQUESTS_PER_HOST, ENROLL_REQUESTS_TOTAL, type EnrollApproval, type HostIdentity,
} from '@lagebild/shared'
import { agents, enrollRequests, enrollTokens, hosts } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { sha256 } from '../crypto.js'
import { conflict, DomainError, notFound } from '../errors.js'
import { recordAudit, type Actor } from './audit.js'
import type { Tx } from './judge.js'

const TTL_MS = ENROLL_REQUEST_TTL_MINUTES * 60_000
/** Decided, used and expired requests are kept this long (the audit log keeps every decision for good). */
const KEEP_MS = 7 * 86_400_000

type Row = typeof enrollRequests.$inferSelect
/** What the 409 tells the waiting agent; the route adds the board's address of the host page. */
export type Approval = Omit<EnrollApproval, 'url'>

/**
 * 409 machine-enrolled. `approval`: the state of the request this attempt belongs to (none without an approval key, or
 * when too many requests wait already); `created`: this attempt recorded a new request (the board should hear of it).
 */
export class MachineEnrolledError extends DomainError {
  constructor(
    message: string,
    readonly approval: Approval | null,
    readonly created: boolean,
  ) {
    super('conflict', message, 'machine-enrolled')
  }
}

const plus = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString()
const asApproval = (r: Row, hostname: string): Approval => ({
  state: r.state === 'refused' ? 'refused' : 'pending', requestId: r.id, hostId: r.hostId, hostname, expiresAt: r.expiresAt,
})

export type AskOutcome = { approved: Row } | { refused: MachineEnrolledError; audit: boolean }

/**
 * An ordinary token met a PC enrolled with the active agent `activeAgent`. With an approval key: an approved request of
 * this token, machine id and key lets it through (once); a pending or refused one is answered with its state; else a
 * new request is recorded, within the bounds. Without a key (or over the bounds) the refusal is plain. Runs inside the
 * enrollment's transaction; `audit` says whether this attempt deserves an audit entry (not every retry of a wait does).
 */
export function askOrApproved(
  tx: Tx, ctx: { tokenId: string; host: HostIdentity; hostRow: { id: string; hostname: string }; activeAgent: string; approvalKey?: string; ip: string | null },
  now: Date,
): AskOutcome {
  const iso = now.toISOString()
  const plain = (why = ENROLL_REFUSAL_TEXT['machine-enrolled'].en) => ({ refused: new MachineEnrolledError(why, null, false), audit: true })
  if (!ctx.approvalKey) return plain()
  const mine = tx
    .select()
    .from(enrollRequests)
    .where(and(
      eq(enrollRequests.hostId, ctx.hostRow.id), eq(enrollRequests.tokenId, ctx.tokenId), eq(enrollRequests.machineId, ctx.host.machineId),
      eq(enrollRequests.keyHash, sha256(ctx.approvalKey)), eq(enrollRequests.replacesAgentId, ctx.activeAgent), gt(enrollRequests.expiresAt, iso),
    ))
    .orderBy(desc(enrollRequests.createdAt))
    .get()
  if (mine?.state === 'approved') return { approved: mine }
  if (mine && mine.state !== 'used') {
    tx.update(enrollRequests).set({ lastSeenAt: iso }).where(eq(enrollRequests.id, mine.id)).run()
    const text = mine.state === 'refused' ? 'an admin refused on the board to enroll this PC again' : pendingText(ctx.hostRow.hostname)
    return { refused: new MachineEnrolledError(text, asApproval(mine, ctx.hostRow.hostname), false), audit: false }
  }
  const waiting = (where = gt(enrollRequests.expiresAt, iso)) =>
    tx.select({ n: count() }).from(enrollRequests).where(and(eq(enrollRequests.state, 'pending'), where)).get()!.n
  if (waiting(and(gt(enrollRequests.expiresAt, iso), eq(enrollRequests.hostId, ctx.hostRow.id))) >= ENROLL_REQUESTS_PER_HOST || waiting() >= ENROLL_REQUESTS_TOTAL)
    return plain(`${ENROLL_REFUSAL_TEXT['machine-enrolled'].en}. Too many requests wait for a decision on the board already: none recorded for this one`)
  tx.delete(enrollRequests).where(lt(enrollRequests.expiresAt, new Date(now.getTime() - KEEP_MS).toISOString())).run()
  const os = ctx.host.os
  const row = tx
    .insert(enrollRequests)
    .values({
      id: randomUUID(), hostId: ctx.hostRow.id, tokenId: ctx.tokenId, machineId: ctx.host.machineId, keyHash: sha256(ctx.approvalKey),
      replacesAgentId: ctx.activeAgent, hostname: ctx.host.hostname, osName: `${os.distribution} ${os.version}`.trim().slice(0, 300), ip: ctx.ip,
      createdAt: iso, lastSeenAt: iso, expiresAt: plus(now, TTL_MS),
    })
    .returning()
    .get()
  return { refused: new MachineEnrolledError(pendingText(ctx.hostRow.hostname), asApproval(row, ctx.hostRow.hostname), true), audit: true }
}

const pendingText = (hostname: string) =>
  `this PC is already enrolled as ${hostname} and its agent is still active. An admin must confirm on the board (host page) that this enrollment may replace it`

/** The approved request is spent: the agent it let in is noted. */
export function markUsed(tx: Tx, id: string, agentId: string, now: Date) {
  tx.update(enrollRequests).set({ state: 'used', usedAt: now.toISOString(), agentId }).where(eq(enrollRequests.id, id)).run()
}

/** Requests with the host's current name and who made the token, newest first. */
const described = (db: Pick<Db, 'select'>, where: ReturnType<typeof and>) =>
  db
    .select({ r: enrollRequests, host: hosts.hostname, tokenCreatedBy: enrollTokens.createdBy, tokenCreatedAt: enrollTokens.createdAt, tokenTags: enrollTokens.tags })
    .from(enrollRequests)
    .innerJoin(hosts, eq(hosts.id, enrollRequests.hostId))
    .innerJoin(enrollTokens, eq(enrollTokens.id, enrollRequests.tokenId))
    .where(where)
    .orderBy(desc(enrollRequests.createdAt))
    .limit(ENROLL_REQUESTS_TOTAL * 2)
    .all()
    .map(({ r: { keyHash: _secret, machineId: _m, ...r }, host, tokenCreatedBy, tokenCreatedAt, tokenTags }) => ({
      ...r, currentHostname: host, token: { createdBy: tokenCreatedBy, createdAt: tokenCreatedAt, tags: tokenTags },
    }))
export type EnrollRequestOut = ReturnType<typeof described>[number]

/** Live: pending or approved, not expired, host not retired, and the agent it would replace still the host's active one. */
const isLive = (iso: string) =>
  and(
    inArray(enrollRequests.state, ['pending', 'approved']), gt(enrollRequests.expiresAt, iso),
    sql`exists (select 1 from ${agents} where ${agents.id} = ${enrollRequests.replacesAgentId} and ${agents.revokedAt} is null)`,
    sql`${hosts.retiredAt} is null`,
  )

/** The live requests, newest first (all hosts, or one), for the host page and the notices of the lists. */
export const listEnrollRequests = (db: Pick<Db, 'select'>, hostId?: string, now = new Date()) =>
  described(db, and(isLive(now.toISOString()), hostId ? eq(enrollRequests.hostId, hostId) : undefined))

/**
 * An admin allows or refuses a live pending request, with its audit entry in the same transaction. An approval holds
 * for ENROLL_REQUEST_TTL_MINUTES from now; a refusal is what the waiting agent hears until the request expires.
 */
export function decideEnrollRequest(db: Db, id: string, decision: 'approved' | 'refused', who: Actor, now = new Date()): EnrollRequestOut {
  const iso = now.toISOString()
  db.transaction((tx) => {
    const r = tx.select().from(enrollRequests).where(eq(enrollRequests.id, id)).get()
    if (!r) throw notFound('no such enrollment request')
    if (r.state !== 'pending' || !described(tx, and(eq(enrollRequests.id, id), isLive(iso))).length)
      throw conflict(`this request is no longer waiting (${r.state !== 'pending' ? r.state : 'expired, or another agent reports for the host now'})`, 'request-closed')
    const expiresAt = decision === 'approved' ? plus(now, TTL_MS) : r.expiresAt
    tx.update(enrollRequests).set({ state: decision, decidedAt: iso, decidedBy: who.actor, expiresAt }).where(eq(enrollRequests.id, id)).run()
    recordAudit(tx, who, {
      action: decision === 'approved' ? 'enroll-request.approve' : 'enroll-request.refuse',
      target: `host:${r.hostId}`,
      before: { state: r.state, replacesAgentId: r.replacesAgentId },
      after: { state: decision, request: r.id, tokenId: r.tokenId, hostname: r.hostname, ip: r.ip, askedAt: r.createdAt, expiresAt },
    }, now)
  })
  return described(db, eq(enrollRequests.id, id))[0]!
}
