// Agent authentication gives nothing away: an unknown agent id costs the same work as a wrong secret (the secret is
// hashed and compared either way), and both get the same answer. Checked by watching the hash function, not by timing
// (the timing figures are in docs/benchmarks.md: bench/agent-auth.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { randomUUID } from 'node:crypto'

vi.mock('../src/crypto.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/crypto.js')>()
  return { ...real, sha256: vi.fn(real.sha256), safeEqualHex: vi.fn(real.safeEqualHex) }
})
const crypto = await import('../src/crypto.js')
const { harness, report: reportOf, firewallOn } = await import('./helper.js')

let h: Awaited<ReturnType<typeof harness>>
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

async function attempt(bearer: string, secret: string) {
  vi.mocked(crypto.sha256).mockClear()
  vi.mocked(crypto.safeEqualHex).mockClear()
  const a = h.enroll()
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: bearer }, payload: reportOf(a.identity, firewallOn) })
  return {
    status: res.statusCode,
    body: res.json() as { error: string; message: string },
    hashedSecret: vi.mocked(crypto.sha256).mock.calls.some(([s]) => s === secret),
    compared: vi.mocked(crypto.safeEqualHex).mock.calls.length,
  }
}

describe('agent credentials', () => {
  it('an unknown agent id hashes and compares the secret just like a known id with a wrong secret', async () => {
    const secret = 'a-secret-that-is-wrong-for-everyone'
    const known = h.enroll()
    const unknown = await attempt(`Bearer ${randomUUID()}.${secret}`, secret)
    const wrong = await attempt(`Bearer ${known.agentId}.${secret}`, secret)
    expect(unknown.hashedSecret).toBe(true)
    expect(unknown.compared).toBe(1)
    expect(wrong.hashedSecret).toBe(true)
    expect(wrong.compared).toBe(1)
    // …and the same answer: whether the id exists is not told.
    expect(unknown.status).toBe(401)
    expect(unknown.body).toEqual(wrong.body)
    expect(unknown.body.error).toBe('bad-credentials')
  })

  it('a token without an id part is hashed and compared too', async () => {
    const r = await attempt('Bearer justonelongwordwithoutadot', 'justonelongwordwithoutadot')
    expect(r.status).toBe(401)
    expect(r.hashedSecret).toBe(true)
    expect(r.compared).toBe(1)
  })
})
