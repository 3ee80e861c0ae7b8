// A start a newcomer survives: the real server CLI with a port in use, an unwritable or wrong data folder, a missing TLS
// file and odd settings ends within seconds, non-zero, with ONE line that names the setting to change (English and
// German) — no stack trace, no hang. The first admin's password survives a failed start; plain HTTP on a network
// address is warned about. Everything listens on 127.0.0.1 (one case binds 0.0.0.0 for two seconds) and stops.
import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { SERVER_BIN, removeDir, startServer, tempDir } from './lib/real.js'

const dirs: string[] = []
const dir = () => {
  const d = tempDir('lagebild-start-')
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach(removeDir))

interface Ended {
  code: number | null
  /** Still running after the deadline (then killed): a hang. */
  hung: boolean
  stdout: string
  stderr: string
}

/** Runs `lagebild-server start` and waits for it to end by itself. */
function startAndWait(env: NodeJS.ProcessEnv, opts: { uid?: number } = {}, deadlineMs = 30_000): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_BIN, 'start'], {
      env: { ...process.env, LAGEBILD_HOST: '127.0.0.1', LAGEBILD_PORT: '0', LAGEBILD_LOG_LEVEL: 'warn', LAGEBILD_ADMIN_PASSWORD: '', LAGEBILD_TLS_CERT: '', LAGEBILD_TLS_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, deadlineMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, hung, stdout, stderr })
    })
  })
}

/** What a newcomer must get: an exit of its own, non-zero, one line naming the setting, in English and German. */
function expectOneClearLine(r: Ended, setting: RegExp, german: RegExp) {
  expect(r.hung, `hung:\n${r.stdout}${r.stderr}`).toBe(false)
  expect(r.code).toBe(2)
  const lines = r.stderr.trim().split('\n')
  expect(lines, r.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^lagebild-server: /)
  expect(lines[0]).toMatch(setting)
  expect(lines[0]).toMatch(german)
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/)
  expect(r.stdout).not.toContain('Statusboard')
}

function occupiedPort(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }))
  })
}

describe('a start that cannot work ends at once with one clear line', () => {
  it('port in use: names LAGEBILD_PORT and exits (it used to print a stack trace and never exit)', async () => {
    const { port, server } = await occupiedPort()
    try {
      const r = await startAndWait({ LAGEBILD_DATA_DIR: dir(), LAGEBILD_PORT: String(port) })
      expectOneClearLine(r, new RegExp(`port ${port} is already in use.*LAGEBILD_PORT`), /schon belegt/)
    } finally {
      server.close()
    }
  })

  it('a data folder this user may not write: names LAGEBILD_DATA_DIR', async () => {
    const locked = dir()
    const isRoot = process.getuid?.() === 0
    // Root may write anywhere: run the server as "nobody" then, against a folder only root may enter.
    chmodSync(locked, isRoot ? 0o700 : 0o500)
    const r = await startAndWait({ LAGEBILD_DATA_DIR: join(locked, 'data') }, isRoot ? { uid: 65534 } : {})
    chmodSync(locked, 0o700)
    expectOneClearLine(r, /LAGEBILD_DATA_DIR=.*: cannot create or write there \(EACCES\)/, /nicht geschrieben werden/)
  })

  it('a data folder that is a file, or holds a file that is no database: names LAGEBILD_DATA_DIR', async () => {
    const file = join(dir(), 'not-a-folder')
    writeFileSync(file, 'x')
    expectOneClearLine(await startAndWait({ LAGEBILD_DATA_DIR: file }), /LAGEBILD_DATA_DIR=.*a file is in the way/, /Datei statt eines Ordners/)
    const garbage = dir()
    writeFileSync(join(garbage, 'lagebild.sqlite'), 'this is no SQLite file '.repeat(100))
    expectOneClearLine(await startAndWait({ LAGEBILD_DATA_DIR: garbage }), /LAGEBILD_DATA_DIR=.*not a Lagebild database/, /keine Lagebild-Datenbank/)
  })

  it('a TLS file that cannot be read: names LAGEBILD_TLS_CERT', async () => {
    const r = await startAndWait({ LAGEBILD_DATA_DIR: dir(), LAGEBILD_TLS_CERT: '/nonexistent/server.pem', LAGEBILD_TLS_KEY: '/nonexistent/server.key' })
    expectOneClearLine(r, /LAGEBILD_TLS_CERT=\/nonexistent\/server\.pem: cannot read the file \(ENOENT\)/, /nicht lesbar/)
  })

  const odd: [string, string, RegExp][] = [
    ['LAGEBILD_PORT', 'eighty', /expected a whole number/],
    ['LAGEBILD_PORT', '70000', /expected a whole number from 0 to 65535/],
    ['LAGEBILD_BODY_LIMIT', '-5', /expected a whole number/],
    ['LAGEBILD_HOST', 'http://0.0.0.0:8420', /expected an IP address or host name/],
    ['LAGEBILD_LOG_LEVEL', 'loud', /expected one of fatal, error, warn, info/],
    ['LAGEBILD_PUBLIC_URL', 'lagebild.example', /expected http\(s\):\/\/host/],
    ['LAGEBILD_ADMIN_PASSWORD', 'short', /at least 8 characters/],
  ]
  for (const [name, value, why] of odd)
    it(`${name}=${value}: names the variable`, async () => {
      const r = await startAndWait({ LAGEBILD_DATA_DIR: dir(), [name]: value })
      expectOneClearLine(r, new RegExp(`${name}(=\\S*)?: `), /erwartet|mindestens/)
      expect(r.stderr).toMatch(why)
    })
})

