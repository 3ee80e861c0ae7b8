// The verdict on one measure for one subject, and the words for it. Every list here is the one list:
// drizzle `enum:`, route schemas, board filters and CLI output take it from here.
import Type, { type Static } from 'typebox'
import { oneOf, TextSchema } from './common.js'

export const FINDING_STATUSES = ['ok', 'deviation', 'unknown', 'not-applicable'] as const
export const FindingStatusSchema = oneOf(FINDING_STATUSES, {
  description: 'ok; deviation (something to fix); unknown (could not be determined, never ok); not-applicable',
})
export type FindingStatus = Static<typeof FindingStatusSchema>

/** From least to most urgent: raising a severity is one step along this list. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const
export const SeveritySchema = oneOf(SEVERITIES, { description: 'How urgent a deviation is' })
export type Severity = Static<typeof SeveritySchema>

/** A host's worst finding status, kept for fast lists; worst first, the order lists and filters show them in. */
export const HOST_STATUSES = ['deviation', 'unknown', 'ok'] as const
export const HostStatusSchema = oneOf(HOST_STATUSES, { description: "The host's worst finding: deviation, else unknown, else ok" })
export type HostStatus = Static<typeof HostStatusSchema>

/** A measure's light on the overview: a host status, or nothing judged yet. */
export const MEASURE_STATES = [...HOST_STATUSES, 'not-recorded', 'not-applicable'] as const
export const MeasureStateSchema = oneOf(MEASURE_STATES, {
  description:
    'deviation if any subject deviates; ok only if every part is judged and ok; not-recorded when nothing is judged yet ' +
    'or only the record part is missing (every judged host fine); not-applicable when its only part has nothing to judge ' +
    '(an incident measure while no incident is open); unknown otherwise',
})
export type MeasureState = Static<typeof MeasureStateSchema>

export const FindingSchema = Type.Object(
  {
    measureId: Type.String({ description: 'Measure id from the catalogue' }),
    status: FindingStatusSchema,
    severity: SeveritySchema,
    reason: TextSchema,
    fix: Type.Optional(TextSchema),
  },
  { additionalProperties: false, description: 'The judgement of one measure for one subject' },
)
export type Finding = Static<typeof FindingSchema>
