// When is somebody of the first contact reachable? Availability windows are wall-clock times of each contact's own
// time zone (a provider abroad keeps its own hours); the week is the company's local week. Both are mapped onto real
// time in quarter hours, so daylight saving time is handled where it happens: a spring-forward night has 23 hours, a
// fall-back night 25, and a provider in New York shifts against Berlin in the weeks when only one of them has changed.
// Pure; the zone rules come from the runtime's ICU (Intl), nothing hand-written about DST.
import Type, { type Static } from 'typebox'
import { oneOf, type Text } from './common.js'
import { WEEKDAYS, type Weekday, type Window } from './readiness.js'
import { WEEKDAY_LABEL } from './readiness-texts.js'

const QUARTER = 15 * 60_000
const DAY_MS = 86_400_000

export interface LocalTime {
  year: number
  month: number
  day: number
  /** 0 = Monday … 6 = Sunday */
  weekday: number
  /** Minutes since local midnight. */
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(zone: string) {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    })
    formatters.set(zone, f)
  }
  return f
}
const SHORT_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

/** The wall-clock time of an instant in a zone. */
export function localTime(zone: string, ms: number): LocalTime {
  const p: Record<string, string> = {}
  for (const part of formatter(zone).formatToParts(ms)) p[part.type] = part.value
  return { year: +p.year!, month: +p.month!, day: +p.day!, weekday: SHORT_DAYS.indexOf(p.weekday!), minute: +p.hour! * 60 + +p.minute! }
}

/** The instant of a local wall-clock time. A time skipped by DST moves forward by the jump (as Temporal's "compatible"); of a doubled time, the first. */
export function instantOf(zone: string, year: number, month: number, day: number, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day) + minute * 60_000
  const wallOf = (ms: number) => {
    const l = localTime(zone, ms)
    return Date.UTC(l.year, l.month - 1, l.day) + l.minute * 60_000
  }
  // Two rounds of "subtract the offset" settle on the right instant except inside a gap, handled below.
  let guess = wall - (wallOf(wall) - wall)
  guess = wall - (wallOf(guess) - guess)
  if (wallOf(guess) < wall) guess += Math.ceil((wall - wallOf(guess)) / QUARTER) * QUARTER
  // Of two instants with the same wall time (fall back), the earlier one.
  while (wallOf(guess - 3_600_000) === wall) guess -= 3_600_000
  return guess
}

/** Local Monday 00:00 of the week containing `at`, and the next one. */
export function localWeek(zone: string, at: Date): { start: number; end: number } {
  const l = localTime(zone, at.getTime())
  const monday = new Date(Date.UTC(l.year, l.month - 1, l.day) - l.weekday * DAY_MS)
  const next = new Date(monday.getTime() + 7 * DAY_MS)
  return {
    start: instantOf(zone, monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate()),
    end: instantOf(zone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()),
  }
}

const toMinutes = (hhmm: string) => +hhmm.slice(0, 2) * 60 + +hhmm.slice(3, 5)
const dayIndex = (d: Weekday) => WEEKDAYS.indexOf(d)

/** True when the windows hold this local time. */
export function inWindows(windows: readonly Window[], weekday: number, minute: number): boolean {
  return windows.some((w) => dayIndex(w.day) === weekday && toMinutes(w.from) <= minute && minute < toMinutes(w.to))
}

/** Checks windows for what the schema cannot: an end after the start, no overlaps on a day. Null when fine. */
export function windowProblem(windows: readonly Window[]): Text | null {
  for (const w of windows)
    if (toMinutes(w.to) <= toMinutes(w.from))
      return {
        de: `${WEEKDAY_LABEL[w.day].de} ${w.from}–${w.to}: das Ende muss nach dem Beginn liegen (über Mitternacht: zwei Zeitfenster).`,
        en: `${WEEKDAY_LABEL[w.day].en} ${w.from}–${w.to}: the end must lie after the start (across midnight: two windows).`,
      }
  for (const day of WEEKDAYS) {
    const list = windows.filter((w) => w.day === day).sort((a, b) => toMinutes(a.from) - toMinutes(b.from))
    for (let i = 1; i < list.length; i++)
      if (toMinutes(list[i]!.from) < toMinutes(list[i - 1]!.to))
        return {
          de: `${WEEKDAY_LABEL[day].de}: ${list[i - 1]!.from}–${list[i - 1]!.to} und ${list[i]!.from}–${list[i]!.to} überschneiden sich.`,
          en: `${WEEKDAY_LABEL[day].en}: ${list[i - 1]!.from}–${list[i - 1]!.to} and ${list[i]!.from}–${list[i]!.to} overlap.`,
        }
  }
  return null
}

