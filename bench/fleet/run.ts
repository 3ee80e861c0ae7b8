// The fleet simulator as a library: seed a data directory, start the real server as its own process, spread the fleet
// over client processes, drive a scenario (steady cycle, saturation, reconnect storm, server restarts or kill -9),
// probe /healthz and the board's overview API meanwhile, and check at the end that every acknowledged report is in the
// SQLite file. bench/fleet.ts is the command line; fault tests can import runFleet or the pieces.
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb } from '../../packages/server/src/db/index.js'
import { startCanary, startFleetServer, ROOT, type FleetServer, type ProbeLine } from './server.js'
import { seedFleet, type FleetAgent } from './seed.js'
import { FleetHost, fleetIdentity, frameBytes } from './report.js'
import type { WorkerRequest, WorkerStats } from './protocol.js'

/** One client process holds at most this many agents (a process may hold at most 20,000 open files here). */
export const AGENTS_PER_WORKER = 5_000

export interface FleetOptions {
  hosts: number
  /** steady: every agent reports once per cycle; saturate: every agent sends its next report right after the ack. */
  mode: 'steady' | 'saturate' | 'idle'
  cycleS: number
  durationS: number
  /** Fraction of reports whose facts changed since the agent's last one. */
  changeRate: number
  /** After the measured phase: cut every agent off and let it come back within this window (s). */
  stormWindowS?: number
  /** During the measured phase: stop (term) or kill -9 the server this many times and start it again. */
  restarts?: { count: number; how: 'term' | 'kill9' }
  cpuProf?: boolean
  /** Also measure raw better-sqlite3 on the same rows (the ingest ceiling's yardstick), before the server starts. */
  raw?: boolean
  /** Keep the run directory (database, server log, probe lines, profiles). */
  keep?: boolean
  /** Before the fleet connects: enroll this many further PCs over HTTP from one address (an office behind NAT). */
  enrollHttp?: number
  /** New connections per second while the fleet connects (all client processes together). */
  connectPerSecond?: number
  env?: NodeJS.ProcessEnv
  log?: (m: string) => void
}

export interface LatencySummary {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
  failed: number
}

export interface FleetResult {
  options: FleetOptions
  reportBytes: number
  connectMs: number
  connected: number
  ack: LatencySummary
  ackedPerSecond: number
  sent: number
  acked: number
  duplicates: number
  errors: Record<string, number>
  failures: Record<string, number>
  closes: Record<string, number>
  handshakeFailures: number
  slowDowns: number
  dropped: number
  healthz: LatencySummary
  overview: LatencySummary
  serverLoopMaxMs: number
  serverLoopMaxAt: number
  /** Seconds of the measured phase in which the server's loop was delayed more than 100 ms. */
  serverSecondsOver100: number
  /** The same for an idle process beside it: what the machine alone causes. */
  canaryLoopMaxMs: number
  canarySecondsOver100: number
  serverRssMaxMiB: number
  serverRssIdleMiB: number
  serverCpuPercent: number
  clientLoopMaxMs: number
  /** Largest size of the WAL file seen during the measured phase, and the database file at the end (MiB). */
  walMaxMiB: number
  dbMiB: number
  storm?: { agents: number; pending: number; p50: number; p99: number; max: number; allMs: number }
  /** Per restart: seconds from the server being back until every agent was connected again (NaN: not within 120 s). */
  recoveries: number[]
  lost: number
  unsentAtEnd: number
  serverExit: number | null
  runDir: string
  probe: ProbeLine[]
  raw?: { perRow: number; batch100: number }
  enroll?: { n: number; ms: number; refused: Record<string, number> }
}

