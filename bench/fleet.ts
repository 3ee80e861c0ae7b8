// Fleet simulator (issue #13): many agents over real WebSockets against the real server in its own process.
// Prints one summary table: ack latency, acked reports/s, disconnects, acknowledged-but-lost reports (checked in the
// SQLite file), /healthz and overview API latency during the load, the server's longest event-loop stall, RSS and CPU.
//
//   node_modules/.bin/tsx bench/fleet.ts --hosts 19000 --cycle 60 --duration 300
//   node_modules/.bin/tsx bench/fleet.ts --hosts 2000 --saturate --duration 60 --raw      # ingest ceiling vs raw SQLite
//   node_modules/.bin/tsx bench/fleet.ts --hosts 19000 --cycle 60 --duration 60 --storm 10   # reconnect storm after the load
//   node_modules/.bin/tsx bench/fleet.ts --hosts 5000 --cycle 60 --duration 300 --kill9 10   # nothing acked may be lost
//   node_modules/.bin/tsx bench/fleet.ts --hosts 100 --duration 10 --enroll 1000            # a rollout behind one NAT address
//   --cpu-prof writes the server's CPU profile into the kept run directory; --keep keeps database and logs.
// Several scenarios in one table: separate them with `--` (e.g. `--hosts 1000 -- --hosts 5000`).
import { parseArgs } from 'node:util'
import { writeFileSync } from 'node:fs'
import { runFleet, type FleetOptions, type FleetResult, type LatencySummary } from './fleet/run.js'

