// Alerts: opened by a deviation, resolved by ok (never by unknown), acknowledged, snoozed, reminded, escalated.
// Every state change writes its notifications into the outbox in the same transaction (services/outbox.ts sends them).
import { randomUUID } from 'node:crypto'
import { and, asc, count, desc, eq, ne, sql, type SQL } from 'drizzle-orm'
import {
  ALERT_STATES, countOf, MAX_SNOOZE_MINUTES, MEASURE_BY_ID, SEVERITIES, type AlertEventKind, type AlertSettings, type NotifyEvent, type Severity, type Text,
} from '@lagebild/shared'
import { alertEvents, alerts, channels, hosts, outbox } from '../db/schema.js'
import { rankBy } from '../db/order.js'
import type { Db } from '../db/index.js'
import { conflict, invalid, notFound } from '../errors.js'
import type { NotificationPayload } from '../channels/types.js'
import type { AlertDetail, AlertList, AlertOut, AlertQuery } from '../schemas/alerts.js'
import type { FindingChange, Tx } from './judge.js'
import { isWatched, loadOverrides, resolveThresholds, thresholdsFor, type OverrideRow } from './thresholds.js'
import { inChunks } from './chunked.js'
import { ORG_SUBJECT } from './overview.js'

type AlertRow = typeof alerts.$inferSelect
type HostRow = typeof hosts.$inferSelect
type Q = Db | Tx

/** The measure id of "agent silent" alerts: its own id, so it never collides with a finding of base.inventory. */
export const SILENT_MEASURE = 'agent.silent'
export const SILENT_TITLE: Text = { de: 'Agent meldet sich nicht', en: 'Agent silent' }
const SILENT_SEVERITY: Severity = 'medium'

const HOUR = 3_600_000
const MINUTE = 60_000
/** The history's details are technical notes in English (the event kind itself is shown in both languages). */
const channelCount = (n: number) => countOf('en', n, ['channel', 'channels'])

/** Raises a severity one step (crown jewels), capped at critical. */
export const raise = (s: Severity, crownJewel: boolean): Severity =>
  crownJewel ? SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)]! : s

/**
 * Alerts about an agent itself that no finding judges: it sends more than its budget (plugins/agent-budget.ts), its
 * clock is off. Raised and cleared by the server through setAgentAlert.
 */
export const AGENT_MEASURES = {
  'agent.budget': { title: { de: 'Agent sendet zu viel', en: 'Agent sends too much' }, severity: 'medium' },
  'agent.clock': { title: { de: 'Uhr des Rechners falsch', en: 'Host clock wrong' }, severity: 'low' },
} as const satisfies Record<string, { title: Text; severity: Severity }>
export type AgentMeasure = keyof typeof AGENT_MEASURES
const agentMeasure = (id: string) => (AGENT_MEASURES as Record<string, { title: Text; severity: Severity } | undefined>)[id]

export const measureTitle = (measureId: string): Text =>
  measureId === SILENT_MEASURE ? SILENT_TITLE : (agentMeasure(measureId)?.title ?? MEASURE_BY_ID.get(measureId)?.title ?? { de: measureId, en: measureId })

/** Collects what changed in a transaction, so the caller can tell the board and wake the sender after COMMIT. */
export class AlertTouches {
  readonly alerts = new Map<string, string | null>()
  queued = 0
  touch(a: Pick<AlertRow, 'id' | 'subjectId'>) {
    this.alerts.set(a.id, a.subjectId === ORG_SUBJECT ? null : a.subjectId)
  }
}

export interface AlertContext {
  publicUrl: string | null
  touches: AlertTouches
  /** Statements of the per-report path, prepared once (see alertStatements). */
  q: AlertStatements
}

export type AlertStatements = ReturnType<typeof alertStatements>

/** The lookups that run for every report, built once: a report must not pay for building the same SQL again. */
export function alertStatements(db: Db) {
  return {
    openAlert: db
      .select()
      .from(alerts)
      .where(and(eq(alerts.subjectId, sql.placeholder('subjectId')), eq(alerts.measureId, sql.placeholder('measureId')), ne(alerts.state, 'resolved')))
      .prepare(),
  }
}

const inMaintenance = (host: HostRow | undefined, now: Date) => !!host?.maintenanceUntil && Date.parse(host.maintenanceUntil) > now.getTime()
const snoozed = (a: AlertRow, now: Date) => !!a.snoozedUntil && Date.parse(a.snoozedUntil) > now.getTime()

