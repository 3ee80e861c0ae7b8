// A bounded on-disk spool: reports that could not be delivered wait here and are replayed in order.
// One file per entry, named <stamp>_<kind>_<id>.json so that names sort in collection order (and a report's kind can be
// told without reading the file); written atomically. The same spool keeps the user reports of `lagebild-agent report`
// (their own folder, ordered by when they were made; they have no kind).
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Report } from '@lagebild/shared'

export const SPOOL_MAX_REPORTS = 500

export class Spool<T extends { id: string } = Report> {
  constructor(
    readonly dir: string,
    readonly max = SPOOL_MAX_REPORTS,
    /** The time an entry sorts by (an ISO date). */
    private readonly stamp: (entry: T) => string = (r) => (r as unknown as Report).collectedAt,
  ) {}

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort()
    } catch {
      return []
    }
  }

  async size() {
    return (await this.names()).length
  }

  /**
   * Adds an entry; when full, the oldest QUICK report goes first (a later full report carries every fact again), then
   * the oldest entry. Returns how many were dropped (the caller says so in its log).
   */
  async add(report: T): Promise<number> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    const kind = 'kind' in report && typeof report.kind === 'string' ? `${report.kind}_` : ''
    const name = `${this.stamp(report).replace(/[:.]/g, '-')}_${kind}${report.id}.json`
    const tmp = join(this.dir, `.${name}.tmp`)
    await writeFile(tmp, JSON.stringify(report), { mode: 0o600 })
    await rename(tmp, join(this.dir, name))
    let dropped = 0
    let names = await this.names()
    while (names.length > this.max) {
      const victim = names.find((n) => n.includes('_quick_')) ?? names[0]!
      await unlink(join(this.dir, victim)).catch(() => {})
      dropped++
      names = await this.names()
    }
    return dropped
  }

  /** Oldest first. */
  async *entries(): AsyncGenerator<{ name: string; report: T }> {
    for (const name of await this.names()) {
      try {
        yield { name, report: JSON.parse(await readFile(join(this.dir, name), 'utf8')) as T }
      } catch {
        // A broken file cannot be replayed; keep it out of the way.
        await rename(join(this.dir, name), join(this.dir, `${name}.broken`)).catch(() => {})
      }
    }
  }

  async remove(name: string) {
    await unlink(join(this.dir, name)).catch(() => {})
  }
}
