// The emergency card as the server keeps it: built from the records, versioned by the SHA-256 of its content (so agents
// and printed copies can tell whether they are current), and which PCs have confirmed the current version.
import { and, count, eq, isNull, sql } from 'drizzle-orm'
import { configure } from 'safe-stable-stringify'
import { buildCard, CARD_QR_PATH, type Card, type ReadinessInput } from '@lagebild/shared'
import { hostCards, hosts } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { sha256 } from '../../crypto.js'
import { getState, putState } from './store.js'

const stringify = configure({ deterministic: true, bigint: false })
type Reader = Pick<Db, 'select'>
type Writer = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>

/** Where the card's QR code leads, when the server knows its public address. */
export const cardReportUrl = (publicUrl: string | null) => (publicUrl ? `${publicUrl.replace(/\/+$/, '')}${CARD_QR_PATH}` : null)

/** The current card; `generatedAt` is when this content first appeared. */
export function currentCard(db: Reader, input: ReadinessInput, publicUrl: string | null, now: Date): Card {
  const content = buildCard(input, cardReportUrl(publicUrl), now)
  const version = sha256(stringify(content) ?? '')
  const state = getState<{ version: string; since: string }>(db, 'card')
  return { ...content, version, generatedAt: state?.version === version ? state.since : now.toISOString() }
}

/** Remembers the version; true when it is new (then agents must get it). */
export function rememberCard(tx: Writer, card: Card): boolean {
  const state = getState<{ version: string; since: string }>(tx, 'card')
  if (state?.version === card.version) return false
  putState(tx, 'card', { version: card.version, since: card.generatedAt })
  return true
}

export function confirmCard(db: Pick<Db, 'insert'>, hostId: string, version: string, now: Date) {
  const row = { hostId, version, at: now.toISOString() }
  db.insert(hostCards).values(row).onConflictDoUpdate({ target: hostCards.hostId, set: row }).run()
}

/** How many PCs have confirmed this version, and which ones have not (at most 50 named). */
export function cardDistribution(db: Reader, version: string) {
  // Retired hosts have no agent that could confirm anything: they are not counted.
  const total = db.select({ n: count() }).from(hosts).where(isNull(hosts.retiredAt)).get()!.n
  const current = db
    .select({ n: count() })
    .from(hostCards)
    .innerJoin(hosts, eq(hosts.id, hostCards.hostId))
    .where(and(eq(hostCards.version, version), isNull(hosts.retiredAt)))
    .get()!.n
  const missing = db
    .select({ id: hosts.id, hostname: hosts.hostname })
    .from(hosts)
    .where(sql`${hosts.retiredAt} is null and not exists (select 1 from ${hostCards} where ${hostCards.hostId} = ${hosts.id} and ${hostCards.version} = ${version})`)
    .orderBy(hosts.hostname)
    .limit(50)
    .all()
  return { total, current, missing }
}
