// Incidents (phases 3 and 4 of the BSI guide: Bewältigung, Nachbereitung): every set of allowed values once, and the
// TypeBox schemas the server's routes, the database columns, the agent and the board's forms derive from. Texts are in
// incident-texts.ts, the deadline clocks in incident-clocks.ts, judging in evaluate-incidents.ts.
import Type, { type Static, type TSchema } from 'typebox'
import { IsoDateSchema, LanguageSchema, oneOf } from './common.js'
import { SeveritySchema } from './findings.js'
import { HostIdentitySchema, ReportSchema } from './report.js'
import { DaySchema, EXERCISE_SCENARIOS, RECORD_KINDS, SCENARIOS, TextLineSchema } from './readiness.js'
import { REPORTING_CLOCKS } from './judge-organisation.js'

// ── allowed values ──────────────────────────────────────────────────────────────
/** The life of an incident, in order; a state can only move forward, and closed is final. */
export const INCIDENT_STATES = ['open', 'contained', 'resolved', 'closed'] as const
export type IncidentState = (typeof INCIDENT_STATES)[number]
/** The emergency is on: the banner is red, user reports join it, the handling steps are judged. */
export const ACTIVE_INCIDENT_STATES: readonly IncidentState[] = ['open', 'contained']

/** How an incident came to be. */
export const INCIDENT_SOURCES = ['manual', 'alert', 'user-report'] as const
export type IncidentSource = (typeof INCIDENT_SOURCES)[number]

/** The scenarios of the emergency plan, and "other". */
export const INCIDENT_SCENARIOS = EXERCISE_SCENARIOS
export type IncidentScenario = (typeof INCIDENT_SCENARIOS)[number]

/** What people write into the timeline themselves. */
export const AUTHORED_ENTRY_KINDS = ['note', 'call', 'decision'] as const
/** Every kind of timeline entry: the authored ones and what the server records by itself. */
export const TIMELINE_KINDS = [
  ...AUTHORED_ENTRY_KINDS,
  'opened', 'state', 'change', 'user-report', 'notified', 'acknowledged', 'step', 'clock', 'evidence', 'custody', 'task', 'watch', 'lessons', 'export',
] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

/** The steps of the checklist, each serving a measure of the guide. */
export const STEP_KINDS = ['first-step', 'ask-users', 'provider', 'evidence', 'police', 'acs', 'intelligence'] as const
export type StepKind = (typeof STEP_KINDS)[number]
export const STEP_MEASURE: Record<StepKind, string> = {
  'first-step': 'prep.first-response',
  'ask-users': 'handle.users',
  provider: 'handle.providers',
  evidence: 'handle.evidence',
  police: 'handle.police',
  acs: 'handle.police',
  intelligence: 'handle.intelligence',
}
export const STEP_OUTCOMES = ['done', 'not-needed'] as const
export type StepOutcome = (typeof STEP_OUTCOMES)[number]

/** A reporting clock runs until the report is sent (done) or found not to be required for this incident (waived). */
export const CLOCK_STATES = ['running', 'done', 'waived'] as const
export type ClockState = (typeof CLOCK_STATES)[number]
export type ClockId = (typeof REPORTING_CLOCKS)[number]
/** Warnings before a deadline, in order: half the time gone, the last twelfth, past due. */
export const CLOCK_STAGES = ['half', 'due-soon', 'overdue'] as const
export type ClockStage = (typeof CLOCK_STAGES)[number]

/** The evidence set an agent collects, read-only, on request. */
export const EVIDENCE_ITEMS = ['system-log', 'auth-log', 'processes', 'listening-sockets', 'scheduled-tasks', 'autostarts', 'recent-logins'] as const
export type EvidenceItem = (typeof EVIDENCE_ITEMS)[number]
export const EVIDENCE_STATES = ['pending', 'sent', 'complete', 'partial', 'failed'] as const
export type EvidenceState = (typeof EVIDENCE_STATES)[number]
/** One item of evidence is cut at this size (the agent marks it truncated): large enough for a day of a busy journal. */
export const EVIDENCE_ITEM_MAX_BYTES = 16 * 1024 * 1024
export const EVIDENCE_HOURS = { min: 1, max: 168, default: 24 } as const
/** A request that no agent answered for this long is failed (the agent was gone, or died while collecting). */
export const EVIDENCE_TIMEOUT_HOURS = 72

export const TASK_STATES = ['open', 'done'] as const
export type TaskState = (typeof TASK_STATES)[number]

/** What an action of the lessons learned does to the readiness records. */
export const LESSON_ACTION_KINDS = ['note', 'exercise', 'plan-step', 'record'] as const
export type LessonActionKind = (typeof LESSON_ACTION_KINDS)[number]

