// Response shapes of the readiness API (TypeBox; the board uses Static<> of these). Request bodies are the shared
// record schemas themselves.
import Type, { type Static } from 'typebox'
import {
  CardSchema, CompanySettingsSchema, FindingStatusSchema, NETWORK_PLAN_TYPES, RECORD_KINDS, RecordMetaSchema, ReportingClockSchema,
  SeveritySchema, TextSchema, WeekCoverageSchema, ORG_MEASURES, LANGUAGES, oneOf,
} from '@lagebild/shared'
import { Nullable } from './common.js'


export const RecordKindParamsSchema = Type.Object({ kind: oneOf(RECORD_KINDS) })
export const EntryIdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const LangQuerySchema = Type.Object({ lang: Type.Optional(oneOf(LANGUAGES, { description: 'Language of the document (default de)' })) }, { additionalProperties: false })

export const OrgMeasureSchema = Type.Object({
  id: oneOf(ORG_MEASURES),
  title: TextSchema,
  status: Type.Union([FindingStatusSchema, Type.Literal('not-recorded')]),
  severity: Nullable(SeveritySchema),
  reason: Nullable(TextSchema),
  fix: Nullable(TextSchema),
  since: Nullable(Type.String()),
  path: Type.String({ description: 'Board page where it is fixed' }),
})
export type OrgMeasure = Static<typeof OrgMeasureSchema>

export const PlanInfoSchema = Type.Object({
  name: Type.String(),
  mime: oneOf(NETWORK_PLAN_TYPES),
  size: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.String(),
  uploadedBy: Type.String(),
})
export type PlanInfo = Static<typeof PlanInfoSchema>

export const CardStatusSchema = Type.Object({
  card: CardSchema,
  reachable: Type.Boolean({ description: 'A first contact with a phone is on the card' }),
  reachableNow: Type.Array(Type.String(), { description: 'Who of the first contact can be called right now' }),
  distribution: Type.Object({
    total: Type.Integer({ description: 'Enrolled PCs' }),
    current: Type.Integer({ description: 'PCs whose agent confirmed this version' }),
    missing: Type.Array(Type.Object({ id: Type.String(), hostname: Type.String() }), { description: 'PCs without it (at most 50)' }),
  }),
})

export const ReadinessViewSchema = Type.Object({
  generatedAt: Type.String(),
  company: CompanySettingsSchema,
  empty: Type.Boolean({ description: 'Nothing recorded yet: the board shows the first steps' }),
  measures: Type.Array(OrgMeasureSchema),
  records: Type.Array(Type.Intersect([RecordMetaSchema, Type.Object({ entries: Type.Integer({ description: 'Entries of a list (1 for a kept document)' }) })])),
  firstSteps: Type.Array(Type.Object({ measureId: Type.String(), path: Type.String(), title: TextSchema, why: TextSchema, done: Type.Boolean() })),
  coverage: WeekCoverageSchema,
  gaps: Type.Array(WeekCoverageSchema.properties.gaps.items, { description: 'Gaps of this and next week (DST changes ahead included)' }),
  clocks: Type.Array(ReportingClockSchema, { description: 'Deadlines that would start in an incident' }),
  backupSources: Type.Array(Type.String(), { description: 'Backup sources the agents report ("kind location")' }),
  networkPlan: Nullable(PlanInfoSchema),
  card: CardStatusSchema,
})
export type ReadinessView = Static<typeof ReadinessViewSchema>

export const DigestSchema = Type.Object({ subject: Type.String(), text: Type.String() })