function event(tx: Q, alertId: string, kind: AlertEventKind, now: Date, by: string | null = null, detail: string | null = null) {
  tx.insert(alertEvents).values({ alertId, kind, at: now.toISOString(), by, detail }).run()
}

function payload(a: AlertRow, host: HostRow | undefined, ctx: AlertContext, now: Date, fix: Text | null): NotificationPayload {
  return {
    alertId: a.id,
    hostId: host?.id ?? null,
    hostname: host?.hostname ?? null,
    measureId: a.measureId,
    measureTitle: measureTitle(a.measureId),
    kind: a.kind,
    severity: a.severity,
    reason: { de: a.reasonDe, en: a.reasonEn },
    fix,
    openedAt: a.openedAt,
    crownJewel: host?.crownJewel ?? false,
    openHours: Math.round(((now.getTime() - Date.parse(a.openedAt)) / HOUR) * 10) / 10,
    url: ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, '')}/alerts/${a.id}` : null,
  }
}

/**
 * Writes one outbox row per channel that should hear about this event. Escalations go only to escalation channels;
 * a resolve also reaches them when the alert had been escalated. Returns how many rows were written.
 */
function queue(tx: Q, a: AlertRow, host: HostRow | undefined, ev: Exclude<NotifyEvent, 'test'>, now: Date, ctx: AlertContext, fix: Text | null = null): number {
  const all = tx.select().from(channels).where(eq(channels.enabled, true)).all()
  const targets = all.filter((c) => (ev === 'escalation' ? c.escalation : !c.escalation || (ev === 'resolved' && a.escalatedAt !== null)))
  const iso = now.toISOString()
  const body = payload(a, host, ctx, now, fix)
  for (const c of targets)
    tx.insert(outbox).values({ alertId: a.id, channelId: c.id, event: ev, payload: body, createdAt: iso, nextAttemptAt: iso }).run()
  ctx.touches.queued += targets.length
  return targets.length
}

/** Opens an alert of a host, or of the organisation (`host` undefined, subject ORG_SUBJECT). */
function open(tx: Q, subjectId: string, host: HostRow | undefined, measureId: string, kind: AlertRow['kind'], severity: Severity, reason: Text, fix: Text | null, now: Date, ctx: AlertContext) {
  const a: AlertRow = {
    id: randomUUID(), subjectId, measureId, kind, severity: raise(severity, host?.crownJewel ?? false), state: 'open',
    reasonDe: reason.de, reasonEn: reason.en, openedAt: now.toISOString(), acknowledgedAt: null, acknowledgedBy: null,
    resolvedAt: null, snoozedUntil: null, lastRemindedAt: null, escalatedAt: null, notifiedAt: null,
  }
  tx.insert(alerts).values(a).run()
  event(tx, a.id, 'opened', now, null, reason.en)
  // In maintenance nobody is told now; the follow-up job sends "opened" once the maintenance is over and the alert still open.
  if (!inMaintenance(host, now)) {
    const n = queue(tx, a, host, 'opened', now, ctx, fix)
    tx.update(alerts).set({ notifiedAt: now.toISOString() }).where(eq(alerts.id, a.id)).run()
    event(tx, a.id, 'notified', now, null, channelCount(n))
  }
  ctx.touches.touch(a)
}

function resolve(tx: Q, a: AlertRow, host: HostRow | undefined, now: Date, ctx: AlertContext, detail: string) {
  tx.update(alerts).set({ state: 'resolved', resolvedAt: now.toISOString() }).where(eq(alerts.id, a.id)).run()
  event(tx, a.id, 'resolved', now, null, detail)
  // Only alerts people were told about get a "resolved" message (no "resolved" for something never announced).
  if (a.notifiedAt && !inMaintenance(host, now)) queue(tx, { ...a, state: 'resolved', resolvedAt: now.toISOString() }, host, 'resolved', now, ctx)
  ctx.touches.touch(a)
}

const sentence = (s: string) => (/[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`)

/** An open alert whose measure can no longer be judged: the present state first, then the deviation last seen. */
export const unknownNow = (now: Text, lastSeen: Text): Text => ({
  de: `Zustand derzeit unbekannt: ${sentence(now.de)} Zuletzt festgestellt: ${lastSeen.de}`,
  en: `State unknown now: ${sentence(now.en)} Last seen: ${lastSeen.en}`,
})

