// Every number, string and list a client can send has both bounds, proven by walking the OpenAPI document (every
// route's params, query and body) and the agent's WebSocket frames; then the concrete attacks of issue #11 item 5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import { AgentMessageSchema, type Report } from '@lagebild/shared'
import { reports } from '../src/db/schema.js'
import { MAX_OFFSET } from '../src/schemas/common.js'
import { harness, host, report, type Harness } from './helper.js'

type Schema = Record<string, unknown> & { type?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[] }

/**
 * Inputs allowed without a bound of their own, each with the reason. Nothing else may be unbounded.
 * The request body as a whole is bounded by LAGEBILD_BODY_LIMIT.
 */
const UNBOUNDED_ALLOWED: Record<string, string> = {
  'PUT /api/v1/channels/{id} body.config{}': "checked against the channel type's own configSchema in services/channels.ts before it is stored",
}

/** Every place in a schema where a number, string or list lacks a bound, as "where: what is missing". */
function unbounded(schema: Schema | undefined, at: string, out: string[]) {
  if (!schema || typeof schema !== 'object') return
  if ('const' in schema || 'enum' in schema) return
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v)
  if (types.includes('integer') || types.includes('number')) {
    if (!finite(schema.minimum) && !finite(schema.exclusiveMinimum)) out.push(`${at}: number without minimum`)
    if (!finite(schema.maximum) && !finite(schema.exclusiveMaximum)) out.push(`${at}: number without maximum`)
    if (finite(schema.maximum) && (schema.maximum as number) > Number.MAX_SAFE_INTEGER) out.push(`${at}: maximum beyond 2^53`)
  }
  if (types.includes('string') && !finite(schema.maxLength)) out.push(`${at}: string without maxLength`)
  if (types.includes('array') && !finite(schema.maxItems)) out.push(`${at}: list without maxItems`)
  const composite = schema.anyOf ?? schema.oneOf ?? schema.allOf
  if (schema.type === undefined && !composite && !UNBOUNDED_ALLOWED[at]) out.push(`${at}: any value (no type)`)
  for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) unbounded(v, `${at}.${k}`, out)
  if (schema.items) unbounded(schema.items as Schema, `${at}[]`, out)
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') unbounded(schema.additionalProperties as Schema, `${at}{}`, out)
  for (const v of Object.values((schema.patternProperties ?? {}) as Record<string, Schema>)) unbounded(v, `${at}{}`, out)
  for (const [i, v] of (composite ?? []).entries()) unbounded(v, `${at}|${i}`, out)
}

let t: Harness
let agent: { auth: { authorization: string }; h: ReturnType<typeof host> }
const admin = () => ({ authorization: `Bearer ${t.apiKey}` })
const stored = () => t.db.select({ n: count() }).from(reports).get()!.n

beforeAll(async () => {
  t = await harness()
  const h = host()
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token: t.token(), host: h } })
  const c = res.json() as { agentId: string; secret: string }
  agent = { h, auth: { authorization: `Bearer ${c.agentId}.${c.secret}` } }
})
afterAll(async () => t.close())

describe('no input without bounds', () => {
  it('every parameter and body field of every route in the OpenAPI document is bounded', () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>> }
    const out: string[] = []
    let inputs = 0
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          inputs++
          unbounded(p.schema, `${method.toUpperCase()} ${path} ${p.in}:${p.name}`, out)
        }
        for (const c of Object.values(op.requestBody?.content ?? {})) {
          inputs++
          unbounded(c.schema, `${method.toUpperCase()} ${path} body`, out)
        }
      }
    // The walk reached the routes that take input (it would pass vacuously on an empty document).
    expect(inputs).toBeGreaterThan(20)
    expect(out).toEqual([])
  })

  it('every field of every agent WebSocket frame is bounded', () => {
    const out: string[] = []
    unbounded(AgentMessageSchema as unknown as Schema, 'agent frame', out)
    expect(out).toEqual([])
  })

  it('the walk finds what is missing (a schema without bounds is reported)', () => {
    const out: string[] = []
    unbounded({ type: 'object', properties: { n: { type: 'integer', minimum: 0 }, s: { type: 'string' }, l: { type: 'array', items: { type: 'number', minimum: 0, maximum: 1e300 } } } }, 'x', out)
    expect(out).toEqual(['x.n: number without maximum', 'x.s: string without maxLength', 'x.l: list without maxItems', 'x.l[]: maximum beyond 2^53'])
  })
})

describe('huge numbers are a 400, never a 500', () => {
  const lists = ['/api/v1/hosts', '/api/v1/alerts']
  it.each(lists.flatMap((l) => ['1e20', '9223372036854775808', '9223372036854775807', '1e308', String(MAX_OFFSET + 1), '-1', '0x10', '1.5', '%20', 'NaN', 'Infinity'].map((v) => [l, v])))(
    '%s?offset=%s',
    async (list, v) => {
      const res = await t.app.inject({ url: `${list}?offset=${v}`, headers: admin() })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: 'invalid-input', path: '/offset' })
    },
  )

  it.each(lists)('%s with the largest allowed offset answers an empty page', async (list) => {
    const res = await t.app.inject({ url: `${list}?offset=${MAX_OFFSET}&limit=500`, headers: admin() })
    expect(res.statusCode).toBe(200)
  })

  it('a token lifetime of 99999999999999d is refused (it used to be an invalid date: 500)', async () => {
    for (const expires of ['99999999999999d', '367d', '53w']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/enroll-tokens', headers: admin(), payload: { expires } })
      expect(res.statusCode, expires).toBe(400)
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/enroll-tokens', headers: admin(), payload: { expires: '366d' } })).statusCode).toBe(200)
  })

  const inventory = (over: Record<string, unknown>) =>
    ({ 'base.inventory': { manufacturer: null, model: null, serial: null, cpu: null, cores: 4, memoryBytes: 8e9, virtual: null, osName: 'Windows 11 Pro', osVersion: '23H2', osBuild: null, disks: [], ...over } }) as Report['facts']

  it.each([
    ['memoryBytes', { memoryBytes: 1e308 }, '/facts/base.inventory/memoryBytes'],
    ['cores', { cores: 2 ** 63 }, '/facts/base.inventory/cores'],
    ['a disk size', { disks: [{ name: 'nvme0n1', sizeBytes: 1e308 }] }, '/facts/base.inventory/disks/0/sizeBytes'],
  ])('a report with %s = 1e308 (or 2^63) is refused and nothing is stored', async (_what, over, path) => {
    const before = stored()
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: agent.auth, payload: report(agent.h, inventory(over)) })
    expect(res.statusCode).toBe(400)
    // The union of a fact and its error names the fact slot itself.
    expect(res.json().path).toMatch(new RegExp(`^${path.split('/').slice(0, 3).join('/')}`))
    expect(stored()).toBe(before)
  })

  it('the largest exact integer is still accepted (a real 8 PiB is not refused)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: agent.auth, payload: report(agent.h, inventory({ memoryBytes: Number.MAX_SAFE_INTEGER })) })
    expect(res.statusCode).toBe(200)
  })
})
