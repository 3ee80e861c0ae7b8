// Incidents with the real agent against the real server, on this Linux machine:
// - `lagebild-agent report` (answers typed on standard input) opens an incident, with this PC's identity and facts;
// - an evidence request reaches the running agent, which collects real logs, processes and sockets of this machine
//   read-only; every stored SHA-256 matches a fresh hash of the download, and a file changed in the database behind the
//   server's back is found;
// - heightened monitoring shortens the live agent's interval and ends after its period (the agent says so itself);
// - with the server down a report is kept on the PC and delivered, in order, when the server is back.
// Loopback only; everything stops by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { AGENT_BIN, removeDir, startServer, tempDir, type RealServer } from './lib/real.js'

let server: RealServer
let apiKey: string
let agent: ChildProcess | null = null
let agentLog = ''
let hostId = ''
let incidentId = ''
const agentDir = tempDir('lagebild-inc-agent-')
const cardDir = tempDir('lagebild-inc-card-')
const dropDir = tempDir('lagebild-inc-drop-')
const env = { ...process.env, LAGEBILD_CARD_DIR: cardDir, LAGEBILD_REPORT_DIR: dropDir, LAGEBILD_AGENT_NO_WATCH: '1', LANG: 'de_DE.UTF-8' }

async function api<T>(method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(server.url + '/api/v1' + path, {
    method, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function until<T>(what: string, fn: () => Promise<T | false | null | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn().catch(() => undefined)
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- agent log ---\n${agentLog.slice(-4000)}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** `lagebild-agent report`, the answers typed line by line on standard input. */
function report(lines: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [AGENT_BIN, 'report', '--dir', agentDir, '--lang', 'de'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    p.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }))
    p.stdin.end(lines.map((l) => `${l}\n`).join(''))
  })
}

function startAgent() {
  agent = spawn(process.execPath, [AGENT_BIN, 'run', '--dir', agentDir], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  agent.stdout!.on('data', (d: Buffer) => (agentLog += d.toString()))
  agent.stderr!.on('data', (d: Buffer) => (agentLog += d.toString()))
}

type Detail = {
  incident: { id: string; title: string; hosts: { id: string }[] }
  reports: { answers: { reporter: string; observed: string }; hostname: string; snapshot: { collectedAt: string } | null }[]
  evidence: { requests: { id: string; state: string; results: { item: string; ok: boolean; error: string | null }[] | null }[]; items: { id: string; item: string; sha256: string; size: number; name: string }[] }
  watches: { id: string; active: boolean; confirmedAt: string | null; revertedAt: string | null; endedAt: string | null }[]
  timeline: { kind: string; author: string }[]
}

beforeAll(async () => {
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' })
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'incidents', '--json'])) as { key: string }).key
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--json'])) as { token: string }
  const e = await new Promise<number>((resolve) => spawn(process.execPath, [AGENT_BIN, 'enroll', '--server', server.url, '--token', token, '--dir', agentDir], { env, stdio: 'ignore' }).on('exit', (c) => resolve(c ?? 1)))
  expect(e).toBe(0)
}, 120_000)

afterAll(async () => {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((r) => agent!.once('exit', r))
    agent.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    if (agent.exitCode === null) agent.kill('SIGKILL')
  }
  await server?.stop()
  for (const d of [agentDir, cardDir, dropDir]) removeDir(d)
  if (server) removeDir(server.dataDir)
})

