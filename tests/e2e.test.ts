// The one true path: the real agent reads this machine, enrolls with the real server, reports; the API shows the host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { AGENT_BIN, removeDir, run, startServer, tempDir, type RealServer } from './lib/real.js'

let server: RealServer
let agentDir: string
let apiKey: string

beforeAll(async () => {
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' })
  agentDir = tempDir('lagebild-agent-')
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'e2e', '--json'])) as { key: string }).key
})
afterAll(async () => {
  await server?.stop()
  removeDir(agentDir)
  removeDir(server.dataDir)
})

const api = async (path: string) => {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${apiKey}` } })
  expect(res.status).toBe(200)
  return res.json() as Promise<Record<string, unknown> & { hosts: { id: string; hostname: string }[] }>
}

describe('real agent → real server', () => {
  it('enrolls with a token and keeps its secret readable by its owner only', async () => {
    const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--uses', '1', '--json'])) as { token: string }
    const r = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', token, '--dir', agentDir], process.env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Enrolled with|Angemeldet bei/)
    const cfg = join(agentDir, 'config.json')
    expect(statSync(cfg).mode & 0o077).toBe(0)
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toMatchObject({ server: server.url, agentId: expect.any(String), secret: expect.any(String) })
    // The token was for one use only.
    const otherDir = tempDir('lagebild-agent2-')
    const again = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', token, '--dir', otherDir], process.env)
    removeDir(otherDir)
    expect(again.code).not.toBe(0)
    expect(again.stderr).toMatch(/used up/)
  })

  it('reports this machine; the server lists it with real facts and judged measures', async () => {
    const r = await run(AGENT_BIN, ['run', '--once', '--dir', agentDir], process.env)
    expect(r.code, r.stderr).toBe(0)
    const list = await api('/api/v1/hosts')
    expect(list.hosts.map((h) => h.hostname)).toContain(hostname())
    const id = list.hosts.find((h) => h.hostname === hostname())!.id
    const detail = (await api(`/api/v1/hosts/${id}`)) as unknown as {
      host: { machineId: string; osFamily: string }
      facts: Record<string, { value: Record<string, unknown> }>
      findings: { measureId: string; status: string }[]
    }
    expect(detail.host.machineId).toBe(readFileSync('/etc/machine-id', 'utf8').trim())
    expect(detail.host.osFamily).toBe('linux')
    // A real fact read from this machine: its memory as the kernel tells it.
    const memKb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1])
    const inv = detail.facts['base.inventory']!.value as { memoryBytes: number }
    expect(Math.abs(inv.memoryBytes - memKb * 1024)).toBeLessThan(1024 * 1024)
    // Every agent measure has a finding, and what could not be read is never ok.
    expect(detail.findings.map((f) => f.measureId)).toEqual(expect.arrayContaining(['base.patches', 'base.firewall', 'base.backups', 'base.inventory']))
    for (const f of detail.findings) {
      const fact = detail.facts[f.measureId]?.value
      if (!fact || 'error' in fact) expect(f.status).not.toBe('ok')
    }
  })

  it('the server keeps everything across a restart (one SQLite file)', async () => {
    const before = await api('/api/v1/hosts')
    await server.stop()
    server = await startServer({}, server.dataDir)
    const after = await api('/api/v1/hosts')
    expect(after.hosts).toEqual(before.hosts.map((h) => ({ ...h, silent: expect.any(Boolean) })))
  })

  it('the board and the API docs are served', async () => {
    const docs = await fetch(server.url + '/docs/json')
    expect(docs.status).toBe(200)
    const spec = (await docs.json()) as { paths: Record<string, unknown> }
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/reports', '/api/v1/enroll', '/api/v1/hosts', '/api/v1/hosts/{id}']))
    const health = await fetch(server.url + '/healthz')
    expect(await health.json()).toEqual({ status: 'ok' })
  })
})
