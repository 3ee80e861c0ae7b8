// What judging the organisation needs (records plus a few facts about hosts, channels and alerts), the review state
// of each record, and the small helpers every organisational judge uses. Pure.
import { countOf, type Text } from './common.js'
import { worst } from './evaluate.js'
import type { Finding, Severity } from './findings.js'
import {
  RECORDS, RECORD_KINDS,
  type CommunicationDoc, type CompanySettings, type ContactInput, type CrownJewelInput, type Entry, type PlanDoc, type ProviderInput,
  type RecordKind, type RecordListInput, type ReportingDoc, type RolesDoc, type SegmentationDoc,
} from './readiness.js'

export interface MetaRow {
  owner: string
  reviewIntervalDays: number
  lastReviewedAt: string | null
  lastReviewedBy?: string | null
}

export interface ReadinessInput {
  company: CompanySettings
  /** Owner and review of every record kind kept so far: a kind without a row has not been recorded. */
  meta: Partial<Record<RecordKind, MetaRow>>
  contacts: Entry<ContactInput>[]
  roles: RolesDoc | null
  providers: Entry<ProviderInput>[]
  plan: PlanDoc | null
  communication: CommunicationDoc | null
  crownJewels: Entry<CrownJewelInput>[]
  reporting: ReportingDoc | null
  exercises: Entry<RecordListInput<'exercises'>>[]
  pentests: Entry<RecordListInput<'pentests'>>[]
  trainings: Entry<RecordListInput<'trainings'>>[]
  restoreTests: Entry<RecordListInput<'restore-tests'>>[]
  twoFactor: Entry<RecordListInput<'two-factor'>>[]
  networkPlan: { name: string; uploadedAt: string } | null
  segmentation: SegmentationDoc | null
  hosts: {
    total: number
    /** Host names of the ids the crown jewels name (a missing id: the host was removed). */
    names: Record<string, string>
    /** Hosts flagged as crown jewel on their own page but part of no crown jewel. */
    flaggedWithoutProcess: string[]
  }
  /** Backup sources the agents report, as "kind location". */
  backupSources: string[]
  /** Enabled alert channels. */
  channels: number
  /** Open alerts nobody acknowledged for ALERT_NEGLECT_DAYS. */
  neglectedAlerts: number
}

export interface RecordState {
  kind: RecordKind
  recorded: boolean
  owner: string
  reviewIntervalDays: number
  /** The last review; for a log its newest entry. */
  lastReviewedAt: string | null
  lastReviewedBy: string | null
  dueAt: string | null
  overdue: boolean
}

export type Verdict = Omit<Finding, 'measureId'>
const DAY = 86_400_000

export const tx = (de: string, en: string): Text => ({ de, en })
/** A count in both languages with their plural rules: "1 Dienst" / "2 Dienste", never "Dienst(e)". */
export const nOf = (n: number, de: readonly [string, string], en: readonly [string, string]): Text => ({ de: countOf('de', n, de), en: countOf('en', n, en) })
export const ok = (reason: Text): Verdict => ({ status: 'ok', severity: 'info', reason })
export const dev = (severity: Severity, reason: Text): Verdict => ({ status: 'deviation', severity, reason })
export const unknownV = (reason: Text): Verdict => ({ status: 'unknown', severity: 'low', reason })
/** Deviations win (the most severe first, every reason named); otherwise ok. */
export const verdict = (problems: Verdict[], good: Text): Verdict => (problems.length ? worst(problems) : ok(good))

/** A day or instant as people write it: 28.11.2026 / 2026-11-28. */
export const fmtDay = (iso: string): Text => {
  const d = iso.slice(0, 10)
  return { de: `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`, en: d }
}
export const names = (list: readonly string[], max = 5) => (list.length > max ? `${list.slice(0, max).join(', ')} …` : list.join(', '))

const dayMs = (day: string) => Date.parse(day.length === 10 ? `${day}T00:00:00Z` : day)
export const ageDays = (day: string, now: Date) => Math.floor((now.getTime() - dayMs(day)) / DAY)

/** The newest entry's date of a log. */
export const newest = <T extends { date: string }>(list: readonly T[]): T | null =>
  list.reduce<T | null>((a, b) => (!a || b.date > a.date ? b : a), null)

function logDates(input: ReadinessInput): Partial<Record<RecordKind, string | null>> {
  return {
    exercises: newest(input.exercises)?.date ?? null,
    pentests: newest(input.pentests)?.date ?? null,
    trainings: newest(input.trainings)?.date ?? null,
    'restore-tests': newest(input.restoreTests)?.date ?? null,
  }
}

/** The review state of every record kind: the next review is due one interval after the last. */
export function recordStates(input: ReadinessInput, now: Date): RecordState[] {
  const logs = logDates(input)
  return RECORD_KINDS.map((kind) => {
    const info = RECORDS[kind]
    const m = input.meta[kind]
    const last = info.log ? (logs[kind] ?? null) : (m?.lastReviewedAt ?? null)
    const interval = m?.reviewIntervalDays ?? info.defaultIntervalDays
    const due = last ? new Date(dayMs(last) + interval * DAY).toISOString() : null
    return {
      kind,
      recorded: !!m,
      owner: m?.owner ?? '',
      reviewIntervalDays: interval,
      lastReviewedAt: last,
      lastReviewedBy: info.log ? null : (m?.lastReviewedBy ?? null),
      dueAt: due,
      overdue: !!m && !!due && Date.parse(due) < now.getTime(),
    }
  })
}

/** The deviation of an overdue review, when it is. */
export function overdueOf(state: RecordState | undefined): Verdict[] {
  if (!state?.overdue || !state.dueAt) return []
  const title = RECORDS[state.kind].title
  const since = fmtDay(state.dueAt)
  return [dev('low', tx(`${title.de}: Überprüfung seit ${since.de} fällig.`, `${title.en}: review due since ${since.en}.`))]
}
