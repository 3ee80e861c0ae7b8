// Property-based fuzzing in CI (issue #11): a seed-fixed, small run of every ingest path and admin endpoint and of
// WebSocket frames — no 5xx, no crash, nothing stored that its schema would not accept on a second read. The
// 100,000-case run with memory figures: node_modules/.bin/tsx bench/fuzz.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { harness, type Harness } from './helper.js'
import { fuzzServer, storedProblems } from './fuzz-lib.js'

const SEED = 20261130
let h: Harness
beforeAll(async () => {
  h = await harness({ listen: true })
})
afterAll(async () => h.close())

describe('fuzzing (seed-fixed)', () => {
  it(`reports, admin requests and agent frames: no 5xx, the server still answers, everything stored fits its schema (seed ${SEED})`, async () => {
    const r = await fuzzServer(
      { url: h.url, auth: h.auth, db: h.db, inject: (o) => h.app.inject(o as never), enroll: () => h.enroll(), swagger: () => h.app.swagger() },
      { seed: SEED, reports: 400, admin: 600, frames: 300, WebSocket: WebSocket as never },
    )
    expect(r.failures).toEqual([])
    expect(r.cases).toBe(1300)
    // The run reached every outcome it should: stored reports, refused ones, refused admin input, closed connections.
    expect(r.statuses['report 200']).toBeGreaterThan(10)
    expect(r.statuses['report 400']).toBeGreaterThan(10)
    expect(r.statuses['admin 400']).toBeGreaterThan(10)
    expect(r.statuses['frame closed']).toBeGreaterThan(10)
    expect(r.statuses['frame answered']).toBeGreaterThan(10)
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200)
    expect(storedProblems(h.db)).toEqual([])
  })
})
