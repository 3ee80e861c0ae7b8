// Alert channels: stored config checked against the channel's own schema; secrets are never shown again.
import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, isNull, max } from 'drizzle-orm'
import { Compile } from 'typebox/compile'
import type { Language } from '@lagebild/shared'
import { channels, outbox } from '../db/schema.js'
import type { Db } from '../db/index.js'
import { invalid, notFound } from '../errors.js'
import { CHANNEL_LIST, CHANNELS, type ChannelType, type NotificationPayload } from '../channels/index.js'
import { render } from '../channels/message.js'
import type { ChannelOut, ChannelTypeOut, TestResult } from '../schemas/channels.js'

type ChannelRow = typeof channels.$inferSelect
export const MASK = '********'

const checkers = new Map(Object.values(CHANNELS).map((p) => [p.type as ChannelType, Compile(p.configSchema)]))

/** Checks a config against the channel type's schema; 400 with the path of the first error. */
export function checkConfig(type: ChannelType, config: unknown): Record<string, unknown> {
  const c = checkers.get(type)!
  if (!c.Check(config)) {
    const first = [...c.Errors(config)][0]
    throw invalid(`config ${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`, 'invalid-input')
  }
  return config as Record<string, unknown>
}

function masked(row: ChannelRow): Record<string, unknown> {
  const out = { ...row.config }
  for (const k of CHANNELS[row.type].secretFields) if (out[k] !== undefined && out[k] !== '') out[k] = MASK
  return out
}

function status(db: Db, id: string) {
  const pending = db.select({ n: count() }).from(outbox).where(and(eq(outbox.channelId, id), isNull(outbox.sentAt))).get()!.n
  const lastSentAt = db.select({ at: max(outbox.sentAt) }).from(outbox).where(eq(outbox.channelId, id)).get()?.at ?? null
  const failing = db
    .select({ e: outbox.lastError })
    .from(outbox)
    .where(and(eq(outbox.channelId, id), isNull(outbox.sentAt)))
    .orderBy(asc(outbox.id))
    .limit(1)
    .get()
  return { pending, lastSentAt, lastError: failing?.e ?? null }
}

/** Where a stored channel sends to; a config that no longer fits its schema (edited by hand) says so instead of failing. */
function target(row: ChannelRow): string {
  try {
    return CHANNELS[row.type].target(row.config)
  } catch {
    return '?'
  }
}

export function channelOut(db: Db, row: ChannelRow): ChannelOut {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: masked(row),
    target: target(row),
    enabled: row.enabled,
    escalation: row.escalation,
    language: row.language,
    createdAt: row.createdAt,
    delivery: status(db, row.id),
  }
}

export const listChannels = (db: Db) => db.select().from(channels).orderBy(asc(channels.name)).all().map((r) => channelOut(db, r))

export function getChannel(db: Db, id: string): ChannelRow {
  const row = db.select().from(channels).where(eq(channels.id, id)).get()
  if (!row) throw notFound('no such channel')
  return row
}

export interface ChannelInput {
  name: string
  type: ChannelType
  config: unknown
  enabled?: boolean
  escalation?: boolean
  language?: Language
}

export function createChannel(db: Db, input: ChannelInput) {
  const config = checkConfig(input.type, input.config)
  const row = db
    .insert(channels)
    .values({
      id: randomUUID(), name: input.name, type: input.type, config,
      enabled: input.enabled ?? true, escalation: input.escalation ?? false, language: input.language ?? 'de',
    })
    .returning()
    .get()
  return channelOut(db, row)
}

export function updateChannel(db: Db, id: string, patch: Partial<Omit<ChannelInput, 'type'>>) {
  const row = getChannel(db, id)
  let config = row.config
  if (patch.config !== undefined) {
    if (typeof patch.config !== 'object' || patch.config === null) throw invalid('config must be an object', 'invalid-input')
    const next: Record<string, unknown> = { ...(patch.config as Record<string, unknown>) }
    // A secret left out, or sent back masked, keeps its stored value.
    for (const k of CHANNELS[row.type].secretFields) if (next[k] === undefined || next[k] === MASK) {
      if (row.config[k] === undefined) delete next[k]
      else next[k] = row.config[k]
    }
    config = checkConfig(row.type, next)
  }
  db.transaction((tx) => {
    tx.update(channels)
      .set({ name: patch.name ?? row.name, config, enabled: patch.enabled ?? row.enabled, escalation: patch.escalation ?? row.escalation, language: patch.language ?? row.language })
      .where(eq(channels.id, id))
      .run()
    // A disabled channel gets nothing more, including what was still waiting for it.
    if (patch.enabled === false) tx.delete(outbox).where(and(eq(outbox.channelId, id), isNull(outbox.sentAt))).run()
  })
  return channelOut(db, getChannel(db, id))
}

export function deleteChannel(db: Db, id: string) {
  getChannel(db, id)
  db.transaction((tx) => {
    tx.delete(outbox).where(eq(outbox.channelId, id)).run()
    tx.delete(channels).where(eq(channels.id, id)).run()
  })
}

/** Sends a test message right now (not through the outbox: the admin wants the answer at once). */
/** The channel types the board can offer, each with its config schema (the form is built from it). */
export const channelTypes = (): ChannelTypeOut[] =>
  CHANNEL_LIST.map((p) => ({ type: p.type, title: p.title, secretFields: [...CHANNELS[p.type].secretFields], configSchema: p.configSchema }))

export async function sendTest(db: Db, id: string, publicUrl: string | null): Promise<TestResult> {
  const row = getChannel(db, id)
  const now = new Date().toISOString()
  const p: NotificationPayload = {
    alertId: null, hostId: null, hostname: null, measureId: 'test', measureTitle: { de: 'Test', en: 'Test' }, kind: 'test',
    severity: 'info', reason: { de: 'Testnachricht', en: 'Test message' }, fix: null, openedAt: now, crownJewel: false, openHours: null,
    url: publicUrl,
  }
  try {
    const provider = CHANNELS[row.type]
    await provider.send(checkConfig(row.type, row.config), render(p, 'test', row.language, `test-${randomUUID()}`))
    return { ok: true, error: null }
  } catch (err) {
    return { ok: false, error: (err as Error).message.slice(0, 500) }
  }
}
