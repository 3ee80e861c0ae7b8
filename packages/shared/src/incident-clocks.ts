// The reporting clocks of an incident (handle.obligations): which deadlines run, from when, until when, and how close
// each is. Pure; times are real instants. Hour periods are elapsed real time (72 h stay 72 h across a change of summer
// time); a period of months ends at the same local wall-clock time in the company's zone (a month later may be 30 days
// ± one hour). Sources: GDPR art. 33(1) ("not later than 72 hours after having become aware"); NIS2 art. 23(4) / BSIG
// §32(1): early warning within 24 h and notification within 72 h of becoming aware, final report "not later than one
// month after the submission of the incident notification".
import type { Text } from './common.js'
import { instantOf, localTime } from './coverage.js'
import type { ClockId, ClockStage } from './incidents.js'
import { reportingClocks } from './judge-organisation.js'

const HOUR = 3_600_000

export interface ClockRule {
  /** From the moment of awareness, or from when the NIS2 notification was sent (its deadline while it was not). */
  from: 'awareness' | 'nis2-notification'
  /** A period in calendar months (else the hours of the readiness record). */
  months?: number
  recipient: Text
  basis: Text
}

const t = (de: string, en: string): Text => ({ de, en })
export const CLOCK_RULES: Record<ClockId, ClockRule> = {
  'gdpr-authority': {
    from: 'awareness', recipient: t('Datenschutzaufsicht', 'data-protection authority'),
    basis: t('Art. 33 Abs. 1 DSGVO: binnen 72 Stunden ab Kenntnis; Angaben dürfen schrittweise nachgereicht werden (Abs. 4).', 'GDPR art. 33(1): within 72 hours of becoming aware; information may be given in phases (art. 33(4)).'),
  },
  'nis2-early-warning': {
    from: 'awareness', recipient: t('BSI (Meldestelle)', 'BSI (reporting office)'),
    basis: t('§ 32 Abs. 1 Nr. 1 BSIG (NIS2 Art. 23 Abs. 4 a): Erstmeldung binnen 24 Stunden ab Kenntnis.', 'BSIG §32(1) no. 1 (NIS2 art. 23(4)(a)): early warning within 24 hours of becoming aware.'),
  },
  'nis2-notification': {
    from: 'awareness', recipient: t('BSI (Meldestelle)', 'BSI (reporting office)'),
    basis: t('§ 32 Abs. 1 Nr. 2 BSIG (NIS2 Art. 23 Abs. 4 b): Meldung binnen 72 Stunden ab Kenntnis, mit erster Bewertung.', 'BSIG §32(1) no. 2 (NIS2 art. 23(4)(b)): notification within 72 hours of becoming aware, with a first assessment.'),
  },
  'nis2-final': {
    from: 'nis2-notification', months: 1, recipient: t('BSI (Meldestelle)', 'BSI (reporting office)'),
    basis: t('§ 32 Abs. 1 Nr. 4 BSIG (NIS2 Art. 23 Abs. 4 d): Abschlussmeldung spätestens einen Monat nach der Meldung.', 'BSIG §32(1) no. 4 (NIS2 art. 23(4)(d)): final report at the latest one month after the notification.'),
  },
  insurer: {
    from: 'awareness', recipient: t('Cyber-Versicherung', 'cyber insurer'),
    basis: t('Frist der Versicherungsbedingungen (in den Meldepflichten hinterlegt).', 'Period of the insurance policy (kept under reporting duties).'),
  },
}

/** The title of every clock, from the one place the readiness records name them (every duty answered "yes"). */
export const CLOCK_TITLE = Object.fromEntries(
  reportingClocks({ personalData: 'yes', nis2Sector: 'yes', nis2Size: 'yes', kritis: 'yes', bsiRegistered: true, insurerNoticeHours: 1 }).map((c) => [c.id, c.title]),
) as Record<ClockId, Text>

/** The same local wall-clock time `months` calendar months later in `zone`; a day the month lacks becomes its last day. */
export function addCalendarMonths(ms: number, months: number, zone: string): number {
  const l = localTime(zone, ms)
  const target = new Date(Date.UTC(l.year, l.month - 1 + months, 1))
  const y = target.getUTCFullYear()
  const m = target.getUTCMonth() + 1
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  // localTime is minute-precise; the seconds of the start carry over unchanged.
  return instantOf(zone, y, m, Math.min(l.day, last), l.minute) + (ms % 60_000 + 60_000) % 60_000
}

export interface ClockTimes {
  /** When the clock started. */
  startAt: number
  dueAt: number
}

/**
 * When a clock starts and ends. `hours` is the readiness record's period (used unless the rule counts in months);
 * `notification` is the NIS2 notification clock's deadline and the time it was sent, if it was.
 */
export function clockTimes(id: ClockId, hours: number, awareAt: number, zone: string, notification: { dueAt: number; doneAt: number | null } | null): ClockTimes {
  const rule = CLOCK_RULES[id]
  const startAt = rule.from === 'awareness' ? awareAt : (notification?.doneAt ?? notification?.dueAt ?? awareAt + 72 * HOUR)
  const dueAt = rule.months ? addCalendarMonths(startAt, rule.months, zone) : startAt + hours * HOUR
  return { startAt, dueAt }
}

/** How close a running clock is: half the time gone, the last twelfth, past due; null before half. */
export function clockStage(c: ClockTimes, now: number): ClockStage | null {
  const span = c.dueAt - c.startAt
  if (now >= c.dueAt) return 'overdue'
  if (now >= c.dueAt - span / 12) return 'due-soon'
  if (now >= c.startAt + span / 2) return 'half'
  return null
}

/** "2 d 5 h", "3 h 20 min", "12 min" — a duration as people read it (the same in German and English). */
export function fmtDuration(ms: number): string {
  const m = Math.max(0, Math.floor(Math.abs(ms) / 60_000))
  const d = Math.floor(m / 1440)
  const h = Math.floor((m % 1440) / 60)
  const min = m % 60
  if (d) return h ? `${d} d ${h} h` : `${d} d`
  if (h) return min ? `${h} h ${min} min` : `${h} h`
  return `${min} min`
}

/** An instant as wall-clock time of the company's zone: "28.11.2026 14:05 (Europe/Berlin)" / "2026-11-28 14:05 (Europe/Berlin)". */
export function fmtLocal(ms: number, zone: string): Text {
  const l = localTime(zone, ms)
  const p = (n: number) => String(n).padStart(2, '0')
  const hm = `${p(Math.floor(l.minute / 60))}:${p(l.minute % 60)}`
  return { de: `${p(l.day)}.${p(l.month)}.${l.year} ${hm} (${zone})`, en: `${l.year}-${p(l.month)}-${p(l.day)} ${hm} (${zone})` }
}