/**
 * The finding listener: runs inside the judging transaction, for hosts (with the host row as judged) and for the
 * organisation's records and incidents (subject ORG_SUBJECT, no host).
 */
export function applyFindingChanges(tx: Q, subjectId: string, hostRow: HostRow | undefined, changes: FindingChange[], now: Date, ctx: AlertContext) {
  const host = hostRow ?? (subjectId === ORG_SUBJECT ? undefined : tx.select().from(hosts).where(eq(hosts.id, subjectId)).get())
  if (!host && subjectId !== ORG_SUBJECT) return
  for (const c of changes) {
    const current = ctx.q.openAlert.get({ subjectId, measureId: c.measureId })
    const f = c.after
    if (f.status === 'deviation') {
      if (!current) {
        open(tx, subjectId, host, c.measureId, 'finding', f.severity, f.reason, f.fix ?? null, now, ctx)
        continue
      }
      const severity = raise(f.severity, host?.crownJewel ?? false)
      if (severity !== current.severity || f.reason.en !== current.reasonEn) {
        tx.update(alerts).set({ severity, reasonDe: f.reason.de, reasonEn: f.reason.en }).where(eq(alerts.id, current.id)).run()
        event(tx, current.id, 'changed', now, null, `${severity}: ${f.reason.en}`)
        ctx.touches.touch(current)
      }
    } else if (f.status === 'ok') {
      if (current) resolve(tx, current, host, now, ctx, f.reason.en)
    } else if (current && c.before?.status === 'deviation') {
      // unknown (or not-applicable) is never ok: the alert stays open. Its text says what is known now — the state is
      // unknown, and what was last seen — so the board and the next reminder do not claim the old deviation as present.
      const reason = unknownNow(f.reason, { de: current.reasonDe, en: current.reasonEn })
      tx.update(alerts).set({ reasonDe: reason.de, reasonEn: reason.en }).where(eq(alerts.id, current.id)).run()
      event(tx, current.id, 'unknown', now, null, f.reason.en)
      ctx.touches.touch(current)
    }
  }
  if (!host) return
  // A report ends a silence: the listener also runs for a report without finding changes.
  const silent = ctx.q.openAlert.get({ subjectId, measureId: SILENT_MEASURE })
  if (silent && host.lastReportAt && now.getTime() - Date.parse(host.lastReportAt) < thresholdsFor(tx, host).silentMaxMinutes * MINUTE)
    resolve(tx, silent, host, now, ctx, `report received at ${host.lastReportAt}`)
}

/** Crown-jewel flag changed: open alerts of the host get their severity recomputed from the current findings. */
export function recomputeSeverities(tx: Tx, hostId: string, now: Date, ctx: AlertContext) {
  const host = tx.select().from(hosts).where(eq(hosts.id, hostId)).get()
  if (!host) return
  for (const a of tx.select().from(alerts).where(and(eq(alerts.subjectId, hostId), ne(alerts.state, 'resolved'))).all()) {
    const base: Severity =
      a.kind === 'silent'
        ? SILENT_SEVERITY
        : agentMeasure(a.measureId)?.severity ?? ((tx.get<{ severity: Severity }>(sql`select severity from findings where subject_id = ${hostId} and measure_id = ${a.measureId}`)?.severity) ?? a.severity)
    const severity = raise(base, host.crownJewel)
    if (severity === a.severity) continue
    tx.update(alerts).set({ severity }).where(eq(alerts.id, a.id)).run()
    event(tx, a.id, 'changed', now, null, `severity ${severity}${host.crownJewel ? ' (crown jewel)' : ''}`)
    ctx.touches.touch(a)
  }
}

const fmtMinutes = (m: number) => (m >= 2880 ? `${Math.floor(m / 1440)} d` : m >= 120 ? `${Math.floor(m / 60)} h` : `${Math.floor(m)} min`)

/** The smallest silence threshold that applies anywhere (default, global, tag or host override): a cheap SQL prefilter. */
export function smallestSilentMinutes(overrides: readonly OverrideRow[]): number {
  const global = resolveThresholds(overrides, { id: '', tags: [] }).silentMaxMinutes
  const specific = overrides.filter((o) => o.scope !== 'global').map((o) => o.values.silentMaxMinutes)
  return Math.min(global, ...specific.filter((v): v is number => v !== undefined && Number.isFinite(v)))
}