describe('the first admin', () => {
  it("a failed start does not use up the password: the next start shows it, it works, and it is nowhere on disk in clear", async () => {
    const data = dir()
    const { port, server } = await occupiedPort()
    const failed = await startAndWait({ LAGEBILD_DATA_DIR: data, LAGEBILD_PORT: String(port) })
    server.close()
    expect(failed.code).toBe(2)
    expect(failed.stdout + failed.stderr).not.toMatch(/Passwort/)

    const s = await startServer({ LAGEBILD_ADMIN_PASSWORD: '' }, data)
    try {
      const password = /Password \(shown once\) \/ Passwort \(nur jetzt sichtbar\): (\S+)/.exec(s.output())?.[1]
      expect(password, s.output()).toBeDefined()
      // At rest only its scrypt hash: the password is in no file of the data folder.
      for (const f of readdirSync(data)) expect(readFileSync(join(data, f)).includes(password!)).toBe(false)
      // Until the first login, every start says how to set a new one.
      await s.stop()
      const again = await startServer({ LAGEBILD_ADMIN_PASSWORD: '' }, data)
      expect(again.output()).not.toContain(password!)
      expect(again.output()).toMatch(/admin has not logged in yet.*\n.*user password --username admin/)
      const login = await fetch(`${again.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })
      expect(login.status).toBe(200)
      await again.stop()
      const later = await startServer({ LAGEBILD_ADMIN_PASSWORD: '' }, data)
      expect(later.output()).not.toMatch(/not logged in yet/)
      await later.stop()
    } finally {
      await s.stop()
    }
    // Four starts of the real server and a scrypt login: on a busy CI machine more than the default minute.
  }, 180_000)

  it('the board address and password are framed so they stand out', async () => {
    const s = await startServer({ LAGEBILD_ADMIN_PASSWORD: '' }, dir())
    try {
      const frame = s.output().split('\n').filter((l) => /^[┌│└]/.test(l))
      expect(frame[0]).toMatch(/^┌─+┐$/)
      expect(frame.at(-1)).toMatch(/^└─+┘$/)
      expect(frame.join('\n')).toMatch(/│ Lagebild board \/ Statusboard: http:\/\/127\.0\.0\.1:\d+\/ +│\n│ First admin \/ Erster Admin: admin +│\n│ Password/)
      expect(new Set(frame.map((l) => [...l].length)).size).toBe(1)
    } finally {
      await s.stop()
    }
  })
})

describe('plain HTTP on a network address', () => {
  it('is warned about in both languages; on loopback it is not', async () => {
    const open = await startServer({ LAGEBILD_HOST: '0.0.0.0', LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' }, dir())
    await open.stop()
    expect(open.output()).toMatch(/WARNING: listening on 0\.0\.0\.0 without TLS/)
    expect(open.output()).toMatch(/WARNUNG: lauscht auf 0\.0\.0\.0 ohne TLS/)
    const local = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' }, dir())
    await local.stop()
    expect(local.output()).not.toMatch(/WARNING/)
  })
})
