// The real app on a real SQLite file, with the cron jobs off (tests drive the clock), that can be restarted on the same file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import type { HostIdentity, Report } from '@lagebild/shared'
import { buildServer } from '../src/build.js'
import { configFromEnv } from '../src/config.js'
import { openDb, type Db } from '../src/db/index.js'
import { createEnrollToken, enroll } from '../src/services/enrollment.js'
import { createApiKey } from '../src/services/people.js'
import { host } from './helper.js'

export const PUBLIC_URL = 'https://lagebild.example'

export async function alertHarness(opts: { listen?: boolean } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lagebild-alerts-'))
  let db!: Db
  let app!: FastifyInstance
  let url = ''
  let port = 0

  async function boot() {
    db = openDb(dataDir)
    app = await buildServer({ config: configFromEnv({ dataDir, logLevel: 'silent', publicUrl: PUBLIC_URL }), db, logger: false, jobs: false })
    await app.ready()
    if (opts.listen) {
      // Same port after a restart, so an agent finds the server where it was.
      const address = await app.listen({ host: '127.0.0.1', port })
      url = address
      port = Number(new URL(address).port)
    }
    running = true
  }
  let running = false
  async function shutdown() {
    if (!running) return
    running = false
    await app.close()
    db.$client.close()
  }
  await boot()
  const apiKey = createApiKey(db, 'test').key
  const auth = { authorization: `Bearer ${apiKey}` }

  const h = {
    get app() {
      return app
    },
    get db() {
      return db
    },
    get url() {
      return url
    },
    dataDir,
    apiKey,
    auth,
    /** An admin API call with the API key. */
    async api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: object): Promise<{ status: number; body: T }> {
      const res = await app.inject({ method, url: path, headers: auth, ...(payload !== undefined ? { payload } : {}) })
      return { status: res.statusCode, body: (res.body ? res.json() : null) as T }
    },
    /** Enrolls a machine; returns what the agent would hold. */
    enroll(identity: HostIdentity = host(), tags: string[] = []) {
      const { token } = createEnrollToken(db, { tags })
      const creds = enroll(db, token, identity)
      return { ...creds, identity, agent: { id: creds.agentId, hostId: creds.hostId }, bearer: `Bearer ${creds.agentId}.${creds.secret}` }
    },
    /** Stores a report as the ingest would, at a chosen time. */
    store(a: { agent: { id: string; hostId: string }; identity: HostIdentity }, facts: Report['facts'], now = new Date(), over: Partial<Report> = {}) {
      return app.ingest.store(a.agent, reportOf(a.identity, facts, { collectedAt: now.toISOString(), ...over }), now)
    },
    /** The server goes down (the data stays). */
    stop: shutdown,
    /** … and comes back on the same file (and the same port when listening). */
    start: boot,
    async restart() {
      await shutdown()
      await boot()
    },
    async close() {
      await shutdown()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return h
}
export type Harness = Awaited<ReturnType<typeof alertHarness>>

/** A report of any host identity (helper.report only takes the Windows test host). */
export const reportOf = (h: HostIdentity, facts: Report['facts'] = {}, over: Partial<Report> = {}): Report =>
  ({ v: 1, id: randomUUID(), kind: 'full', collectedAt: new Date().toISOString(), host: h, facts, ...over })

export const hours = (n: number, from = new Date()) => new Date(from.getTime() + n * 3_600_000)
export const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000)

/** An agent's WebSocket as a test sees it: frames received, the close code and reason, and a wait for the next frame. */
export function agentSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers })
  const frames: unknown[] = []
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = async () => {
    const n = frames.length
    while (frames.length === n) await new Promise((r) => setTimeout(r, 10))
    return frames[n] as Record<string, unknown>
  }
  return { ws, frames, closed, opened, next }
}
