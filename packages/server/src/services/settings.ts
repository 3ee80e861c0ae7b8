// Alert timing (@lagebild/shared ALERT_SETTINGS: keys, defaults, bounds), kept in the `settings` table; a stored value overrides the default.
import { eq, inArray } from 'drizzle-orm'
import { Compile } from 'typebox/compile'
import { ALERT_SETTING_KEYS, AlertSettingsSchema, DEFAULT_ALERT_SETTINGS, type AlertSettings } from '@lagebild/shared'
import { settings } from '../db/schema.js'
import type { Db } from '../db/index.js'

const KEYS = ALERT_SETTING_KEYS
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
