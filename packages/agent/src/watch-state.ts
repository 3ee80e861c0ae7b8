// Heightened monitoring after an incident (follow.watch): the server asks for a shorter interval until a given time. The
// agent keeps that on disk (a restart keeps it) and returns to its own interval by itself when the time is up — also
// when the server is gone by then. The configured interval itself is never changed.
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ServerMessage } from '@lagebild/shared'

export type WatchFrame = Extract<ServerMessage, { type: 'watch' }>
interface State {
  intervalMinutes: number
  until: string
}

export class Watch {
  private state: State | null = null
  private readonly file: string

  constructor(dir: string, private readonly log: (m: string) => void) {
    this.file = join(dir, 'watch.json')
  }

  async load() {
    try {
      const s = JSON.parse(await readFile(this.file, 'utf8')) as State
      if (Number.isInteger(s.intervalMinutes) && s.intervalMinutes >= 1 && !Number.isNaN(Date.parse(s.until))) this.state = s
    } catch {
      this.state = null
    }
  }

  /** Until when heightened monitoring runs (null: it does not). */
  get until(): string | null {
    return this.state?.until ?? null
  }

  /** The interval in force: the shorter of both while the watch runs; at its end the configured one again (said once). */
  interval(base: number, now = new Date()): number {
    const s = this.state
    if (!s) return base
    if (Date.parse(s.until) > now.getTime()) return Math.min(base, s.intervalMinutes)
    this.state = null
    void unlink(this.file).catch(() => undefined)
    this.log(`heightened monitoring ended (${s.until}); back to every ${base} min`)
    return base
  }

  async set(w: WatchFrame, base: number): Promise<string> {
    if (w.intervalMinutes === null || w.until === null || Date.parse(w.until) <= Date.now()) {
      const was = this.state
      this.state = null
      await unlink(this.file).catch(() => undefined)
      if (was) this.log(`heightened monitoring ended by the server; back to every ${base} min`)
      return `normal interval ${base} min`
    }
    this.state = { intervalMinutes: w.intervalMinutes, until: w.until }
    const tmp = `${this.file}.tmp`
    await writeFile(tmp, JSON.stringify(this.state), { mode: 0o600 })
    await rename(tmp, this.file)
    const every = Math.min(base, w.intervalMinutes)
    this.log(`heightened monitoring: every ${every} min until ${w.until} (normally ${base} min)`)
    return `every ${every} min until ${w.until}`
  }
}
