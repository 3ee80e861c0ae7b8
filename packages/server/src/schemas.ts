// Response shapes of the admin API (TypeBox; types are Static<> of these).
import Type, { type Static } from 'typebox'
import { FindingStatusSchema, SeveritySchema, TextSchema } from '@lagebild/shared'

// ── Paging of every list ──
// Both ends bounded: ?offset=1e20 or 2^63 is a 400 with the allowed range, never a number SQLite cannot bind (500).

/** Rows per page. */
export const PageLimitSchema = (def: number) => Type.Integer({ minimum: 1, maximum: 500, default: def, description: `Rows per page (1–500, default ${def})` })
/** Rows skipped; a million is far beyond any list here (hosts, alerts) and still a plain 32-bit number. */
export const MAX_OFFSET = 1_000_000
export const PageOffsetSchema = Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0, description: `Rows skipped (0–${MAX_OFFSET})` })
/** A tag: letters, digits, . _ - (the same rule wherever tags are given). */
export const TagSchema = Type.String({ pattern: '^[\\w.-]{1,50}$', maxLength: 50 })

export const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'Short error code' }),
    message: Type.String({ description: 'What went wrong' }),
    path: Type.Optional(Type.String({ description: 'For invalid input: the path of the first error, e.g. /facts/base.patches/pending' })),
  },
  { description: 'An error' },
)

export const FindingOutSchema = Type.Object({
  measureId: Type.String(),
  status: FindingStatusSchema,
  severity: SeveritySchema,
  reason: TextSchema,
  fix: Type.Union([TextSchema, Type.Null()]),
  since: Type.String({ description: 'Since when the finding has had this status' }),
})
export type FindingOut = Static<typeof FindingOutSchema>

export const HostSummarySchema = Type.Object({
  id: Type.String(),
  hostname: Type.String(),
  osFamily: Type.String(),
  osName: Type.String({ description: 'Distribution and version' }),
  tags: Type.Array(Type.String()),
  crownJewel: Type.Boolean(),
  maintenanceUntil: Type.Union([Type.String(), Type.Null()], { description: 'In maintenance (no notifications) until then; null or past: not in maintenance' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('deviation'), Type.Literal('unknown')]),
  silent: Type.Boolean({ description: 'No report for longer than the silence threshold' }),
  lastReportAt: Type.Union([Type.String(), Type.Null()]),
  agentVersion: Type.String({ description: 'Agent version of the last report' }),
  outdated: Type.Boolean({ description: 'The agent is older than the version this server ships (it updates itself when installed from a package)' }),
  measures: Type.Record(Type.String(), FindingStatusSchema, { description: 'Status per measure id' }),
})
export type HostSummary = Static<typeof HostSummarySchema>

export const HostDetailSchema = Type.Object({
  host: Type.Intersect([
    HostSummarySchema,
    Type.Object({
      machineId: Type.String(),
      osBuild: Type.Union([Type.String(), Type.Null()]),
      kernel: Type.String(),
      arch: Type.String(),
      bootTime: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ]),
  facts: Type.Record(Type.String(), Type.Object({ value: Type.Unknown(), collectedAt: Type.String() }), { description: 'Latest value of each fact' }),
  findings: Type.Array(FindingOutSchema),
})
export type HostDetail = Static<typeof HostDetailSchema>

// ── The board's overview and a host's history ──

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
  judgedBy: Type.Array(Type.String()),
  state: Type.Union([Type.Literal('ok'), Type.Literal('deviation'), Type.Literal('unknown'), Type.Literal('not-recorded')], {
    description: 'deviation if any subject deviates; ok only if every part is judged and ok; not-recorded when nothing is judged yet; unknown otherwise',
  }),
  hosts: Type.Union([CountsSchema, Type.Null()], { description: 'Per-host findings (agent-judged measures); null: not judged on hosts' }),
  record: Type.Union([FindingStatusSchema, Type.Literal('not-recorded'), Type.Null()], {
    description: 'The organisation-wide part (records, workflow); not-recorded: nothing kept yet; null: the measure has no such part',
  }),
  score: Type.Number({ minimum: 0, maximum: 1, description: 'Share of ok: hosts ok / hosts judged; a record part counts 1 when ok; parts are averaged' }),
})
export type MeasureLight = Static<typeof MeasureLightSchema>

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
    Type.Object({ id: Type.String(), title: TextSchema, measures: Type.Array(MeasureLightSchema) }),
    { description: 'The phases of the BSI guide with a traffic light per measure' },
  ),
  alerts: Type.Object({
    open: Type.Object({ critical: Type.Integer(), high: Type.Integer(), medium: Type.Integer(), low: Type.Integer(), info: Type.Integer() }),
    acknowledged: Type.Integer(),
    snoozed: Type.Integer(),
  }),
  silentHosts: Type.Array(
    Type.Object({ id: Type.String(), hostname: Type.String(), lastReportAt: Type.Union([Type.String(), Type.Null()]), silentMaxMinutes: Type.Integer() }),
    { description: 'The longest-silent hosts (at most 20)' },
  ),
})
export type Overview = Static<typeof OverviewSchema>

export const HostHistorySchema = Type.Object({
  hostId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  changes: Type.Array(
    Type.Object({ measureId: Type.String(), status: Type.String(), severity: Type.String(), at: Type.String() }),
    { description: 'The status of each measure at `from`, then every change up to `to`, oldest first' },
  ),
})
export type HostHistory = Static<typeof HostHistorySchema>

// ── The enroll page ──

export const InstallInfoSchema = Type.Object({
  server: Type.String({ description: 'The address filled into the install lines' }),
  source: Type.Union([Type.Literal('public-url'), Type.Literal('request')], { description: 'public-url: LAGEBILD_PUBLIC_URL; request: the address this browser used' }),
  loopback: Type.Boolean({ description: 'The address is this machine only: other PCs cannot reach it' }),
  listensOnLoopback: Type.Boolean({ description: 'The server listens on a loopback address only (LAGEBILD_HOST)' }),
  tls: Type.Boolean({ description: 'The address is https://' }),
  privateCa: Type.Boolean({ description: 'Agents get the private CA of LAGEBILD_AGENT_CA; the lines pin the server certificate' }),
  tokenPlaceholder: Type.String({ description: 'Stands for the token in the lines' }),
  lines: Type.Object({ linux: Type.String(), macos: Type.String(), windows: Type.String(), windowsSilent: Type.String() }),
  version: Type.Union([Type.String(), Type.Null()], { description: 'Agent version offered; null: no packages built' }),
  problem: Type.Union([Type.String(), Type.Null()], { description: 'Why no packages are offered' }),
})
export type InstallInfo = Static<typeof InstallInfoSchema>