/**
 * Opens "agent silent" alerts for hosts that have not reported for longer than their threshold. After the server starts,
 * nothing opens for a grace period (default: the host's own threshold), so the server's own outage causes no alert storm.
 * SQL hands over only hosts quiet for longer than the smallest threshold anywhere (none, in a healthy fleet); they are
 * decided one by one and opened in chunks (a whole office going dark at once must not stall the server).
 */
export function checkSilent(db: Db, now: Date, startedAt: Date, settings: AlertSettings, ctx: () => AlertContext, onError: (err: unknown) => void) {
  const up = now.getTime() - startedAt.getTime()
  const overrides = loadOverrides(db)
  const cutoff = new Date(now.getTime() - smallestSilentMinutes(overrides) * MINUTE).toISOString()
  const candidates = db
    .select()
    .from(hosts)
    .where(
      sql`${hosts.retiredAt} is null and coalesce(${hosts.lastReportAt}, ${hosts.createdAt}) < ${cutoff} and not exists (select 1 from ${alerts} where ${alerts.subjectId} = ${hosts.id} and ${alerts.measureId} = ${SILENT_MEASURE} and ${alerts.state} <> 'resolved')`,
    )
    .all()
  const due: { host: HostRow; reason: Text }[] = []
  for (const host of candidates) {
    // Heightened monitoring after an incident: silent sooner, like a crown jewel.
    const limit = resolveThresholds(overrides, { ...host, watched: isWatched(db, host.id, now) }).silentMaxMinutes
    const last = host.lastReportAt ?? host.createdAt
    const quietFor = (now.getTime() - Date.parse(last)) / MINUTE
    if (quietFor <= limit) continue
    if (up < (settings.silentGraceMinutes ?? limit) * MINUTE) continue
    const reason: Text = host.lastReportAt
      ? { de: `Letzte Meldung vor ${fmtMinutes(quietFor)} (Grenze ${fmtMinutes(limit)}).`, en: `Last report ${fmtMinutes(quietFor)} ago (limit ${fmtMinutes(limit)}).` }
      : { de: `Seit der Anmeldung vor ${fmtMinutes(quietFor)} keine Meldung.`, en: `No report since enrollment ${fmtMinutes(quietFor)} ago.` }
    due.push({ host, reason })
  }
  const fix: Text = {
    de: 'Prüfen, ob der Rechner läuft, im Netz ist und der Dienst lagebild-agent läuft.',
    en: 'Check that the computer is on, connected, and the lagebild-agent service is running.',
  }
  return inChunks(db, due, ({ host, reason }) => open(db, host.id, host, SILENT_MEASURE, 'silent', SILENT_SEVERITY, reason, fix, now, ctx()), { onError })
}

/**
 * Follow-ups of unacknowledged alerts: the held-back "opened" after a maintenance or snooze, reminders every
 * reminderHours (the first one right when a snooze ends), and one escalation after escalationHours. SQL hands over the
 * open alerts that may be due (a superset); each is decided below and handled in its own savepoint, in chunks.
 */