describe('incidents with the real agent on this machine', () => {
  it('a report from the agent CLI opens an incident, with this PC and its facts', async () => {
    const r = await report(['Clara Schulz', '', 'mein PC', 'Alle Dateien heißen plötzlich .locked.', 'gerade eben', 'Büro 2.14'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Wer meldet? (Name)')
    expect(r.stdout).toMatch(/Gemeldet\. Ihre Meldungsnummer: M-[2-9A-Z]{6}/)
    const list = await api<{ incidents: { id: string; title: string }[] }>('GET', '/incidents')
    expect(list.incidents.map((i) => i.title)).toEqual(['Meldung von Clara Schulz: mein PC'])
    incidentId = list.incidents[0]!.id
    const d = await api<Detail>('GET', `/incidents/${incidentId}`)
    hostId = d.incident.hosts[0]!.id
    expect(d.reports[0]!.answers.observed).toBe('Alle Dateien heißen plötzlich .locked.')
    expect(d.reports[0]!.snapshot).not.toBeNull()
  }, 120_000)

  it('evidence: the running agent collects this machine\'s logs, processes and sockets; each download hashes to what was stored', async () => {
    startAgent()
    await until('the agent connected', async () => agentLog.includes('live channel connected'))
    await api('POST', `/incidents/${incidentId}/evidence`, { hostIds: [hostId], hours: 24 })
    const d = await until('the evidence', async () => {
      const x = await api<Detail>('GET', `/incidents/${incidentId}`)
      return ['complete', 'partial'].includes(x.evidence.requests[0]!.state) && x
    }, 180_000)
    const items = new Map(d.evidence.items.map((f) => [f.item, f]))
    // What this machine surely has: processes, listening sockets (the server itself), scheduled tasks, logins.
    for (const item of ['processes', 'listening-sockets', 'autostarts', 'recent-logins']) expect(items.has(item), `${item}: ${JSON.stringify(d.evidence.requests[0]!.results)}`).toBe(true)
    for (const f of d.evidence.items) {
      const res = await fetch(`${server.url}/api/v1/evidence/${f.id}/file`, { headers: { authorization: `Bearer ${apiKey}` } })
      const body = Buffer.from(await res.arrayBuffer())
      expect(createHash('sha256').update(body).digest('hex'), f.name).toBe(f.sha256)
      expect(body.length).toBe(f.size)
    }
    const ps = await (await fetch(`${server.url}/api/v1/evidence/${items.get('processes')!.id}/file`, { headers: { authorization: `Bearer ${apiKey}` } })).text()
    expect(ps).toContain('## ps -eww -o pid,ppid,user,lstart,etime,stat,args --sort=pid')
    expect(ps).toContain('lagebild-agent.mjs run')
    const port = new URL(server.url).port
    const ss = await (await fetch(`${server.url}/api/v1/evidence/${items.get('listening-sockets')!.id}/file`, { headers: { authorization: `Bearer ${apiKey}` } })).text()
    expect(ss).toContain(`127.0.0.1:${port}`)
    // Every download is on record.
    const after = await api<Detail>('GET', `/incidents/${incidentId}`)
    expect(after.timeline.filter((e) => e.kind === 'custody').length).toBe(d.evidence.items.length + 2)
    expect((await api<{ ok: boolean }>('GET', `/incidents/${incidentId}/verify`)).ok).toBe(true)
    // Changed behind the server's back, in the running server's own file: found.
    const file = new Database(join(server.dataDir, 'lagebild.sqlite'))
    file.exec('drop trigger evidence_items_no_update')
    file.prepare('update evidence_items set data = ? where id = ?').run(Buffer.from('nothing to see\n'), items.get('processes')!.id)
    file.close()
    const v = await api<{ ok: boolean; evidence: { name: string; problem: string }[] }>('GET', `/incidents/${incidentId}/verify`)
    expect(v.ok).toBe(false)
    expect(v.evidence).toEqual([{ id: items.get('processes')!.id, name: items.get('processes')!.name, problem: expect.stringContaining('content changed') }])
  }, 240_000)

  it('heightened monitoring shortens the live agent\'s interval and ends after its period', async () => {
    const fulls = () => agentLog.split('\n').filter((l) => l.includes('full collection took')).length
    const before = fulls()
    // The agent looks at its interval on each minute tick; its last full collection may be seconds old, so the full one at
    // the shorter interval comes at the first or second tick: the watch must outlast both.
    const untilIso = new Date(Date.now() + 130_000).toISOString()
    const d = await api<Detail>('POST', `/incidents/${incidentId}/watch`, { until: untilIso, intervalMinutes: 1 })
    const watchId = d.watches[0]!.id
    await until('the agent taking it', async () => agentLog.includes(`heightened monitoring: every 1 min until ${untilIso} (normally 15 min)`))
    await until('the server hearing the confirmation', async () => (await api<Detail>('GET', `/incidents/${incidentId}`)).watches.find((w) => w.id === watchId)!.confirmedAt)
    // A full collection at the next minute instead of in 15 minutes.
    await until('a full collection at the shorter interval', async () => fulls() > before, 140_000)
    await until('the end of the period, said by the agent', async () => agentLog.includes('back to every 15 min'), 120_000)
    const w = await until('the server ending it', async () => {
      const x = (await api<Detail>('GET', `/incidents/${incidentId}`)).watches.find((y) => y.id === watchId)!
      return !x.active && !!x.endedAt && x
    }, 90_000)
    expect(w.active).toBe(false)
  }, 360_000)

  it('with the server down, reports wait on the PC and arrive in order when it is back', async () => {
    const port = new URL(server.url).port
    const dataDir = server.dataDir
    await server.stop()
    const a = await report(['Dieter Wolf', '', 'Drucker', 'Zettel mit Lösegeldforderung im Drucker.', '09:10', 'Empfang'])
    expect(a.code).toBe(0)
    expect(a.stdout).toContain('Der Server ist gerade nicht erreichbar')
    const b = await report(['Eva Klein', '0170 1234567', 'Laptop', 'Virenscanner meldet Fund.', '09:15', 'Lager'])
    expect(b.code).toBe(0)
    expect(readdirSync(join(agentDir, 'user-reports')).filter((n) => n.endsWith('.json'))).toHaveLength(2)
    server = await startServer({ LAGEBILD_PORT: port, LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' }, dataDir)
    const d = await until('the kept reports', async () => {
      const x = await api<Detail>('GET', `/incidents/${incidentId}`)
      return x.reports.length === 3 && x
    }, 180_000)
    expect(d.reports.map((r) => r.answers.reporter)).toEqual(['Clara Schulz', 'Dieter Wolf', 'Eva Klein'])
    expect(readdirSync(join(agentDir, 'user-reports')).filter((n) => n.endsWith('.json'))).toHaveLength(0)
  }, 300_000)
})
