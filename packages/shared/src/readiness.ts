// The organisational records of emergency readiness (roles, contacts, providers, plan, crown jewels, logs …): every set of
// allowed values once, as `as const` tuples, and the TypeBox schemas that the server's routes, the database columns and
// the board's forms all derive from. Texts (defaults, card rules) live in readiness-texts.ts; judging in
// evaluate-readiness.ts; the coverage of the first contact in coverage.ts.
import Type, { type Static, type TObject, type TSchema } from 'typebox'
import { oneOf, TextSchema, type Text } from './common.js'

// ── allowed values ──────────────────────────────────────────────────────────────
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** The roles the BSI guide asks for; the first contact is the number on the emergency card. */
export const ROLE_KINDS = ['first-contact', 'security-officer', 'emergency-manager'] as const
export type RoleKind = (typeof ROLE_KINDS)[number]

export const CONTACT_KINDS = ['person', 'it-provider', 'incident-response', 'insurer', 'data-protection-authority', 'police', 'authority', 'other'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]

/** The scenarios with their own first steps in the emergency plan. */
export const SCENARIOS = ['ransomware', 'data-leak', 'outage', 'lost-device', 'account-takeover'] as const
export type Scenario = (typeof SCENARIOS)[number]
export const EXERCISE_SCENARIOS = [...SCENARIOS, 'other'] as const

/** The German federal states: the police cybercrime contact point (ZAC) is the one of the company's state. */
export const FEDERAL_STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const
export type FederalState = (typeof FEDERAL_STATES)[number]

export const TWO_FACTOR_STATES = ['enforced', 'partial', 'off', 'not-possible'] as const
export type TwoFactorState = (typeof TWO_FACTOR_STATES)[number]

export const RESTORE_RESULTS = ['success', 'partial', 'failed'] as const
export const ANSWERS = ['yes', 'no', 'unsure'] as const
export const PENTEST_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const

/** What a network plan may be: checked by the file's content (magic bytes), never by its name or the sender's word. */
export const NETWORK_PLAN_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const
export type NetworkPlanType = (typeof NETWORK_PLAN_TYPES)[number]
export const NETWORK_PLAN_MAX_BYTES = 10 * 1024 * 1024

/** A training counts when at least this share of the staff took part within the interval. */
export const TRAINING_MIN_SHARE = 0.9
/** Open alerts nobody acknowledged for this long mean nobody looks at the status (ready.status). */
export const ALERT_NEGLECT_DAYS = 7

// ── the records and their measures ──────────────────────────────────────────────
export const RECORD_KINDS = [
  'roles', 'contacts', 'providers', 'plan', 'communication', 'crown-jewels', 'reporting',
  'exercises', 'pentests', 'trainings', 'restore-tests', 'two-factor', 'network-plan', 'segmentation',
] as const
export type RecordKind = (typeof RECORD_KINDS)[number]

/** Kinds kept as a list of entries (the others are one document each). */
export const RECORD_LIST_KINDS = ['contacts', 'providers', 'crown-jewels', 'exercises', 'pentests', 'trainings', 'restore-tests', 'two-factor'] as const
export type RecordListKind = (typeof RECORD_LIST_KINDS)[number]
export const RECORD_DOC_KINDS = ['roles', 'plan', 'communication', 'reporting', 'segmentation'] as const
export type RecordDocKind = (typeof RECORD_DOC_KINDS)[number]

export interface RecordInfo {
  /** The measure this record proves. */
  measureId: string
  /**
   * A log is reviewed by its newest entry (an exercise every 12 months); the others by a person confirming they are
   * still current. Logs do not count for follow.docs: their own measure already says when the next entry is due.
   */
  log: boolean
  defaultIntervalDays: number
  title: Text
  /** The board page where it is kept. */
  path: string
}

const rec = (measureId: string, log: boolean, defaultIntervalDays: number, de: string, en: string, path: string): RecordInfo =>
  ({ measureId, log, defaultIntervalDays, title: { de, en }, path })