export interface Reachable {
  name: string
  /** Its zone; the company's when null. */
  zone: string | null
  windows: readonly Window[]
}

const WeekdaySchema = oneOf(WEEKDAYS)
export const CELL_STATES = ['covered', 'partial', 'gap', 'not-required', 'none'] as const
export const CoverageCellSchema = Type.Object(
  {
    day: WeekdaySchema,
    hour: Type.Integer({ minimum: 0, maximum: 23 }),
    state: oneOf(CELL_STATES, { description: 'covered, partial, gap, not-required, or none: this local hour does not exist this week (spring forward)' }),
    who: Type.Array(Type.String(), { description: 'Who is reachable in this hour' }),
  },
  { additionalProperties: false },
)
export type CoverageCell = Static<typeof CoverageCellSchema>
const AtSchema = Type.Object({ day: WeekdaySchema, time: Type.String() }, { additionalProperties: false })
export const CoverageGapSchema = Type.Object(
  { from: AtSchema, to: AtSchema, hours: Type.Number({ description: 'Real hours (DST counted)' }) },
  { additionalProperties: false, description: 'Hours of the week when nobody required is reachable (local time of the company)' },
)
export type CoverageGap = Static<typeof CoverageGapSchema>
export const WeekCoverageSchema = Type.Object(
  { zone: Type.String(), weekStart: Type.String(), cells: Type.Array(CoverageCellSchema), gaps: Type.Array(CoverageGapSchema) },
  { additionalProperties: false, description: 'Coverage of one local week, hour by hour' },
)
export type WeekCoverage = Static<typeof WeekCoverageSchema>

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

/**
 * Coverage of one local week of the company, quarter hour by quarter hour in real time. A required quarter hour with
 * nobody reachable is a gap; gaps that run over the end of the week into its start are one gap (the week repeats).
 */
export function weekCoverage(people: readonly Reachable[], required: readonly Window[], zone: string, at: Date): WeekCoverage {
  const { start, end } = localWeek(zone, at)
  const cells = WEEKDAYS.flatMap((day) => Array.from({ length: 24 }, (_, hour) => ({ day, hour, req: 0, cov: 0, n: 0, who: new Set<string>() })))
  const samples: { t: number; gap: boolean }[] = []
  for (let ms = start; ms < end; ms += QUARTER) {
    const local = localTime(zone, ms)
    const cell = cells[local.weekday * 24 + Math.floor(local.minute / 60)]!
    cell.n++
    const needed = inWindows(required, local.weekday, local.minute)
    let anyone = false
    for (const p of people) {
      const l = p.zone && p.zone !== zone ? localTime(p.zone, ms) : local
      if (!inWindows(p.windows, l.weekday, l.minute)) continue
      anyone = true
      cell.who.add(p.name)
    }
    if (needed) {
      cell.req++
      if (anyone) cell.cov++
    }
    samples.push({ t: ms, gap: needed && !anyone })
  }
  return {
    zone,
    weekStart: new Date(start).toISOString(),
    cells: cells.map((c) => ({
      day: c.day,
      hour: c.hour,
      state: (c.n === 0 ? 'none' : c.req === 0 ? 'not-required' : c.cov === c.req ? 'covered' : c.cov === 0 ? 'gap' : 'partial') as CoverageCell['state'],
      who: [...c.who].sort(),
    })),
    gaps: gapsOf(samples, zone),
  }
}