/** Heightened monitoring (follow.watch): the agent collects at least this often, and the hosts are judged strictly. */
export const WATCH_INTERVAL = { min: 1, max: 60, default: 5 } as const
export const WATCH_MAX_DAYS = 90

export const USER_REPORT_VIA = ['agent', 'web'] as const
export type UserReportVia = (typeof USER_REPORT_VIA)[number]

/** How long after opening each handling step may take before it counts as a deviation (minutes). */
export const HANDLE_TARGET_MINUTES = {
  'handle.alert': 15,
  'handle.users': 60,
  'handle.providers': 120,
  'handle.evidence': 120,
  'handle.intelligence': 240,
  'handle.police': 24 * 60,
} as const

// ── building blocks ─────────────────────────────────────────────────────────────
const Id = Type.String({ minLength: 1, maxLength: 64, description: 'Id' })
const Line = (maxLength: number, description: string, minLength = 0) => Type.String({ minLength, maxLength, description })
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Obj = <P extends Record<string, TSchema>>(properties: P, description: string) => Type.Object(properties, { additionalProperties: false, description })
/** Every property optional, at least one given, nothing else. */
const Some = <P extends Record<string, TSchema>>(properties: P, description: string) =>
  Type.Partial(Type.Object(properties), { additionalProperties: false, minProperties: 1, description })

// ── requests ────────────────────────────────────────────────────────────────────
const incidentFields = {
  title: Line(200, 'What happened, in a few words', 1),
  scenario: oneOf(INCIDENT_SCENARIOS),
  severity: SeveritySchema,
  description: Line(4000, 'What is known'),
  awareAt: IsoDateSchema,
  hostIds: Type.Array(Id, { maxItems: 200, description: 'Affected hosts' }),
  crownJewelIds: Type.Array(Id, { maxItems: 50, description: 'Affected crown jewels (time-critical processes)' }),
  espionageSuspected: Type.Boolean({ description: 'A foreign intelligence service may be behind it (then the Verfassungsschutz step applies)' }),
}
export const IncidentCreateSchema = Obj(
  {
    ...incidentFields,
    awareAt: Type.Optional(IsoDateSchema),
    description: Type.Optional(incidentFields.description),
    hostIds: Type.Optional(incidentFields.hostIds),
    crownJewelIds: Type.Optional(incidentFields.crownJewelIds),
    espionageSuspected: Type.Optional(incidentFields.espionageSuspected),
    drill: Type.Optional(Type.Boolean({ description: 'An exercise: everything runs as in an emergency, every message says it is a drill' })),
    fromAlertId: Type.Optional(Type.String({ maxLength: 64, description: 'Open from this alert: its host is affected, its severity and reason are taken over' })),
    fromReportId: Type.Optional(Type.String({ maxLength: 64, description: 'Open from this user report (it joins the incident)' })),
  },
  'A new incident. The moment of awareness (default: now) starts the reporting clocks',
)
export type IncidentCreate = Static<typeof IncidentCreateSchema>
export const IncidentUpdateSchema = Some(incidentFields, 'Change what is known about an incident; every change is a timeline entry')
export type IncidentUpdate = Static<typeof IncidentUpdateSchema>

