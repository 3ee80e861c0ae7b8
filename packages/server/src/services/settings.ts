// Alert timing, kept in the `settings` table. Every key has a documented default (docs/alerts.md); a stored value overrides it.
import { eq, inArray } from 'drizzle-orm'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { settings } from '../db/schema.js'
import type { Db } from '../db/index.js'

export const AlertSettingsSchema = Type.Object(
  {
    reminderHours: Type.Integer({ minimum: 1, maximum: 24 * 30, description: 'Remind again while an alert is open and unacknowledged, every this many hours (default 24)' }),
    escalationHours: Type.Integer({ minimum: 1, maximum: 24 * 30, description: 'Notify the escalation channels when an alert is still unacknowledged after this many hours (default 48)' }),
    silentGraceMinutes: Type.Union([Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }), Type.Null()], {
      description: 'After the server starts, no "agent silent" alert opens for this many minutes, so a server outage does not cause an alert storm. null (default): each host\'s own silence threshold',
    }),
  },
  { additionalProperties: false, description: 'Timing of reminders, escalations and silent alerts' },
)
export type AlertSettings = Static<typeof AlertSettingsSchema>

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { reminderHours: 24, escalationHours: 48, silentGraceMinutes: null }

const KEYS = Object.keys(DEFAULT_ALERT_SETTINGS) as (keyof AlertSettings)[]
const dbKey = (k: keyof AlertSettings) => `alerts.${k}`
const check = Compile(AlertSettingsSchema)

type Reader = Pick<Db, 'select'>

export function alertSettings(db: Reader): AlertSettings {
  const rows = db.select().from(settings).where(inArray(settings.key, KEYS.map(dbKey))).all()
  const out: Record<string, unknown> = { ...DEFAULT_ALERT_SETTINGS }
  for (const k of KEYS) {
    const row = rows.find((r) => r.key === dbKey(k))
    if (row) out[k] = row.value
  }
  // A value written by hand into the database that does not fit falls back to the defaults rather than breaking alerting.
  return check.Check(out) ? (out as AlertSettings) : { ...DEFAULT_ALERT_SETTINGS }
}

export function saveAlertSettings(db: Db, values: Partial<AlertSettings>): AlertSettings {
  db.transaction((tx) => {
    for (const k of KEYS) {
      if (!(k in values)) continue
      tx.delete(settings).where(eq(settings.key, dbKey(k))).run()
      // null (only silentGraceMinutes: "each host's own threshold") is its default: no row (the column is NOT NULL).
      if (values[k] !== null) tx.insert(settings).values({ key: dbKey(k), value: values[k] }).run()
    }
  })
  return alertSettings(db)
}
