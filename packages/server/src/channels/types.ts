// The small contract every alert channel implements (one file per channel, one line in ./index.ts — like Uptime Kuma's providers).
import Type, { type Static, type TObject, type TSchema } from 'typebox'
import { ALERT_KINDS, oneOf, SeveritySchema, TextSchema, type Language, type NotifyEvent, type Text } from '@lagebild/shared'

/** What the outbox keeps per notification: a snapshot of the alert when the change happened, rendered per channel language at send time. */
export const NotificationPayloadSchema = Type.Object(
  {
    alertId: Type.Union([Type.String(), Type.Null()]),
    hostId: Type.Union([Type.String(), Type.Null()]),
    hostname: Type.Union([Type.String(), Type.Null()]),
    measureId: Type.String(),
    measureTitle: TextSchema,
    // An alert's kind, or a test message of the channel.
    kind: oneOf([...ALERT_KINDS, 'test']),
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

export interface ChannelProvider<T extends string = string, S extends TObject = TObject> {
  type: T
  title: Text
  /**
   * The channel's settings. The board builds its form from this schema: each field's label is `x-label` ({ de, en }),
   * a choice's option labels are the `x-label` of each literal, `examples[0]` is the placeholder and `default` the
   * preset. Fields marked `writeOnly` are secrets: never shown again after saving (GET shows them masked; a PUT
   * without them, or with the mask, keeps the stored value).
   */
  configSchema: S
  /** Where it sends to, in a few words for the channel list (no secrets: it is shown to every viewer). */
  target(config: Static<S>): string
  send(config: Static<S>, msg: Message): Promise<void>
}

export const defineChannel = <const T extends string, S extends TObject>(p: ChannelProvider<T, S>) => p

/** A label for a form field or option: German and English. */
export const label = (de: string, en: string) => ({ 'x-label': { de, en } })

/** The secret fields of a config schema: those marked writeOnly. */
export const secretFieldsOf = (schema: TObject): string[] =>
  Object.entries(schema.properties as Record<string, TSchema & { writeOnly?: boolean }>)
    .filter(([, s]) => s.writeOnly === true)
    .map(([k]) => k)
