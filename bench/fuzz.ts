// Property-based fuzzing at scale (issue #11): 100,000 cases by default — bent reports over HTTP, every admin operation
// with input, agent WebSocket frames — against the real app on a real SQLite file, listening on 127.0.0.1. Prints the
// answers by status, every 5xx (there must be none), the stored data that would not pass its schema on a second read
// (there must be none), and memory: heap growth after a GC and RSS.
// Run: NODE_OPTIONS=--expose-gc node_modules/.bin/tsx bench/fuzz.ts [cases=100000] [seed=20261130]
import { createRequire } from 'node:module'
import { harness } from '../packages/server/test/helper.js'
import { fuzzServer, storedProblems, type FuzzSocket } from '../packages/server/test/fuzz-lib.js'

const CASES = Number(process.argv[2] ?? 100_000)
const SEED = Number(process.argv[3] ?? 20261130)
// ws is the server package's dependency (the root has none).
const WebSocket = createRequire(new URL('../packages/server/package.json', import.meta.url))('ws') as new (url: string, o: object) => FuzzSocket

const h = await harness({ listen: true })
const rss0 = process.memoryUsage().rss
const t0 = performance.now()
const r = await fuzzServer(
  { url: h.url, auth: h.auth, db: h.db, inject: (o) => h.app.inject(o as never), enroll: () => h.enroll(), swagger: () => h.app.swagger() },
  { seed: SEED, reports: Math.round(CASES * 0.4), admin: Math.round(CASES * 0.4), frames: CASES - 2 * Math.round(CASES * 0.4), WebSocket },
)
const s = (performance.now() - t0) / 1000
const problems = storedProblems(h.db)
const healthy = (await h.app.inject({ url: '/healthz' })).statusCode === 200
console.log(`${r.cases} cases (seed ${SEED}) in ${s.toFixed(0)} s — ${(r.cases / s).toFixed(0)} a second`)
console.log('answers:', Object.entries(r.statuses).sort().map(([k, v]) => `${k}: ${v}`).join(', '))
console.log(`5xx (other than 503 busy): ${r.failures.length}`)
for (const f of r.failures.slice(0, 20)) console.log(`  ${f}`)
console.log(`stored but not valid on a second read: ${problems.length}`)
for (const p of problems.slice(0, 20)) console.log(`  ${p}`)
console.log(`memory: heap grew ${r.heapGrowthMiB.toFixed(1)} MiB after GC${(globalThis as { gc?: unknown }).gc ? '' : ' (run with NODE_OPTIONS=--expose-gc for a GC first)'}; RSS ${(rss0 / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`)
console.log(`server still answers /healthz: ${healthy ? 'yes' : 'NO'}`)
await h.close()
process.exit(r.failures.length || problems.length || !healthy ? 1 : 0)
