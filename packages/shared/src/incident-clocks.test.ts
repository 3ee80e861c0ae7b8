// The reporting clocks with a simulated clock: hour periods are real elapsed time across both changes of summer time,
// a month is the same local wall-clock time a calendar month later, and the warnings come in their order.
import { describe, expect, it } from 'vitest'
import { addCalendarMonths, CLOCK_TITLE, clockStage, clockTimes, fmtDuration, fmtLocal } from './incident-clocks.js'
import { REPORTING_CLOCKS } from './judge-organisation.js'

const H = 3_600_000
const at = (iso: string) => Date.parse(iso)
const Z = 'Europe/Berlin'

describe('hour periods are real hours', () => {
  it('72 h from Friday 10:00 before summer time starts end on Monday at 11:00 local (the night had 23 hours)', () => {
    const t = clockTimes('gdpr-authority', 72, at('2026-03-27T09:00:00Z'), Z, null)
    expect(new Date(t.dueAt).toISOString()).toBe('2026-03-30T09:00:00.000Z')
    expect(fmtLocal(t.dueAt, Z)).toEqual({ de: '30.03.2026 11:00 (Europe/Berlin)', en: '2026-03-30 11:00 (Europe/Berlin)' })
  })
  it('24 h across the end of summer time end one local hour earlier (the night had 25 hours)', () => {
    const t = clockTimes('nis2-early-warning', 24, at('2026-10-24T20:00:00Z'), Z, null)
    expect(fmtLocal(t.startAt, Z).de).toBe('24.10.2026 22:00 (Europe/Berlin)')
    expect(fmtLocal(t.dueAt, Z).de).toBe('25.10.2026 21:00 (Europe/Berlin)')
    expect(t.dueAt - t.startAt).toBe(24 * H)
  })
})

describe('the NIS2 final report: a calendar month after the notification', () => {
  const aware = at('2026-10-20T08:00:00Z')
  it('counts from the notification when it was sent, at the same local time across the end of summer time', () => {
    const sent = at('2026-10-21T12:30:00Z') // 14:30 summer time
    const t = clockTimes('nis2-final', 720, aware, Z, { dueAt: aware + 72 * H, doneAt: sent })
    expect(t.startAt).toBe(sent)
    expect(fmtLocal(t.dueAt, Z).de).toBe('21.11.2026 14:30 (Europe/Berlin)')
    expect(new Date(t.dueAt).toISOString()).toBe('2026-11-21T13:30:00.000Z')
    expect((t.dueAt - t.startAt) / H).toBe(31 * 24 + 1)
  })
  it('counts from the notification deadline while it was not sent', () => {
    const t = clockTimes('nis2-final', 720, aware, Z, { dueAt: aware + 72 * H, doneAt: null })
    expect(t.startAt).toBe(aware + 72 * H)
  })
  it('a day the next month lacks becomes its last day; seconds are kept', () => {
    expect(new Date(addCalendarMonths(at('2027-01-31T10:15:42Z'), 1, Z)).toISOString()).toBe('2027-02-28T10:15:42.000Z')
    expect(new Date(addCalendarMonths(at('2028-01-31T10:15:00Z'), 1, Z)).toISOString()).toBe('2028-02-29T10:15:00.000Z')
    expect(new Date(addCalendarMonths(at('2026-12-15T09:00:00Z'), 1, Z)).toISOString()).toBe('2027-01-15T09:00:00.000Z')
  })
  it('a start in the hour skipped in spring is moved by the jump (no instant is lost)', () => {
    // 2026-02-29 does not exist; 2027-03-28 02:30 is skipped in Berlin: one month after 28 Feb 02:30 is 28 Mar 03:30 local.
    expect(fmtLocal(addCalendarMonths(at('2027-02-28T01:30:00Z'), 1, Z), Z).de).toBe('28.03.2027 03:30 (Europe/Berlin)')
  })
})

describe('warning stages', () => {
  const t = { startAt: 0, dueAt: 24 * H }
  it('nothing before half, then half, the last twelfth, overdue', () => {
    expect(clockStage(t, 11.9 * H)).toBeNull()
    expect(clockStage(t, 12 * H)).toBe('half')
    expect(clockStage(t, 21.9 * H)).toBe('half')
    expect(clockStage(t, 22 * H)).toBe('due-soon')
    expect(clockStage(t, 24 * H)).toBe('overdue')
  })
  it('durations as people read them', () => {
    expect(fmtDuration(50 * 60_000)).toBe('50 min')
    expect(fmtDuration(3 * H + 20 * 60_000)).toBe('3 h 20 min')
    expect(fmtDuration(53 * H)).toBe('2 d 5 h')
  })
  it('every clock has a title in both languages from the readiness records', () => {
    for (const id of REPORTING_CLOCKS) expect(CLOCK_TITLE[id].de && CLOCK_TITLE[id].en).toBeTruthy()
  })
})
