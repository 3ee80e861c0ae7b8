// Agent authentication time for an unknown agent id vs a known id with a wrong secret (issue #11, weakness 10):
// the two must cost the same, so the time of a refusal does not tell whether an agent id exists.
// Measured on the real check (`auth.checkAgent`) over a real SQLite file with 1,000 enrolled agents, alternating the
// cases in rounds so that machine noise hits both alike; beside it, the cost of hashing and comparing the secret alone —
// the head start an unknown id had before the fix, when only known ids were hashed. Prints medians and the 99th
// percentile in microseconds.
// Run: node_modules/.bin/tsx bench/agent-auth.ts [rounds=20000]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { safeEqualHex, sha256 } from '../packages/server/src/crypto.js'
import { buildServer } from '../packages/server/src/build.js'
import { configFromEnv } from '../packages/server/src/config.js'
import { openDb } from '../packages/server/src/db/index.js'
import { createEnrollToken, enroll } from '../packages/server/src/services/enrollment.js'
import { host } from '../packages/server/test/helper.js'

const ROUNDS = Number(process.argv[2] ?? 20_000)
const dir = mkdtempSync(join(tmpdir(), 'lagebild-bench-auth-'))
try {
  const db = openDb(dir)
  const app = await buildServer({ config: configFromEnv({ dataDir: dir, logLevel: 'silent' }), db, logger: false, jobs: false })
  await app.ready()
  const { token } = createEnrollToken(db, { maxUses: 1000 })
  const known = Array.from({ length: 1000 }, () => enroll(db, token, host()))
  const secret = 'x'.repeat(43) // as long as a real secret (32 bytes, base64url)
  const cases = {
    'unknown id': () => `${randomUUID()}.${secret}`,
    'known id, wrong secret': () => `${known[Math.floor(Math.random() * known.length)]!.agentId}.${secret}`,
    'known id, right secret': () => {
      const k = known[Math.floor(Math.random() * known.length)]!
      return `${k.agentId}.${k.secret}`
    },
  }
  const stored = sha256('some other secret')
  const hashOnly = () => safeEqualHex(stored, sha256(secret))
  const times: Record<string, number[]> = {}
  const time = (name: string, fn: () => unknown) => {
    const start = process.hrtime.bigint()
    fn()
    ;(times[name] ??= []).push(Number(process.hrtime.bigint() - start) / 1000)
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, make] of Object.entries(cases)) {
      const t = make()
      time(name, () => app.auth.checkAgent(t))
    }
    time('hash + compare alone', hashOnly)
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!
  console.log(`agent authentication, ${ROUNDS} rounds, 1,000 agents (µs)`)
  for (const [name, xs] of Object.entries(times)) console.log(`  ${name.padEnd(32)} median ${pct(xs, 0.5).toFixed(1).padStart(6)}   p99 ${pct(xs, 0.99).toFixed(1).padStart(7)}`)
  const diff = pct(times['unknown id']!, 0.5) - pct(times['known id, wrong secret']!, 0.5)
  console.log(`  median difference unknown id − wrong secret: ${diff.toFixed(1)} µs`)
  await app.close()
  db.$client.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
