// Hosts: the list, one host with its facts and findings, its history, changing it, commands to its agent.
import Type, { type Static } from 'typebox'
import {
  AgentCommandSchema, FindingStatusSchema, HOST_SORTS, HostStatusSchema, oneOf, OsFamilySchema, REVOKE_REASONS, SeveritySchema, SORT_ORDERS, TextSchema,
  IsoDateSchema, ThresholdsSchema,
} from '@lagebild/shared'
import { Nullable, PageLimitSchema, PageOffsetSchema, SearchTextSchema, TagSchema, TagsSchema } from './common.js'

export const FindingOutSchema = Type.Object({
  measureId: Type.String(),
  status: FindingStatusSchema,
  severity: SeveritySchema,
  reason: TextSchema,
  fix: Nullable(TextSchema),
  since: Type.String({ description: 'Since when the finding has had this status' }),
})
export type FindingOut = Static<typeof FindingOutSchema>

export const HostSummarySchema = Type.Object({
  id: Type.String(),
  hostname: Type.String({ description: 'The name the host reported in its newest report' }),
  duplicateName: Type.Boolean({ description: 'Another active host reports the same name: tell them apart by machine id' }),
  machineId: Type.String(),
  retiredAt: Nullable(Type.String(), 'Retired by an admin: no agent may report for it'),
  osFamily: OsFamilySchema,
  osName: Type.String({ description: 'Distribution and version' }),
  tags: Type.Array(Type.String()),
  crownJewel: Type.Boolean(),
  maintenanceUntil: Nullable(Type.String(), 'In maintenance (no notifications) until then; null or past: not in maintenance'),
  status: HostStatusSchema,
  silent: Type.Boolean({ description: 'No report for longer than the silence threshold' }),
  lastReportAt: Nullable(Type.String()),
  agentVersion: Type.String({ description: 'Agent version of the last report' }),
  outdated: Type.Boolean({ description: 'The agent is older than the version this server ships (it updates itself when installed from a package)' }),
  measures: Type.Record(Type.String(), FindingStatusSchema, { description: 'Status per measure id' }),
})
export type HostSummary = Static<typeof HostSummarySchema>

export const HostListSchema = Type.Object({ total: Type.Integer(), hosts: Type.Array(HostSummarySchema) })
export type HostList = Static<typeof HostListSchema>

// Sort and filter values are checked against allow-lists by the schema itself.
export const HostQuerySchema = Type.Object(
  {
    q: Type.Optional(SearchTextSchema(100, { description: 'Search in host name and OS' })),
    status: Type.Optional(HostStatusSchema),
    measure: Type.Optional(Type.String({ pattern: '^[a-z]+\\.[a-z-]+$', maxLength: 50, description: 'Only hosts with this measure in measureStatus' })),
    measureStatus: Type.Optional(FindingStatusSchema),
    tag: Type.Optional(TagSchema),
    os: Type.Optional(OsFamilySchema),
    sort: Type.Optional(oneOf(HOST_SORTS)),
    order: Type.Optional(oneOf(SORT_ORDERS)),
    limit: Type.Optional(PageLimitSchema(50)),
    offset: Type.Optional(PageOffsetSchema),
    retired: Type.Optional(Type.Boolean({ description: 'true: the retired hosts instead of the active ones' })),
  },
  { additionalProperties: false },
)
export type HostQuery = Static<typeof HostQuerySchema>

export const HostDetailSchema = Type.Object({
  host: Type.Intersect([
    HostSummarySchema,
    Type.Object({
      osBuild: Nullable(Type.String()),
      kernel: Type.String(),
      arch: Type.String(),
      bootTime: Nullable(Type.String()),
      createdAt: Type.String(),
    }),
  ]),
  facts: Type.Record(Type.String(), Type.Object({ value: Type.Unknown(), collectedAt: Type.String() }), { description: 'Latest value of each fact' }),
  findings: Type.Array(FindingOutSchema),
  sameName: Type.Array(Type.Object({ id: Type.String(), machineId: Type.String() }), { description: 'Other active hosts that report the same name' }),
})
export type HostDetail = Static<typeof HostDetailSchema>

export const HostHistoryQuerySchema = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'How many days back' })) },
  { additionalProperties: false },
)

export const HostHistorySchema = Type.Object({
  hostId: Type.String(),
  from: Type.String({ description: 'Start of the window asked for' }),
  to: Type.String(),
  firstRecordAt: Nullable(Type.String(), 'The oldest status change kept for this host; null: none yet. The data begin here, not at `from`'),
  changes: Type.Array(
    Type.Object({ measureId: Type.String(), status: FindingStatusSchema, severity: SeveritySchema, at: Type.String() }),
    { description: 'The status of each measure at `from`, then every change up to `to`, oldest first' },
  ),
})
export type HostHistory = Static<typeof HostHistorySchema>

export const HostUpdateSchema = Type.Object(
  {
    tags: Type.Optional(TagsSchema),
    crownJewel: Type.Optional(Type.Boolean({ description: 'Alerts of crown jewels are one severity step higher' })),
    maintenanceUntil: Type.Optional(Nullable(IsoDateSchema, 'No notifications for this host until then; null ends it')),
  },
  { additionalProperties: false },
)
export type HostUpdate = Static<typeof HostUpdateSchema>

export const HostAdminOutSchema = Type.Object({
  id: Type.String(),
  hostname: Type.String(),
  tags: Type.Array(TagSchema),
  crownJewel: Type.Boolean(),
  maintenanceUntil: Nullable(Type.String()),
  thresholds: ThresholdsSchema,
  connected: Type.Boolean({ description: 'The agent has a live connection' }),
})
export type HostAdminOut = Static<typeof HostAdminOutSchema>

export const CommandBodySchema = Type.Object(
  {
    command: AgentCommandSchema,
    intervalMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'For set-interval' })),
  },
  { additionalProperties: false },
)
export const CommandOutSchema = Type.Object({ sent: Type.Boolean({ description: 'false: the agent is not connected' }), commandId: Type.String() })
export type CommandOut = Static<typeof CommandOutSchema>

// ── The end of a host's life and of an agent's access ──

export const AgentSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Nullable(Type.String(), 'Last report'),
  revokedAt: Nullable(Type.String()),
  revokedReason: Nullable(Type.Enum(REVOKE_REASONS), 'agent-revoked, host-retired or agent-replaced'),
})
export type Agent = Static<typeof AgentSchema>
export const AgentListSchema = Type.Object({ agents: Type.Array(AgentSchema) })
export type AgentList = Static<typeof AgentListSchema>

export const RetireSchema = Type.Object(
  { purge: Type.Boolean({ description: 'true: delete the host with its reports, facts, history and alerts; false: keep them, the host is listed as retired' }) },
  { additionalProperties: false },
)
export const LifecycleOutSchema = Type.Object({
  hostId: Type.String(),
  revokedAgents: Type.Array(Type.String(), { description: 'Agents refused from now on (live connections closed)' }),
  closedAlerts: Type.Array(Type.String()),
})
export type LifecycleOut = Static<typeof LifecycleOutSchema>
