// The one error handler's contract: a server error tells the client nothing of the inside, only an id under which the
// details are in the log; refusals (4xx) say what is wrong; unknown paths are 404, never the board with 200.
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { harness, type Harness } from './helper.js'

let h: Harness
let logLines: Record<string, unknown>[]
beforeEach(async () => {
  logLines = []
  const stream = new PassThrough()
  stream.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>)
  })
  h = await harness({ logStream: stream })
})
afterEach(async () => h.close())

describe('5xx', () => {
  it('answers with a request id and nothing of the inside; the log has the details under that id', async () => {
    // A real internal failure: the database goes away under a running server.
    h.db.$client.close()
    const res = await h.app.inject({ url: '/api/v1/overview', headers: h.auth })
    expect(res.statusCode).toBe(500)
    const body = res.json() as { error: string; message: string; requestId: string }
    expect(Object.keys(body).sort()).toEqual(['error', 'message', 'requestId'])
    expect(body).toMatchObject({ error: 'internal', message: 'internal server error' })
    expect(res.body).not.toMatch(/database|sqlite|connection|stack|\.ts:/i)
    const logged = logLines.find((l) => l.msg === 'request failed')
    expect(logged).toBeDefined()
    expect(logged!.reqId).toBe(body.requestId)
    expect(logged!.level).toBe(50)
    expect(JSON.stringify(logged!.err)).toMatch(/database connection is not open/)
  })

  it('gives every request its own id (a 5xx points at one log line)', async () => {
    h.db.$client.close()
    const ids = await Promise.all([1, 2].map(async () => (await h.app.inject({ url: '/api/v1/overview', headers: h.auth })).json<{ requestId: string }>().requestId))
    expect(ids[0]).not.toBe(ids[1])
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('4xx', () => {
  it('a refusal of the domain says what is wrong, with its code and the status of its kind', async () => {
    const res = await h.api<{ error: string; message: string }>('POST', '/api/v1/alerts/none/snooze', { minutes: 5 })
    expect(res).toEqual({ status: 404, body: { error: 'not-found', message: 'no such alert' } })
    const a = h.enroll()
    h.store(a, { 'base.firewall': { backend: 'windows', profiles: [{ name: 'Public', enabled: false, defaultInbound: 'block' }] } })
    const [alert] = (await h.api<{ alerts: { id: string }[] }>('GET', '/api/v1/alerts')).body.alerts
    const past = await h.api('POST', `/api/v1/alerts/${alert!.id}/snooze`, { until: '2000-01-01T00:00:00Z' })
    expect(past).toEqual({ status: 400, body: { error: 'bad-request', message: 'snooze: the time must lie in the future' } })
    expect(logLines.filter((l) => l.msg === 'request failed')).toHaveLength(0)
  })
})

describe('paths that are neither page nor API', () => {
  for (const path of ['/metrics', '/openapi.json', '/api/v1/nothing', '/hosts/a/b', '/.env'])
    it(`${path} is a 404 with a JSON error, not the board`, async () => {
      const res = await h.app.inject({ url: path })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toMatch(/application\/json/)
      expect(res.json()).toMatchObject({ error: 'not-found' })
    })

  it('the OpenAPI document is at /docs/json', async () => {
    const res = await h.app.inject({ url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'Lagebild API' } })
  })
})
