// Alerts as the server, the board and the notifications speak of them: states, kinds, what happened, what is sent,
// and the timing settings. Each list is declared once here; the database, the API and the board derive from it.
import Type, { type Static, type TInteger, type TNull, type TUnion } from 'typebox'
import { oneOf, type Text } from './common.js'

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const
export const AlertStateSchema = oneOf(ALERT_STATES, { description: 'open; acknowledged (someone takes care); resolved' })
export type AlertState = Static<typeof AlertStateSchema>

/** finding: a deviation of a measure; silent: the agent stopped reporting. */
export const ALERT_KINDS = ['finding', 'silent'] as const
export const AlertKindSchema = oneOf(ALERT_KINDS, { description: 'finding: a measure deviates; silent: the agent stopped reporting' })
export type AlertKind = Static<typeof AlertKindSchema>

/** What can happen to an alert (its history), with the words the board shows for it. */
export const ALERT_EVENTS = {
  opened: { de: 'geöffnet', en: 'opened' },
  changed: { de: 'geändert', en: 'changed' },
  unknown: { de: 'Zustand unbekannt', en: 'state unknown' },
  notified: { de: 'benachrichtigt', en: 'notified' },
  reminded: { de: 'erinnert', en: 'reminded' },
  escalated: { de: 'eskaliert', en: 'escalated' },
  acknowledged: { de: 'bestätigt', en: 'acknowledged' },
  snoozed: { de: 'zurückgestellt', en: 'snoozed' },
  unsnoozed: { de: 'Zurückstellung beendet', en: 'snooze ended' },
  resolved: { de: 'erledigt', en: 'resolved' },
} as const satisfies Record<string, Text>
export type AlertEventKind = keyof typeof ALERT_EVENTS
export const ALERT_EVENT_KINDS = Object.keys(ALERT_EVENTS) as [AlertEventKind, ...AlertEventKind[]]
export const AlertEventKindSchema = oneOf(ALERT_EVENT_KINDS, { description: 'What happened to the alert' })

/** Why a notification is sent, with the words the board shows for it. */
export const NOTIFY_EVENTS = {
  opened: { de: 'Alarm', en: 'alert' },
  resolved: { de: 'behoben', en: 'resolved' },
  reminder: { de: 'Erinnerung', en: 'reminder' },
  escalation: { de: 'Eskalation', en: 'escalation' },
  test: { de: 'Test', en: 'test' },
  /** The monthly readiness digest (e-mail channels only), not tied to an alert. */
  digest: { de: 'Monatsbericht', en: 'monthly digest' },
  /** An incident: opened (to the alerting chain), a user report from the web form, closed. Not tied to an alert. */
  incident: { de: 'Notfall', en: 'incident' },
  /** A reporting deadline of an incident draws near or has passed. */
  deadline: { de: 'Meldefrist', en: 'reporting deadline' },
} as const satisfies Record<string, Text>
export type NotifyEvent = keyof typeof NOTIFY_EVENTS
export const NOTIFY_EVENT_KINDS = Object.keys(NOTIFY_EVENTS) as [NotifyEvent, ...NotifyEvent[]]
export const NotifyEventSchema = oneOf(NOTIFY_EVENT_KINDS, { description: 'Why the notification was sent' })

/** The longest snooze the server accepts. */
export const MAX_SNOOZE_MINUTES = 30 * 24 * 60

// ── alert timing ──

/** One timing setting: default (null: "not set", where allowed), bounds, label and help for the form, meaning for the API. */
export interface AlertSettingInfo {
  default: number | null
  minimum: number
  maximum: number
  nullable: boolean
  label: Text
  help: Text
  description: string
}
const setting = <D extends number | null>(
  def: D,
  [minimum, maximum]: [number, number],
  [de, en]: [string, string],
  [helpDe, helpEn]: [string, string],
  description: string,
): AlertSettingInfo & { default: D } => ({ default: def, minimum, maximum, nullable: def === null, label: { de, en }, help: { de: helpDe, en: helpEn }, description })

/** Timing of reminders, escalations and silent alerts — one line each; schema, defaults and the settings form follow. */
export const ALERT_SETTINGS = {
  reminderHours: setting(24, [1, 24 * 30], ['Erinnerung alle (Stunden)', 'Remind every (hours)'],
    ['Solange ein Alarm offen und unbestätigt ist.', 'While an alert is open and unacknowledged.'],
    'Remind again while an alert is open and unacknowledged, every this many hours (default 24)'),
  escalationHours: setting(48, [1, 24 * 30], ['Eskalation nach (Stunden ohne Bestätigung)', 'Escalate after (hours unacknowledged)'],
    ['Einmal, an die Kanäle „Nur bei Eskalation“.', 'Once, to the channels "Escalation only".'],
    'Notify the escalation channels when an alert is still unacknowledged after this many hours (default 48)'),
  silentGraceMinutes: setting(null, [0, 7 * 24 * 60], ['Schonfrist nach Serverstart (Minuten)', 'Grace after a server start (minutes)'],
    ['Leer: die Still-Schwelle des jeweiligen Rechners.', "Empty: each host's own silence threshold."],
    'After the server starts, no "agent silent" alert opens for this many minutes, so a server outage does not cause an alert storm. ' +
      "null (default): each host's own silence threshold"),
} satisfies Record<string, AlertSettingInfo>

export type AlertSettingKey = keyof typeof ALERT_SETTINGS
export const ALERT_SETTING_KEYS = Object.keys(ALERT_SETTINGS) as [AlertSettingKey, ...AlertSettingKey[]]

type SettingSchema<K extends AlertSettingKey> = (typeof ALERT_SETTINGS)[K]['default'] extends null ? TUnion<[TInteger, TNull]> : TInteger
export const AlertSettingsSchema = Type.Object(
  Object.fromEntries(
    ALERT_SETTING_KEYS.map((k) => {
      const i: AlertSettingInfo = ALERT_SETTINGS[k]
      const int = Type.Integer({ minimum: i.minimum, maximum: i.maximum })
      return [k, i.nullable ? Type.Union([int, Type.Null()], { description: i.description }) : Type.Integer({ minimum: i.minimum, maximum: i.maximum, description: i.description })]
    }),
  ) as { [K in AlertSettingKey]: SettingSchema<K> },
  { additionalProperties: false, description: 'Timing of reminders, escalations and silent alerts' },
)
export type AlertSettings = Static<typeof AlertSettingsSchema>

export const DEFAULT_ALERT_SETTINGS = Object.fromEntries(ALERT_SETTING_KEYS.map((k) => [k, ALERT_SETTINGS[k].default])) as AlertSettings

/** Notifications rendered when they are queued (both languages in the payload), not from an alert at send time. */
export const PRERENDERED_EVENTS: readonly NotifyEvent[] = ['digest', 'incident', 'deadline']
