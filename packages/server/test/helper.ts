// The one test harness of the server package: the real app on a real SQLite file in a temp directory, with the cron
// jobs off (tests drive the clock), that can stop and start again on the same file (and port, when listening).
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import WebSocket from 'ws'
import type { HostIdentity, Report, Role } from '@lagebild/shared'
import { buildServer } from '../src/build.js'
import { configFromEnv, type ServerConfig } from '../src/config.js'
import { openDb, type Db } from '../src/db/index.js'
import { createEnrollToken, enroll } from '../src/services/enrollment.js'
import { createApiKey, createUser } from '../src/services/people.js'

export const PUBLIC_URL = 'https://lagebild.example'

export interface HarnessOptions {
  /** Listen on 127.0.0.1 (a free port, kept across restarts) for WebSocket and real HTTP clients. */
  listen?: boolean
  /** Where the server logs (JSON lines, level info); default: no log. */
  logStream?: NodeJS.WritableStream
  /** Settings other than the harness's defaults (e.g. publicUrl: null, as on a fresh install). */
  config?: Partial<ServerConfig>
}

/**
 * A free port below Linux's ephemeral range (32768–60999). A port the OS hands out for `listen(0)` comes from that range,
 * so while a test server is down for a restart, any outgoing connection on this busy machine may take it as its local
 * port and the restart fails with EADDRINUSE; ports below the range are never given out that way.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error('no free port between 20000 and 32000 after 50 tries')
}

export async function harness(opts: HarnessOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lagebild-test-'))
  let db!: Db
  let app!: FastifyInstance
  let url = ''
  let port = 0
  let running = false

  async function boot() {
    db = openDb(dataDir)
    const config = configFromEnv({ dataDir, logLevel: opts.logStream ? 'info' : 'silent', publicUrl: PUBLIC_URL, ...opts.config })
    app = await buildServer({ config, db, logger: !!opts.logStream, logStream: opts.logStream, jobs: false })
    await app.ready()
    if (opts.listen) {
      // Same port after a restart, so an agent finds the server where it was.
      port ||= await freePort()
      url = await app.listen({ host: '127.0.0.1', port })
      port = Number(new URL(url).port)
    }
    running = true
  }
  async function shutdown() {
    if (!running) return
    running = false
    await app.close()
    db.$client.close()
  }
  await boot()
  const apiKey = createApiKey(db, 'test').key
  const auth = { authorization: `Bearer ${apiKey}` }

  return {
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
    /** A fresh enrollment token. */
    token: () => createEnrollToken(db, {}).token,
    user: (username: string, password: string, role: Role) => createUser(db, username, password, role),
    /** Enrolls a machine; returns what the agent would hold. */
    enroll(identity: HostIdentity = host(), tags: string[] = []) {
      const { token } = createEnrollToken(db, { tags })
      const creds = enroll(db, token, identity)
      return { ...creds, identity, agent: { id: creds.agentId, hostId: creds.hostId }, bearer: `Bearer ${creds.agentId}.${creds.secret}` }
    },
    /** Stores a report as the ingest would, at a chosen time. */
    store(a: { agent: { id: string; hostId: string }; identity: HostIdentity }, facts: Report['facts'], now = new Date(), over: Partial<Report> = {}) {
      return app.ingest.store(a.agent, report(a.identity, facts, { collectedAt: now.toISOString(), ...over }), now)
    },
    /** The server goes down (the data stay). */
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
}
export type Harness = Awaited<ReturnType<typeof harness>>

/** A Windows PC of the accounting department, with a fresh machine id unless given. */
export const host = (machineId = randomUUID().replace(/-/g, '')): HostIdentity => ({
  machineId,
  hostname: 'pc-buchhaltung',
  os: { family: 'windows', distribution: 'Windows 11 Pro', version: '23H2', build: '22631.4460' },
  kernel: '10.0.22631',
  arch: 'x64',
  agentVersion: '0.1.0',
  bootTime: '2026-11-27T07:00:00.000Z',
})

/** A full report of any host identity, collected now unless `over` says otherwise. */
export const report = (h: HostIdentity, facts: Report['facts'] = {}, over: Partial<Report> = {}): Report =>
  ({ v: 1, id: randomUUID(), kind: 'full', collectedAt: new Date().toISOString(), host: h, facts, ...over })

/** Waits until `fn` gives a truthy value (a positive signal), or fails after `timeoutMs` saying what did not happen. */
export async function waitUntil<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export const hours = (n: number, from = new Date()) => new Date(from.getTime() + n * 3_600_000)
export const minutes = (n: number, from = new Date()) => new Date(from.getTime() + n * 60_000)

export const firewallOff: Report['facts'] = {
  'base.firewall': { backend: 'windows', profiles: [{ name: 'Public', enabled: false, defaultInbound: 'block' }, { name: 'Private', enabled: true, defaultInbound: 'block' }] },
}
export const firewallOn: Report['facts'] = {
  'base.firewall': { backend: 'windows', profiles: [{ name: 'Public', enabled: true, defaultInbound: 'block' }, { name: 'Private', enabled: true, defaultInbound: 'block' }] },
}

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
  // Frames in the order they arrived, each once: an ack comes after the fsync of its batch, so it can arrive before or
  // after the API answer that caused it. The emergency card sent on every connect is left out (card tests read `frames`).
  let read = 0
  const next = async () => {
    for (;;) {
      while (frames.length <= read) await new Promise((r) => setTimeout(r, 10))
      const f = frames[read++] as Record<string, unknown>
      if (f.type !== 'card') return f
    }
  }
  return { ws, frames, closed, opened, next }
}