export const StateChangeSchema = Obj({ state: oneOf(INCIDENT_STATES), note: Line(2000, 'Why') }, 'Move the incident to a later state')
export const TimelineEntryInputSchema = Obj(
  {
    kind: oneOf(AUTHORED_ENTRY_KINDS),
    text: Line(4000, 'What happened, who was called, what was decided', 1),
    correctsId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'This entry corrects an earlier one (which stays as it was)' })),
  },
  'A timeline entry; it can never be changed — a correction is a new entry that names the old one',
)
export const StepTickSchema = Obj({ outcome: oneOf(STEP_OUTCOMES), note: Line(2000, 'Who was reached, what was agreed, or why it is not needed') }, 'Tick a step of the checklist')
export const ClockUpdateSchema = Obj(
  {
    state: oneOf(['done', 'waived'] as const, { description: 'done: the report was sent; waived: not required for this incident (say why)' }),
    note: Line(2000, 'Reference number, recipient, or why it is not required'),
    at: Type.Optional(IsoDateSchema),
  },
  'Mark a reporting deadline as met or as not required',
)
export const ChainAckInputSchema = Obj({ contactId: Id, note: Line(500, 'How they confirmed, e.g. by phone') }, 'Record that somebody of the alerting chain was reached')
export const EvidenceRequestInputSchema = Obj(
  {
    hostIds: Type.Array(Id, { minItems: 1, maxItems: 50, description: 'Hosts whose agents collect' }),
    hours: Type.Integer({ minimum: EVIDENCE_HOURS.min, maximum: EVIDENCE_HOURS.max, description: 'Logs of the last N hours' }),
    items: Type.Optional(Type.Array(oneOf(EVIDENCE_ITEMS), { minItems: 1, maxItems: EVIDENCE_ITEMS.length, description: 'Default: the whole evidence set' })),
  },
  'Ask the agents of hosts to collect the evidence set',
)
export const FindingLinkSchema = Obj({ hostId: Id, measureId: Line(64, 'Measure id', 1) }, 'A host finding that must turn ok')
export const TaskInputSchema = Obj(
  {
    title: Line(200, 'What must be done', 1),
    owner: Line(120, 'Who does it', 1),
    dueOn: DaySchema,
    findings: Type.Array(FindingLinkSchema, { maxItems: 50, description: 'When all of these are ok, the task closes itself' }),
    notes: Line(2000, 'Notes'),
  },
  'A follow-up task',
)
export type TaskInput = Static<typeof TaskInputSchema>
export const WatchInputSchema = Obj(
  {
    hostIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200, description: 'Default: the affected hosts' })),
    until: IsoDateSchema,
    intervalMinutes: Type.Integer({ minimum: WATCH_INTERVAL.min, maximum: WATCH_INTERVAL.max, description: 'Full collection at least this often' }),
  },
  'Heightened monitoring: a shorter interval pushed to the agents and stricter thresholds, until the given time',
)
export const LessonActionSchema = Obj(
  {
    kind: oneOf(LESSON_ACTION_KINDS),
    text: Line(1000, 'What is to change', 1),
    recordKind: Type.Optional(oneOf(RECORD_KINDS, { description: 'record: which readiness record must be updated' })),
    scenario: Type.Optional(oneOf(SCENARIOS, { description: 'plan-step: the scenario whose first steps get this step' })),
    step: Type.Optional(TextLineSchema),
  },
  'One action of the lessons learned',
)
export const LessonsInputSchema = Obj(
  {
    whatHappened: Line(4000, 'What happened, root cause'),
    whatWorked: Line(4000, 'What worked'),
    whatToImprove: Line(4000, 'What must improve'),
    participants: Type.Array(Line(120, 'Name', 1), { maxItems: 100, description: 'Who took part in the review' }),
    actions: Type.Array(LessonActionSchema, { maxItems: 30 }),
  },
  'The lessons learned of an incident',
)
export type LessonsInput = Static<typeof LessonsInputSchema>

// ── user reports (the card's questions) ─────────────────────────────────────────
/** The answers to the card's questions; what a person types, bounded. */
export const UserReportAnswersSchema = Obj(
  {
    reporter: Line(120, 'Who is reporting', 1),
    phone: Line(40, 'Phone number for questions'),
    system: Line(200, 'Which device or system is affected', 1),
    observed: Line(4000, 'What was observed, what was the person doing', 1),
    when: Line(120, 'When it happened (as the person says it)', 1),
    where: Line(200, 'Where the device is (building, room, desk)'),
  },
  'The answers to the questions of the emergency card',
)
export type UserReportAnswers = Static<typeof UserReportAnswersSchema>
export const WebUserReportSchema = Obj({ answers: UserReportAnswersSchema, lang: LanguageSchema }, 'A report from the web form (no account)')
/** Largest web report the server reads: the answers are far smaller. */
export const WEB_REPORT_MAX_BYTES = 16 * 1024
export const AgentUserReportSchema = Obj(
  {
    id: Type.String({ format: 'uuid', maxLength: 36, description: 'Unique id: a report sent twice (replayed from the spool) is stored once' }),
    reportedAt: IsoDateSchema,
    lang: LanguageSchema,
    answers: UserReportAnswersSchema,
    host: HostIdentitySchema,
    snapshot: Nullable(ReportSchema),
    snapshotError: Nullable(Line(500, 'Why no snapshot of this PC could be taken')),
  },
  'A report from `lagebild-agent report`: the answers, this PC and its current facts',
)
export type AgentUserReport = Static<typeof AgentUserReportSchema>
export const UserReportReceiptSchema = Obj(
  {
    receipt: Type.String({ description: 'A number the reporter can quote' }),
    duplicate: Type.Boolean(),
  },
  'The report arrived',
)

// ── evidence upload (agent → server) ────────────────────────────────────────────
export const EvidenceItemResultSchema = Obj(
  {
    item: oneOf(EVIDENCE_ITEMS),
    ok: Type.Boolean(),
    error: Nullable(Line(2000, 'Why the item could not be collected')),
  },
  'How one item went',
)
export const EvidenceDoneSchema = Obj(
  { results: Type.Array(EvidenceItemResultSchema, { maxItems: EVIDENCE_ITEMS.length }) },
  'The agent is done with a request: what it could and could not collect',
)
export type EvidenceDone = Static<typeof EvidenceDoneSchema>