export const RECORDS: Record<RecordKind, RecordInfo> = {
  roles: rec('prep.roles', false, 365, 'Rollen und Vertretungen', 'Roles and deputies', '/readiness/people'),
  contacts: rec('prep.contacts', false, 180, 'Kontaktliste', 'Contact list', '/readiness/people'),
  providers: rec('prep.providers', false, 365, 'Dienstleister', 'Providers', '/readiness/providers'),
  plan: rec('prep.first-response', false, 365, 'Notfallplan', 'Emergency plan', '/readiness/plan'),
  communication: rec('prep.communication', false, 365, 'Kommunikationsplan', 'Communication plan', '/readiness/plan#communication'),
  'crown-jewels': rec('prep.crown-jewels', false, 365, 'Kronjuwelen', 'Crown jewels', '/readiness/crown-jewels'),
  reporting: rec('prep.reporting', false, 365, 'Meldepflichten', 'Reporting duties', '/readiness/reporting'),
  exercises: rec('prep.exercises', true, 365, 'Übungen', 'Exercises', '/readiness/logs#exercises'),
  pentests: rec('prep.pentest', true, 730, 'Penetrationstests', 'Penetration tests', '/readiness/logs#pentests'),
  trainings: rec('prep.training', true, 365, 'Schulungen', 'Trainings', '/readiness/logs#trainings'),
  'restore-tests': rec('base.backups', true, 365, 'Wiederherstellungstests', 'Restore tests', '/readiness/logs#restore-tests'),
  'two-factor': rec('base.passwords', false, 180, 'Zwei-Faktor-Anmeldung', 'Two-factor sign-in', '/readiness/technical#two-factor'),
  'network-plan': rec('base.inventory', false, 365, 'Netzplan', 'Network plan', '/readiness/technical#network-plan'),
  segmentation: rec('base.segmentation', false, 365, 'Netztrennung', 'Network segmentation', '/readiness/technical#segmentation'),
}

/** Measures judged from the organisation's records and state (subject `org`), besides those behind RECORDS. */
export const ORG_MEASURES = [
  'prep.roles', 'prep.first-response', 'prep.crown-jewels', 'prep.providers', 'prep.more-providers', 'prep.contacts',
  'prep.communication', 'prep.monitoring', 'prep.exercises', 'prep.pentest', 'prep.training', 'prep.reporting',
  'base.passwords', 'base.backups', 'base.inventory', 'base.segmentation', 'ready.status', 'ready.card', 'follow.docs',
] as const
export type OrgMeasure = (typeof ORG_MEASURES)[number]

/** Where on the board the organisational part of a measure is fixed. */
export const MEASURE_FIX_PATH: Record<OrgMeasure, string> = {
  'prep.roles': '/readiness/people',
  'prep.first-response': '/readiness/plan',
  'prep.crown-jewels': '/readiness/crown-jewels',
  'prep.providers': '/readiness/providers',
  'prep.more-providers': '/readiness/providers',
  'prep.contacts': '/readiness/people#contacts',
  'prep.communication': '/readiness/plan#communication',
  'prep.monitoring': '/enroll',
  'prep.exercises': '/readiness/logs#exercises',
  'prep.pentest': '/readiness/logs#pentests',
  'prep.training': '/readiness/logs#trainings',
  'prep.reporting': '/readiness/reporting',
  'base.passwords': '/readiness/technical#two-factor',
  'base.backups': '/readiness/logs#restore-tests',
  'base.inventory': '/readiness/technical#network-plan',
  'base.segmentation': '/readiness/technical#segmentation',
  'ready.status': '/settings',
  'ready.card': '/readiness/people',
  'follow.docs': '/readiness',
}

/** The board's emergency card page. */
export const CARD_PATH = '/card'
/** The user-report form (docs/incidents.md): staff answer the card's questions without an account. */
export const USER_REPORT_PATH = '/report'
/** Where the card's QR code leads: the report form. */
export const CARD_QR_PATH: string = USER_REPORT_PATH

// ── formats ─────────────────────────────────────────────────────────────────────
/**
 * An IANA time zone that this runtime knows (Europe/Berlin, America/New_York …). Checked by the server beside the
 * schema (not as a schema format: the response serialiser would not know the format).
 */
export function isTimeZone(text: string): boolean {
  if (text.length > 64 || !/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(text)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: text })
    return true
  } catch {
    return false
  }
}

