// People and API keys.
import { randomUUID } from 'node:crypto'
import type { Role } from '@lagebild/shared'
import { and, asc, count, desc, eq, isNull } from 'drizzle-orm'
import { apiKeys, sessions, users } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { hashPassword, randomToken, sha256 } from '../crypto.js'
import { conflict, invalid, notFound } from '../errors.js'
import { recordAudit, SYSTEM_ACTOR, type Actor } from './audit.js'
import { revokeCredential } from './lifecycle.js'

/** ASVS 6.2.1: at least 8 characters (15 recommended), at most 128 so hashing stays bounded; no composition rules. */
export function checkPassword(pw: string) {
  if (pw.length < 8) throw invalid('password must have at least 8 characters')
  if (pw.length > 128) throw invalid('password must have at most 128 characters')
}

export async function createUser(db: Db, username: string, password: string, role: Role, who: Actor = SYSTEM_ACTOR) {
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(username)) throw invalid('user name: 1–64 letters, digits or . _ @ -')
  checkPassword(password)
  if (db.select().from(users).where(eq(users.username, username)).get()) throw conflict(`user ${username} exists`)
  const id = randomUUID()
  const passwordHash = await hashPassword(password)
  db.transaction((tx) => {
    tx.insert(users).values({ id, username, role, passwordHash }).run()
    recordAudit(tx, who, { action: 'user.create', target: `user:${id}`, after: { username, role } })
  })
  return { id, username, role }
}

export const userCount = (db: Db) => db.select({ n: count() }).from(users).get()!.n

/** A generated password for a person: 16 characters from 12 random bytes (96 bits), shown once. */
export const generatedPassword = () => randomToken(12)

/**
 * On first start: the first admin, with the password from LAGEBILD_ADMIN_PASSWORD or a generated one (printed once).
 * Called only once the server listens, so a failed start never uses up the one moment the password is shown.
 * Later starts return `neverLoggedIn` while the only admin has not logged in yet (the start-up then says how to reset it).
 */
export async function ensureFirstAdmin(db: Db, envPassword: string | null): Promise<{ username: string; password: string | null; neverLoggedIn?: boolean } | null> {
  if (userCount(db) > 0) {
    const admins = db.select().from(users).where(and(eq(users.role, 'admin'), isNull(users.disabledAt))).limit(2).all()
    return admins.length === 1 && !admins[0]!.lastLoginAt ? { username: admins[0]!.username, password: null, neverLoggedIn: true } : null
  }
  const password = envPassword || generatedPassword()
  await createUser(db, 'admin', password, 'admin')
  return { username: 'admin', password: envPassword ? null : password }
}

export function listUsers(db: Pick<Db, 'select'>) {
  return db
    .select({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt, lastLoginAt: users.lastLoginAt, disabledAt: users.disabledAt })
    .from(users)
    .orderBy(asc(users.username))
    .all()
}

/** Revokes a person's access: no login, every session ended. Never oneself, never the last active admin. */
export function revokeUser(db: Db, id: string, who: Actor & { userId?: string }, now = new Date()) {
  return db.transaction((tx) => {
    const u = tx.select().from(users).where(eq(users.id, id)).get()
    if (!u) throw notFound('no such user')
    if (u.disabledAt) return { id, disabledAt: u.disabledAt }
    if (who.userId === u.id) throw invalid('you cannot revoke your own account')
    if (u.role === 'admin') {
      const admins = tx.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), isNull(users.disabledAt))).get()!.n
      if (admins <= 1) throw invalid('the last active admin cannot be revoked')
    }
    const disabledAt = now.toISOString()
    tx.update(users).set({ disabledAt }).where(eq(users.id, id)).run()
    tx.delete(sessions).where(eq(sessions.userId, id)).run()
    recordAudit(tx, who, { action: 'user.revoke', target: `user:${id}`, before: { username: u.username, role: u.role, disabledAt: null }, after: { disabledAt, sessionsEnded: true } }, now)
    return { id, disabledAt }
  })
}

export function createApiKey(db: Db, name: string, who: Actor = SYSTEM_ACTOR) {
  if (!/^[\w .-]{1,64}$/.test(name)) throw invalid('name: 1–64 letters, digits, space . _ -')
  const key = `lbk_${randomToken(32)}`
  const id = randomUUID()
  db.transaction((tx) => {
    tx.insert(apiKeys).values({ id, name, keyHash: sha256(key), createdBy: who.actor }).run()
    recordAudit(tx, who, { action: 'api-key.create', target: `api-key:${id}`, after: { name } })
  })
  return { id, name, key }
}

export function listApiKeys(db: Pick<Db, 'select'>) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, createdAt: apiKeys.createdAt, createdBy: apiKeys.createdBy, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt))
    .all()
}

export const revokeApiKey = (db: Db, id: string, who: Actor, now = new Date()) =>
  revokeCredential(db, apiKeys, id, { kind: 'api-key', describe: (k) => ({ name: k.name, lastUsedAt: k.lastUsedAt }) }, who, now)

/** Finds a person by id or user name (the board knows ids, the CLI names). */
export function findUser(db: Pick<Db, 'select'>, ref: { id?: string; username?: string }) {
  const u = ref.id
    ? db.select().from(users).where(eq(users.id, ref.id)).get()
    : db.select().from(users).where(eq(users.username, ref.username ?? '')).get()
  if (!u) throw notFound(ref.username ? `no user ${ref.username}` : 'no such user')
  return u
}

/** Sets a new password and ends every session of that person (ASVS 7.4.2). */
export async function setPassword(db: Db, username: string, password: string, who: Actor = SYSTEM_ACTOR) {
  checkPassword(password)
  const u = findUser(db, { username })
  const passwordHash = await hashPassword(password)
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, u.id)).run()
    tx.delete(sessions).where(eq(sessions.userId, u.id)).run()
    recordAudit(tx, who, { action: 'user.password', target: `user:${u.id}`, after: { username, sessionsEnded: true } })
  })
}
