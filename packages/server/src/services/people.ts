// People and API keys.
import { randomUUID } from 'node:crypto'
import type { Role } from '@lagebild/shared'
import { count, eq } from 'drizzle-orm'
import { apiKeys, sessions, users } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { hashPassword, randomToken, sha256 } from '../crypto.js'
import { conflict, invalid, notFound } from '../errors.js'
import { recordAudit, SYSTEM_ACTOR, type Actor } from './audit.js'

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

/** On first start: the first admin, with the password from LAGEBILD_ADMIN_PASSWORD or a generated one (printed once). */
export async function ensureFirstAdmin(db: Db, envPassword: string | null): Promise<{ username: string; password: string | null } | null> {
  if (userCount(db) > 0) return null
  const password = envPassword || randomToken(12)
  await createUser(db, 'admin', password, 'admin')
  return { username: 'admin', password: envPassword ? null : password }
}

export function createApiKey(db: Db, name: string, who: Actor = SYSTEM_ACTOR) {
  if (!/^[\w .-]{1,64}$/.test(name)) throw invalid('name: 1–64 letters, digits, space . _ -')
  const key = `lbk_${randomToken(32)}`
  const id = randomUUID()
  db.transaction((tx) => {
    tx.insert(apiKeys).values({ id, name, keyHash: sha256(key) }).run()
    recordAudit(tx, who, { action: 'api-key.create', target: `api-key:${id}`, after: { name } })
  })
  return { id, name, key }
}

/** Sets a new password and ends every session of that person (ASVS 7.4.2). */
export async function setPassword(db: Db, username: string, password: string, who: Actor = SYSTEM_ACTOR) {
  checkPassword(password)
  const u = db.select().from(users).where(eq(users.username, username)).get()
  if (!u) throw notFound(`no user ${username}`)
  const passwordHash = await hashPassword(password)
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, u.id)).run()
    tx.delete(sessions).where(eq(sessions.userId, u.id)).run()
    recordAudit(tx, who, { action: 'user.password', target: `user:${u.id}`, after: { username, sessionsEnded: true } })
  })
}