// ── building blocks ─────────────────────────────────────────────────────────────
const Id = Type.String({ minLength: 1, maxLength: 64, description: 'Id of an entry' })
const Line = (maxLength: number, description: string, minLength = 0) => Type.String({ minLength, maxLength, description })
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Obj = <P extends Record<string, TSchema>>(properties: P, description: string) => Type.Object(properties, { additionalProperties: false, description })
export const DaySchema = Type.String({ format: 'date', maxLength: 10, description: 'A calendar day, YYYY-MM-DD' })
/** An object with one property per allowed value, so a list of values declared once also declares the object's keys. */
export function keyedBy<K extends string, T extends TSchema>(keys: readonly K[], value: T, description: string) {
  return Type.Object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, T>, { additionalProperties: false, description })
}
/** Text in both languages, several lines (one step or rule per line). */
export const TextBlockSchema = Obj({ de: Line(4000, 'German'), en: Line(4000, 'English') }, 'A text in German and English, one item per line')
export const TextLineSchema = Obj({ de: Line(200, 'German'), en: Line(200, 'English') }, 'A short text in German and English')

/** Quarter hours only: exact coverage with every zone offset in use (all are multiples of 15 minutes). */
export const TimeOfDaySchema = Type.String({ pattern: '^(?:(?:[01]\\d|2[0-3]):(?:00|15|30|45)|24:00)$', maxLength: 5, description: 'HH:MM in quarter hours, 00:00 to 24:00' })
export const WindowSchema = Obj(
  { day: oneOf(WEEKDAYS), from: TimeOfDaySchema, to: TimeOfDaySchema },
  'Reachable on this weekday from…to (local time of the contact\'s zone); across midnight: two windows',
)
export type Window = Static<typeof WindowSchema>
export const WindowsSchema = Type.Array(WindowSchema, { maxItems: 70, description: 'Availability windows per weekday' })

export const PhoneSchema = Type.String({ pattern: '^\\+?[0-9][0-9 ()/.-]{2,38}$', maxLength: 40, description: 'Phone number: digits, spaces, + ( ) / . -' })
export const EmailSchema = Type.String({ format: 'email', maxLength: 254, description: 'E-mail address' })
export const TimeZoneSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$', description: 'IANA time zone, e.g. Europe/Berlin (checked against the zones the server knows)' })

// ── the records ─────────────────────────────────────────────────────────────────
export const ContactInputSchema = Obj(
  {
    kind: oneOf(CONTACT_KINDS),
    name: Line(120, 'Name of the person or organisation', 1),
    organisation: Line(120, 'Company or authority'),
    function: Line(120, 'Function, e.g. managing director, service desk'),
    phone: Nullable(PhoneSchema),
    mobile: Nullable(PhoneSchema),
    email: Nullable(EmailSchema),
    timeZone: Nullable(TimeZoneSchema),
    availability: WindowsSchema,
    notes: Line(1000, 'Notes'),
  },
  'A contact: a person, a provider\'s hotline or an authority. Needs a phone number or an e-mail address',
)
export type ContactInput = Static<typeof ContactInputSchema>

export const RoleAssignmentSchema = Obj(
  {
    role: oneOf(ROLE_KINDS),
    holderId: Nullable(Id),
    deputyIds: Type.Array(Id, { maxItems: 5, description: 'Deputies in the order they are called' }),
  },
  'Who holds a role, and who stands in',
)
export const RolesDocSchema = Obj({ assignments: Type.Array(RoleAssignmentSchema, { maxItems: ROLE_KINDS.length }) }, 'The roles of the emergency organisation')
export type RolesDoc = Static<typeof RolesDocSchema>

export const ProviderInputSchema = Obj(
  {
    name: Line(120, 'Provider', 1),
    contactId: Nullable(Id),
    scope: Line(2000, 'What they support (systems, services)', 1),
    supports: Type.Array(oneOf(SCENARIOS), { maxItems: SCENARIOS.length, description: 'Which incidents they help with' }),
    responseTimeHours: Type.Number({ minimum: 0.25, maximum: 720, description: 'Agreed response time (hours)' }),
    contractReviewDate: DaySchema,
    standby: Type.Boolean({ description: 'On standby for emergencies: counts for the first contact\'s coverage' }),
    incidentResponse: Type.Boolean({ description: 'An incident-response provider' }),
    notes: Line(1000, 'Notes'),
  },
  'An IT service provider and what was agreed with it',
)
export type ProviderInput = Static<typeof ProviderInputSchema>