function parse(args: string[]): FleetOptions {
  const { values } = parseArgs({
    args,
    options: {
      hosts: { type: 'string', default: '1000' },
      cycle: { type: 'string', default: '60' },
      duration: { type: 'string', default: '120' },
      change: { type: 'string', default: '0.05' },
      saturate: { type: 'boolean', default: false },
      idle: { type: 'boolean', default: false },
      storm: { type: 'string' },
      restarts: { type: 'string' },
      kill9: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      raw: { type: 'boolean', default: false },
      enroll: { type: 'string' },
    },
  })
  const num = (name: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v)
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} ${v}: expected a number from ${min} to ${max}`)
    return n
  }
  const hosts = num('hosts', values.hosts, 1, 100_000)
  if (hosts > 19_000) process.stderr.write('note: a process may hold at most 20,000 open files here; the server cannot take more than ~19,900 agents\n')
  return {
    hosts,
    mode: values.saturate ? 'saturate' : values.idle ? 'idle' : 'steady',
    cycleS: num('cycle', values.cycle, 1, 3600),
    durationS: num('duration', values.duration, 5, 86_400),
    changeRate: num('change', values.change, 0, 1),
    stormWindowS: values.storm !== undefined ? num('storm', values.storm, 0, 600) : undefined,
    restarts: values.kill9 ? { count: num('kill9', values.kill9, 1, 1000), how: 'kill9' } : values.restarts ? { count: num('restarts', values.restarts, 1, 1000), how: 'term' } : undefined,
    cpuProf: values['cpu-prof'],
    keep: values.keep,
    raw: values.raw,
    enrollHttp: values.enroll !== undefined ? num('enroll', values.enroll, 1, 100_000) : undefined,
    // e.g. LAGEBILD_FLEET_SERVER_NODE_OPTIONS=--trace-gc (into the kept server.log)
    env: process.env.LAGEBILD_FLEET_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.LAGEBILD_FLEET_SERVER_NODE_OPTIONS } : undefined,
  }
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–')
const lat = (s: LatencySummary) => `${f0(s.p50)} / ${f0(s.p95)} / ${f0(s.p99)} / ${f0(s.max)} ms${s.failed ? ` (${s.failed} failed)` : ''}`
const kv = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(', ') || '0'

function rows(r: FleetResult): [string, string][] {
  const { options: o, raw } = r
  const out: [string, string][] = [
    ['scenario', `${f0(o.hosts)} agents, ${o.mode === 'steady' ? `${o.cycleS} s cycle` : o.mode}, ${o.durationS} s${o.restarts ? `, ${o.restarts.count}× ${o.restarts.how}` : ''}${o.stormWindowS !== undefined ? `, storm ${o.stormWindowS} s` : ''}`],
    ['report size', `${f0(r.reportBytes)} bytes`],
    ['connected (time)', `${f0(r.connected)} (${(r.connectMs / 1000).toFixed(1)} s)`],
    ['reports sent / acked', `${f0(r.sent)} / ${f0(r.acked)} (${r.duplicates} duplicate acks)`],
    ['acked reports/s', f0(r.ackedPerSecond)],
    ['ack p50 / p95 / p99 / max', lat(r.ack)],
    ['/healthz p50 / p95 / p99 / max', lat(r.healthz)],
    ['overview API p50 / p95 / p99 / max', lat(r.overview)],
    ['server event-loop max stall', `${f0(r.serverLoopMaxMs)} ms (at +${f0(r.serverLoopMaxAt / 1000)} s); ${r.serverSecondsOver100} s with > 100 ms`],
    ['idle canary process: max stall', `${f0(r.canaryLoopMaxMs)} ms; ${r.canarySecondsOver100} s with > 100 ms (the machine's share)`],
    ['server RSS idle / max', `${f0(r.serverRssIdleMiB)} / ${f0(r.serverRssMaxMiB)} MiB`],
    ['server CPU (of one core)', `${f0(r.serverCpuPercent)} %`],
    ['WAL max / database at end', `${r.walMaxMiB.toFixed(1)} / ${f0(r.dbMiB)} MiB`],
    ['disconnects (close codes)', kv(r.closes)],
    ['handshake failures', String(r.handshakeFailures)],
    ['error frames (status)', kv(r.errors)],
    ['sends without answer', kv(r.failures)],
    ['slow-down messages', String(r.slowDowns)],
    ['acknowledged but lost', `${r.lost}`],
    ['client loop max (sanity)', `${f0(r.clientLoopMaxMs)} ms`],
  ]
  if (r.storm)
    out.push(['storm: all acked after', `${(r.storm.allMs / 1000).toFixed(1)} s (p50 ${f0(r.storm.p50)}, p99 ${f0(r.storm.p99)}, max ${f0(r.storm.max)} ms; ${r.storm.pending} not acked)`])
  if (r.enroll)
    out.push(['enroll over HTTP, one address', `${f0(r.enroll.n)} PCs in ${(r.enroll.ms / 1000).toFixed(1)} s${Object.keys(r.enroll.refused).length ? ` (refused: ${kv(r.enroll.refused)})` : ''}`])
  if (r.recoveries.length)
    out.push(['restarts: all agents back after', r.recoveries.map((x) => (Number.isFinite(x) ? `${x.toFixed(1)} s` : '> 120 s')).join(', ')])
  if (raw) {
    out.push(['raw better-sqlite3, same rows', `${f0(raw.perRow)} rows/s (1 per tx), ${f0(raw.batch100)} rows/s (100 per tx)`])
    if (o.mode === 'saturate') out.push(['server ingest / raw (100 per tx)', `${((100 * r.ackedPerSecond) / raw.batch100).toFixed(0)} %`])
  }
  return out
}

async function main() {
  const argv = process.argv.slice(2)
  const groups: string[][] = [[]]
  for (const a of argv) {
    if (a === '--') groups.push([])
    else groups.at(-1)!.push(a)
  }
  const scenarios = groups.filter((g, i) => g.length || i === 0).map(parse)
  const table: [string, string[]][] = []
  const results: FleetResult[] = []
  for (const s of scenarios) {
    const r = await runFleet(s)
    results.push(r)
    for (const [k, v] of rows(r)) {
      const row = table.find((x) => x[0] === k) ?? (table.push([k, []]), table.at(-1)!)
      row[1][results.length - 1] = v
    }
  }
  const w = Math.max(...table.map((r) => r[0].length))
  process.stdout.write(`\nLagebild fleet bench — ${new Date().toISOString()}, node ${process.version}, load average at end ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}\n`)
  for (const [k, vs] of table) process.stdout.write(`${k.padEnd(w)}  ${results.map((_, i) => vs[i] ?? '').join('  |  ')}\n`)
  if (process.env.LAGEBILD_FLEET_JSON)
    writeFileSync(process.env.LAGEBILD_FLEET_JSON, JSON.stringify(results.map(({ probe: _p, ...r }) => r), null, 1))
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`fleet bench failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
