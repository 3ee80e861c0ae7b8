// The emergency card on the PC: the real agent, connected to the real server, receives the card over its live channel
// and keeps it; a change of the first contact reaches it within seconds; with the server stopped,
// `lagebild-agent card` still prints the last card. Loopback only; everything stops by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { AGENT_BIN, removeDir, run, startServer, tempDir, type RealServer } from './lib/real.js'

let server: RealServer
let apiKey: string
let agent: ChildProcess | null = null
let agentLog = ''
const agentDir = tempDir('lagebild-card-agent-')
const cardDir = tempDir('lagebild-card-public-')
// The agent's own directory and a public copy of the card of its own (never the machine's /var/lib/lagebild-card).
const env = { ...process.env, LAGEBILD_CARD_DIR: cardDir, LAGEBILD_AGENT_NO_WATCH: '1' }

async function api<T>(method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(server.url + '/api/v1' + path, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (res.status === 204 ? null : await res.json()) as T
}

const contact = (name: string, phone: string) => ({
  kind: 'person', name, organisation: '', function: 'IT', phone, mobile: null, email: null, timeZone: null,
  availability: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, from: '00:00', to: '24:00' })), notes: '',
})
const card = (lang = 'de') => run(AGENT_BIN, ['card', '--dir', agentDir, '--lang', lang], env, 30_000)

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${agentLog}`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

beforeAll(async () => {
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' })
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'card', '--json'])) as { key: string }).key
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--json'])) as { token: string }
  const e = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', token, '--dir', agentDir], env)
  if (e.code !== 0) throw new Error(e.stderr)
}, 120_000)

afterAll(async () => {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((r) => agent!.once('exit', r))
    agent.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    if (agent.exitCode === null) agent.kill('SIGKILL')
  }
  await server?.stop()
  removeDir(agentDir)
  removeDir(cardDir)
  if (server) removeDir(server.dataDir)
})

describe('the emergency card on the PC', () => {
  it('before the agent ever connected there is no card, and the command says why', async () => {
    const r = await card('en')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('No IT emergency card received yet')
  })

  it('the running agent receives the card, and a change of the first contact within seconds', async () => {
    const anna = (await api<{ id: string }>('POST', '/readiness/contacts', contact('Anna Becker', '+49 30 1234567'))).id
    const ben = (await api<{ id: string }>('POST', '/readiness/contacts', contact('Ben Yilmaz', '030 99 88 77'))).id
    await api('PUT', '/readiness/roles', { assignments: [{ role: 'first-contact', holderId: anna, deputyIds: [ben] }] })

    agent = spawn(process.execPath, [AGENT_BIN, 'run', '--dir', agentDir], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    agent.stdout!.on('data', (d: Buffer) => (agentLog += d.toString()))
    agent.stderr!.on('data', (d: Buffer) => (agentLog += d.toString()))
    await until('the card on connect', async () => (await card()).stdout.includes('+49 30 1234567'))
    const printed = (await card()).stdout
    expect(printed).toContain('VERHALTEN BEI IT-NOTFÄLLEN')
    expect(printed).toContain('Erstkontakt: Anna Becker (IT)')
    expect(printed).toContain('Vertretung: Ben Yilmaz (IT)')
    expect(printed).toContain('Wer meldet? (Name, Telefon)')
    // The server knows the PC confirmed it.
    await until('the confirmation', async () => (await api<{ card: { distribution: { current: number; total: number } } }>('GET', '/readiness')).card.distribution.current === 1)

    const t0 = Date.now()
    await api('PUT', `/readiness/contacts/${anna}`, contact('Anna Becker', '+49 30 7777777'))
    await until('the changed number', async () => (await card()).stdout.includes('+49 30 7777777'))
    console.log(`changed first contact → card on the PC: ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    expect((await card('en')).stdout).toContain('First contact: Anna Becker (IT)')
  }, 120_000)

  it('with the server gone, the PC still shows the last card', async () => {
    await server.stop()
    const r = await card()
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('+49 30 7777777')
    expect(r.stdout).toContain('Keine eigenen Gegenmaßnahmen')
  }, 60_000)
})
