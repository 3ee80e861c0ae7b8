// Database size for 5,000 hosts × 96 reports a day × 1 year, and the daily retention pass (issue #11 item 6).
// Simulated quickly: the steady state the retention policy leaves after a year is written straight into a real SQLite
// file (the schema of the migrations) for HOSTS hosts — every report of the full window, one deflated snapshot per day for
// the rest of the year, the status history and resolved alerts — and its size is scaled to 5,000 hosts (size grows
// linearly with hosts). Then one more day of reports per host ages out of the full window and the real retention job
// runs over it: rows, time, longest turn and the event loop's worst delay.
// Run: node_modules/.bin/tsx bench/retention.ts [hosts=250]
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Facts } from '../packages/shared/src/index.js'
import { openDb } from '../packages/server/src/db/index.js'
import { DEFAULT_RETENTION, runRetention } from '../packages/server/src/services/retention.js'
import { encodeReportBody } from '../packages/server/src/services/report-body.js'
import { goodFacts, identity, report } from '../tests/lib/demo.js'

const HOSTS = Number(process.argv[2] ?? 250)
const FLEET = 5000
const PER_DAY = 96
const { fullDays, days } = DEFAULT_RETENTION
const DAY = 86_400_000
const NOW = Date.parse('2027-12-01T00:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()
const GB = (b: number) => `${(b / 1e9).toFixed(2)} GB`

// A typical full report: every fact, with a Debian host's list of ~120 pending updates (most of a report's weight).
const PKGS = ['libssl3', 'openssl', 'linux-image-amd64', 'libc6', 'libexpat1', 'curl', 'libcurl4', 'systemd', 'libsystemd0', 'tzdata', 'firefox-esr', 'thunderbird', 'libreoffice-core', 'python3.11', 'libpython3.11', 'git', 'vim', 'openssh-client', 'sudo', 'bind9-libs']
function bigFacts(i: number): Facts {
  const items = Array.from({ length: 120 }, (_, k) => ({
    name: `${PKGS[k % PKGS.length]}${k >= PKGS.length ? `-${k}` : ''}`,
    version: `${1 + (k % 5)}.${k % 17}.${(k * 7) % 23}-${1 + (k % 3)}+deb12u${k % 9}`,
    security: k % 4 === 0,
    source: k % 4 === 0 ? 'Debian-Security:12/stable-security' : 'Debian:12.8/stable',
    since: iso(NOW - ((k % 30) + 1) * DAY),
  }))
  return {
    ...goodFacts('linux', NOW),
    'base.patches': { manager: 'apt', pending: items.length, security: items.filter((x) => x.security).length, items, oldestPendingSince: iso(NOW - 30 * DAY), lastInstall: iso(NOW - 3 * DAY), lastCheck: iso(NOW - DAY / 24), rebootRequired: i % 5 === 0 },
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'lagebild-bench-retention-'))
const db = openDb(dataDir)
const sqlite = db.$client
const file = join(dataDir, 'lagebild.sqlite')
const sizeNow = () => {
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  return statSync(file).size
}

const sample = JSON.stringify(report(identity('srv-0001', 'linux'), bigFacts(0)))
const deflated = encodeReportBody(sample)
console.log(`one full report: ${(sample.length / 1024).toFixed(1)} kB as JSON, ${(deflated.length / 1024).toFixed(1)} kB deflated (base64) — ${(sample.length / deflated.length).toFixed(1)}×`)

const ins = {
  host: sqlite.prepare(`insert into hosts (id, machine_id, hostname, os_family, os_distribution, os_version, kernel, arch, agent_version) values (?, ?, ?, 'linux', 'Debian GNU/Linux', '12', '6.1.0', 'x64', '0.1.0')`),
  report: sqlite.prepare('insert into reports (id, host_id, agent_id, kind, collected_at, received_at, body) values (?, ?, ?, ?, ?, ?, ?)'),
  fact: sqlite.prepare('insert into facts (host_id, fact_id, value, collected_at, report_id) values (?, ?, ?, ?, ?)'),
  finding: sqlite.prepare(`insert into findings (subject_id, measure_id, status, severity, reason_de, reason_en, since, updated_at) values (?, ?, 'ok', 'medium', 'Alles gut.', 'All good.', ?, ?)`),
  history: sqlite.prepare(`insert into finding_history (subject_id, measure_id, status, severity, at) values (?, ?, ?, 'medium', ?)`),
  alert: sqlite.prepare(`insert into alerts (id, subject_id, measure_id, kind, severity, state, reason_de, reason_en, opened_at, resolved_at, notified_at) values (?, ?, 'base.patches', 'finding', 'high', 'resolved', ?, ?, ?, ?, ?)`),
  event: sqlite.prepare(`insert into alert_events (alert_id, at, kind, detail) values (?, ?, ?, ?)`),
}
const MEASURES = ['base.patches', 'base.antimalware', 'base.firewall', 'base.backups', 'base.encryption', 'base.user-rights', 'base.passwords', 'base.segmentation', 'base.inventory']

// ── the steady state after a year ──
const t0 = performance.now()
const hostIds: string[] = []
for (let i = 0; i < HOSTS; i++) {
  const hostId = randomUUID()
  hostIds.push(hostId)
  const body = JSON.stringify(report(identity(`srv-${i}`, 'linux'), bigFacts(i)))
  const snapshot = encodeReportBody(body)
  sqlite.transaction(() => {
    ins.host.run(hostId, randomUUID(), `srv-${i}`)
    let last = ''
    // Every report of the full window, as ingest writes it.
    for (let k = fullDays * PER_DAY; k > 0; k--) ins.report.run((last = randomUUID()), hostId, 'agent', 'full', iso(NOW - (k * DAY) / PER_DAY), iso(NOW - (k * DAY) / PER_DAY), body)
    // One deflated snapshot per day for the rest of the year.
    for (let d = fullDays; d < days; d++) ins.report.run(randomUUID(), hostId, 'agent', 'full', iso(NOW - d * DAY - 60_000), iso(NOW - d * DAY - 60_000), snapshot)
    for (const m of MEASURES) {
      ins.fact.run(hostId, m, JSON.stringify((bigFacts(i) as Record<string, unknown>)[m]), iso(NOW), last)
      ins.finding.run(hostId, m, iso(NOW - 3 * DAY), iso(NOW))
    }
    // Two status changes a day, and a resolved alert a week with its four events.
    for (let d = 0; d < days; d++) for (const s of ['deviation', 'ok']) ins.history.run(hostId, MEASURES[d % MEASURES.length], s, iso(NOW - d * DAY + (s === 'ok' ? 3_600_000 : 0)))
    for (let w = 0; w < days / 7; w++) {
      const id = randomUUID()
      const opened = NOW - w * 7 * DAY
      ins.alert.run(id, hostId, '3 Sicherheitsupdates seit mehr als 72 h offen.', '3 security updates pending for more than 72 h.', iso(opened), iso(opened + DAY), iso(opened))
      for (const [k, kind] of ['opened', 'notified', 'acknowledged', 'resolved'].entries()) ins.event.run(id, iso(opened + k * 3_600_000), kind, 'x')
    }
  })()
  if (i % 50 === 49) process.stdout.write(`  ${i + 1} hosts written (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`)
}
const steady = sizeNow()
const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n
const fullBytes = count(`select sum(length(body)) n from reports where substr(body,1,3) <> 'z1:'`)
const snapBytes = count(`select sum(length(body)) n from reports where substr(body,1,3) = 'z1:'`)
const scale = FLEET / HOSTS
console.log(`\nsteady state after a year (${HOSTS} hosts written in ${((performance.now() - t0) / 1000).toFixed(0)} s):`)
console.log(`  reports: ${count('select count(*) n from reports')} rows — the full window ${GB(fullBytes)}, the snapshots ${GB(snapBytes)}`)
console.log(`  finding_history ${count('select count(*) n from finding_history')} rows, alerts ${count('select count(*) n from alerts')}, alert_events ${count('select count(*) n from alert_events')}`)
console.log(`  database file: ${GB(steady)} → for ${FLEET} hosts: ${GB(steady * scale)}`)
const noRetention = sample.length * PER_DAY * 365 * FLEET
console.log(`  without retention (every report, as stored before): ${(noRetention / 1e12).toFixed(2)} TB a year for ${FLEET} hosts`)
const ifIngestDeflates = (steady - fullBytes + (fullBytes * deflated.length) / sample.length) * scale
console.log(`  if ingest also stored the full window deflated: ≈ ${GB(ifIngestDeflates)} for ${FLEET} hosts`)

// ── one more day ages out: the daily work of the job ──
const dayBody = JSON.stringify(report(identity('srv-x', 'linux'), bigFacts(1)))
sqlite.transaction(() => {
  for (const hostId of hostIds)
    for (let k = 0; k < PER_DAY; k++) {
      const at = iso(NOW - (fullDays + 1) * DAY + (k * DAY) / PER_DAY)
      ins.report.run(randomUUID(), hostId, 'agent', 'full', at, at, dayBody)
    }
})()
// And the oldest day falls out of the year.
const lag = monitorEventLoopDelay({ resolution: 5 })
lag.enable()
const stats = await runRetention(db, DEFAULT_RETENTION, new Date(NOW + DAY))
lag.disable()
console.log(`\nthe daily pass (one day of ${PER_DAY} reports per host aged out, the year's oldest day dropped):`)
console.log(`  ${stats.reportsDeleted} reports deleted, ${stats.snapshotsCompressed} snapshots deflated, ${stats.historyDeleted} history rows and ${stats.alertsDeleted} alerts deleted, ${stats.pagesFreed} pages given back`)
console.log(`  ${(stats.ms / 1000).toFixed(1)} s in ${stats.turns} turns; longest turn ${stats.longestTurnMs.toFixed(1)} ms, ${stats.turnsOver100Ms} turns of 100 ms or more; event loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`)
console.log(`  for ${FLEET} hosts: ≈ ${((stats.ms * scale) / 1000 / 60).toFixed(1)} min of work a day, spread over the hourly passes`)
console.log(`  file after the pass: ${GB(sizeNow())}`)
db.$client.close()
rmSync(dataDir, { recursive: true, force: true })
