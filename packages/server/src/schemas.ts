// Response shapes of the admin API (TypeBox; types are Static<> of these).
import Type, { type Static } from 'typebox'
import { FindingStatusSchema, SeveritySchema, TextSchema } from '@lagebild/shared'

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
  status: Type.Union([Type.Literal('ok'), Type.Literal('deviation'), Type.Literal('unknown')]),
  silent: Type.Boolean({ description: 'No report for longer than the silence threshold' }),
  lastReportAt: Type.Union([Type.String(), Type.Null()]),
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
      agentVersion: Type.String(),
      bootTime: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ]),
  facts: Type.Record(Type.String(), Type.Object({ value: Type.Unknown(), collectedAt: Type.String() }), { description: 'Latest value of each fact' }),
  findings: Type.Array(FindingOutSchema),
})
export type HostDetail = Static<typeof HostDetailSchema>
