// Property-based fuzzing of the server (issue #11), shared by the seed-fixed CI run (fuzz.test.ts) and the 100,000-case
// bench (bench/fuzz.ts): what to send, and what must hold afterwards — no 5xx, and nothing stored that its schema would
// not accept when read back.
import fc from 'fast-check'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import {
  AlertSettingsSchema, FACT_SCHEMAS, FactErrorSchema, HostIdentitySchema, isInstant, ReportSchema, type HostIdentity, type Report,
} from '@lagebild/shared'
import type { Db } from '../src/db/index.js'
import { CHANNELS, type ChannelType } from '../src/channels/index.js'
import { ThresholdOverrideSchema } from '../src/schemas/thresholds.js'
import { TagSchema } from '../src/schemas/common.js'
import { decodeReportBody } from '../src/services/report-body.js'
import { report } from './helper.js'

/** Values that broke or could break something: the edges of numbers and dates, text no name should hold, shapes. */
const EDGES: unknown[] = [
  1e308, -1e308, 2 ** 63, -(2 ** 63), 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, -1, 0, -0, 0.5, 65536,
  '', ' ', '\u0000', '\r\n', '\u202E', '\u200B', '\uD800', 'x'.repeat(70_000), '<!channel>', '[x](https://evil.example)', "' OR 1=1 --", '%', '__proto__',
  '2026-12-31T23:59:60Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00Z', '2026-11-30t00:00:00z', '2026-02-30T00:00:00Z', 'NaN',
  null, true, false, [], {}, [[[[[]]]]], { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } },
]

export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
)

type Path = (string | number)[]
function leaves(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at)
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...at, i], out))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...at, k], out)
  return out
}
function apply(root: unknown, path: Path, action: 'replace' | 'delete' | 'add', value: unknown): unknown {
  if (!path.length) return action === 'replace' ? value : root
  const copy = structuredClone(root) as Record<string | number, unknown>
  let parent: unknown = copy
  for (const k of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k]
  if (!parent || typeof parent !== 'object') return copy
  const p = parent as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (action === 'replace') p[last] = value
  else if (action === 'delete') delete p[last]
  else p[`x${String(last)}`] = value
  return copy
}

/** A valid value changed at 1–3 random places (a field replaced by an edge value, removed, or one added beside it). */
export function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const step = fc.tuple(fc.nat(), fc.constantFrom('replace', 'replace', 'delete', 'add') as fc.Arbitrary<'replace' | 'delete' | 'add'>, nasty)
  return fc.array(step, { minLength: 1, maxLength: 3 }).map((steps) =>
    steps.reduce((v, [i, action, value]) => {
      const paths = leaves(v)
      return apply(v, paths[i % paths.length]!, action, value)
    }, valid),
  )
}

/** What an agent (or someone with its credentials) may send as a report: mostly a real one bent a little. */
export function reportBodies(valid: () => Report): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(null).map(() => JSON.stringify(valid())) },
    { weight: 6, arbitrary: fc.constant(null).chain(() => mutated(valid())).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  )
}

/** Agent WebSocket frames: report messages bent a little, other JSON, text, and binary. */
export function agentFrames(valid: () => Report): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).map(() => JSON.stringify({ type: 'report', report: valid() })) },
    { weight: 6, arbitrary: fc.constant(null).chain(() => mutated({ type: 'report', report: valid() })).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: mutated({ type: 'command-result', commandId: 'c1', ok: true, message: 'done' }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  )
}

interface Operation {
  method: string
  path: string
  params: { in: string; name: string }[]
  body: { properties?: Record<string, unknown> } | null
}

/** Every operation of the OpenAPI document that takes input, for the admin API fuzzer. */
export function operations(doc: { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, { schema: Operation['body'] }> } }>> }, skip: RegExp): Operation[] {
  const out: Operation[] = []
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      if (skip.test(`${method.toUpperCase()} ${path}`)) continue
      const body = op.requestBody ? (Object.values(op.requestBody.content)[0]?.schema ?? null) : null
      if (!op.parameters?.length && !body) continue
      out.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body })
    }
  return out
}

