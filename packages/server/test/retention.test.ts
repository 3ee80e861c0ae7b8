// Retention of report history (issue #11 item 6): what is kept, what goes, and that the job never holds the event loop.
import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { alertEvents, alerts, facts, findingHistory, reports } from '../src/db/schema.js'
import { decodeReportBody, isEncodedReportBody } from '../src/services/report-body.js'
import { runRetention } from '../src/services/retention.js'
import { configFromEnv } from '../src/config.js'
import { harness, host, report, type Harness } from './helper.js'

const DAY = 86_400_000
const NOW = new Date('2026-11-30T12:00:00.000Z')
const at = (days: number, hour = 12) => new Date(NOW.getTime() - days * DAY + (hour - 12) * 3_600_000).toISOString()

let h: Harness
let hostId: string
beforeEach(async () => {
  h = await harness()
  hostId = h.enroll().hostId
})
afterEach(async () => h.close())

/** A report row as ingest writes it, received at `receivedAt`. */
function stored(receivedAt: string, body: string | null = JSON.stringify(report(host(), {}))): string {
  const id = randomUUID()
  h.db.insert(reports).values({ id, hostId, agentId: 'a', kind: 'full', collectedAt: receivedAt, receivedAt, body }).run()
  return id
}
const left = () => h.db.select({ id: reports.id, receivedAt: reports.receivedAt, body: reports.body }).from(reports).orderBy(reports.receivedAt).all()

describe('report history', () => {
  it('the snapshot of a day is its last report that kept its body; reports without one go after the full window', async () => {
    // The ingest keeps a body only when something changed (and once a day): a day's last report may have none.
    const withBody = stored(at(5, 8))
    const without = [stored(at(5, 10), null), stored(at(5, 23), null)]
    const recentWithout = stored(at(1, 8), null)
    await runRetention(h.db, { fullDays: 2, days: 7 }, NOW)
    const ids = left().map((r) => r.id)
    expect(ids).toEqual([withBody, recentWithout])
    expect(ids).not.toContain(without[0])
    expect(decodeReportBody(left()[0]!.body!)).toContain('"facts"')
  })

  it('keeps every report of the full window, one per day (the last, deflated) for the snapshot window, nothing older — and what the facts came from', async () => {
    const old: string[] = [stored(at(10, 8)), stored(at(10, 9))]
    const day5: string[] = [stored(at(5, 8)), stored(at(5, 10)), stored(at(5, 23))]
    const day4: string[] = [stored(at(4, 1))]
    const recent: string[] = [stored(at(1, 8)), stored(at(1, 9)), stored(at(0, 11))]
    // The current firewall fact came from the oldest report: that one stays.
    h.db.insert(facts).values({ hostId, factId: 'base.firewall', value: '{}', collectedAt: at(10, 8), reportId: old[0]! }).run()
    const original = h.db.select({ body: reports.body }).from(reports).where(eq(reports.id, day5[2]!)).get()!.body

    const stats = await runRetention(h.db, { fullDays: 2, days: 7 }, NOW)
    expect(left().map((r) => r.id)).toEqual([old[0], day5[2], day4[0], ...recent])
    expect(stats.reportsDeleted).toBe(3)
    // Snapshots are deflated and read back unchanged; the full window stays as received.
    const snap = left().find((r) => r.id === day5[2])!
    expect(isEncodedReportBody(snap.body!)).toBe(true)
    expect(decodeReportBody(snap.body!)).toBe(original)
    expect(snap.body!.length).toBeLessThan(original!.length)
    expect(left().filter((r) => recent.includes(r.id)).every((r) => !isEncodedReportBody(r.body!))).toBe(true)
    // A second pass finds nothing more to do.
    expect((await runRetention(h.db, { fullDays: 2, days: 7 }, NOW)).reportsDeleted).toBe(0)
  })

  it('status history: older changes go, but each measure keeps its last change before the cut (the chart’s starting state)', async () => {
    const row = (measureId: string, status: 'ok' | 'deviation' | 'unknown', days: number) => h.db.insert(findingHistory).values({ subjectId: hostId, measureId, status, severity: 'high', at: at(days) }).run()
    row('base.firewall', 'ok', 20)
    row('base.firewall', 'deviation', 15)
    row('base.firewall', 'ok', 10)
    row('base.firewall', 'deviation', 3)
    row('base.backups', 'unknown', 30)
    h.db.insert(facts).values({ hostId, factId: 'base.firewall', value: '{}', collectedAt: at(0), reportId: 'x' }).run()
    // Subjects are those with findings.
    h.db.$client.prepare(`insert into findings (subject_id, measure_id, status, severity, reason_de, reason_en, since, updated_at) values (?, 'base.firewall', 'deviation', 'high', '-', '-', ?, ?)`).run(hostId, at(3), at(3))
    const stats = await runRetention(h.db, { fullDays: 2, days: 7 }, NOW)
    // This host's history (the organisation's own measures — incidents' not-applicable — have theirs from the start).
    const rows = h.db.select().from(findingHistory).where(eq(findingHistory.subjectId, hostId)).orderBy(findingHistory.at).all()
    expect(rows.map((r) => `${r.measureId} ${r.status}`)).toEqual(['base.backups unknown', 'base.firewall ok', 'base.firewall deviation'])
    expect(stats.historyDeleted).toBe(2)
    const history = await h.api<{ changes: { measureId: string; status: string }[] }>('GET', `/api/v1/hosts/${hostId}/history?days=7`)
    expect(history.body.changes.find((c) => c.measureId === 'base.firewall')?.status).toBe('ok')
  })

  it('resolved alerts older than the window go with their events; open ones stay however old', async () => {
    const alert = (state: 'open' | 'resolved', days: number) => {
      const id = randomUUID()
      h.db.insert(alerts).values({ id, subjectId: hostId, measureId: `m.${id.slice(0, 4)}`, kind: 'finding', severity: 'high', state, reasonDe: '-', reasonEn: '-', openedAt: at(days + 1), resolvedAt: state === 'resolved' ? at(days) : null }).run()
      h.db.insert(alertEvents).values({ alertId: id, at: at(days + 1), kind: 'opened' }).run()
      return id
    }
    const gone = alert('resolved', 30)
    const kept = [alert('resolved', 3), alert('open', 400)]
    await runRetention(h.db, { fullDays: 2, days: 7 }, NOW)
    expect(h.db.select({ id: alerts.id }).from(alerts).all().map((a) => a.id).sort()).toEqual([...kept].sort())
    expect(h.db.select().from(alertEvents).where(eq(alertEvents.alertId, gone)).all()).toEqual([])
  })
})

