// Coverage of the first contact over real weeks: the week boundary, both DST changes of Europe/Berlin (2026-03-29 and
// 2026-10-25), and a New York provider in the weeks when only the US has changed (2026-03-08 … 03-29).
import { describe, expect, it } from 'vitest'
import { coverageGaps, describeGaps, describeWindows, instantOf, localWeek, weekCoverage, windowProblem, type Reachable } from './coverage.js'
import { WEEKDAYS, type Weekday, type Window } from './readiness.js'

const BERLIN = 'Europe/Berlin'
const all = (from: string, to: string, days: readonly Weekday[] = WEEKDAYS): Window[] => days.map((day) => ({ day, from, to }))
const ALWAYS = all('00:00', '24:00')
const WORKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const
const person = (name: string, windows: Window[], zone: string | null = null): Reachable => ({ name, zone, windows })
const label = (g: { from: { day: string; time: string }; to: { day: string; time: string } }) => `${g.from.day} ${g.from.time} → ${g.to.day} ${g.to.time}`

describe('local weeks and instants', () => {
  it('the week of the spring change has 167 hours, the autumn one 169', () => {
    const spring = localWeek(BERLIN, new Date('2026-03-29T12:00:00Z'))
    expect(new Date(spring.start).toISOString()).toBe('2026-03-22T23:00:00.000Z')
    expect(new Date(spring.end).toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect((spring.end - spring.start) / 3_600_000).toBe(167)
    const autumn = localWeek(BERLIN, new Date('2026-10-25T12:00:00Z'))
    expect((autumn.end - autumn.start) / 3_600_000).toBe(169)
  })

  it('a wall time skipped by the spring change moves forward by the jump; a doubled one is the first', () => {
    expect(new Date(instantOf(BERLIN, 2026, 3, 29, 150)).toISOString()).toBe('2026-03-29T01:30:00.000Z')
    expect(new Date(instantOf(BERLIN, 2026, 10, 25, 150)).toISOString()).toBe('2026-10-25T00:30:00.000Z')
    expect(new Date(instantOf('America/New_York', 2026, 1, 5, 9 * 60)).toISOString()).toBe('2026-01-05T14:00:00.000Z')
  })
})

describe('gaps', () => {
  it('office hours only: the evenings and the weekend, the weekend joined across the end of the week', () => {
    const cov = weekCoverage([person('Anna', all('08:00', '18:00', [...WORKDAYS]))], ALWAYS, BERLIN, new Date('2026-02-11T12:00:00Z'))
    expect(cov.gaps.map(label)).toEqual(['mon 18:00 → tue 08:00', 'tue 18:00 → wed 08:00', 'wed 18:00 → thu 08:00', 'thu 18:00 → fri 08:00', 'fri 18:00 → mon 08:00'])
    expect(cov.gaps.at(-1)!.hours).toBe(62)
    expect(cov.cells.find((c) => c.day === 'mon' && c.hour === 9)).toMatchObject({ state: 'covered', who: ['Anna'] })
    expect(describeGaps(cov.gaps).de).toContain('Fr 18:00 – Mo 08:00')
  })

  it('windows that meet at midnight Sunday → Monday leave no gap at the week boundary', () => {
    const day = person('Tagdienst', all('06:00', '22:00'))
    const night = person('Nachtdienst', [...all('22:00', '24:00'), ...all('00:00', '06:00')])
    expect(weekCoverage([night, day], ALWAYS, BERLIN, new Date('2026-02-11T12:00:00Z')).gaps).toEqual([])
    // Nobody from Sunday 22:00 to Monday 06:00: one gap of eight hours across the end of the week.
    const noNightSunToMon = person('Nachtdienst', [...all('22:00', '24:00', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']), ...all('00:00', '06:00', ['tue', 'wed', 'thu', 'fri', 'sat', 'sun'])])
    const gaps = weekCoverage([noNightSunToMon, day], ALWAYS, BERLIN, new Date('2026-02-11T12:00:00Z')).gaps
    expect(gaps.map(label)).toEqual(['sun 22:00 → mon 06:00'])
    expect(gaps[0]!.hours).toBe(8)
  })

  it('spring forward: Sunday 01:00–04:00 local is only two real hours, and 02:00 does not exist', () => {
    const sunday: Window[] = [{ day: 'sun', from: '00:00', to: '01:00' }, { day: 'sun', from: '04:00', to: '24:00' }]
    const cov = weekCoverage([person('A', [...all('00:00', '24:00', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']), ...sunday])], ALWAYS, BERLIN, new Date('2026-03-25T12:00:00Z'))
    expect(cov.gaps.map(label)).toEqual(['sun 01:00 → sun 04:00'])
    expect(cov.gaps[0]!.hours).toBe(2)
    expect(cov.cells.find((c) => c.day === 'sun' && c.hour === 2)!.state).toBe('none')
  })

  it('fall back: the same local hours are four real hours', () => {
    const sunday: Window[] = [{ day: 'sun', from: '00:00', to: '01:00' }, { day: 'sun', from: '04:00', to: '24:00' }]
    const gaps = weekCoverage([person('A', [...all('00:00', '24:00', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat']), ...sunday])], ALWAYS, BERLIN, new Date('2026-10-21T12:00:00Z')).gaps
    expect(gaps.map(label)).toEqual(['sun 01:00 → sun 04:00'])
    expect(gaps[0]!.hours).toBe(4)
  })

  it('a New York provider shifts an hour against Berlin while only the US has changed the clocks', () => {
    const anna = person('Anna', all('07:00', '15:00', [...WORKDAYS]))
    const ny = person('NY Support', all('09:00', '17:00', [...WORKDAYS]), 'America/New_York')
    const required = all('07:00', '23:00', [...WORKDAYS])
    // February: New York is 6 h behind, 09:00–17:00 there is 15:00–23:00 here.
    expect(weekCoverage([anna, ny], required, BERLIN, new Date('2026-02-11T12:00:00Z')).gaps).toEqual([])
    // 9–13 March: 5 h behind, 14:00–22:00 here: 22:00–23:00 is open every workday.
    const march = weekCoverage([anna, ny], required, BERLIN, new Date('2026-03-11T12:00:00Z')).gaps
    expect(march.map(label)).toEqual(WORKDAYS.map((d) => `${d} 22:00 → ${d} 23:00`))
    // Judged a week ahead: on 4 March the coming shift is already seen.
    expect(coverageGaps([anna, ny], required, BERLIN, new Date('2026-03-04T12:00:00Z'))).toHaveLength(5)
    // And after Europe has changed too (30 March on), the hours fit again.
    expect(weekCoverage([anna, ny], required, BERLIN, new Date('2026-04-01T12:00:00Z')).gaps).toEqual([])
  })

  it('hours outside the required windows are no gap; nobody at all is the whole week', () => {
    const required = all('08:00', '18:00', [...WORKDAYS])
    expect(weekCoverage([person('Anna', all('08:00', '18:00', [...WORKDAYS]))], required, BERLIN, new Date('2026-02-11T12:00:00Z')).gaps).toEqual([])
    const none = weekCoverage([], ALWAYS, BERLIN, new Date('2026-02-11T12:00:00Z')).gaps
    expect(none).toHaveLength(1)
    expect(describeGaps(none).en).toBe('the whole week')
  })
})

describe('windows', () => {
  it('an end before the start and overlapping windows are refused with a reason; touching ones are fine', () => {
    expect(windowProblem([{ day: 'mon', from: '18:00', to: '08:00' }])?.en).toContain('the end must lie after the start')
    expect(windowProblem([{ day: 'tue', from: '08:00', to: '12:00' }, { day: 'tue', from: '11:00', to: '14:00' }])?.de).toContain('überschneiden sich')
    expect(windowProblem([{ day: 'tue', from: '08:00', to: '12:00' }, { day: 'tue', from: '12:00', to: '14:00' }, { day: 'wed', from: '11:00', to: '14:00' }])).toBeNull()
  })

  it('are described as people read them', () => {
    const w: Window[] = [...all('08:00', '17:00', [...WORKDAYS]), { day: 'sat', from: '09:00', to: '12:00' }]
    expect(describeWindows(w, 'de')).toBe('Mo–Fr 08:00–17:00, Sa 09:00–12:00')
    expect(describeWindows(ALWAYS, 'en')).toBe('around the clock')
    expect(describeWindows([], 'en')).toBe('no hours recorded')
  })
})