// Fields that name a place to connect to: only loopback (a fuzzed channel must never reach out to the network).
const PLACE = /url|server|host$/i
const placeValue = fc.constantFrom('http://127.0.0.1:9/', 'https://127.0.0.1:9/x', '127.0.0.1', 'ftp://127.0.0.1', '')
const valueFor = (key: string) => (PLACE.test(key) ? fc.oneof(placeValue, nasty) : nasty)

/** A request to one operation: the schema's own field names (plus a stray one at times) with edge values. */
export function requestFor(op: Operation): fc.Arbitrary<{ method: string; url: string; payload?: string }> {
  const props = Object.keys(op.body?.properties ?? {})
  const body = fc
    .tuple(fc.subarray(props), fc.option(fc.constantFrom('__proto__', 'constructor', 'extra'), { nil: undefined }))
    .chain(([keys, extra]) => fc.tuple(...[...keys, ...(extra ? [extra] : [])].map((k) => valueFor(k).map((v) => [k, v] as const))))
    .map((pairs) => JSON.stringify(Object.fromEntries(pairs)))
  // Every byte percent-encoded (a lone surrogate becomes EF BF BD), or one of the malformed escapes as they are.
  const encoded = nasty.map((v) => [...Buffer.from(typeof v === 'string' ? v.slice(0, 2000) : JSON.stringify(v) ?? '')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''))
  const text = fc.oneof({ weight: 5, arbitrary: encoded }, { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ED%A0%80', '%00', '%C0%AF', '..%2F..%2F', '%25%32%35') })
  const query = fc
    .tuple(...op.params.filter((p) => p.in === 'query').map((p) => fc.option(text.map((v) => `${p.name}=${v}`), { nil: undefined })))
    .map((parts) => parts.filter(Boolean).join('&'))
  const pathParams = fc.tuple(...op.params.filter((p) => p.in === 'path').map(() => text.map((v) => v.slice(0, 300) || 'x')))
  return fc.tuple(op.body ? fc.oneof(body, fc.string({ maxLength: 100 })) : fc.constant(undefined), query, pathParams).map(([payload, q, ids]) => {
    let i = 0
    const path = op.path.replace(/\{[^}]+\}/g, () => ids[i++] ?? 'x')
    return { method: op.method, url: q ? `${path}?${q}` : path, ...(payload !== undefined ? { payload } : {}) }
  })
}

const checks = {
  report: Compile(ReportSchema),
  identity: Compile(HostIdentitySchema),
  factError: Compile(FactErrorSchema),
  tag: Compile(TagSchema),
  override: Compile(ThresholdOverrideSchema),
  // Stored alert settings hold only the keys that were changed.
  settings: Compile(Type.Partial(AlertSettingsSchema)),
}
const factChecks = new Map(Object.entries(FACT_SCHEMAS).map(([id, s]) => [id, Compile(s)]))

/** Everything stored that its schema would not accept when read back ("table row: why"); empty: all good. */
export function storedProblems(db: Db): string[] {
  const q = <T>(sql: string) => db.$client.prepare(sql).all() as T[]
  const out: string[] = []
  // A report whose facts changed nothing keeps no body (plugins/ingest.ts): nothing to check then.
  for (const r of q<{ id: string; body: string | null }>('select id, body from reports'))
    if (r.body !== null && !checks.report.Check(JSON.parse(decodeReportBody(r.body)))) out.push(`reports ${r.id}: body is no valid report`)
  for (const f of q<{ host_id: string; fact_id: string; value: string }>('select host_id, fact_id, value from facts')) {
    const v: unknown = JSON.parse(f.value)
    const c = factChecks.get(f.fact_id)
    if (!c || !(c.Check(v) || checks.factError.Check(v))) out.push(`facts ${f.host_id}/${f.fact_id}: value does not fit`)
  }
  for (const h of q<Record<string, string | null>>('select * from hosts')) {
    const identity: HostIdentity = {
      machineId: h.machine_id!, hostname: h.hostname!, os: { family: h.os_family as HostIdentity['os']['family'], distribution: h.os_distribution!, version: h.os_version!, build: h.os_build ?? null },
      kernel: h.kernel!, arch: h.arch!, agentVersion: h.agent_version!, bootTime: h.boot_time ?? null,
    }
    if (!checks.identity.Check(identity)) out.push(`hosts ${h.id}: identity does not fit`)
    if (!(JSON.parse(h.tags!) as unknown[]).every((t) => checks.tag.Check(t))) out.push(`hosts ${h.id}: tags`)
    if (h.maintenance_until !== null && !isInstant(h.maintenance_until!)) out.push(`hosts ${h.id}: maintenance_until ${h.maintenance_until}`)
  }
  for (const t of q<{ scope: string; scope_value: string; values: string }>('select * from threshold_overrides'))
    if (!checks.override.Check(JSON.parse(t.values))) out.push(`threshold_overrides ${t.scope}/${t.scope_value}`)
  const settings = Object.fromEntries(q<{ key: string; value: string }>(`select key, value from settings where key like 'alerts.%'`).map((s) => [s.key.slice(7), JSON.parse(s.value) as unknown]))
  if (!checks.settings.Check(settings)) out.push(`settings: ${JSON.stringify(settings).slice(0, 100)}`)
  for (const c of q<{ id: string; type: ChannelType; config: string }>('select id, type, config from channels'))
    if (!Compile(CHANNELS[c.type].configSchema).Check(JSON.parse(c.config))) out.push(`channels ${c.id}: config does not fit ${c.type}`)
  for (const a of q<{ id: string; snoozed_until: string | null }>('select id, snoozed_until from alerts'))
    if (a.snoozed_until !== null && !isInstant(a.snoozed_until)) out.push(`alerts ${a.id}: snoozed_until ${a.snoozed_until}`)
  return out
}

// ── the runner ──

/** Facts of a plain Windows PC, the starting point of the bent reports. */
const FACTS: Report['facts'] = {
  'base.firewall': { backend: 'windows', profiles: [{ name: 'Public', enabled: true, defaultInbound: 'block' }] },
  'base.patches': { manager: 'wua', pending: 1, security: 1, items: [{ name: 'KB5044284', security: true, since: '2026-11-20T08:00:00Z' }], oldestPendingSince: '2026-11-20T08:00:00Z', lastInstall: null, lastCheck: '2026-11-29T08:00:00Z', rebootRequired: false },
  'base.inventory': { manufacturer: 'Lenovo', model: 'T14', serial: null, cpu: 'i5', cores: 8, memoryBytes: 16e9, virtual: false, osName: 'Windows 11 Pro', osVersion: '23H2', osBuild: '22631.4460', disks: [{ name: 'nvme0', sizeBytes: 512e9 }] },
  'base.passwords': { error: { code: 'permission-denied', message: 'secedit: access denied' } },
}

export interface FuzzTarget {
  url: string
  auth: Record<string, string>
  db: Db
  inject(opts: { method: string; url: string; headers: Record<string, string>; payload?: string }): Promise<{ statusCode: number; body: string }>
  enroll(): { identity: HostIdentity; bearer: string }
  swagger(): unknown
}
export interface FuzzResult {
  cases: number
  statuses: Record<string, number>
  /** Every answer of 500 or above (other than 503 "busy, come back"), with what caused it. */
  failures: string[]
  heapGrowthMiB: number
}

// Slow by design (a password hash each) or sending out: covered elsewhere (login-flood.test.ts, alerts.test.ts).
const SKIP = /^POST \/api\/v1\/(auth\/login|channels\/\{id\}\/test|reports)$/

const count = (r: FuzzResult, key: string) => (r.statuses[key] = (r.statuses[key] ?? 0) + 1)
const isFailure = (status: number) => status >= 500 && status !== 503

/** Sends `n` of each kind; samples are drawn in batches of 500 from seed, seed + 1, … so a run is repeatable. */
export async function fuzzServer(t: FuzzTarget, opts: { seed: number; reports: number; admin: number; frames: number; WebSocket: new (url: string, o: object) => FuzzSocket }): Promise<FuzzResult> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const heap0 = process.memoryUsage().heapUsed
  const r: FuzzResult = { cases: 0, statuses: {}, failures: [], heapGrowthMiB: 0 }
  const agents = Array.from({ length: 8 }, () => t.enroll())
  let next = 0
  const agent = () => agents[next++ % agents.length]!
  const batches = async <T>(arb: fc.Arbitrary<T>, n: number, seed: number, each: (x: T) => Promise<void>) => {
    for (let done = 0, b = 0; done < n; b++) {
      const k = Math.min(500, n - done)
      for (const x of fc.sample(arb, { seed: seed + b, numRuns: k })) await each(x)
      done += k
    }
  }

  // Reports over HTTP, each from one of several agents (and about its own machine, so the bent fields are what is tested).
  await batches(fc.tuple(fc.nat(), reportBodies(() => report({ ...agents[0]!.identity }, FACTS))), opts.reports, opts.seed, async ([i, body]) => {
    const a = agents[i % agents.length]!
    const payload = body.replace(agents[0]!.identity.machineId, a.identity.machineId)
    const res = await t.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer, 'content-type': 'application/json' }, payload })
    r.cases++
    count(r, `report ${res.statusCode}`)
    if (isFailure(res.statusCode)) r.failures.push(`POST /api/v1/reports ${res.statusCode}: ${payload.slice(0, 300)}`)
  })

  // Every admin operation with input, as an admin (API key).
  const ops = operations(t.swagger() as Parameters<typeof operations>[0], SKIP)
  await batches(fc.oneof(...ops.map(requestFor)), opts.admin, opts.seed + 100_000, async (req) => {
    const res = await t.inject({ method: req.method, url: req.url, headers: { ...t.auth, ...(req.payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(req.payload !== undefined ? { payload: req.payload } : {}) })
    r.cases++
    count(r, `admin ${res.statusCode}`)
    if (isFailure(res.statusCode)) r.failures.push(`${req.method} ${req.url.slice(0, 200)} ${res.statusCode}: ${(req.payload ?? '').slice(0, 300)} → ${res.body.slice(0, 200)}`)
  })

  // WebSocket frames on a real connection; a refused frame closes it, the next frame opens a new one.
  let ws = null as FuzzSocket | null
  let a = agent()
  const answers: string[] = []
  const open = () =>
    new Promise<FuzzSocket>((resolve, reject) => {
      a = agent()
      const s = new opts.WebSocket(`${t.url.replace('http', 'ws')}/api/v1/agent`, { headers: { authorization: a.bearer } })
      s.on('message', (d: Buffer) => answers.push(d.toString()))
      s.on('close', () => (ws = null))
      s.on('open', () => resolve(s))
      s.on('error', reject)
    })
  await batches(agentFrames(() => report(a.identity, FACTS)), opts.frames, opts.seed + 200_000, async (frame) => {
    ws ??= await open()
    const before = answers.length
    const s = ws
    s.send(typeof frame === 'string' ? frame.replace(agents[0]!.identity.machineId, a.identity.machineId) : frame)
    // The answer (ack, error) or the close, whichever comes: the next frame must not race the last one's refusal.
    for (let i = 0; i < 200 && answers.length === before && ws === s; i++) await new Promise((res) => setTimeout(res, 2))
    r.cases++
    count(r, `frame ${ws === s ? 'answered' : 'closed'}`)
    for (const m of answers.slice(before)) {
      const msg = JSON.parse(m) as { type: string; status?: number; message?: string }
      if (msg.type === 'error' && isFailure(msg.status ?? 0)) r.failures.push(`ws frame → ${m.slice(0, 200)}: ${String(frame).slice(0, 300)}`)
    }
  })
  ;(ws as FuzzSocket | null)?.close()
  gc?.()
  r.heapGrowthMiB = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024
  return r
}

export interface FuzzSocket {
  on(ev: string, fn: (...a: never[]) => void): void
  send(d: string | Buffer): void
  close(): void
}