function gapsOf(samples: { t: number; gap: boolean }[], zone: string): CoverageGap[] {
  const runs: { first: number; last: number }[] = []
  samples.forEach((s, i) => {
    if (!s.gap) return
    const run = runs.at(-1)
    if (run && run.last === i - 1) run.last = i
    else runs.push({ first: i, last: i })
  })
  // The week repeats: a gap at its very end continues into the one at its very start.
  if (runs.length > 1 && runs[0]!.first === 0 && runs.at(-1)!.last === samples.length - 1) {
    const tail = runs.pop()!
    const head = runs.shift()!
    // Listed where it begins: at the end of the week.
    runs.push({ first: tail.first, last: head.last + samples.length })
  }
  const n = samples.length
  const at = (i: number) => {
    const l = localTime(zone, samples[i % n]!.t)
    return { day: WEEKDAYS[l.weekday]!, time: hhmm(l.minute) }
  }
  return runs.map((r) => ({ from: at(r.first), to: at(r.last + 1), hours: ((r.last - r.first + 1) * QUARTER) / 3_600_000 }))
}

/** The gaps of this week and the next (a DST change ahead is seen a week early), each once. */
export function coverageGaps(people: readonly Reachable[], required: readonly Window[], zone: string, now: Date): CoverageGap[] {
  const seen = new Set<string>()
  const out: CoverageGap[] = []
  for (const at of [now, new Date(now.getTime() + 7 * DAY_MS)])
    for (const g of weekCoverage(people, required, zone, at).gaps) {
      const key = `${g.from.day} ${g.from.time} ${g.to.day} ${g.to.time}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push(g)
    }
  return out
}

/** "Sa 18:00 – Mo 07:00, …" in both languages; at most `max` gaps, then how many more. */
export function describeGaps(gaps: readonly CoverageGap[], max = 6): Text {
  const one = (g: CoverageGap, lang: 'de' | 'en') =>
    g.hours >= 7 * 24 - 1
      ? lang === 'de' ? 'die ganze Woche' : 'the whole week'
      : g.from.day === g.to.day && g.to.time > g.from.time
      ? `${WEEKDAY_LABEL[g.from.day][lang]} ${g.from.time}–${g.to.time}`
      : `${WEEKDAY_LABEL[g.from.day][lang]} ${g.from.time} – ${WEEKDAY_LABEL[g.to.day][lang]} ${g.to.time}`
  const list = (lang: 'de' | 'en') => {
    const shown = gaps.slice(0, max).map((g) => one(g, lang))
    if (gaps.length > max) shown.push(lang === 'de' ? `und ${gaps.length - max} weitere` : `and ${gaps.length - max} more`)
    return shown.join(', ')
  }
  return { de: list('de'), en: list('en') }
}

/** "Mo–Fr 08:00–17:00, Sa 09:00–12:00" — consecutive days with the same hours are joined. */
export function describeWindows(windows: readonly Window[], lang: 'de' | 'en'): string {
  if (!windows.length) return lang === 'de' ? 'keine Zeiten hinterlegt' : 'no hours recorded'
  const spans = WEEKDAYS.map((d) =>
    windows.filter((w) => w.day === d).sort((a, b) => toMinutes(a.from) - toMinutes(b.from)).map((w) => `${w.from}–${w.to}`).join(', '),
  )
  if (spans.every((s) => s === '00:00–24:00')) return lang === 'de' ? 'rund um die Uhr' : 'around the clock'
  const out: string[] = []
  for (let i = 0; i < 7; i++) {
    if (!spans[i]) continue
    let j = i
    while (j + 1 < 7 && spans[j + 1] === spans[i]) j++
    const days = i === j ? WEEKDAY_LABEL[WEEKDAYS[i]!][lang] : `${WEEKDAY_LABEL[WEEKDAYS[i]!][lang]}–${WEEKDAY_LABEL[WEEKDAYS[j]!][lang]}`
    out.push(`${days} ${spans[i]}`)
    i = j
  }
  return out.join(', ')
}

/** Whether somebody is reachable right now. */
export function reachableNow(people: readonly Reachable[], zone: string, now: Date): string[] {
  return people
    .filter((p) => {
      const l = localTime(p.zone ?? zone, now.getTime())
      return inWindows(p.windows, l.weekday, l.minute)
    })
    .map((p) => p.name)
}
