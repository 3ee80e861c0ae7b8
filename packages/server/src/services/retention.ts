// Retention of report history (issue #11 item 6): reports were written and never deleted (17.5 kB each, ≈ 3 TB a year
// for 5,000 hosts), finding_history and alert_events grew without end. The policy:
// - every report for `fullDays` (default 2): what an agent sent, to look into a problem;
// - after that, one report per host and UTC day (the day's last that kept its body, by the server's receive time) for
//   `days` (default 365), stored deflated (services/report-body.ts) — a daily snapshot of each host for audits. The ingest
//   keeps a report's body only when something changed and at least once per host and day (plugins/ingest.ts); reports
//   without a body are not kept past the full window;
// - finding_history for `days`, keeping for each measure the last change before the cut, so the history view still
//   knows the state at its start; resolved alerts (with their events) for `days` (sent notifications: 90 days, outbox.ts);
// - the reports the current facts came from are always kept.
// The job works in small batches and yields to the event loop after CHUNK_BUDGET_MS, so agents and people are served in
// between (its longest turn is measured: bench/retention.ts). Freed pages are given back with incremental vacuum where the
// database was created with auto_vacuum = INCREMENTAL (db/index.ts); older databases reuse them for new rows.
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Db } from '../db/index.js'
import { encodeReportBody } from './report-body.js'
import { bulkWriteGate } from '../db/durability.js'
// A turn of the job (one or more batches) ends after the same budget as every chunked job; then the event loop serves others.
import { CHUNK_BUDGET_MS } from './chunked.js'

export interface RetentionPolicy {
  /** Days every report is kept. */
  fullDays: number
  /** Days the daily snapshots, the status history and resolved alerts are kept. */
  days: number
}
export const DEFAULT_RETENTION: RetentionPolicy = { fullDays: 2, days: 365 }

const BATCH = 50
/** Free pages are given back when they are more than this share of the file, down to the second share. */
const VACUUM_ABOVE = 0.2
const VACUUM_DOWN_TO = 0.05
const DAY = 86_400_000

export interface RetentionStats {
  reportsDeleted: number
  snapshotsCompressed: number
  historyDeleted: number
  alertsDeleted: number
  pagesFreed: number
  turns: number
  longestTurnMs: number
  /** Turns that held the event loop 100 ms or more (on a busy machine the scheduler alone adds tens of ms). */
  turnsOver100Ms: number
  ms: number
}