export const PlanDocSchema = Obj(
  {
    alertingChain: Type.Array(Obj({ contactId: Id, note: Line(200, 'What they are told / do') }, 'One step of the alerting chain'), {
      maxItems: 20,
      description: 'Who is alerted, in this order',
    }),
    scenarios: keyedBy(SCENARIOS, TextBlockSchema, 'First steps per scenario, one per line'),
  },
  'The emergency plan',
)
export type PlanDoc = Static<typeof PlanDocSchema>

export const CommunicationDocSchema = Obj(
  {
    spokespersonId: Nullable(Id),
    internal: TextBlockSchema,
    external: TextBlockSchema,
    templates: Type.Array(Obj({ title: TextLineSchema, body: TextBlockSchema }, 'A prepared message'), { maxItems: 20 }),
  },
  'Rules for internal and external communication (press)',
)
export type CommunicationDoc = Static<typeof CommunicationDocSchema>

export const CrownJewelInputSchema = Obj(
  {
    name: Line(120, 'The time-critical business process, e.g. invoicing', 1),
    description: Line(2000, 'What it is and who needs it'),
    maxDowntimeHours: Type.Number({ minimum: 0.25, maximum: 8760, description: 'Longest tolerable downtime (hours)' }),
    hostIds: Type.Array(Id, { maxItems: 500, description: 'Hosts it needs (they become crown-jewel hosts)' }),
    services: Type.Array(Line(120, 'A service or system without agent, e.g. cloud accounting', 1), { maxItems: 100 }),
  },
  'A crown jewel: a time-critical process and what it needs',
)
export type CrownJewelInput = Static<typeof CrownJewelInputSchema>

const Names = (description: string, maxItems: number) => Type.Array(Line(120, 'Name', 1), { maxItems, description })

export const ExerciseInputSchema = Obj(
  {
    date: DaySchema,
    scenario: oneOf(EXERCISE_SCENARIOS),
    title: Line(200, 'What was exercised', 1),
    participants: Names('Who took part', 500),
    lessons: Line(4000, 'Lessons learned'),
  },
  'An emergency exercise',
)
export const PentestInputSchema = Obj(
  {
    date: DaySchema,
    tester: Line(120, 'Who tested', 1),
    scope: Line(2000, 'What was tested'),
    findings: Type.Array(
      Obj({ title: Line(200, 'Finding', 1), severity: oneOf(PENTEST_SEVERITIES), fixedOn: Nullable(DaySchema) }, 'One finding; open while fixedOn is null'),
      { maxItems: 500 },
    ),
  },
  'A penetration test and its findings',
)
export const TrainingInputSchema = Obj(
  { date: DaySchema, topic: Line(200, 'Topic', 1), participants: Names('Who took part (names, so that nobody is counted twice)', 5000) },
  'A training or awareness session',
)
export const RestoreTestInputSchema = Obj(
  {
    date: DaySchema,
    source: Line(300, 'The backup source restored from, e.g. "restic sftp:nas:/srv/restic"', 1),
    result: oneOf(RESTORE_RESULTS),
    durationMinutes: Nullable(Type.Integer({ minimum: 0, maximum: 100_000 })),
    notes: Line(2000, 'What was restored, what went wrong'),
  },
  'A restore test of a backup',
)
export const TwoFactorInputSchema = Obj(
  { service: Line(120, 'A critical service, e.g. Microsoft 365, online banking, VPN', 1), state: oneOf(TWO_FACTOR_STATES), checkedOn: DaySchema, notes: Line(1000, 'Notes') },
  'The two-factor state of a critical service',
)
export const SegmentationDocSchema = Obj(
  {
    zones: Type.Array(Obj({ name: Line(80, 'Zone', 1), purpose: Line(300, 'What is in it and what may reach it') }, 'A network zone'), { minItems: 1, maxItems: 50 }),
    notes: Line(2000, 'Notes'),
  },
  'How the network is divided',
)
export type SegmentationDoc = Static<typeof SegmentationDocSchema>

