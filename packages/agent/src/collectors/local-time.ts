// Times in the host's own logs and folder names (apt history.log, borg 1.x, Timeshift, Time Machine) carry no zone:
// they are written in the SYSTEM's time zone, which is not necessarily this process's (TZ set for the service, an
// admin's shell). Reading them in the process's zone once moved the last installation by 13 hours under
// TZ=Pacific/Auckland. The zone arithmetic, summer time included, is Temporal's (temporal-polyfill until Node has it).
import { Temporal } from 'temporal-polyfill'
import { FactFailure } from '../system.js'

const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T]+(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/

/**
 * Pure: "2026-11-28  08:51:48" / "2026-11-20T10:00:00.123456" read as wall-clock time in `zone` → ISO UTC. Null when
 * the text is no such date or names no real day or time. In the hour that repeats when summer time ends, the earlier
 * instant is taken: the older one, so an age never looks younger than it is.
 */
export function wallTimeToIso(text: string, zone: string): string | null {
  const m = WALL.exec(text.trim())
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0
  try {
    const wall = Temporal.PlainDateTime.from({ year, month, day, hour, minute, second, millisecond }, { overflow: 'reject' })
    return new Date(wall.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds).toISOString()
  } catch {
    return null // 30 February, 25:00, or a zone Temporal does not know
  }
}

/**
 * For parsers: a reader of wall-clock times in the system's zone. With the zone unknown (null) a time cannot be placed
 * — guessing would be off by hours — so reading one fails with a FactFailure that says so.
 */
export function wallTimeReader(zone: string | null, what: string): (text: string) => string | null {
  return (text) => {
    if (zone === null)
      throw new FactFailure('failed', `${what}: the times are in the system's local time, and the system's time zone could not be read`)
    return wallTimeToIso(text, zone)
  }
}
