// kill -9 of the server during a load run (issue #11, faults), shared by tests/kill9.test.ts (a few kills) and
// bench/faults.ts (ten). Agents send reports over HTTP without pause; an agent keeps a report that got no answer and
// sends it again until it is acknowledged, as the real agent's spool does. The server is killed with SIGKILL — no
// shutdown at all — and started again on the same data and port. Afterwards every acknowledged report must be in the
// database, none twice, and the database must pass SQLite's integrity check.
import { randomUUID } from 'node:crypto'
import type { Report } from '@lagebild/shared'
import { enrollHost, goodFacts, identity, report, type DemoHost } from './demo.js'
import { openDb } from '../../packages/server/src/db/index.js'
import { removeDir, startServer, type RealServer } from './real.js'

export interface KillResult {
  kills: number
  /** Reports generated (each sent until acknowledged). */
  reports: number
  acknowledged: number
  /** Acknowledged as a duplicate: committed before a kill, its answer lost on the way, sent again. */
  duplicates: number
  /** Sends that got no answer (the server was killed or down) and were retried. */
  retries: number
  /** Acknowledged ids missing from the database (must be 0). */
  missing: number
  /** Ids stored more than once (must be 0). */
  twice: number
  integrity: string
  restartMs: number[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function post(base: string, h: DemoHost, r: Report): Promise<{ duplicate: boolean } | null> {
  try {
    const res = await fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: h.auth }, body: JSON.stringify(r), signal: AbortSignal.timeout(5000) })
    if (res.status !== 200) return null
    return (await res.json()) as { duplicate: boolean }
  } catch {
    return null
  }
}

export async function killDuringLoad(opts: { kills: number; agents: number; loadMs: number }): Promise<KillResult> {
  let server: RealServer = await startServer({ LAGEBILD_LOG_LEVEL: 'error' })
  const port = new URL(server.url).port
  const { dataDir } = server
  const { token } = JSON.parse(await server.cli(['token', 'create', '--uses', String(opts.agents), '--json'])) as { token: string }
  const hosts = await Promise.all(Array.from({ length: opts.agents }, (_, i) => enrollHost(server.url, token, identity(`pc-load-${i}`, 'windows'))))
  const facts = goodFacts('windows')
  const acked = new Set<string>()
  const r: KillResult = { kills: 0, reports: 0, acknowledged: 0, duplicates: 0, retries: 0, missing: 0, twice: 0, integrity: '', restartMs: [] }
  let running = true

  const agent = async (h: DemoHost) => {
    while (running) {
      const rep = report(h.identity, facts, { id: randomUUID() })
      r.reports++
      // Until acknowledged, whatever happens to the server meanwhile.
      for (;;) {
        const ack = await post(`http://127.0.0.1:${port}`, h, rep)
        if (ack) {
          acked.add(rep.id)
          r.acknowledged++
          if (ack.duplicate) r.duplicates++
          break
        }
        r.retries++
        await sleep(100)
      }
    }
  }
  const load = hosts.map(agent)

  for (let k = 0; k < opts.kills; k++) {
    await sleep(opts.loadMs / opts.kills)
    await server.kill()
    r.kills++
    const t = performance.now()
    server = await startServer({ LAGEBILD_LOG_LEVEL: 'error', LAGEBILD_PORT: port }, dataDir)
    r.restartMs.push(performance.now() - t)
  }
  await sleep(1000)
  running = false
  await Promise.all(load)
  await server.stop()

  const db = openDb(dataDir).$client
  const count = db.prepare('select count(*) n from reports where id = ?')
  for (const id of acked) {
    const n = (count.get(id) as { n: number }).n
    if (n === 0) r.missing++
    if (n > 1) r.twice++
  }
  r.integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? ''
  db.close()
  removeDir(dataDir)
  return { ...r, acknowledged: acked.size, restartMs: r.restartMs.map((x) => Math.round(x)) }
}
