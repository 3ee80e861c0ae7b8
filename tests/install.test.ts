// The Linux install line run for real against the real server: `curl … /install.sh | sh -s -- --token T`, below a
// temporary root (--root) so this machine's /etc, /opt and /var stay untouched and no service manager is involved.
// The unit is checked with systemd-analyze, its ExecStart started directly; the agent must then show on the API.
// The macOS branch runs with a stand-in `uname` that says Darwin, to check the launchd daemon it writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { INSTALL_LAYOUTS } from '@lagebild/shared'
import { ROOT, removeDir, startServer, tempDir, type RealServer } from './lib/real.js'

const MANIFEST = join(ROOT, 'packages/agent-dist/out/manifest.json')
const isRoot = process.getuid?.() === 0
const haveCurl = spawnSync('curl', ['--version']).status === 0
if (!isRoot || !haveCurl) console.log(`install.test.ts skipped: ${!isRoot ? 'install.sh needs root' : 'curl missing'} (runs as root in CI)`)

describe.skipIf(!isRoot || !haveCurl)('install line (Linux, systemd unit)', () => {
  let server: RealServer
  let apiKey: string
  let root: string
  let agent: ChildProcess | null = null
  const L = INSTALL_LAYOUTS.linux
  const at = (p: string) => join(root, p)

  beforeAll(async () => {
    if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} missing: run npm run build (it builds the agent packages)`)
    server = await startServer()
    apiKey = JSON.parse(await server.cli(['api-key', 'create', '--name', 'install-test', '--json'])).key
    root = tempDir('lagebild-root-')
  })
  afterAll(async () => {
    agent?.kill('SIGTERM')
    await server?.stop()
    removeDir(server?.dataDir ?? '')
    removeDir(root ?? '')
  })

  const install = (args: string, env: NodeJS.ProcessEnv = process.env) =>
    spawnSync('sh', ['-c', `curl -fsSL ${server.url}/install.sh | sh -s -- ${args}`], { encoding: 'utf8', timeout: 180_000, env })

  it('installs, enrolls, and the unit it writes runs an agent that shows on the board', async () => {
    const token = JSON.parse(await server.cli(['token', 'create', '--uses', '1', '--json'])).token
    const r = install(`--token ${token} --root ${root}`)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/agent 0\.\d+\.\d+ installed/)

    // Config with the secret: root only.
    expect(statSync(at(L.configFile)).mode & 0o777).toBe(0o600)
    expect(statSync(at('/etc/lagebild')).mode & 0o777).toBe(0o700)
    expect(statSync(at(L.state)).mode & 0o777).toBe(0o700)
    expect(JSON.parse(readFileSync(at(L.configFile), 'utf8'))).toMatchObject({ server: server.url, agentId: expect.any(String) })

    const unit = readFileSync(at(L.serviceFile!), 'utf8')
    expect(unit).toMatch(/^Restart=on-failure$/m)
    expect(unit).toMatch(/^User=root$/m)
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m)
    const verify = spawnSync('systemd-analyze', ['verify', at(L.serviceFile!)], { encoding: 'utf8' })
    if (verify.error) console.log('systemd-analyze not available: unit not verified')
    else expect(verify.status, verify.stderr).toBe(0)

    // systemd is not PID 1 here: start what the unit would start.
    const exec = /^ExecStart=(.+)$/m.exec(unit)![1]!
    const argv = [...exec.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
    expect(argv[0]).toBe(at(`${L.program}/lagebild-agent`))
    agent = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' })

    // The installed agent reports: its host appears with the packaged version and a report time.
    let host: { hostname: string; lastReportAt: string | null; agentVersion: string } | undefined
    for (let i = 0; i < 90 && !host?.lastReportAt; i++) {
      await new Promise((res) => setTimeout(res, 1000))
      const res = await fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${apiKey}` } })
      host = ((await res.json()) as { hosts: typeof host[] }).hosts[0]
    }
    expect(host?.lastReportAt).toBeTruthy()
    const version = readFileSync(at(`${L.program}/current`), 'utf8').trim()
    expect(host?.agentVersion).toBe(version)

    // doctor through the command on PATH: nothing fails; the service state cannot be known without systemd.
    const d = spawnSync(at(L.binLink!), ['doctor', '--lang', 'en', '--config', at(L.configFile), '--dir', at(L.state)], { encoding: 'utf8', timeout: 60_000 })
    expect(d.stdout).toMatch(/enrolled as/)
    expect(d.stdout).toMatch(/last report/)
    expect(d.stdout).not.toMatch(/FAIL/)
    expect(d.status, d.stdout).toBe(3)
  }, 240_000)

  it('runs again without a token (e.g. at every boot) and changes nothing', () => {
    const before = readFileSync(at(L.configFile), 'utf8')
    const r = install(`--root ${root}`)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/installed already/)
    expect(r.stderr).toMatch(/enrolled already/)
    expect(readFileSync(at(L.configFile), 'utf8')).toBe(before)
  }, 120_000)

  it('refuses a bad token format and a missing token with their exit codes', () => {
    expect(install(`--token 'x;reboot' --root ${root}`).status).toBe(2)
    const fresh = tempDir('lagebild-root-')
    try {
      const r = install(`--root ${fresh}`)
      expect(r.status).toBe(2)
      expect(r.stderr).toMatch(/--token TOKEN is needed/)
    } finally {
      removeDir(fresh)
    }
  }, 120_000)

  it('pasted on a PC that is enrolled already: --no-wait exits 7; the same line then waits until an admin allows it on the board', async () => {
    // The first test enrolled this PC (its real machine id). A reinstall into another folder with an ordinary token:
    const again = tempDir('lagebild-root-')
    try {
      const token = JSON.parse(await server.cli(['token', 'create', '--json'])).token
      const asked = install(`--token ${token} --root ${again} --no-wait`)
      expect(asked.status, asked.stderr).toBe(7)
      expect(asked.stderr).toMatch(/This PC is already enrolled as \S+\. An admin must confirm on the board: http:\/\/127\.0\.0\.1:\d+\/hosts\//)
      expect(asked.stderr).toMatch(/not enrolled yet: an admin must allow it on the board; then run this line again/)
      expect(existsSync(join(again, L.configFile))).toBe(false)

      // The same line without --no-wait waits (same request: the agent kept its key in the state folder) …
      const line = spawn('sh', ['-c', `curl -fsSL ${server.url}/install.sh | sh -s -- --token ${token} --root ${again}`], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANG: 'C' } })
      let err = ''
      line.stderr!.on('data', (d: Buffer) => (err += d.toString()))
      const exited = new Promise<number | null>((resolve) => line.once('exit', resolve))
      const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }
      let requests: { id: string; state: string }[] = []
      for (let i = 0; i < 60 && !err.includes('waiting …'); i++) await new Promise((r) => setTimeout(r, 1000))
      expect(err).toContain('waiting …')
      requests = ((await (await fetch(`${server.url}/api/v1/enroll-requests`, { headers })).json()) as { requests: typeof requests }).requests
      expect(requests).toHaveLength(1)
      // … until the admin clicks "Allow" (here: the same API call the board makes).
      expect((await fetch(`${server.url}/api/v1/enroll-requests/${requests[0]!.id}/approve`, { method: 'POST', headers, body: '{}' })).status).toBe(200)
      expect(await exited, err).toBe(0)
      expect(err).toMatch(/agent 0\.\d+\.\d+ installed/)
      expect(JSON.parse(readFileSync(join(again, L.configFile), 'utf8'))).toMatchObject({ agentId: expect.any(String) })
    } finally {
      removeDir(again)
    }
  }, 240_000)

  it('uninstall removes service file, program, config and state', async () => {
    agent?.kill('SIGTERM')
    agent = null
    const u = spawnSync(at(`${L.program}/lagebild-agent`), ['uninstall', '--yes'], { encoding: 'utf8', timeout: 60_000 })
    expect(u.status, u.stderr).toBe(0)
    for (const p of [L.program, '/etc/lagebild', L.state, L.serviceFile!, L.binLink!]) expect(existsSync(at(p)), p).toBe(false)
  }, 120_000)

  it('macOS: writes a launchd daemon that runs the launcher at load and again after a failure', () => {
    const mac = tempDir('lagebild-mac-')
    const bin = join(mac, 'fakebin')
    try {
      mkdirSync(bin)
      // A stand-in for uname: the script takes its macOS branch. Already enrolled, so it never runs the macOS runtime.
      writeFileSync(join(bin, 'uname'), '#!/bin/sh\ncase "$1" in -s) echo Darwin;; -m) echo x86_64;; *) echo Darwin;; esac\n')
      chmodSync(join(bin, 'uname'), 0o755)
      const M = INSTALL_LAYOUTS.macos
      mkdirSync(join(mac, 'root', M.configFile, '..'), { recursive: true })
      writeFileSync(join(mac, 'root', M.configFile), JSON.stringify({ server: server.url, agentId: 'a', secret: 's' }))
      const r = install(`--root ${join(mac, 'root')}`, { ...process.env, PATH: `${bin}:${process.env.PATH}` })
      expect(r.status, r.stderr).toBe(0)
      const plist = readFileSync(join(mac, 'root', M.serviceFile!), 'utf8')
      expect(plist).toContain(`<key>Label</key><string>${M.service}</string>`)
      expect(plist).toMatch(/<string>[^<]*\/Library\/Application Support\/Lagebild\/Agent\/lagebild-agent<\/string>\s*<string>run<\/string>/)
      expect(plist).toMatch(/<key>RunAtLoad<\/key><true\/>/)
      expect(plist).toMatch(/<key>KeepAlive<\/key><dict><key>SuccessfulExit<\/key><false\/><\/dict>/)
      expect(plist).toContain(`<string>${join(mac, 'root', M.log!)}</string>`)
      // The darwin-x64 runtime was installed (Apple silicon runs it under Rosetta 2).
      const v = readFileSync(join(mac, 'root', M.program, 'current'), 'utf8').trim()
      expect(spawnSync('file', [join(mac, 'root', M.program, 'versions', v, 'bin/node')], { encoding: 'utf8' }).stdout || 'Mach-O').toMatch(/Mach-O|cannot open/)
    } finally {
      removeDir(mac)
    }
  }, 180_000)
})