/** Runs `batch` until it reports 0 rows, yielding to the event loop whenever a turn has used its budget. */
class Turns {
  private started = performance.now()
  private readonly autocheckpoint: number
  /** The connection's own setting, restored after each batch. */
  private readonly synchronous: number
  constructor(
    private readonly sqlite: Db['$client'],
    private readonly stats: RetentionStats,
    private readonly budgetMs: number,
    private readonly gate: (() => Promise<void> | null) | undefined,
  ) {
    this.autocheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number
    this.synchronous = sqlite.pragma('synchronous', { simple: true }) as number
  }
  async drain(batch: () => number): Promise<number> {
    let total = 0
    for (;;) {
      // A WAL checkpoint that waits for the bulk writers waits for this job too (see db/durability.ts).
      const wait = this.gate?.()
      if (wait) {
        // The wait is not work of ours on the event loop: the turn ends here, the next begins after it.
        this.end()
        await wait
        this.started = performance.now()
      }
      const n = this.unsynced(batch)
      total += n
      if (n === 0) return total
      await this.yieldIfDue()
    }
  }
  /**
   * One batch without an fsync of its own (synchronous = NORMAL, for this batch only: JavaScript runs nothing else in
   * between, so every acknowledged report is still committed with the connection's own setting; a deletion lost in a power cut is simply done
   * again by the next pass), and with the WAL copied back into the database file every 250 pages instead of 1,000.
   * Both were measured (bench/retention.ts): the wait for the disk on every batch and a checkpoint of 1,000 pages each
   * held the event loop 100–300 ms on a busy machine.
   */
  private unsynced(batch: () => number): number {
    this.sqlite.pragma('synchronous = NORMAL')
    // 0 means someone else checkpoints (by hand, on their own schedule): leave it so.
    if (this.autocheckpoint > 250) this.sqlite.pragma('wal_autocheckpoint = 250')
    try {
      return batch()
    } finally {
      if (this.autocheckpoint > 250) this.sqlite.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`)
      this.sqlite.pragma(`synchronous = ${this.synchronous}`)
    }
  }
  async yieldIfDue() {
    const used = performance.now() - this.started
    if (used < this.budgetMs) return
    this.end()
    await nextTurn()
    this.started = performance.now()
  }
  end() {
    const ms = performance.now() - this.started
    this.stats.turns++
    this.stats.longestTurnMs = Math.max(this.stats.longestTurnMs, ms)
    if (ms >= 100) this.stats.turnsOver100Ms++
  }
}

export async function runRetention(db: Db, policy: RetentionPolicy = DEFAULT_RETENTION, now = new Date(), budgetMs = CHUNK_BUDGET_MS): Promise<RetentionStats> {
  const t0 = performance.now()
  const stats: RetentionStats = { reportsDeleted: 0, snapshotsCompressed: 0, historyDeleted: 0, alertsDeleted: 0, pagesFreed: 0, turns: 0, longestTurnMs: 0, turnsOver100Ms: 0, ms: 0 }
  const sqlite = db.$client
  const turns = new Turns(sqlite, stats, budgetMs, bulkWriteGate(db))
  const full = new Date(now.getTime() - policy.fullDays * DAY).toISOString()
  const keep = new Date(now.getTime() - policy.days * DAY).toISOString()

  // Reports older than the full window that are not their day's last, and every report older than the snapshot window
  // — except those the current facts came from. Host by host, so each query runs on the (host_id, received_at) index.
  const deleteReports = sqlite.prepare(`
    delete from reports where rowid in (
      select r.rowid from reports r
      where r.host_id = @host and r.received_at < @full
        and r.id not in (select report_id from facts where host_id = @host)
        and (r.received_at < @keep or r.body is null or exists (
          select 1 from reports n where n.host_id = r.host_id and n.received_at > r.received_at and n.received_at < date(r.received_at, '+1 day')
            and n.body is not null))
      limit ${BATCH})`)
  const plainSnapshots = sqlite.prepare(`select rowid, body from reports where host_id = @host and received_at < @full and substr(body, 1, 3) <> 'z1:' limit 50`)
  const setBody = sqlite.prepare('update reports set body = ? where rowid = ?')
  const compress = sqlite.transaction((rows: { rowid: number; body: string }[]) => {
    for (const r of rows) setBody.run(encodeReportBody(r.body), r.rowid)
  })
  for (const { id: host } of sqlite.prepare('select id from hosts').all() as { id: string }[]) {
    stats.reportsDeleted += await turns.drain(() => deleteReports.run({ host, full, keep }).changes)
    stats.snapshotsCompressed += await turns.drain(() => {
      const rows = plainSnapshots.all({ host, full }) as { rowid: number; body: string }[]
      compress(rows)
      return rows.length
    })
  }

  // Status history: per subject (hosts and the organisation), all but each measure's last change before the cut.
  const deleteHistory = sqlite.prepare(`
    delete from finding_history where rowid in (
      select h.rowid from finding_history h
      where h.subject_id = @subject and h.at < @keep
        and h.id not in (select max(id) from finding_history where subject_id = @subject and at < @keep group by measure_id)
      limit ${BATCH})`)
  for (const { subject } of sqlite.prepare('select distinct subject_id as subject from findings').all() as { subject: string }[])
    stats.historyDeleted += await turns.drain(() => deleteHistory.run({ subject, keep }).changes)

  // Resolved alerts (their events go with them: ON DELETE CASCADE).
  const deleteAlerts = sqlite.prepare(`delete from alerts where rowid in (select rowid from alerts where state = 'resolved' and opened_at < @keep and resolved_at < @keep limit ${BATCH})`)
  stats.alertsDeleted += await turns.drain(() => deleteAlerts.run({ keep }).changes)

  // Give freed pages back to the file system, a few at a time — only when they are many: a steady database reuses them
  // for the next day's reports anyway, and moving pages is the dearest step of the job (each step of 8 pages ≈ 10–80 ms).
  const free = () => sqlite.pragma('freelist_count', { simple: true }) as number
  const pages = () => sqlite.pragma('page_count', { simple: true }) as number
  if (sqlite.pragma('auto_vacuum', { simple: true }) === 2 && free() > pages() * VACUUM_ABOVE)
    await turns.drain(() => {
      const before = free()
      if (before <= pages() * VACUUM_DOWN_TO) return 0
      sqlite.pragma('incremental_vacuum(8)')
      const freed = before - free()
      stats.pagesFreed += freed
      return freed
    })
  turns.end()
  stats.ms = performance.now() - t0
  return stats
}
