// Small helpers shared by the Linux collectors: "run it if it is installed" and local-time parsing.
import { exec, FactFailure, type ExecOptions, type ExecResult } from '../system.js'

/** Runs a tool; null when it is not installed (so the caller can try the next source). Other failures are thrown. */
export async function execIfPresent(file: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult | null> {
  try {
    return await exec(file, args, opts)
  } catch (err) {
    if (err instanceof FactFailure && err.code === 'command-missing') return null
    throw err
  }
}

/** A message fit for a FactFailure: the first lines of stderr (or stdout). */
export const firstLines = (r: ExecResult, n = 3) =>
  (r.stderr.trim() || r.stdout.trim()).split('\n').slice(0, n).join(' | ').slice(0, 500)

/**
 * "2026-11-28  08:51:48" / "2026-11-20T10:00:00" written in the host's local time without a zone
 * (apt history.log, borg 1.x) → ISO UTC. Null when the text is not such a date.
 */
export function localDateTimeToIso(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T]+(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, frac] = m
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
