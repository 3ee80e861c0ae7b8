// Faults (issue #11): kill -9 of the server process 10 times during a load run (agents send reports over HTTP without
// pause and send each again until acknowledged, as the agent's spool does). Prints what was acknowledged, what was sent
// again, whether every acknowledged report is in the database and none twice, SQLite's integrity check, restart times.
// Run: node_modules/.bin/tsx bench/faults.ts [kills=10] [agents=20] [seconds=60]
import { killDuringLoad } from '../tests/lib/kill-load.js'

const kills = Number(process.argv[2] ?? 10)
const agents = Number(process.argv[3] ?? 20)
const seconds = Number(process.argv[4] ?? 60)
const r = await killDuringLoad({ kills, agents, loadMs: seconds * 1000 })
console.log(`kill -9 ${r.kills} times in ${seconds} s of load from ${agents} agents:`)
console.log(`  reports acknowledged ${r.acknowledged} (of ${r.reports} generated); sends without an answer, retried: ${r.retries}`)
console.log(`  acknowledged as duplicates (committed, answer lost in the kill, sent again): ${r.duplicates}`)
console.log(`  acknowledged but missing from the database: ${r.missing}; stored twice: ${r.twice}; integrity_check: ${r.integrity}`)
console.log(`  restart until listening (ms): ${r.restartMs.join(', ')}`)
process.exit(r.missing || r.twice || r.integrity !== 'ok' ? 1 : 0)
