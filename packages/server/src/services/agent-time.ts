// Times from agents (issue #11 item 3): one report with `collectedAt` in year 9999 (or written with an offset, which
// sorts wrongly as text) made every later genuine report "older", so the firewall stayed "on" while it was off.
// The server now reads every agent time as an instant, writes it in one form (UTC, `…Z`), and bounds it by what it can
// trust: not later than its own clock plus a small skew allowance, not before the agent was enrolled. A report outside
// those bounds is still stored — a PC with a wrong clock must not lose its reports — but it counts as received now
// (the server's own time decides its order), its dates in the future are not believed (such a fact becomes unknown,
// never "fresh"), and the host's clock is itself a finding (alert `agent.clock`).
import { isInstant, type Facts, type Report } from '@lagebild/shared'

/** How far an agent's clock may run ahead of the server's before its times are not believed (NTP keeps PCs within ms). */
export const CLOCK_SKEW_MS = 5 * 60_000

export interface ClockProblem {
  /** The report says it was collected this far in the future (ms). */
  aheadMs?: number
  /** The report says it was collected before its agent was enrolled. */
  beforeEnrollment?: boolean
}

export interface TimedReport {
  /** The report with its times in one form and no fact dated in the future. */
  report: Report
  /** The time that orders this report against others of the host: collectedAt when believable, else the receive time. */
  effectiveAt: string
  /** Why the host's clock is not to be believed; null: it is. */
  clock: ClockProblem | null
}

const utc = (iso: string) => new Date(iso).toISOString()

/** Every date-time string in a fact value, written as UTC; a fact with a date after `limit` becomes an error entry. */
function boundFact(value: unknown, limit: number): unknown {
  let future: string | null = null
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && isInstant(v)) {
      if (Date.parse(v) > limit) future ??= v
      return utc(v)
    }
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  const out = walk(value)
  if (future === null) return out
  return { error: { code: 'failed', message: `a date in this fact lies in the future (${future}): the host's clock or the tool that wrote it is wrong` } }
}

/**
 * Reads the times of a validated report against the server's receive time and the agent's enrollment.
 * Pure: ingest stores `report`, orders by `effectiveAt`, and raises or clears the clock alert from `clock`.
 */
export function timeReport(report: Report, receivedAt: Date, agentCreatedAt: string): TimedReport {
  const now = receivedAt.getTime()
  const limit = now + CLOCK_SKEW_MS
  const collected = Date.parse(report.collectedAt)
  const enrolled = Date.parse(agentCreatedAt)
  const clock: ClockProblem = {}
  if (collected > limit) clock.aheadMs = collected - now
  if (Number.isFinite(enrolled) && collected < enrolled - CLOCK_SKEW_MS) clock.beforeEnrollment = true
  const believable = clock.aheadMs === undefined && !clock.beforeEnrollment
  const facts: Record<string, unknown> = {}
  for (const [id, v] of Object.entries(report.facts)) if (v !== undefined) facts[id] = boundFact(v, limit)
  const bootTime = report.host.bootTime && Date.parse(report.host.bootTime) <= limit ? utc(report.host.bootTime) : null
  return {
    report: { ...report, collectedAt: utc(report.collectedAt), host: { ...report.host, bootTime }, facts: facts as Facts },
    effectiveAt: believable ? utc(report.collectedAt) : receivedAt.toISOString(),
    clock: believable ? null : clock,
  }
}

/** The alert text for a host whose clock is not believed (null: none). */
export function clockReason(c: ClockProblem | null): { de: string; en: string } | null {
  if (!c) return null
  if (c.aheadMs !== undefined) {
    const min = Math.round(c.aheadMs / 60_000)
    return {
      de: `Die Uhr des Rechners geht ${min} min vor: seine Berichte tragen Zeiten in der Zukunft. Lagebild ordnet sie nach dem Empfang, Daten in der Zukunft gelten als unbekannt.`,
      en: `The host's clock is ${min} min ahead: its reports carry times in the future. Lagebild orders them by receipt; dates in the future count as unknown.`,
    }
  }
  return {
    de: 'Die Uhr des Rechners geht nach: ein Bericht trägt eine Zeit vor der Anmeldung des Agenten. Lagebild ordnet seine Berichte nach dem Empfang.',
    en: "The host's clock is behind: a report carries a time before its agent was enrolled. Lagebild orders its reports by receipt.",
  }
}

export const CLOCK_FIX = {
  de: 'Zeitsynchronisation (NTP) des Rechners einschalten und prüfen, z. B. w32tm /resync (Windows), timedatectl (Linux), sntp (macOS).',
  en: 'Turn on and check the host\'s time synchronisation (NTP), e.g. w32tm /resync (Windows), timedatectl (Linux), sntp (macOS).',
}
