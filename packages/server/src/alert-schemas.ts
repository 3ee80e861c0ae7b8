// Request and response shapes of the alerting API (alerts, channels, thresholds, alert settings, host admin).
import Type from 'typebox'
import { IsoDateSchema, SeveritySchema, TextSchema, ThresholdsSchema } from '@lagebild/shared'
import { PageLimitSchema, PageOffsetSchema, TagSchema } from './schemas.js'
import email from './channels/email.js'
import webhook from './channels/webhook.js'
import slack from './channels/slack.js'
import teams from './channels/teams.js'
import ntfy from './channels/ntfy.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const AlertStateSchema = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')])

export const AlertOutSchema = Type.Object(
  {
    id: Type.String(),
    hostId: Nullable(Type.String()),
    hostname: Nullable(Type.String()),
    crownJewel: Type.Boolean(),
    measureId: Type.String({ description: 'Measure id, or agent.silent for an agent that stopped reporting' }),
    measureTitle: TextSchema,
    kind: Type.Union([Type.Literal('finding'), Type.Literal('silent')]),
    severity: SeveritySchema,
    state: AlertStateSchema,
    reason: TextSchema,
    openedAt: Type.String(),
    acknowledgedAt: Nullable(Type.String()),
    acknowledgedBy: Nullable(Type.String()),
    resolvedAt: Nullable(Type.String()),
    snoozedUntil: Nullable(Type.String()),
    snoozed: Type.Boolean({ description: 'Snoozed right now' }),
    inMaintenance: Type.Boolean({ description: 'The host is in maintenance right now (no notifications)' }),
    notifiedAt: Nullable(Type.String({ description: 'When "opened" was sent; null while held back' })),
    lastRemindedAt: Nullable(Type.String()),
    escalatedAt: Nullable(Type.String()),
  },
  { description: 'An alert' },
)

export const AlertDetailSchema = Type.Object({
  alert: AlertOutSchema,
  history: Type.Array(
    Type.Object({ at: Type.String(), kind: Type.String(), by: Nullable(Type.String()), detail: Nullable(Type.String()) }),
    { description: 'What happened to the alert, oldest first' },
  ),
  notifications: Type.Array(
    Type.Object({
      channelId: Type.String(),
      channelName: Nullable(Type.String()),
      event: Type.Union([Type.Literal('opened'), Type.Literal('resolved'), Type.Literal('reminder'), Type.Literal('escalation'), Type.Literal('test')]),
      createdAt: Type.String(),
      sentAt: Nullable(Type.String()),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
    }),
    { description: 'Notifications for this alert and their delivery' },
  ),
})

export const AlertQuerySchema = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved'), Type.Literal('active')], { description: 'active = open or acknowledged' })),
    hostId: Type.Optional(Type.String({ maxLength: 100 })),
    measureId: Type.Optional(Type.String({ maxLength: 50 })),
    limit: Type.Optional(PageLimitSchema(50)),
    offset: Type.Optional(PageOffsetSchema),
  },
  { additionalProperties: false },
)

export const IdParamsSchema = Type.Object({ id: Type.String({ maxLength: 100 }) })

export const SnoozeBodySchema = Type.Object(
  {
    until: Type.Optional(Type.String({ ...IsoDateSchema, description: 'Snooze until this time' })),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 24 * 60, description: 'Snooze for this many minutes' })),
  },
  { additionalProperties: false, description: 'Either until or minutes' },
)

const ChannelCommon = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  escalation: Type.Optional(Type.Boolean({ description: 'Only used for escalations (and their resolve)', default: false })),
  language: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')], { default: 'de' })),
}

/** One variant per channel type, so the OpenAPI docs show each type's config. */
const variant = <T extends string, S extends Parameters<typeof Type.Object>[0]>(type: T, config: ReturnType<typeof Type.Object<S>>, description: string) =>
  Type.Object({ ...ChannelCommon, type: Type.Literal(type), config }, { additionalProperties: false, description })
export const ChannelCreateSchema = Type.Union([
  variant('email', email.configSchema, email.title.en),
  variant('webhook', webhook.configSchema, webhook.title.en),
  variant('slack', slack.configSchema, slack.title.en),
  variant('teams', teams.configSchema, teams.title.en),
  variant('ntfy', ntfy.configSchema, ntfy.title.en),
])

export const ChannelUpdateSchema = Type.Object(
  {
    name: Type.Optional(ChannelCommon.name),
    enabled: Type.Optional(Type.Boolean()),
    escalation: Type.Optional(Type.Boolean()),
    language: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The whole config of the channel's type; secrets left out or sent masked keep their value" })),
  },
  { additionalProperties: false },
)

export const ChannelOutSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Union([Type.Literal('email'), Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('teams'), Type.Literal('ntfy')]),
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'Secrets shown as ********' }),
  enabled: Type.Boolean(),
  escalation: Type.Boolean(),
  language: Type.Union([Type.Literal('de'), Type.Literal('en')]),
  createdAt: Type.String(),
  delivery: Type.Object({
    pending: Type.Integer({ description: 'Notifications waiting to be sent' }),
    lastSentAt: Nullable(Type.String()),
    lastError: Nullable(Type.String({ description: 'Why the oldest waiting notification failed last time' })),
  }),
})

export const TestResultSchema = Type.Object({ ok: Type.Boolean(), error: Nullable(Type.String()) })

export const ThresholdOverrideSchema = Type.Partial(ThresholdsSchema, { additionalProperties: false, description: 'Only the thresholds to override; {} removes the override' })

export const ThresholdsOutSchema = Type.Object({
  defaults: ThresholdsSchema,
  global: ThresholdOverrideSchema,
  tags: Type.Record(Type.String(), ThresholdOverrideSchema),
  hosts: Type.Record(Type.String(), ThresholdOverrideSchema),
})

export const HostUpdateSchema = Type.Object(
  {
    tags: Type.Optional(Type.Array(TagSchema, { maxItems: 20 })),
    crownJewel: Type.Optional(Type.Boolean({ description: 'Alerts of crown jewels are one severity step higher' })),
    maintenanceUntil: Type.Optional(Nullable(Type.String({ ...IsoDateSchema, description: 'No notifications for this host until then; null ends it' }))),
  },
  { additionalProperties: false },
)

export const HostAdminOutSchema = Type.Object({
  id: Type.String(),
  hostname: Type.String(),
  tags: Type.Array(Type.String()),
  crownJewel: Type.Boolean(),
  maintenanceUntil: Nullable(Type.String()),
  thresholds: ThresholdsSchema,
  connected: Type.Boolean({ description: 'The agent has a live connection' }),
})

export const CommandBodySchema = Type.Object(
  {
    command: Type.Union([Type.Literal('collect-now'), Type.Literal('set-interval')]),
    intervalMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'For set-interval' })),
  },
  { additionalProperties: false },
)
