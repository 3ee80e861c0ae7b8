// Enrolling this PC again, as an admin does after a reinstall or after `npm start` (the "Done when" walk): the
// real agent CLI against the real server. `enroll` on a PC that is enrolled already says where an admin must confirm and
// waits; the admin allows it through the API; the enrollment completes and the running old agent hears on its live
// channel that it was replaced. Also --no-wait (exit 3, the same command continues the request), a refusal and Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AGENT_REFUSAL_TEXT } from '@lagebild/shared'
import { waitUntil } from '../packages/server/test/helper.js'
import { AGENT_BIN, removeDir, run, startServer, tempDir, type RealServer } from './lib/real.js'

let server: RealServer
let apiKey: string
const dirs: string[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' })
  apiKey = JSON.parse(await server.cli(['api-key', 'create', '--name', 'reenroll-test', '--json'])).key
}, 120_000)
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL')
  await server?.stop()
  if (server) removeDir(server.dataDir)
  for (const d of dirs) removeDir(d)
})

const dir = () => {
  const d = tempDir('lagebild-reenroll-')
  dirs.push(d)
  return d
}
const token = async () => JSON.parse(await server.cli(['token', 'create', '--json'])).token as string
const api = async <T>(method: 'GET' | 'POST', path: string) => {
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, body: method === 'POST' ? '{}' : undefined })
  return { status: res.status, body: (await res.json()) as T }
}
type Req = { id: string; hostId: string; state: string }
const pending = async () => (await api<{ requests: Req[] }>('GET', '/enroll-requests')).body.requests.filter((r) => r.state === 'pending')

/** The real agent CLI as a running process: its output as it comes, and its exit. */
function agent(args: string[]) {
  const child = spawn(process.execPath, [AGENT_BIN, ...args], { env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const out = { stdout: '', stderr: '' }
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()))
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))))
  return { child, out, exited }
}

describe('enrolling this PC again (the real agent CLI against the real server)', () => {
  let first: string
  let hostId: string

  it('`enroll` on a PC that is enrolled already waits for an admin; allowed through the API, it enrolls and the old agent is told it was replaced', async () => {
    // This PC, enrolled and reporting (as after `npm start`).
    first = dir()
    const e = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', await token(), '--dir', first], process.env)
    expect(e.code, e.stderr).toBe(0)
    const old = agent(['run', '--dir', first])
    await waitUntil(() => old.out.stderr.includes('live channel connected'), 120_000, 'the old agent to connect')
    hostId = JSON.parse(readFileSync(join(first, 'config.json'), 'utf8')).hostId

    // The install line (here: its enroll step) on the same PC with an ordinary token.
    const second = dir()
    const waiting = agent(['enroll', '--server', server.url, '--token', await token(), '--dir', second, '--lang', 'en'])
    const url = `${server.url}/hosts/${hostId}`
    await waitUntil(() => waiting.out.stderr.includes('waiting …'), 60_000, 'enroll to say it waits')
    expect(waiting.out.stderr).toMatch(new RegExp(`This PC is already enrolled as \\S+\\. An admin must confirm on the board: ${url.replace(/[.:/]/g, '\\$&')} — waiting …`))
    expect(waiting.child.exitCode).toBeNull()
    // The key of the request is kept, readable by its owner only, until it is used.
    expect(readFileSync(join(second, 'enroll-request.json'), 'utf8')).toMatch(/"key":"[A-Za-z0-9_-]{43}"/)

    const [request] = await pending()
    expect(request).toMatchObject({ hostId })
    expect((await api<Req>('POST', `/enroll-requests/${request!.id}/approve`)).body.state).toBe('approved')

    expect(await waiting.exited).toBe(0)
    expect(waiting.out.stderr).toContain('An admin allowed it')
    expect(waiting.out.stdout).toMatch(/Enrolled with .* as agent /)
    const creds = JSON.parse(readFileSync(join(second, 'config.json'), 'utf8'))
    expect(creds.hostId).toBe(hostId)
    expect(existsSync(join(second, 'enroll-request.json'))).toBe(false)
    // The old agent's live channel was closed with the reason, in plain words.
    await waitUntil(() => old.out.stderr.includes('live channel refused'), 10_000, 'the old agent to hear it')
    expect(old.out.stderr).toContain(`agent-replaced: ${AGENT_REFUSAL_TEXT['agent-replaced'].en}`)
    old.child.kill('SIGTERM')
    await old.exited
  }, 240_000)

  it('--no-wait asks and ends with exit code 3; once allowed, the same command enrolls at once', async () => {
    const d = dir()
    const t = await token()
    const args = ['enroll', '--server', server.url, '--token', t, '--dir', d, '--lang', 'de', '--no-wait']
    const asked = await run(AGENT_BIN, args, process.env)
    expect(asked.code).toBe(3)
    expect(asked.stderr).toMatch(/Dieser PC ist schon als \S+ angemeldet\. Ein Admin muss im Statusboard bestätigen: .*\/hosts\/.* — danach denselben Befehl erneut ausführen/)
    expect(asked.stderr).not.toMatch(/\n\s+at /)
    const [request] = await pending()
    await api('POST', `/enroll-requests/${request!.id}/approve`)
    const again = await run(AGENT_BIN, args, process.env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/Angemeldet bei/)
    expect(await pending()).toEqual([])
  }, 120_000)

  it('refused by an admin: the waiting enroll says so and exits 2; Ctrl-C stops a wait and says the request stays', async () => {
    const refusedDir = dir()
    const waiting = agent(['enroll', '--server', server.url, '--token', await token(), '--dir', refusedDir, '--lang', 'en'])
    await waitUntil(() => waiting.out.stderr.includes('waiting …'), 60_000, 'enroll to wait')
    const [request] = await pending()
    await api('POST', `/enroll-requests/${request!.id}/refuse`)
    expect(await waiting.exited).toBe(2)
    expect(waiting.out.stderr).toMatch(/An admin refused on the board to enroll this PC \(\S+\) again\. Nothing changed/)
    expect(existsSync(join(refusedDir, 'config.json'))).toBe(false)

    const interrupted = agent(['enroll', '--server', server.url, '--token', await token(), '--dir', dir(), '--lang', 'en'])
    await waitUntil(() => interrupted.out.stderr.includes('waiting …'), 60_000, 'enroll to wait')
    interrupted.child.kill('SIGINT')
    expect(await interrupted.exited).toBe(130)
    expect(interrupted.out.stderr).toMatch(/Aborted\. The request stays on the board until \d\d:\d\d; run the same command again/)
  }, 180_000)
})
