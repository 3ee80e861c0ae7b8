// Alerts for the board: one alert, its history and notifications, the list's filter, acknowledge and snooze, timing.
import Type, { type Static } from 'typebox'
import {
  ALERT_STATES, AlertEventKindSchema, IsoDateSchema, AlertKindSchema, AlertSettingsSchema, AlertStateSchema, MAX_SNOOZE_MINUTES, NotifyEventSchema, oneOf,
  SeveritySchema, TextSchema,
} from '@lagebild/shared'
import { Nullable, PageLimitSchema, PageOffsetSchema } from './common.js'

export const AlertOutSchema = Type.Object(
  {
    id: Type.String(),
    hostId: Nullable(Type.String()),
    hostname: Nullable(Type.String()),
    crownJewel: Type.Boolean(),
    measureId: Type.String({ description: 'Measure id, or agent.silent for an agent that stopped reporting' }),
    measureTitle: TextSchema,
    kind: AlertKindSchema,
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
    notifiedAt: Nullable(Type.String(), 'When "opened" was sent; null while held back'),
    lastRemindedAt: Nullable(Type.String()),
    escalatedAt: Nullable(Type.String()),
  },
  { description: 'An alert' },
)
export type AlertOut = Static<typeof AlertOutSchema>

export const AlertListSchema = Type.Object({ total: Type.Integer(), alerts: Type.Array(AlertOutSchema) })
export type AlertList = Static<typeof AlertListSchema>

export const AlertDetailSchema = Type.Object({
  alert: AlertOutSchema,
  history: Type.Array(
    Type.Object({ at: Type.String(), kind: AlertEventKindSchema, by: Nullable(Type.String()), detail: Nullable(Type.String()) }),
    { description: 'What happened to the alert, oldest first' },
  ),
  notifications: Type.Array(
    Type.Object({
      channelId: Type.String(),
      channelName: Nullable(Type.String()),
      event: NotifyEventSchema,
      createdAt: Type.String(),
      sentAt: Nullable(Type.String()),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
    }),
    { description: 'Notifications for this alert and their delivery' },
  ),
})
export type AlertDetail = Static<typeof AlertDetailSchema>

/** The list's filter: a state, or active (open or acknowledged). */
export const ALERT_FILTERS = ['active', ...ALERT_STATES] as const
export const AlertQuerySchema = Type.Object(
  {
    state: Type.Optional(oneOf(ALERT_FILTERS, { description: 'active = open or acknowledged' })),
    hostId: Type.Optional(Type.String({ maxLength: 100 })),
    measureId: Type.Optional(Type.String({ maxLength: 50 })),
    limit: Type.Optional(PageLimitSchema(50)),
    offset: Type.Optional(PageOffsetSchema),
  },
  { additionalProperties: false },
)
export type AlertQuery = Static<typeof AlertQuerySchema>

export const AcknowledgeBodySchema = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })

export const SnoozeBodySchema = Type.Object(
  {
    until: Type.Optional(Type.String({ ...IsoDateSchema, description: 'Snooze until this time' })),
    minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SNOOZE_MINUTES, description: 'Snooze for this many minutes' })),
  },
  { additionalProperties: false, description: 'Either until or minutes' },
)

export const AlertSettingsOutSchema = Type.Object({ settings: AlertSettingsSchema, defaults: AlertSettingsSchema })
export const AlertSettingsUpdateSchema = Type.Partial(AlertSettingsSchema, { additionalProperties: false })
