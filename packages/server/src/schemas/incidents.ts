// Response shapes of the incidents API (TypeBox; the board uses Static<> of these). Request bodies are the shared schemas.
import Type, { type Static } from 'typebox'
import {
  CLOCK_STAGES, CLOCK_STATES, EVIDENCE_ITEMS, EVIDENCE_STATES, INCIDENT_SCENARIOS, INCIDENT_SOURCES, INCIDENT_STATES, LANGUAGES, LessonsInputSchema,
  REPORTING_CLOCKS, STEP_KINDS, STEP_OUTCOMES, SeveritySchema, TASK_STATES, TIMELINE_KINDS, TextSchema, USER_REPORT_VIA, UserReportAnswersSchema, oneOf,
} from '@lagebild/shared'
import { Nullable } from './common.js'

const Str = Type.String()
const When = Nullable(Type.String())

export const IncidentParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const IncidentSubParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), sub: Type.String({ minLength: 1, maxLength: 64 }) })
export const ClockParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), clockId: oneOf(REPORTING_CLOCKS) })
export const ActionParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), index: Type.Integer({ minimum: 0, maximum: 29 }) })
export const TokenParamsSchema = Type.Object({ token: Type.String({ minLength: 10, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) })

export const IncidentSummarySchema = Type.Object({
  id: Str, number: Str, title: Str, state: oneOf(INCIDENT_STATES), severity: SeveritySchema, scenario: oneOf(INCIDENT_SCENARIOS), drill: Type.Boolean(),
  openedAt: Str, awareAt: Str, hostCount: Type.Integer(),
  nextDeadline: Nullable(Type.Object({ title: TextSchema, dueAt: Str, stage: Nullable(oneOf(CLOCK_STAGES)) }), 'The running reporting clock that ends first'),
})
export type IncidentSummary = Static<typeof IncidentSummarySchema>

export const UserReportOutSchema = Type.Object({
  id: Str, receipt: Str, via: oneOf(USER_REPORT_VIA), incidentId: Nullable(Str), hostId: Nullable(Str), hostname: Nullable(Str),
  answers: UserReportAnswersSchema, reportedAt: Str, receivedAt: Str,
  snapshot: Nullable(Type.Object({ collectedAt: Str, deviations: Type.Array(Type.Object({ measureId: Str, reason: TextSchema })) }, { description: 'The PC\'s own judgement when the report was made' })),
})
export type UserReportOut = Static<typeof UserReportOutSchema>

export const IncidentListSchema = Type.Object({
  incidents: Type.Array(IncidentSummarySchema),
  unassigned: Type.Array(UserReportOutSchema, { description: 'Reports of the web form (and of PCs while several incidents were open) waiting for a person' }),
  webReports: Type.Boolean({ description: 'The web form behind the card\'s QR code takes reports' }),
})

export const IncidentOutSchema = Type.Object({
  id: Str, number: Str, title: Str, scenario: oneOf(INCIDENT_SCENARIOS), severity: SeveritySchema, description: Str, state: oneOf(INCIDENT_STATES),
  source: oneOf(INCIDENT_SOURCES), sourceAlertId: Nullable(Str), drill: Type.Boolean(), espionageSuspected: Type.Boolean(), awareAt: Str,
  openedAt: Str, openedBy: Str, containedAt: When, containedBy: When, resolvedAt: When, resolvedBy: When, closedAt: When, closedBy: When,
  hosts: Type.Array(Type.Object({ id: Str, hostname: Str, crownJewel: Type.Boolean(), connected: Type.Boolean(), status: Str })),
  crownJewels: Type.Array(Type.Object({ id: Str, name: Str, maxDowntimeHours: Type.Number() })),
})
export type IncidentOut = Static<typeof IncidentOutSchema>

export const ClockViewSchema = Type.Object({
  id: oneOf(REPORTING_CLOCKS), title: TextSchema, recipient: TextSchema, basis: TextSchema, state: oneOf(CLOCK_STATES), startAt: Str, dueAt: Str, due: TextSchema,
  stage: Nullable(oneOf(CLOCK_STAGES)), note: Str, doneAt: When, doneBy: When,
})

export const TimelineEntryOutSchema = Type.Object({
  id: Type.Integer(), at: Str, author: Str, kind: oneOf(TIMELINE_KINDS), text: Str, data: Type.Unknown(), correctsId: Nullable(Type.Integer()),
  correctedBy: Type.Array(Type.Integer(), { description: 'Later entries that correct this one' }), hash: Str,
})
export type TimelineEntryOut = Static<typeof TimelineEntryOutSchema>

export const EvidenceItemOutSchema = Type.Object({
  id: Str, requestId: Str, hostId: Str, hostname: Str, item: oneOf(EVIDENCE_ITEMS), name: Str, size: Type.Integer(), sha256: Str, truncated: Type.Boolean(),
  collector: Str, source: Str, collectedAt: Str, receivedAt: Str, downloads: Type.Integer(),
})
export const EvidenceRequestOutSchema = Type.Object({
  id: Str, hostId: Str, hostname: Str, hours: Type.Integer(), items: Type.Array(oneOf(EVIDENCE_ITEMS)), state: oneOf(EVIDENCE_STATES), requestedAt: Str, requestedBy: Str,
  sentAt: When, finishedAt: When, results: Nullable(Type.Array(Type.Object({ item: Str, ok: Type.Boolean(), error: Nullable(Str) }))),
})

export const CheckSchema = Type.Object({
  ok: Type.Boolean({ description: 'Timeline chain intact and every stored file unchanged' }),
  entries: Type.Integer(),
  brokenAt: Nullable(Type.Integer({ description: 'The first timeline entry found changed, removed or reordered' })),
  reason: Nullable(Str),
  evidence: Type.Array(Type.Object({ id: Str, name: Str, problem: Str }), { description: 'Stored files whose bytes no longer match their recorded SHA-256' }),
  filesCheckedAt: Nullable(Type.String({ description: 'When the files\' bytes were last hashed (the board shows the last check; /verify and exports hash them now)' })),
  head: Nullable(Type.String({ description: 'Hash of the newest timeline entry' })),
})

export const IncidentDetailSchema = Type.Object({
  incident: IncidentOutSchema,
  zone: Type.String({ description: 'The company\'s time zone (clocks, times in documents)' }),
  chain: Type.Array(Type.Object({ contactId: Str, name: Str, phone: Nullable(Str), note: Str, notifiedAt: Str, acknowledgedAt: When, acknowledgedVia: When })),
  steps: Type.Array(Type.Object({
    id: Str, kind: oneOf(STEP_KINDS), measureId: Str, title: TextSchema, help: TextSchema,
    contact: Nullable(Type.Object({ name: Str, phone: Nullable(Str), email: Nullable(Str) })), outcome: Nullable(oneOf(STEP_OUTCOMES)), note: Str, doneAt: When, doneBy: When,
  })),
  clocks: Type.Array(ClockViewSchema),
  timeline: Type.Array(TimelineEntryOutSchema),
  reports: Type.Array(UserReportOutSchema),
  evidence: Type.Object({ requests: Type.Array(EvidenceRequestOutSchema), items: Type.Array(EvidenceItemOutSchema) }),
  tasks: Type.Array(Type.Object({
    id: Str, title: Str, owner: Str, dueOn: Str, notes: Str, state: oneOf(TASK_STATES), createdAt: Str, createdBy: Str, doneAt: When, doneBy: When,
    findings: Type.Array(Type.Object({ hostId: Str, hostname: Str, measureId: Str, status: Str })),
  })),
  watches: Type.Array(Type.Object({
    id: Str, hostId: Str, hostname: Str, intervalMinutes: Type.Integer(), startedAt: Str, startedBy: Str, until: Str, endedAt: When, confirmedAt: When, revertedAt: When,
    active: Type.Boolean(),
  })),
  lessons: Nullable(Type.Object({ data: LessonsInputSchema, applied: Type.Array(When), done: Type.Array(Type.Boolean()), recordedAt: Str, recordedBy: Str })),
  check: CheckSchema,
})
export type IncidentDetail = Static<typeof IncidentDetailSchema>

export const DraftSchema = Type.Object({ clockId: oneOf(REPORTING_CLOCKS), lang: oneOf(LANGUAGES), recipient: Str, subject: Str, text: Str })
export type Draft = Static<typeof DraftSchema>

export const AckInfoSchema = Type.Object({ name: Str, incident: Str, drill: Type.Boolean(), acknowledgedAt: When })

export const ComplianceHistorySchema = Type.Object({
  measures: Type.Array(Str),
  points: Type.Array(Type.Object({ at: Str, shares: Type.Record(Type.String(), Nullable(Type.Number())) })),
  historyDays: Type.Integer(),
})
export type ComplianceHistory = Static<typeof ComplianceHistorySchema>

export const HostWatchSchema = Type.Object({
  watches: Type.Array(Type.Object({ incidentId: Str, number: Str, intervalMinutes: Type.Integer(), until: Str, confirmedAt: When })),
})
