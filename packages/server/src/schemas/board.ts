// The board's overview (a traffic light per measure of the BSI guide) and the measure catalogue.
import Type, { type Static } from 'typebox'
import { FindingStatusSchema, JudgedBySchema, MeasureSchema, MeasureStateSchema, PhaseSchema, SEVERITIES, TextSchema, ThresholdsSchema } from '@lagebild/shared'
import { Nullable } from './common.js'

const CountsSchema = Type.Object({
  ok: Type.Integer(),
  deviation: Type.Integer(),
  unknown: Type.Integer(),
  notApplicable: Type.Integer(),
})

export const MeasureLightSchema = Type.Object({
  id: Type.String({ description: 'Measure id' }),
  title: TextSchema,
  summary: TextSchema,
  judgedBy: Type.Array(JudgedBySchema),
  state: MeasureStateSchema,
  hosts: Nullable(CountsSchema, 'Per-host findings (agent-judged measures); null: not judged on hosts'),
  record: Type.Union([FindingStatusSchema, Type.Literal('not-recorded'), Type.Null()], {
    description: 'The organisation-wide part (records, workflow); not-recorded: nothing kept yet; null: the measure has no such part',
  }),
  score: Type.Number({ minimum: 0, maximum: 1, description: 'Share of ok: hosts ok / hosts judged; a record part counts 1 when ok; parts are averaged' }),
})
export type MeasureLight = Static<typeof MeasureLightSchema>

/** One count per severity, e.g. open alerts. */
const PerSeverity = Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, Type.Integer()])) as { [K in (typeof SEVERITIES)[number]]: ReturnType<typeof Type.Integer> })

export const OverviewSchema = Type.Object({
  generatedAt: Type.String(),
  hosts: Type.Object({
    total: Type.Integer(),
    ok: Type.Integer(),
    deviation: Type.Integer(),
    unknown: Type.Integer(),
    silent: Type.Integer({ description: 'Hosts that have not reported for longer than their silence threshold' }),
  }),
  score: Type.Object({
    value: Type.Integer({ minimum: 0, maximum: 100, description: 'Readiness in percent' }),
    measures: Type.Integer({ description: 'How many measures count (phases prep and ready)' }),
    explanation: TextSchema,
  }),
  phases: Type.Array(
    Type.Object({ id: PhaseSchema, title: TextSchema, measures: Type.Array(MeasureLightSchema) }),
    { description: 'The phases of the BSI guide with a traffic light per measure' },
  ),
  alerts: Type.Object({
    open: PerSeverity,
    acknowledged: Type.Integer(),
    snoozed: Type.Integer(),
  }),
  silentHosts: Type.Array(
    Type.Object({ id: Type.String(), hostname: Type.String(), lastReportAt: Nullable(Type.String()), silentMaxMinutes: Type.Integer() }),
    { description: 'The longest-silent hosts (at most 20)' },
  ),
})
export type Overview = Static<typeof OverviewSchema>

export const CatalogueSchema = Type.Object({ measures: Type.Array(MeasureSchema), defaultThresholds: ThresholdsSchema })
export type Catalogue = Static<typeof CatalogueSchema>
