// A real full disk (issue #11, faults): the real server CLI with its data on a 8 MB tmpfs, mounted in a private mount
// namespace of the server process only (unshare), so nothing of it is visible outside and it is gone with the process.
// Reports until the file system is full → 503 "disk is full" and the server keeps answering; a filler file removed →
// reports are stored again. Needs root for the mount: LAGEBILD_LIVE=1 (never a silent skip then).
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeLive } from '../packages/agent/src/collectors/test-helpers.js'
import { SERVER_BIN, tempDir } from './lib/real.js'
import { enrollHost, goodFacts, identity, report, type DemoHost } from './lib/demo.js'

let child: ChildProcess
let dir: string
let url = ''
let output = ''

describeLive('disk full (tmpfs in a private mount namespace)', { root: true, tools: ['unshare', 'nsenter', 'mount', 'dd'] }, () => {
  beforeAll(async () => {
    dir = tempDir('lagebild-full-')
    // The mount exists only in the namespace of this shell and the server it becomes (exec).
    const script = `mount -t tmpfs -o size=8m tmpfs "$LAGEBILD_DATA_DIR" && dd if=/dev/zero of="$LAGEBILD_DATA_DIR/filler" bs=1M count=2 status=none && exec "${process.execPath}" "${SERVER_BIN}"`
    child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      env: { ...process.env, LAGEBILD_DATA_DIR: dir, LAGEBILD_PORT: '0', LAGEBILD_HOST: '127.0.0.1', LAGEBILD_LOG_LEVEL: 'error', LAGEBILD_ADMIN_PASSWORD: 'disk full test 1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000)
      child.stdout!.on('data', () => {
        const m = /Statusboard: (http:\/\/[^\s]+?)\/?\s/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      })
      child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)))
    })
  }, 90_000)

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('full → 503 "disk is full", the server answers; room again → stored again', async () => {
    const cli = (args: string[]) =>
      new Promise<string>((resolve, reject) => {
        // The CLI must see the same tmpfs: run it in the server's mount namespace.
        const p = spawn('nsenter', ['-t', String(child.pid), '-m', process.execPath, SERVER_BIN, ...args], { env: { ...process.env, LAGEBILD_DATA_DIR: dir } })
        let out = ''
        p.stdout.on('data', (d: Buffer) => (out += d.toString()))
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`cli ${args.join(' ')}: ${code}`))))
      })
    const { token } = JSON.parse(await cli(['token', 'create', '--json'])) as { token: string }
    const h: DemoHost = await enrollHost(url, token, identity('pc-full', 'linux'))
    // Every report lists other updates: the server keeps what changed (a body, the fact), so each one really writes.
    let n = 0
    const facts = () => ({
      ...goodFacts('linux'),
      'base.patches': { manager: 'apt', pending: 500, security: 0, items: Array.from({ length: 500 }, (_, i) => ({ name: `package-${n}-${i}-${'x'.repeat(180)}`, security: false })), oldestPendingSince: null, lastInstall: null, lastCheck: null, rebootRequired: false },
    })
    const send = () => fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: h.auth }, body: JSON.stringify(report(h.identity, facts())) }).finally(() => n++)
    let res = await send()
    let stored = 0
    for (let i = 0; i < 200 && res.status === 200; i++, stored++) res = await send()
    expect(stored).toBeGreaterThan(3)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: string }).error).toBe('storage-full')
    expect((await fetch(`${url}/healthz`)).status).toBe(200)

    // Room again: the filler goes (seen through the server's own mount namespace).
    rmSync(`/proc/${child.pid}/root${dir}/filler`)
    const again = await send()
    expect(again.status).toBe(200)
    expect(child.exitCode).toBeNull()
  }, 120_000)
})
