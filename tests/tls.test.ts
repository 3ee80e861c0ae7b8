// TLS end to end: a throwaway private CA (openssl) signs a certificate for 127.0.0.1; the real server serves HTTPS with it,
// the real agent trusts it only when told (--ca), for enrollment, HTTP reports and the live WebSocket channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { Agent } from '../packages/agent/src/agent.js'
import { loadConfig } from '../packages/agent/src/config.js'
import { AGENT_BIN, SERVER_BIN, removeDir, run, startServer, tempDir, type RealServer } from './lib/real.js'

const ADMIN_PASSWORD = 'correct horse battery'
let pki: string
let ca: Buffer
let server: RealServer
let apiKey: string
const dirs: string[] = []

function openssl(args: string[]) {
  execFileSync('openssl', args, { cwd: pki, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** A CA, a server certificate for 127.0.0.1 signed by it, and a second CA that signed nothing we serve. */
function makePki() {
  pki = tempDir('lagebild-pki-')
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Lagebild Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  openssl(['req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=Some Other CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  openssl(['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'])
  writeFileSync(join(pki, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n')
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1001', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem'])
  ca = readFileSync(join(pki, 'ca.pem'))
}

/** GET/POST over HTTPS trusting our CA only (node:https, not fetch: fetch has no per-request CA). */
function https(method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown } = {}) {
  return new Promise<{ status: number; headers: NodeJS.Dict<string | string[]>; body: string }>((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    const req = request(url, { method, ca, headers: { ...opts.headers, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const hosts = async () => {
  const res = await https('GET', server.url + '/api/v1/hosts', { headers: { authorization: `Bearer ${apiKey}` } })
  expect(res.status).toBe(200)
  return (JSON.parse(res.body) as { hosts: { hostname: string }[] }).hosts
}
// This PC enrolls again and again here: as after a reinstall, each time with a token that may replace its agent.
const token = async () => (JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--replace', '--json'])) as { token: string }).token
const agentDir = () => {
  const d = tempDir('lagebild-agent-tls-')
  dirs.push(d)
  return d
}

beforeAll(async () => {
  makePki()
  server = await startServer({
    LAGEBILD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LAGEBILD_TLS_CERT: join(pki, 'server.pem'),
    LAGEBILD_TLS_KEY: join(pki, 'server.key'),
  })
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'tls', '--json'])) as { key: string }).key
})
afterAll(async () => {
  await server?.stop()
  if (server) removeDir(server.dataDir)
  for (const d of dirs) removeDir(d)
  if (pki) removeDir(pki)
})

describe('the server speaks TLS itself', () => {
  it('prints an https board URL and answers over TLS 1.2+ only, never plain HTTP', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const health = await https('GET', server.url + '/healthz')
    expect(health.status).toBe(200)
    expect(health.headers['strict-transport-security']).toMatch(/max-age=31536000/)
    // TLS 1.1 is refused by the server.
    const old = await new Promise<string>((resolve) => {
      const req = request(server.url + '/healthz', { ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }, () => resolve('answered'))
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.message))
      req.end()
    })
    expect(old).toMatch(/alert protocol version/i)
    // Plain HTTP on the same port gets no API answer.
    const plain = await fetch(server.url.replace('https:', 'http:') + '/healthz').then((r) => r.status, () => 'failed')
    expect(plain).not.toBe(200)
  })

  it('a login over HTTPS sets a Secure __Host- session cookie that works', async () => {
    const user = /Erster Admin: (\S+)/.exec(server.output())![1]!
    const res = await https('POST', server.url + '/api/v1/auth/login', { body: { username: user, password: ADMIN_PASSWORD } })
    expect(res.status, res.body).toBe(200)
    const cookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('__Host-lagebild_session='))
    expect(cookie).toBeDefined()
    expect(cookie).toMatch(/;\s*Secure/i)
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*Path=\//)
    expect(cookie).not.toMatch(/Domain=/i)
    const me = await https('GET', server.url + '/api/v1/auth/me', { headers: { cookie: cookie!.split(';')[0]! } })
    expect(me.status).toBe(200)
    expect(JSON.parse(me.body)).toMatchObject({ user: { username: user } })
  })
})

describe('the agent trusts a private CA only when told', () => {
  it('without --ca the enrollment fails with a clear message, stores nothing, and the server has no host', async () => {
    const dir = agentDir()
    const r = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', await token(), '--dir', dir], { ...process.env, NODE_EXTRA_CA_CERTS: '' })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('certificate not trusted — pass --ca FILE')
    expect(r.stderr).toContain('Zertifikat nicht vertrauenswürdig')
    expect(r.stderr).not.toMatch(/\n\s+at /) // a message, not a stack trace
    expect(() => readFileSync(join(dir, 'config.json'))).toThrow()
    // The wrong CA is just as untrusted; an http:// URL with --ca is refused rather than sent in clear.
    const wrong = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', await token(), '--ca', join(pki, 'other-ca.pem'), '--dir', dir], process.env)
    expect(wrong.code).not.toBe(0)
    expect(wrong.stderr).toContain('certificate not trusted — pass --ca FILE')
    const clear = await run(AGENT_BIN, ['enroll', '--server', server.url.replace('https:', 'http:'), '--token', await token(), '--ca', join(pki, 'ca.pem'), '--dir', dir], process.env)
    expect(clear.code).not.toBe(0)
    expect(clear.stderr).toMatch(/--ca needs an https:\/\/ server/)
    expect(await hosts()).toEqual([])
  })

  it('with --ca it enrolls, keeps the CA in config.json and `run --once` delivers a report over HTTPS', async () => {
    const dir = agentDir()
    const r = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', await token(), '--ca', join(pki, 'ca.pem'), '--dir', dir], process.env)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({ server: server.url, caFile: join(pki, 'ca.pem') })
    const once = await run(AGENT_BIN, ['run', '--once', '--dir', dir], process.env)
    expect(once.code, once.stderr).toBe(0)
    expect((await hosts()).map((h) => h.hostname)).toContain(hostname())
  })

  it('the live channel (wss://) uses the same CA; without it, it says so and never connects', async () => {
    const dir = agentDir()
    const r = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', await token(), '--ca', join(pki, 'ca.pem'), '--dir', dir], process.env)
    expect(r.code, r.stderr).toBe(0)
    const config = await loadConfig(dir)
    const logs: string[] = []
    const trusting = new Agent({ dir, config, worker: false, watchFirewall: false, log: (m) => logs.push(m), backoff: { baseMs: 50, maxMs: 200 } })
    const untrusting = new Agent({ dir, config: { ...config, caFile: undefined }, worker: false, watchFirewall: false, log: (m) => logs.push(m), backoff: { baseMs: 50, maxMs: 200 } })
    try {
      trusting.channel!.start()
      untrusting.channel!.start()
      const until = Date.now() + 10_000
      while (!(trusting.channel!.connected && logs.some((l) => l.includes('certificate not trusted'))) && Date.now() < until) await new Promise((res) => setTimeout(res, 50))
      expect(trusting.channel!.connected).toBe(true)
      expect(trusting.channel!.url).toMatch(/^wss:\/\//)
      expect(untrusting.channel!.connected).toBe(false)
      expect(logs.find((l) => l.includes('certificate not trusted'))).toMatch(/live channel: wss:\/\/127\.0\.0\.1:\d+: certificate not trusted — pass --ca FILE/)
    } finally {
      trusting.stop()
      untrusting.stop()
    }
  })
})

describe('half or broken TLS configuration stops the start', () => {
  const start = (env: NodeJS.ProcessEnv) => {
    const dataDir = agentDir()
    return run(SERVER_BIN, ['start'], { ...process.env, LAGEBILD_DATA_DIR: dataDir, LAGEBILD_PORT: '0', LAGEBILD_HOST: '127.0.0.1', LAGEBILD_TLS_CERT: '', LAGEBILD_TLS_KEY: '', ...env }, 30_000)
  }

  it('a certificate without a key', async () => {
    const r = await start({ LAGEBILD_TLS_CERT: join(pki, 'server.pem') })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/LAGEBILD_TLS_CERT is set but LAGEBILD_TLS_KEY is not/)
    expect(r.stdout).not.toContain('Statusboard')
  })

  it('an unreadable file, a file that is no PEM, and a key of another certificate', async () => {
    const missing = await start({ LAGEBILD_TLS_CERT: join(pki, 'nope.pem'), LAGEBILD_TLS_KEY: join(pki, 'server.key') })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/LAGEBILD_TLS_CERT=.*nope\.pem: cannot read the file \(ENOENT\)/)
    const notPem = await start({ LAGEBILD_TLS_CERT: join(pki, 'server.pem'), LAGEBILD_TLS_KEY: join(pki, 'server.ext') })
    expect(notPem.code).toBe(2)
    expect(notPem.stderr).toMatch(/LAGEBILD_TLS_KEY=.*server\.ext: not a PEM private key/)
    const otherKey = await start({ LAGEBILD_TLS_CERT: join(pki, 'server.pem'), LAGEBILD_TLS_KEY: join(pki, 'ca.key') })
    expect(otherKey.code).toBe(2)
    expect(otherKey.stderr).toMatch(/LAGEBILD_TLS_KEY=.*ca\.key: does not belong to the certificate/)
  })
})
