// What the board shows about readiness: the organisation's findings as stored (with since), the review state of
// every record, the first steps while nothing is recorded, the first contact's coverage, the card and where it is.
import { eq } from 'drizzle-orm'
import {
  evaluateReadiness, firstContactGaps, firstContactReachable, reachableNow, reportingClocks, weekCoverage, cardReachable,
  FIRST_STEPS, MEASURE_BY_ID, MEASURE_FIX_PATH, ORG_MEASURES, RECORDS, RECORD_LIST_KINDS,
  type Card, type RecordListKind, type ReadinessInput,
} from '@lagebild/shared'
import { findings, recordItems } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { ReadinessView } from '../../schemas/readiness.js'
import { ORG_SUBJECT } from '../overview.js'
import { cardDistribution } from './card.js'
import { loadReadinessInput } from './input.js'
import { planInfo } from './network-plan.js'

type Reader = Pick<Db, 'select' | 'all'>

function entryCounts(db: Reader): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of db.select({ kind: recordItems.kind }).from(recordItems).all()) out[r.kind] = (out[r.kind] ?? 0) + 1
  return out
}

function measures(db: Reader): ReadinessView['measures'] {
  const stored = new Map(db.select().from(findings).where(eq(findings.subjectId, ORG_SUBJECT)).all().map((f) => [f.measureId, f]))
  return ORG_MEASURES.map((id) => {
    const f = stored.get(id)
    return {
      id,
      title: MEASURE_BY_ID.get(id)!.title,
      status: f?.status ?? 'not-recorded',
      severity: f?.severity ?? null,
      reason: f ? { de: f.reasonDe, en: f.reasonEn } : null,
      fix: f?.fixDe && f.fixEn ? { de: f.fixDe, en: f.fixEn } : null,
      since: f?.since ?? null,
      path: MEASURE_FIX_PATH[id],
    }
  })
}

/** The board's readiness page. `card` is the server's current card (kept in memory by the plugin). */
export function readinessView(db: Reader, card: Card, now = new Date(), input: ReadinessInput = loadReadinessInput(db, now)): ReadinessView {
  const result = evaluateReadiness(input, now)
  const counts = entryCounts(db)
  const ms = measures(db)
  const people = firstContactReachable(input)
  const { timeZone, requiredCoverage } = input.company
  const records = result.records.map((r) => ({
    ...r,
    measureId: RECORDS[r.kind].measureId,
    title: RECORDS[r.kind].title,
    path: RECORDS[r.kind].path,
    log: RECORDS[r.kind].log,
    entries: (RECORD_LIST_KINDS as readonly string[]).includes(r.kind) ? (counts[r.kind as RecordListKind] ?? 0) : r.kind === 'network-plan' ? (input.networkPlan ? 1 : 0) : r.recorded ? 1 : 0,
  }))
  const state = new Map(ms.map((m) => [m.id as string, m.status]))
  return {
    generatedAt: now.toISOString(),
    company: input.company,
    empty: records.every((r) => !r.recorded),
    measures: ms,
    records,
    firstSteps: FIRST_STEPS.map((s) => ({ ...s, done: state.get(s.measureId) === 'ok' })),
    coverage: weekCoverage(people, requiredCoverage, timeZone, now),
    gaps: firstContactGaps(input, now),
    clocks: reportingClocks(input.reporting),
    backupSources: input.backupSources,
    networkPlan: planInfo(db),
    card: { card, reachable: cardReachable(card), reachableNow: reachableNow(people, timeZone, now), distribution: cardDistribution(db, card.version) },
  }
}
