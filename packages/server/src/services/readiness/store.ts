// Reading and writing the readiness records: one table for every list kind (record_items), one for the one-document
// kinds (record_docs), owner and review per kind (record_meta), the company settings (settings table). Plain data
// access; checks, audit and judging are done by records.ts around it, in the same transaction.
import { randomUUID } from 'node:crypto'
import { and, asc, eq } from 'drizzle-orm'
import { Compile } from 'typebox/compile'
import {
  CompanySettingsSchema, DEFAULT_COMPANY, RECORDS,
  type CompanySettings, type Entry, type RecordDoc, type RecordDocKind, type RecordKind, type RecordListInput, type RecordListKind, type MetaRow,
} from '@lagebild/shared'
import { recordDocs, recordItems, recordMeta, settings } from '../../db/schema.js'
import type { Db } from '../../db/index.js'

type Reader = Pick<Db, 'select'>
type Writer = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>

const entryOf = <K extends RecordListKind>(r: typeof recordItems.$inferSelect): Entry<RecordListInput<K>> =>
  ({ ...(r.data as RecordListInput<K>), id: r.id, createdAt: r.createdAt, updatedAt: r.updatedAt })

/** Every entry of a list, oldest first. */
export function listItems<K extends RecordListKind>(db: Reader, kind: K): Entry<RecordListInput<K>>[] {
  return db.select().from(recordItems).where(eq(recordItems.kind, kind)).orderBy(asc(recordItems.createdAt), asc(recordItems.id)).all().map((r) => entryOf<K>(r))
}

export function getItem<K extends RecordListKind>(db: Reader, kind: K, id: string): Entry<RecordListInput<K>> | null {
  const r = db.select().from(recordItems).where(and(eq(recordItems.kind, kind), eq(recordItems.id, id))).get()
  return r ? entryOf<K>(r) : null
}

/** Inserts (id null) or replaces an entry; returns the stored entry. */
export function putItem<K extends RecordListKind>(tx: Writer, kind: K, id: string | null, data: RecordListInput<K>, now: Date): Entry<RecordListInput<K>> {
  const iso = now.toISOString()
  if (id === null) {
    const row = { id: randomUUID(), kind, data: data as Record<string, unknown>, createdAt: iso, updatedAt: iso }
    tx.insert(recordItems).values(row).run()
    return entryOf<K>(row)
  }
  tx.update(recordItems).set({ data: data as Record<string, unknown>, updatedAt: iso }).where(and(eq(recordItems.kind, kind), eq(recordItems.id, id))).run()
  return entryOf<K>(tx.select().from(recordItems).where(eq(recordItems.id, id)).get()!)
}

export function deleteItem(tx: Writer, kind: RecordListKind, id: string) {
  tx.delete(recordItems).where(and(eq(recordItems.kind, kind), eq(recordItems.id, id))).run()
}

export function getDoc<K extends RecordDocKind>(db: Reader, kind: K): RecordDoc<K> | null {
  const r = db.select().from(recordDocs).where(eq(recordDocs.kind, kind)).get()
  return r ? (r.data as RecordDoc<K>) : null
}

export function putDoc<K extends RecordDocKind>(tx: Writer, kind: K, data: RecordDoc<K>, now: Date) {
  const row = { kind, data: data as Record<string, unknown>, updatedAt: now.toISOString() }
  tx.insert(recordDocs).values(row).onConflictDoUpdate({ target: recordDocs.kind, set: row }).run()
}

/** Owner and review of every kind kept so far. */
export function getMeta(db: Reader): Partial<Record<RecordKind, MetaRow>> {
  return Object.fromEntries(db.select().from(recordMeta).all().map((r) => [r.kind, r]))
}

/**
 * Marks a kind as kept. A change counts as a review: whoever changes a record has looked at it. `reviewed: false` only
 * creates the row (a log's first entry; a log is reviewed by its entries).
 */
export function touchMeta(tx: Writer, kind: RecordKind, by: string, now: Date, reviewed = true) {
  const exists = tx.select().from(recordMeta).where(eq(recordMeta.kind, kind)).get()
  const review = reviewed && !RECORDS[kind].log ? { lastReviewedAt: now.toISOString(), lastReviewedBy: by } : {}
  if (exists) {
    if (Object.keys(review).length) tx.update(recordMeta).set(review).where(eq(recordMeta.kind, kind)).run()
    return
  }
  tx.insert(recordMeta).values({ kind, owner: '', reviewIntervalDays: RECORDS[kind].defaultIntervalDays, ...review }).run()
}

export function setMeta(tx: Writer, kind: RecordKind, owner: string, reviewIntervalDays: number) {
  tx.insert(recordMeta)
    .values({ kind, owner, reviewIntervalDays })
    .onConflictDoUpdate({ target: recordMeta.kind, set: { owner, reviewIntervalDays } })
    .run()
}

const COMPANY_KEY = 'readiness.company'
const checkCompany = Compile(CompanySettingsSchema)

/** The company settings; a stored value that no longer fits the schema falls back to the defaults rather than break judging. */
export function getCompany(db: Reader): CompanySettings {
  const row = db.select().from(settings).where(eq(settings.key, COMPANY_KEY)).get()
  const value = row ? { ...DEFAULT_COMPANY, ...(row.value as object) } : DEFAULT_COMPANY
  return checkCompany.Check(value) ? (value as CompanySettings) : { ...DEFAULT_COMPANY }
}

export function putCompany(tx: Writer, company: CompanySettings) {
  tx.insert(settings).values({ key: COMPANY_KEY, value: company }).onConflictDoUpdate({ target: settings.key, set: { value: company } }).run()
}

/** A small JSON value of the readiness machinery (card version, last digest), in the settings table. */
export function getState<T>(db: Reader, key: string): T | null {
  return (db.select().from(settings).where(eq(settings.key, `readiness.${key}`)).get()?.value as T | undefined) ?? null
}
export function putState(tx: Writer, key: string, value: unknown) {
  tx.insert(settings).values({ key: `readiness.${key}`, value }).onConflictDoUpdate({ target: settings.key, set: { value } }).run()
}
