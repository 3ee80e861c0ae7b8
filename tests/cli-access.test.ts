// Access on the server's command line, against the real server: a token without --uses enrolls one PC and says so;
// tokens, API keys and people are listed and revoked; a host is retired and its agent's reports are refused — also on
// a live connection opened before (another process revoked it: the ingest refuses, and the ping check closes it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeDir, run, SERVER_BIN, startServer, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, sendReport } from './lib/demo.js'
import { agentSocket, report } from '../packages/server/test/helper.js'

let server: RealServer
const cli = (args: string[]) => run(SERVER_BIN, [...args, '--lang', 'en'], server.env)
const json = async <T>(args: string[]) => JSON.parse((await cli([...args, '--json'])).stdout) as T
const enroll = (token: string) => fetch(`${server.url}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, host: identity('pc-x', 'linux') }) })

beforeAll(async () => {
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' })
}, 120_000)
afterAll(async () => {
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('lagebild-server on access', () => {
  it('token create without --uses: one PC, and the output says so; token list and token revoke', async () => {
    const r = await cli(['token', 'create'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Enrolls \/ meldet an: 1 PC \(default; more with --uses N/)
    const token = /\n {2}(lbe_\S+)\n/.exec(r.stdout)![1]!
    expect((await enroll(token)).status).toBe(200)
    expect((await enroll(token)).status).toBe(401)
    const many = await json<{ id: string; token: string }>(['token', 'create', '--uses', '5'])
    const list = await cli(['token', 'list'])
    expect(list.stdout).toMatch(/used up\s+1\/1/)
    expect(list.stdout).toMatch(new RegExp(`${many.id}\\s+active\\s+0/5`))
    expect(list.stdout).not.toContain(many.token)
    expect((await cli(['token', 'revoke', '--id', many.id])).code).toBe(0)
    expect((await enroll(many.token)).status).toBe(401)
    const replace = await cli(['token', 'create', '--replace', '--expires', '2d'])
    expect(replace.code).toBe(2)
    expect(replace.stderr).toMatch(/expires within 24 h at most/)
  })

  it('api-key list / revoke and user list / revoke', async () => {
    const k = await json<{ id: string; key: string }>(['api-key', 'create', '--name', 'nagios'])
    expect((await fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${k.key}` } })).status).toBe(200)
    expect((await cli(['api-key', 'list'])).stdout).toMatch(/nagios/)
    expect((await cli(['api-key', 'revoke', '--id', k.id])).code).toBe(0)
    expect((await fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${k.key}` } })).status).toBe(401)
    await cli(['user', 'create', '--username', 'chefin', '--role', 'viewer', '--password', 'chefin password'])
    expect((await cli(['user', 'revoke', '--username', 'chefin'])).code).toBe(0)
    expect((await cli(['user', 'list'])).stdout).toMatch(/chefin\s+viewer\s+–\s+\d{4}-/)
    const last = await cli(['user', 'revoke', '--username', 'admin'])
    expect(last.code).toBe(2)
    expect(last.stderr).toMatch(/the last active admin cannot be revoked/)
  })

  it('host retire: the agent is refused at ingest even on a connection opened before, and host list shows it retired', async () => {
    const { token } = await json<{ token: string }>(['token', 'create'])
    const h = await enrollHost(server.url, token, identity('pc-alt', 'windows'))
    await sendReport(server.url, h, goodFacts('windows'))
    const ws = agentSocket(server.url.replace('http', 'ws') + '/api/v1/agent', { authorization: h.auth })
    await ws.opened
    const r = await cli(['host', 'retire', '--id', h.hostId])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/1 agent\(s\) revoked/)
    ws.ws.send(JSON.stringify({ type: 'report', report: report(h.identity, goodFacts('windows')) }))
    const closed = await ws.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^host-retired: /)
    await expect(sendReport(server.url, h, goodFacts('windows'))).rejects.toThrow(/401/)
    expect((await cli(['host', 'list'])).stdout).not.toContain(h.hostId)
    expect((await cli(['host', 'list', '--retired'])).stdout).toMatch(new RegExp(`${h.hostId}\\s+pc-alt\\s+\\S+\\s+.+retired`))
    expect((await cli(['agent', 'revoke', '--host', h.hostId])).stderr).toMatch(/no active agent/)
  })
})
