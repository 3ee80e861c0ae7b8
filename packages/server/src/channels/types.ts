// The small contract every alert channel implements (one file per channel, one line in ./index.ts — like Uptime Kuma's providers).
import Type, { type Static, type TObject } from 'typebox'
import { SeveritySchema, TextSchema, type Language } from '@lagebild/shared'

export const CHANNEL_TYPES = ['email', 'webhook', 'slack', 'teams', 'ntfy'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

/** digest: the monthly readiness digest (e-mail channels only), not tied to an alert. */
export const NOTIFY_EVENTS = ['opened', 'resolved', 'reminder', 'escalation', 'test', 'digest'] as const
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number]

/** What the outbox keeps per notification: a snapshot of the alert when the change happened, rendered per channel language at send time. */
export const NotificationPayloadSchema = Type.Object(
  {
    alertId: Type.Union([Type.String(), Type.Null()]),
    hostId: Type.Union([Type.String(), Type.Null()]),
    hostname: Type.Union([Type.String(), Type.Null()]),
    measureId: Type.String(),
    measureTitle: TextSchema,
    kind: Type.Union([Type.Literal('finding'), Type.Literal('silent'), Type.Literal('test')]),
    severity: SeveritySchema,
    reason: TextSchema,
    fix: Type.Union([TextSchema, Type.Null()]),
    openedAt: Type.String(),
    crownJewel: Type.Boolean(),
    /** For reminders and escalations: how long the alert has been open, in hours. */
    openHours: Type.Union([Type.Number(), Type.Null()]),
    url: Type.Union([Type.String(), Type.Null()], { description: 'Link to the alert on the board, if the public URL is known' }),
  },
  { additionalProperties: false },
)
export type NotificationPayload = Static<typeof NotificationPayloadSchema>

/** A notification rendered for one channel. */
export interface Message {
  /** Outbox row id (or "test-…"): receivers can drop a repeated delivery by it. */
  deliveryId: string
  event: NotifyEvent
  language: Language
  subject: string
  text: string
  /** The alert behind it; null for a message that belongs to no alert (the readiness digest). */
  payload: NotificationPayload | null
}

/** What the outbox keeps for the monthly readiness digest: both languages, rendered when it is queued. */
export const DigestPayloadSchema = Type.Object(
  {
    de: Type.Object({ subject: Type.String(), text: Type.String() }),
    en: Type.Object({ subject: Type.String(), text: Type.String() }),
  },
  { additionalProperties: false },
)
export type DigestPayload = Static<typeof DigestPayloadSchema>

export interface ChannelProvider<S extends TObject = TObject> {
  type: ChannelType
  title: { de: string; en: string }
  configSchema: S
  /** Config fields never shown again after saving (GET shows them masked; a PUT without them keeps the stored value). */
  secretFields: readonly string[]
  send(config: Static<S>, msg: Message): Promise<void>
}

export const defineChannel = <S extends TObject>(p: ChannelProvider<S>) => p
