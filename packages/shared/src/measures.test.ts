import { describe, expect, it } from 'vitest'
import { Compile } from 'typebox/compile'
import { ALERT_SETTING_KEYS, ALERT_SETTINGS, AlertSettingsSchema, DEFAULT_ALERT_SETTINGS } from './alerts.js'
import { DEFAULT_THRESHOLDS, MEASURE_BY_ID, MEASURES, THRESHOLD_KEYS, THRESHOLDS, ThresholdsSchema } from './measures.js'

describe('the threshold table', () => {
  it('names a measure of the catalogue for every threshold, and each measure lists exactly its own', () => {
    for (const k of THRESHOLD_KEYS) expect(MEASURE_BY_ID.has(THRESHOLDS[k].measureId), k).toBe(true)
    const listed = MEASURES.flatMap((m) => m.thresholds.map((k) => [k, m.id] as const))
    expect(listed.map(([k]) => k).sort()).toEqual([...THRESHOLD_KEYS].sort())
    for (const [k, id] of listed) expect(THRESHOLDS[k].measureId).toBe(id)
  })

  it('has defaults within their own bounds, which the schema enforces', () => {
    const check = Compile(ThresholdsSchema)
    expect(check.Check(DEFAULT_THRESHOLDS)).toBe(true)
    for (const k of THRESHOLD_KEYS) {
      const { minimum, maximum } = THRESHOLDS[k]
      expect(check.Check({ ...DEFAULT_THRESHOLDS, [k]: maximum + 1 }), `${k} above ${maximum}`).toBe(false)
      expect(check.Check({ ...DEFAULT_THRESHOLDS, [k]: minimum - 1 }), `${k} below ${minimum}`).toBe(false)
      expect(check.Check({ ...DEFAULT_THRESHOLDS, [k]: 1.5 }), `${k} not whole`).toBe(false)
    }
  })

  it('labels every threshold in German and English', () => {
    for (const k of THRESHOLD_KEYS) expect(THRESHOLDS[k].label.de && THRESHOLDS[k].label.en, k).toBeTruthy()
  })
})

describe('the alert timing table', () => {
  it('has defaults within their bounds; only a setting that defaults to "not set" takes null', () => {
    const check = Compile(AlertSettingsSchema)
    expect(check.Check(DEFAULT_ALERT_SETTINGS)).toBe(true)
    for (const k of ALERT_SETTING_KEYS) {
      const i = ALERT_SETTINGS[k]
      expect(check.Check({ ...DEFAULT_ALERT_SETTINGS, [k]: null }), k).toBe(i.nullable)
      expect(check.Check({ ...DEFAULT_ALERT_SETTINGS, [k]: i.maximum + 1 }), k).toBe(false)
      expect(i.label.de && i.label.en && i.help.de && i.help.en, k).toBeTruthy()
    }
  })
})