export const ReportingDocSchema = Obj(
  {
    personalData: oneOf(ANSWERS, { description: 'Personal data is processed (then the GDPR applies)' }),
    nis2Sector: oneOf(ANSWERS, { description: 'The company works in a sector listed by NIS2 / the BSIG' }),
    nis2Size: oneOf(ANSWERS, { description: 'At least 50 staff, or more than EUR 10 million turnover and balance sheet' }),
    kritis: oneOf(ANSWERS, { description: 'Operator of a critical infrastructure (KRITIS)' }),
    bsiRegistered: Type.Boolean({ description: 'Registered with the BSI (required when NIS2 applies)' }),
    insurerNoticeHours: Nullable(Type.Integer({ minimum: 1, maximum: 720, description: 'The cyber insurance must be told within this many hours' })),
  },
  'Which reporting duties apply',
)
export type ReportingDoc = Static<typeof ReportingDocSchema>

export const CompanySettingsSchema = Obj(
  {
    name: Line(120, 'Company name (on the card and the report)'),
    federalState: Nullable(oneOf(FEDERAL_STATES)),
    timeZone: TimeZoneSchema,
    staffCount: Nullable(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Staff to be trained' })),
    deviceCount: Nullable(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Computers the company has (for the agent coverage)' })),
    requiredCoverage: WindowsSchema,
    cardPublic: Type.Boolean({ description: 'The emergency card can be read without signing in (it hangs on every wall anyway)' }),
  },
  'The company: name, federal state, time zone, staff and device counts, when the first contact must be reachable',
)
export type CompanySettings = Static<typeof CompanySettingsSchema>

const ALWAYS: Window[] = WEEKDAYS.map((day) => ({ day, from: '00:00', to: '24:00' }))
export const DEFAULT_COMPANY: CompanySettings = {
  name: '', federalState: null, timeZone: 'Europe/Berlin', staffCount: null, deviceCount: null, requiredCoverage: ALWAYS, cardPublic: true,
}

export const RecordMetaInputSchema = Obj(
  {
    owner: Line(120, 'Who keeps this record current'),
    reviewIntervalDays: Type.Integer({ minimum: 7, maximum: 1095, description: 'Review (for logs: a new entry) at least this often (days)' }),
  },
  'Owner and review interval of a record',
)

/** The body schema of each list kind (route bodies, board forms). */
export const RECORD_LIST_SCHEMAS = {
  contacts: ContactInputSchema,
  providers: ProviderInputSchema,
  'crown-jewels': CrownJewelInputSchema,
  exercises: ExerciseInputSchema,
  pentests: PentestInputSchema,
  trainings: TrainingInputSchema,
  'restore-tests': RestoreTestInputSchema,
  'two-factor': TwoFactorInputSchema,
} as const satisfies Record<RecordListKind, TSchema>
export type RecordListInput<K extends RecordListKind> = Static<(typeof RECORD_LIST_SCHEMAS)[K]>

export const RECORD_DOC_SCHEMAS = {
  roles: RolesDocSchema,
  plan: PlanDocSchema,
  communication: CommunicationDocSchema,
  reporting: ReportingDocSchema,
  segmentation: SegmentationDocSchema,
} as const satisfies Record<RecordDocKind, TSchema>
export type RecordDoc<K extends RecordDocKind> = Static<(typeof RECORD_DOC_SCHEMAS)[K]>

/** A stored entry of a list: its data plus id and times. */
export type Entry<T> = T & { id: string; createdAt: string; updatedAt: string }
export const entrySchema = <T extends TObject>(data: T) =>
  Type.Object({ ...data.properties, id: Id, createdAt: Type.String(), updatedAt: Type.String() }, { additionalProperties: false })

export const RecordMetaSchema = Obj(
  {
    kind: oneOf(RECORD_KINDS),
    measureId: Type.String(),
    title: TextSchema,
    path: Type.String(),
    log: Type.Boolean(),
    recorded: Type.Boolean({ description: 'Anything was kept yet' }),
    owner: Type.String(),
    reviewIntervalDays: Type.Integer(),
    lastReviewedAt: Nullable(Type.String({ description: 'Last review (logs: the newest entry)' })),
    lastReviewedBy: Nullable(Type.String()),
    dueAt: Nullable(Type.String()),
    overdue: Type.Boolean(),
  },
  'Owner and review state of one record',
)
export type RecordMeta = Static<typeof RecordMetaSchema>