export function followUps(db: Db, now: Date, settings: AlertSettings, ctx: () => AlertContext, onError: (err: unknown) => void) {
  const iso = now.toISOString()
  const remindBefore = new Date(now.getTime() - settings.reminderHours * HOUR).toISOString()
  const escalateBefore = new Date(now.getTime() - settings.escalationHours * HOUR).toISOString()
  const last = sql`coalesce(${alerts.lastRemindedAt}, ${alerts.notifiedAt})`
  const rows = db
    .select({ a: alerts, h: hosts })
    .from(alerts)
    .leftJoin(hosts, eq(hosts.id, alerts.subjectId))
    .where(
      and(
        eq(alerts.state, 'open'),
        sql`(${alerts.notifiedAt} is null or ${last} <= ${remindBefore} or ${alerts.snoozedUntil} > ${last}
          or (${alerts.escalatedAt} is null and ${alerts.openedAt} <= ${escalateBefore}))`,
      ),
    )
    .all()
  const due = rows.filter(({ a, h }) => !inMaintenance(h ?? undefined, now) && !snoozed(a, now))
  return inChunks(
    db,
    due,
    ({ a, h }) => {
      const host = h ?? undefined
      const c = ctx()
      if (!a.notifiedAt) {
        const n = queue(db, a, host, 'opened', now, c)
        db.update(alerts).set({ notifiedAt: iso }).where(eq(alerts.id, a.id)).run()
        event(db, a.id, 'notified', now, null, `${channelCount(n)}, held back before`)
        c.touches.touch(a)
        return
      }
      const lastAt = Date.parse(a.lastRemindedAt ?? a.notifiedAt)
      const snoozeEnd = a.snoozedUntil ? Date.parse(a.snoozedUntil) : 0
      const dueAt = snoozeEnd > lastAt ? snoozeEnd : lastAt + settings.reminderHours * HOUR
      if (now.getTime() >= dueAt) {
        const n = queue(db, a, host, 'reminder', now, c)
        db.update(alerts).set({ lastRemindedAt: iso }).where(eq(alerts.id, a.id)).run()
        event(db, a.id, 'reminded', now, null, channelCount(n))
        c.touches.touch(a)
      }
      if (!a.escalatedAt && now.getTime() - Date.parse(a.openedAt) >= settings.escalationHours * HOUR) {
        const n = queue(db, a, host, 'escalation', now, c)
        db.update(alerts).set({ escalatedAt: iso }).where(eq(alerts.id, a.id)).run()
        event(db, a.id, 'escalated', now, null, n ? countOf('en', n, ['escalation channel', 'escalation channels']) : 'no escalation channel configured')
        c.touches.touch(a)
      }
    },
    { onError },
  )
}

export function acknowledge(db: Db, id: string, by: string, now: Date, ctx: AlertContext, note?: string) {
  db.transaction((tx) => {
    const a = tx.select().from(alerts).where(eq(alerts.id, id)).get()
    if (!a) throw notFound('no such alert')
    if (a.state === 'resolved') throw conflict('the alert is already resolved', 'resolved')
    if (a.state === 'acknowledged') return
    tx.update(alerts).set({ state: 'acknowledged', acknowledgedAt: now.toISOString(), acknowledgedBy: by }).where(eq(alerts.id, id)).run()
    event(tx, id, 'acknowledged', now, by, note ?? null)
    ctx.touches.touch(a)
  })
}

export function snooze(db: Db, id: string, until: Date, by: string, now: Date, ctx: AlertContext) {
  if (until.getTime() <= now.getTime()) throw invalid('snooze: the time must lie in the future')
  if (until.getTime() - now.getTime() > MAX_SNOOZE_MINUTES * MINUTE) throw invalid(`snooze: at most ${MAX_SNOOZE_MINUTES / 1440} days`)
  db.transaction((tx) => {
    const a = tx.select().from(alerts).where(eq(alerts.id, id)).get()
    if (!a) throw notFound('no such alert')
    if (a.state === 'resolved') throw conflict('the alert is already resolved', 'resolved')
    tx.update(alerts).set({ snoozedUntil: until.toISOString() }).where(eq(alerts.id, id)).run()
    event(tx, id, 'snoozed', now, by, `until ${until.toISOString()}`)
    ctx.touches.touch(a)
  })
}

/**
 * Ends a snooze early: reminders and escalation follow the normal schedule again from the next tick (one that fell due
 * meanwhile goes out then). An alert that is not snoozed right now is left as it is (two admins clicking at once).
 */
export function unsnooze(db: Db, id: string, by: string, now: Date, ctx: AlertContext) {
  db.transaction((tx) => {
    const a = tx.select().from(alerts).where(eq(alerts.id, id)).get()
    if (!a) throw notFound('no such alert')
    if (a.state === 'resolved') throw conflict('the alert is already resolved', 'resolved')
    if (!snoozed(a, now)) return
    tx.update(alerts).set({ snoozedUntil: null }).where(eq(alerts.id, id)).run()
    event(tx, id, 'unsnoozed', now, by, `was until ${a.snoozedUntil}`)
    ctx.touches.touch(a)
  })
}

// ── read models ──