describe('the job under load', () => {
  it('deletes 3,000 old reports in turns of ~20 ms (never a stall of its own over 100 ms), and the file gives the space back', async () => {
    const body = JSON.stringify(report(host(), {})).padEnd(8_000, ' ')
    const insert = h.db.$client.prepare('insert into reports (id, host_id, agent_id, kind, collected_at, received_at, body) values (?, ?, ?, ?, ?, ?, ?)')
    h.db.$client.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(randomUUID(), hostId, 'a', 'full', at(30), new Date(Date.parse(at(30)) + i * 1000).toISOString(), body)
    })()
    h.db.$client.pragma('wal_checkpoint(TRUNCATE)')
    const file = join(h.dataDir, 'lagebild.sqlite')
    const before = statSync(file).size
    const lag = monitorEventLoopDelay({ resolution: 5 })
    lag.enable()
    const stats = await runRetention(h.db, { fullDays: 2, days: 7 }, NOW)
    lag.disable()
    h.db.$client.pragma('wal_checkpoint(TRUNCATE)')
    expect(stats.reportsDeleted).toBe(3000)
    // Short turns: the job gives the event loop back every ~20 ms. How many turns 3,000 reports take depends on how fast
    // the machine deletes (5 on a quick run here, ~100 ms of work in all), so the test asserts that the work was split
    // and no turn stalled. Single outliers are the machine's (a busy CI host delays even an idle Node process by tens of
    // ms); bench/retention.ts prints the figures at scale.
    expect(stats.turns).toBeGreaterThan(1)
    expect(stats.turnsOver100Ms).toBeLessThanOrEqual(Math.max(1, Math.ceil(stats.turns * 0.02)))
    // Said, not asserted: on a busy CI host the scheduler alone delays an idle Node process by tens of ms.
    console.info(`retention of 3,000 reports: ${stats.turns} turns, longest ${stats.longestTurnMs.toFixed(0)} ms; event loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms`)
    expect(stats.pagesFreed).toBeGreaterThan(0)
    expect(statSync(file).size).toBeLessThan(before / 2)
  })
})

describe('configuration', () => {
  it('LAGEBILD_RETENTION_DAYS and _FULL_DAYS; the full window must fit into the snapshot window', () => {
    expect(configFromEnv().retention).toEqual({ fullDays: 2, days: 365 })
    process.env.LAGEBILD_RETENTION_DAYS = '30'
    process.env.LAGEBILD_RETENTION_FULL_DAYS = '31'
    try {
      expect(() => configFromEnv()).toThrow(/LAGEBILD_RETENTION_FULL_DAYS=31: expected a whole number from 0 to 30/)
      process.env.LAGEBILD_RETENTION_FULL_DAYS = '1'
      expect(configFromEnv().retention).toEqual({ fullDays: 1, days: 30 })
    } finally {
      delete process.env.LAGEBILD_RETENTION_DAYS
      delete process.env.LAGEBILD_RETENTION_FULL_DAYS
    }
  })
})