/** Enrolls `n` PCs over POST /api/v1/enroll from one address, 20 at a time, as an installer rollout would. */
export async function enrollOverHttp(url: string, token: string, n: number): Promise<{ n: number; ms: number; refused: Record<string, number> }> {
  const t0 = performance.now()
  const refused: Record<string, number> = {}
  let next = 0
  const one = async () => {
    while (next < n) {
      const i = 1_000_000 + next++
      const res = await fetch(`${url}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, host: fleetIdentity(i) }) })
      await res.arrayBuffer()
      if (res.status !== 200) refused[res.status] = (refused[res.status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: 20 }, one))
  return { n, ms: performance.now() - t0, refused }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN)
const summary = (xs: number[], failed = 0): LatencySummary => ({
  n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: xs.length ? Math.max(...xs) : NaN, failed,
})

/** A client process of the simulator, answering one command at a time. */
class Worker {
  private next = 1
  private waiting = new Map<number, (m: Record<string, unknown>) => void>()
  readonly ready: Promise<void>
  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve) => {
      child.on('message', (m: { id?: number; ready?: boolean }) => {
        if (m.ready) return resolve()
        this.waiting.get(m.id!)?.(m as Record<string, unknown>)
        this.waiting.delete(m.id!)
      })
    })
  }
  call<T = Record<string, unknown>>(c: WorkerRequest): Promise<T> {
    const id = this.next++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => (m.error ? reject(new Error(String(m.error))) : resolve(m as T)))
      this.child.send({ ...c, id })
    })
  }
}

export async function startWorkers(url: string, agents: FleetAgent[], changeRate: number): Promise<Worker[]> {
  const n = Math.max(1, Math.ceil(agents.length / AGENTS_PER_WORKER))
  const workers: Worker[] = []
  for (let i = 0; i < n; i++) {
    const child = fork(new URL('./worker.ts', import.meta.url).pathname, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: 'inherit' })
    workers.push(new Worker(child))
  }
  await Promise.all(workers.map((w) => w.ready))
  await Promise.all(workers.map((w, i) => w.call({ cmd: 'init', url, changeRate, agents: agents.filter((_, k) => k % n === i) })))
  return workers
}

/** GET with a fresh connection (as a board opening does); the time to the whole answer, or null on error/timeout. */
function timedGet(url: string, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<number | null> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const req = request(url, { agent: false, headers, timeout: timeoutMs }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : null))
      res.on('error', () => resolve(null))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve(null))
    req.end()
  })
}

/** Asks /healthz every 250 ms and the overview API every second, each on its own timer, until stopped. */
export function startProbes(server: () => string, apiKey: string) {
  const healthz: number[] = []
  const overview: number[] = []
  let failedH = 0
  let failedO = 0
  const inflight = new Set<Promise<unknown>>()
  const every = (ms: number, fn: () => Promise<unknown>) =>
    setInterval(() => {
      const p = fn().finally(() => inflight.delete(p))
      inflight.add(p)
    }, ms)
  const a = every(250, async () => {
    const t = await timedGet(`${server()}/healthz`)
    if (t === null) failedH++
    else healthz.push(t)
  })
  const b = every(1000, async () => {
    const t = await timedGet(`${server()}/api/v1/overview`, { authorization: `Bearer ${apiKey}` })
    if (t === null) failedO++
    else overview.push(t)
  })
  return {
    async stop() {
      clearInterval(a)
      clearInterval(b)
      await Promise.all(inflight)
      return { healthz: summary(healthz, failedH), overview: summary(overview, failedO) }
    },
  }
}

/** Every acknowledged report id must be in the reports table: returns how many are missing. */
export function countLost(dataDir: string, ackedIds: Iterable<string>): number {
  // After the server has stopped (a killed one leaves its WAL behind: opening the file recovers it, as a restart would).
  const db = openDb(dataDir)
  try {
    const has = db.$client.prepare('select 1 from reports where id = ?').pluck()
    let lost = 0
    for (const id of ackedIds) if (!has.get(id)) lost++
    return lost
  } finally {
    db.$client.close()
  }
}

/**
 * The same 17 KB report rows straight into the same `reports` table with better-sqlite3 (WAL, synchronous=FULL):
 * one transaction per row, and 100 rows per transaction. The ceiling the server's ingest is compared with.
 */
export function rawSqlite(rows = 3000): { perRow: number; batch100: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lagebild-raw-'))
  try {
    // The server's own schema and settings (WAL, synchronous=FULL); only the foreign key check on hosts is off.
    const db = openDb(dir).$client
    db.pragma('foreign_keys = OFF')
    const host = new FleetHost(1, fleetIdentity(1))
    const bodies = Array.from({ length: 50 }, () => host.next(0.05))
    const insert = db.prepare('insert into reports (id, host_id, agent_id, kind, collected_at, received_at, body) values (?, ?, ?, ?, ?, ?, ?)')
    const row = (i: number) => {
      const r = bodies[i % bodies.length]!
      insert.run(`${i}-${r.id}`, 'h' + (i % 1000), 'a', 'full', r.collectedAt, new Date().toISOString(), JSON.stringify({ ...r, id: `${i}-${r.id}` }))
    }
    const one = db.transaction(row)
    let t = performance.now()
    for (let i = 0; i < rows; i++) one(i)
    const perRow = rows / ((performance.now() - t) / 1000)
    const batch = db.transaction((from: number) => {
      for (let i = from; i < from + 100; i++) row(i)
    })
    t = performance.now()
    for (let i = rows; i < 3 * rows; i += 100) batch(i)
    const batch100 = (2 * rows) / ((performance.now() - t) / 1000)
    db.close()
    return { perRow, batch100 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const merge = (all: WorkerStats[]): WorkerStats => {
  const out: WorkerStats = {
    latencies: [], ackTimes: [], ackedIds: [], duplicates: 0, errors: {}, failures: {}, closes: {}, handshakeFailures: 0, connects: 0,
    slowDowns: 0, dropped: 0, reconnectToAck: [], loopMaxMs: 0, sent: 0,
  }
  const add = (a: Record<string, number>, b: Record<string, number>) => {
    for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v
  }
  for (const s of all) {
    for (const x of s.latencies) out.latencies.push(x)
    for (const x of s.ackTimes) out.ackTimes.push(x)
    for (const x of s.ackedIds) out.ackedIds.push(x)
    for (const x of s.reconnectToAck) out.reconnectToAck.push(x)
    out.duplicates += s.duplicates
    out.handshakeFailures += s.handshakeFailures
    out.connects += s.connects
    out.slowDowns += s.slowDowns
    out.dropped += s.dropped
    out.sent += s.sent
    out.loopMaxMs = Math.max(out.loopMaxMs, s.loopMaxMs)
    add(out.errors, s.errors)
    add(out.failures, s.failures)
    add(out.closes, s.closes)
  }
  return out
}

export async function runFleet(o: FleetOptions): Promise<FleetResult> {
  const log = o.log ?? ((m: string) => process.stderr.write(`[fleet] ${m}\n`))
  const runDir = mkdtempSync(join(tmpdir(), 'lagebild-fleet-'))
  const dataDir = join(runDir, 'data')
  mkdirSync(dataDir)
  let t = performance.now()
  const seeded = seedFleet(dataDir, o.hosts)
  log(`seeded ${o.hosts} enrolled hosts in ${((performance.now() - t) / 1000).toFixed(1)} s → ${runDir}`)
  const raw = o.raw ? rawSqlite() : undefined
  if (raw) log(`raw better-sqlite3: ${raw.perRow.toFixed(0)} rows/s one per transaction, ${raw.batch100.toFixed(0)} rows/s 100 per transaction`)
  const server: FleetServer = await startFleetServer({ dataDir, runDir, cpuProf: o.cpuProf, env: o.env })
  const canary = startCanary(runDir)
  log(`server pid ${server.pid} on ${server.url}`)
  const enrolled = o.enrollHttp ? await enrollOverHttp(server.url, seeded.token, o.enrollHttp) : undefined
  if (enrolled) log(`enrolled ${enrolled.n} PCs over HTTP from one address in ${(enrolled.ms / 1000).toFixed(1)} s (refused: ${JSON.stringify(enrolled.refused)})`)
  const workers = await startWorkers(server.url, seeded.agents, o.changeRate)
  const all = <T>(c: WorkerRequest) => Promise.all(workers.map((w) => w.call<T>(c)))
  const acked = new Set<string>()
  const collect = async () => {
    const s = merge((await all<{ stats: WorkerStats }>({ cmd: 'stats' })).map((r) => r.stats))
    for (const id of s.ackedIds) acked.add(id)
    return s
  }

  try {
    t = performance.now()
    const perWorker = (o.connectPerSecond ?? 2000) / workers.length
    const conn = await all<{ connected: number; ms: number }>({ cmd: 'connect', perSecond: perWorker, timeoutMs: 120_000 })
    const connected = conn.reduce((n, c) => n + c.connected, 0)
    const connectMs = performance.now() - t
    log(`${connected}/${o.hosts} agents connected in ${(connectMs / 1000).toFixed(1)} s`)
    const idleRss = server.probe().at(-1)?.rss ?? 0

    // Warm-up: every agent's first report (facts new, findings and alerts created), spread over a minute at most.
    const warm = Math.min(60, Math.max(5, o.hosts / 300))
    t = performance.now()
    await all({ cmd: 'steady', cycleMs: warm * 1000, durationMs: warm * 1000 })
    await all({ cmd: 'drain', timeoutMs: 300_000 })
    const w = await collect()
    log(`warm-up: ${w.ackedIds.length} first reports acked in ${((performance.now() - t) / 1000).toFixed(1)} s (p99 ${pct(w.latencies, 99).toFixed(0)} ms)`)

    // The measured phase.
    const since = Date.now()
    const probes = startProbes(() => server.url, seeded.apiKey)
    const size = (f: string) => {
      try {
        return statSync(join(dataDir, f)).size / 2 ** 20
      } catch {
        return 0
      }
    }
    let walMaxMiB = 0
    const walTimer = setInterval(() => (walMaxMiB = Math.max(walMaxMiB, size('lagebild.sqlite-wal'))), 1000)
    const phase =
      o.mode === 'idle' ? sleep(o.durationS * 1000)
      : o.mode === 'steady' ? all({ cmd: 'steady', cycleMs: o.cycleS * 1000, durationMs: o.durationS * 1000 })
      : all({ cmd: 'saturate', durationMs: o.durationS * 1000 })
    const recoveries: number[] = []
    if (o.restarts?.count) {
      const gap = (o.durationS * 1000) / (o.restarts.count + 1)
      for (let k = 1; k <= o.restarts.count; k++) {
        await sleep(gap * 0.6 + Math.random() * gap * 0.4)
        if (o.restarts.how === 'kill9') await server.kill9()
        else await server.stop()
        await server.restart()
        const back = Date.now()
        let n = 0
        while (Date.now() - back < 120_000 && (n = (await all<{ connected: number }>({ cmd: 'count' })).reduce((a, c) => a + c.connected, 0)) < connected) await sleep(250)
        recoveries.push(n >= connected ? (Date.now() - back) / 1000 : NaN)
        log(`server ${o.restarts.how === 'kill9' ? 'killed (SIGKILL)' : 'stopped'} and started again (${k}/${o.restarts.count}); ${n} agents back after ${((Date.now() - back) / 1000).toFixed(1)} s`)
      }
    }
    await phase
    await all({ cmd: 'drain', timeoutMs: 120_000 })
    const m = await collect()
    const end = Date.now()

    let storm: FleetResult['storm']
    if (o.stormWindowS) {
      log(`reconnect storm: every agent cut off, back within ${o.stormWindowS} s, one report each`)
      const at = Date.now()
      const r = await all<{ pending: number }>({ cmd: 'storm', windowMs: o.stormWindowS * 1000, timeoutMs: 180_000 })
      const allMs = Date.now() - at
      const s = await collect()
      storm = { agents: o.hosts, pending: r.reduce((n, x) => n + x.pending, 0), p50: pct(s.reconnectToAck, 50), p99: pct(s.reconnectToAck, 99), max: Math.max(...s.reconnectToAck), allMs }
      for (const [k, v] of Object.entries(s.closes)) m.closes[`storm ${k}`] = v
      if (s.handshakeFailures) m.failures['storm: handshake failed'] = s.handshakeFailures
      for (const [k, v] of Object.entries(s.failures)) m.failures[`storm: ${k}`] = v
    }
    const p = await probes.stop()
    clearInterval(walTimer)
    const unsent = (await all<{ unsent: number }>({ cmd: 'drain', timeoutMs: 60_000 })).reduce((n, x) => n + x.unsent, 0)
    await collect()
    const lines = server.probe(since)
    const worst = lines.reduce((a, b) => (b.maxMs > a.maxMs ? b : a), lines[0] ?? ({ maxMs: NaN, t: 0 } as ProbeLine))
    const cpuMs = lines.reduce((n, l) => n + l.cpuMs, 0)
    const canaryLines = canary.probe(since).filter((l) => l.t <= Date.now())
    const window = m.ackTimes.filter((x) => x >= since + 5_000 && x <= end)
    await all({ cmd: 'stop' })
    const serverExit = await server.stop()
    const lost = countLost(dataDir, acked)
    const dbMiB = size('lagebild.sqlite')
    return {
      options: o,
      reportBytes: frameBytes(new FleetHost(1, seeded.agents[Math.min(1, seeded.agents.length - 1)]!.identity).next(0)),
      connectMs,
      connected,
      ack: summary(m.latencies, 0),
      ackedPerSecond: window.length / ((end - since - 5_000) / 1000),
      sent: m.sent,
      acked: m.ackedIds.length,
      duplicates: m.duplicates,
      errors: m.errors,
      failures: m.failures,
      closes: m.closes,
      handshakeFailures: m.handshakeFailures,
      slowDowns: m.slowDowns,
      dropped: m.dropped,
      healthz: p.healthz,
      overview: p.overview,
      serverLoopMaxMs: worst.maxMs,
      serverLoopMaxAt: worst.t ? worst.t - since : 0,
      serverSecondsOver100: lines.filter((l) => l.maxMs > 100).length,
      canaryLoopMaxMs: Math.max(...canaryLines.map((l) => l.maxMs)),
      canarySecondsOver100: canaryLines.filter((l) => l.maxMs > 100).length,
      serverRssMaxMiB: Math.max(...lines.map((l) => l.rss)) / 2 ** 20,
      serverRssIdleMiB: idleRss / 2 ** 20,
      serverCpuPercent: lines.length ? (100 * cpuMs) / (lines.at(-1)!.t - lines[0]!.t + 1000) : NaN,
      clientLoopMaxMs: m.loopMaxMs,
      walMaxMiB,
      dbMiB,
      storm,
      recoveries,
      lost,
      unsentAtEnd: unsent,
      serverExit,
      runDir,
      probe: lines,
      raw,
      enroll: enrolled,
    }
  } finally {
    canary.stop()
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL')
    await server.stop().catch(() => null)
    if (!o.keep && !o.cpuProf) rmSync(runDir, { recursive: true, force: true })
    else log(`kept ${runDir}${o.cpuProf ? ` (profiles: ${readdirSafe(join(runDir, 'profiles')).join(', ')})` : ''}`)
  }
}

const readdirSafe = (d: string) => {
  try {
    return readdirSync(d)
  } catch {
    return []
  }
}