function alertOut(a: AlertRow, h: Pick<HostRow, 'hostname' | 'maintenanceUntil' | 'crownJewel'> | null, now: Date): AlertOut {
  return {
    id: a.id,
    hostId: a.subjectId === ORG_SUBJECT ? null : a.subjectId,
    hostname: h?.hostname ?? null,
    crownJewel: h?.crownJewel ?? false,
    measureId: a.measureId,
    measureTitle: measureTitle(a.measureId),
    kind: a.kind,
    severity: a.severity,
    state: a.state,
    reason: { de: a.reasonDe, en: a.reasonEn },
    openedAt: a.openedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
    snoozedUntil: a.snoozedUntil,
    snoozed: snoozed(a, now),
    inMaintenance: !!h?.maintenanceUntil && Date.parse(h.maintenanceUntil) > now.getTime(),
    notifiedAt: a.notifiedAt,
    lastRemindedAt: a.lastRemindedAt,
    escalatedAt: a.escalatedAt,
  }
}

export function listAlerts(db: Db, q: AlertQuery, now = new Date()): AlertList {
  const where: SQL[] = []
  if (q.state === 'active') where.push(ne(alerts.state, 'resolved'))
  else if (q.state) where.push(eq(alerts.state, q.state))
  if (q.hostId) where.push(eq(alerts.subjectId, q.hostId))
  if (q.measureId) where.push(eq(alerts.measureId, q.measureId))
  const cond = where.length ? and(...where) : undefined
  const total = db.select({ n: count() }).from(alerts).where(cond).get()!.n
  // Open before acknowledged before resolved (ALERT_STATES' order), the most urgent first (SEVERITIES from the top).
  const sevRank = rankBy(alerts.severity, [...SEVERITIES].reverse())
  const stateRank = rankBy(alerts.state, ALERT_STATES)
  const rows = db
    .select({ a: alerts, h: { hostname: hosts.hostname, maintenanceUntil: hosts.maintenanceUntil, crownJewel: hosts.crownJewel } })
    .from(alerts)
    .leftJoin(hosts, eq(hosts.id, alerts.subjectId))
    .where(cond)
    .orderBy(asc(stateRank), asc(sevRank), desc(alerts.openedAt))
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0)
    .all()
  return { total, alerts: rows.map((r) => alertOut(r.a, r.h, now)) }
}

export function alertDetail(db: Db, id: string, now = new Date()): AlertDetail | null {
  const row = db
    .select({ a: alerts, h: { hostname: hosts.hostname, maintenanceUntil: hosts.maintenanceUntil, crownJewel: hosts.crownJewel } })
    .from(alerts)
    .leftJoin(hosts, eq(hosts.id, alerts.subjectId))
    .where(eq(alerts.id, id))
    .get()
  if (!row) return null
  const history = db.select().from(alertEvents).where(eq(alertEvents.alertId, id)).orderBy(asc(alertEvents.id)).all()
  const sent = db
    .select({ o: outbox, name: channels.name })
    .from(outbox)
    .leftJoin(channels, eq(channels.id, outbox.channelId))
    .where(eq(outbox.alertId, id))
    .orderBy(asc(outbox.id))
    .all()
  return {
    alert: alertOut(row.a, row.h, now),
    history: history.map((e) => ({ at: e.at, kind: e.kind, by: e.by, detail: e.detail })),
    notifications: sent.map(({ o, name }) => ({
      channelId: o.channelId, channelName: name, event: o.event, createdAt: o.createdAt, sentAt: o.sentAt, attempts: o.attempts, lastError: o.lastError,
    })),
  }
}

/**
 * Opens or updates (reason given) or resolves (null) an agent alert of a host. Updating an open one changes its text
 * only: it stays one alert, with one notification, however often the agent misbehaves again.
 */
export function setAgentAlert(tx: Q, hostId: string, measureId: AgentMeasure, reason: Text | null, fix: Text | null, now: Date, ctx: AlertContext) {
  const host = tx.select().from(hosts).where(eq(hosts.id, hostId)).get()
  if (!host) return
  const current = ctx.q.openAlert.get({ subjectId: hostId, measureId })
  if (!reason) {
    if (current) resolve(tx, current, host, now, ctx, 'back to normal')
    return
  }
  if (!current) return open(tx, hostId, host, measureId, 'finding', AGENT_MEASURES[measureId].severity, reason, fix, now, ctx)
  if (current.reasonEn === reason.en) return
  tx.update(alerts).set({ reasonDe: reason.de, reasonEn: reason.en }).where(eq(alerts.id, current.id)).run()
  event(tx, current.id, 'changed', now, null, reason.en)
  ctx.touches.touch(current)
}
