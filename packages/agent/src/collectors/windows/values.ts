// Pure helpers for the JSON that Windows PowerShell 5.1 / PowerShell 7 write. They accept every shape the
// same value is seen in (ConvertTo-Json of raw cmdlet output as well as our own script's) and answer null for
// anything they do not understand — never a guess.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
export type JsonObject = { [k: string]: Json }

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** ConvertTo-Json writes a one-element pipeline as a bare object and an empty one as null: always an array here. */
export function asArray(v: unknown): unknown[] {
  if (v === null || v === undefined) return []
  return Array.isArray(v) ? v : [v]
}

/** A non-empty trimmed string, or null. */
export function str(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const s = v.trim()
  return s === '' ? null : s
}

/** true/false from a JSON boolean, 0/1, or the invariant names "True"/"False" (GpoBoolean too). */
export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v
  if (v === 0 || v === 1) return v === 1
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase()
    if (s === 'true' || s === '1') return true
    if (s === 'false' || s === '0') return false
  }
  return null
}

/** A non-negative integer from a number or a decimal string (REG_SZ values such as ScreenSaveTimeOut "600"). */
export function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number.parseInt(v, 10)
  return null
}

// Before this, a date is a "never" placeholder: FILETIME 0 = 1601-01-01, OLE 0 = 1899-12-30, .NET MinValue.
const EARLIEST_REAL_DATE = Date.UTC(1980, 0, 1)

/**
 * A date as ISO 8601 UTC, from:
 * - Windows PowerShell 5.1 `ConvertTo-Json`: "\/Date(1633595898000)\/" (after JSON.parse: "/Date(…)/"), also with
 *   an offset suffix "/Date(1633595898000+0200)/" (the ms are UTC either way);
 * - the extended DateTime object 5.1 writes for Get-Date: { value: "/Date(…)/", DisplayHint, DateTime: "<localized>" };
 * - ISO 8601 with a zone (PowerShell 7, our script's .ToString('o')).
 * Localized text ("07.10.2021 10:38:18", "Friday, January 13, 2012 8:06:16 PM") and ISO without a zone carry no
 * zone, so they are not turned into an instant: null.
 */
export function psDate(v: unknown): string | null {
  if (isObject(v)) return 'value' in v ? psDate(v.value) : null
  if (typeof v !== 'string') return null
  const s = v.trim()
  const ms = /^\\?\/Date\((-?\d+)(?:[+-]\d{4})?\)\\?\/$/.exec(s)
  let t: number
  if (ms) t = Number(ms[1])
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(s)) t = Date.parse(s)
  else return null
  if (!Number.isFinite(t) || t < EARLIEST_REAL_DATE) return null
  return new Date(t).toISOString()
}

/** A SID from a string or the SecurityIdentifier object 5.1 writes: { BinaryLength, AccountDomainSid, Value }. */
export function sid(v: unknown): string | null {
  if (isObject(v)) return sid(v.Value)
  const s = str(v)
  return s && /^S-1-\d+(-\d+)+$/i.test(s) ? s.toUpperCase() : null
}

/** The relative identifier: the last part of a SID (500 = built-in Administrator, 501 = Guest). */
export function rid(s: string | null): number | null {
  if (!s) return null
  const m = /-(\d+)$/.exec(s)
  return m ? Number(m[1]) : null
}
