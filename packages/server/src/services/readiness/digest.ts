// The monthly readiness digest by e-mail: what is overdue or falls due soon, which organisational measures deviate,
// what changed in the records (from the audit log), and the score against a month ago. Queued in the outbox like an
// alert notification (durable, retried), to every enabled e-mail channel that is not for escalations only.
import { and, desc, eq, gte, lte, sql } from 'drizzle-orm'
import { evaluateReadiness, localTime, MEASURE_BY_ID, RECORDS, type Language } from '@lagebild/shared'
import { auditLog, channels, findings, outbox, scoreHistory } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { DigestPayload } from '../../channels/types.js'
import { overview, ORG_SUBJECT } from '../overview.js'
import { loadReadinessInput } from './input.js'
import { getCompany, getState, putState } from './store.js'

const DAY = 86_400_000
/** The digest goes out on the first of the month from this local hour on (or later, if the server was down then). */
const DIGEST_HOUR = 7

export function snapshotScore(db: Db, now: Date) {
  const row = { day: now.toISOString().slice(0, 10), value: overview(db, now).score.value }
  db.insert(scoreHistory).values(row).onConflictDoUpdate({ target: scoreHistory.day, set: { value: row.value } }).run()
  return row
}

/** The score of about a month ago: the newest snapshot at least 28 days old, else the oldest one. */
function scoreMonthAgo(db: Db, now: Date): number | null {
  const cutoff = new Date(now.getTime() - 28 * DAY).toISOString().slice(0, 10)
  const before = db.select().from(scoreHistory).where(lte(scoreHistory.day, cutoff)).orderBy(desc(scoreHistory.day)).limit(1).get()
  return (before ?? db.select().from(scoreHistory).orderBy(scoreHistory.day).limit(1).get())?.value ?? null
}

const monthKey = (zone: string, now: Date) => {
  const l = localTime(zone, now.getTime())
  return { key: `${l.year}-${String(l.month).padStart(2, '0')}`, hour: Math.floor(l.minute / 60) }
}

export function digestDue(db: Db, now: Date): boolean {
  const { key, hour } = monthKey(getCompany(db).timeZone, now)
  return getState<{ month: string }>(db, 'digest')?.month !== key && hour >= DIGEST_HOUR
}

const L = {
  de: {
    subject: (s: number, d: string, n: number) => `[Lagebild] Bereitschaft ${s} %${d}${n ? ` – ${n} überfällig` : ''}`,
    intro: (company: string, date: string) => `Monatsbericht zur IT-Notfallbereitschaft${company ? ` von ${company}` : ''}, Stand ${date}.`,
    score: (s: number, before: number | null) => `Bereitschaftsgrad: ${s} %${before === null ? '' : ` (vor einem Monat ${before} %)`}`,
    overdue: 'Überfällig', soon: 'In den nächsten 30 Tagen fällig', deviations: 'Abweichungen der Organisation', changes: 'Änderungen der letzten 30 Tage',
    none: 'keine', since: 'fällig seit', due: 'fällig am', more: (n: number) => `… und ${n} weitere`, link: 'Im Lagebild',
  },
  en: {
    subject: (s: number, d: string, n: number) => `[Lagebild] Readiness ${s} %${d}${n ? ` – ${n} overdue` : ''}`,
    intro: (company: string, date: string) => `Monthly digest of IT emergency readiness${company ? ` of ${company}` : ''}, as of ${date}.`,
    score: (s: number, before: number | null) => `Readiness: ${s} %${before === null ? '' : ` (a month ago ${before} %)`}`,
    overdue: 'Overdue', soon: 'Due in the next 30 days', deviations: 'Deviations of the organisation', changes: 'Changes in the last 30 days',
    none: 'none', since: 'due since', due: 'due on', more: (n: number) => `… and ${n} more`, link: 'In Lagebild',
  },
} as const

export function buildDigest(db: Db, now: Date, publicUrl: string | null): DigestPayload {
  const input = loadReadinessInput(db, now)
  const states = evaluateReadiness(input, now).records.filter((r) => r.recorded && r.dueAt)
  const overdue = states.filter((r) => r.overdue)
  const soon = states.filter((r) => !r.overdue && Date.parse(r.dueAt!) < now.getTime() + 30 * DAY)
  const deviations = db.select().from(findings).where(and(eq(findings.subjectId, ORG_SUBJECT), eq(findings.status, 'deviation'))).all()
  const monthAgo = new Date(now.getTime() - 30 * DAY).toISOString()
  const changes = db
    .select({ at: auditLog.at, actor: auditLog.actor, action: auditLog.action })
    .from(auditLog)
    .where(and(gte(auditLog.at, monthAgo), sql`substr(${auditLog.action}, 1, 10) = 'readiness.'`))
    .orderBy(desc(auditLog.id))
    .all()
  const score = overview(db, now).score.value
  const before = scoreMonthAgo(db, now)
  const delta = before === null || before === score ? '' : ` (${score > before ? '+' : ''}${score - before})`
  const render = (lang: Language) => {
    const t = L[lang]
    const day = (iso: string) => (lang === 'de' ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : iso.slice(0, 10))
    const section = (title: string, lines: string[], max = 15) =>
      [`${title}:`, ...(lines.length ? lines.slice(0, max).map((l) => `  - ${l}`) : [`  ${t.none}`]), ...(lines.length > max ? [`  ${t.more(lines.length - max)}`] : []), '']
    const text = [
      t.intro(input.company.name, day(now.toISOString())), '', t.score(score, before), '',
      ...section(t.overdue, overdue.map((r) => `${RECORDS[r.kind].title[lang]} (${t.since} ${day(r.dueAt!)})${r.owner ? ` – ${r.owner}` : ''}`)),
      ...section(t.soon, soon.map((r) => `${RECORDS[r.kind].title[lang]} (${t.due} ${day(r.dueAt!)})${r.owner ? ` – ${r.owner}` : ''}`)),
      ...section(t.deviations, deviations.map((f) => `${MEASURE_BY_ID.get(f.measureId)?.title[lang] ?? f.measureId}: ${lang === 'de' ? f.reasonDe : f.reasonEn}`)),
      ...section(t.changes, changes.map((c) => `${day(c.at)} ${c.actor}: ${c.action}`)),
      ...(publicUrl ? [`${t.link}: ${publicUrl.replace(/\/+$/, '')}/readiness`] : []),
    ].join('\n')
    return { subject: t.subject(score, delta, overdue.length), text }
  }
  return { de: render('de'), en: render('en') }
}

/**
 * Queues the digest for every enabled e-mail channel (not the escalation-only ones). The monthly job remembers the month;
 * a digest sent by hand does not count as this month's.
 */
export function queueDigest(db: Db, now: Date, publicUrl: string | null, kick: () => void, monthly = true): number {
  const payload = buildDigest(db, now, publicUrl)
  const iso = now.toISOString()
  const { key } = monthKey(getCompany(db).timeZone, now)
  const n = db.transaction((tx) => {
    const targets = tx.select().from(channels).where(and(eq(channels.enabled, true), eq(channels.type, 'email'), eq(channels.escalation, false))).all()
    for (const c of targets) tx.insert(outbox).values({ alertId: null, channelId: c.id, event: 'digest', payload, createdAt: iso, nextAttemptAt: iso }).run()
    if (monthly) putState(tx, 'digest', { month: key, queuedAt: iso, channels: targets.length })
    return targets.length
  })
  if (n) kick()
  return n
}
