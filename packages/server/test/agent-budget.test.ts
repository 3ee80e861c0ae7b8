// The per-agent budget (issue #11 item 6): a flood of big reports from one agent is refused after its burst, becomes one
// alert (not one per report), leaves other agents alone, and the alert resolves itself once the agent behaves again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBudget, DEFAULT_BUDGET } from '../src/services/agent-budget.js'
import { harness, type Harness } from './helper.js'

const MB = 1024 * 1024
const HOUR = 3_600_000

describe('the buckets', () => {
  it('150 reports of 1 MB in 3 s: the first 32 pass, the rest wait; a normal agent’s day is a few percent', () => {
    const b = createBudget()
    const t0 = Date.parse('2026-11-30T12:00:00Z')
    const verdicts = Array.from({ length: 150 }, (_, i) => b.take('flood', MB, t0 + i * 20))
    expect(verdicts.filter((v) => v.ok)).toHaveLength(32)
    const refused = verdicts.find((v) => !v.ok)!
    expect(refused).toMatchObject({ ok: false, exceeded: 'bytes' })
    // 1 MB at 64 MB a day: about 22 minutes.
    expect(refused.ok ? 0 : refused.retryAfterS).toBeGreaterThan(20 * 60)
    expect(refused.ok ? 0 : refused.retryAfterS).toBeLessThan(23 * 60)
    // A normal agent: 96 full reports of 20 kB and 60 quick ones of 2 kB in a day.
    for (let i = 0; i < 96; i++) expect(b.take('normal', 20_000, t0 + i * 15 * 60_000).ok).toBe(true)
    for (let i = 0; i < 60; i++) expect(b.take('normal', 2_000, t0 + i * 24 * 60_000).ok).toBe(true)
    expect(b.left('normal', t0 + 24 * HOUR)).toBeGreaterThan(0.9)
  })

  it('a day offline replays at once (a full spool of 500 reports fits the burst, with room for resends)', () => {
    const b = createBudget()
    const t0 = Date.parse('2026-11-30T12:00:00Z')
    for (let i = 0; i < 600; i++) expect(b.take('back', 20_000, t0 + i).ok).toBe(true)
    expect(b.take('back', 20_000, t0 + 600)).toMatchObject({ ok: false, exceeded: 'reports' })
  })

  it('a report larger than the burst waits one full refill instead of never', () => {
    const b = createBudget()
    const v = b.take('huge', 100 * MB, 0)
    expect(v.ok).toBe(true)
    const w = b.take('huge', 100 * MB, 1)
    expect(w.ok).toBe(false)
    expect(w.ok ? 0 : w.retryAfterS).toBeLessThanOrEqual(Math.ceil(DEFAULT_BUDGET.bytes.burst / (DEFAULT_BUDGET.bytes.perDay / 86_400)))
  })
})

describe('at ingest: one alert, not an outage', () => {
  let h: Harness
  beforeEach(async () => {
    h = await harness()
  })
  afterEach(async () => h.close())

  const alertsOf = async (hostId: string) =>
    (await h.api<{ alerts: { measureId: string; state: string; reason: { en: string }; measureTitle: { en: string } }[] }>('GET', `/api/v1/alerts?hostId=${hostId}&state=active`)).body.alerts

  it('a flooding agent gets one "sends too much" alert that counts what was refused; another agent is not touched; it resolves itself', async () => {
    const flood = h.enroll()
    const quiet = h.enroll()
    let now = new Date('2026-11-30T12:00:00Z')
    const verdicts = Array.from({ length: 150 }, (_, i) => h.app.agentBudget.admit(flood.agent, MB, new Date(now.getTime() + i * 20)))
    expect(verdicts.filter((v) => !v.ok)).toHaveLength(118)
    expect(h.app.agentBudget.admit(quiet.agent, 20_000, now).ok).toBe(true)

    const open = await alertsOf(flood.hostId)
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ measureId: 'agent.budget', state: 'open', measureTitle: { en: 'Agent sends too much' } })
    expect(open[0]!.reason.en).toMatch(/^The agent sends more than its budget allows: 1 reports \(1\.0 MB\) refused/)
    expect(await alertsOf(quiet.hostId)).toEqual([])

    // A minute later, still flooding: the same alert, its count brought up to date.
    now = new Date(now.getTime() + 61_000)
    h.app.agentBudget.admit(flood.agent, MB, now)
    const again = await alertsOf(flood.hostId)
    expect(again).toHaveLength(1)
    expect(again[0]!.reason.en).toMatch(/: 119 reports \(119\.0 MB\) refused/)

    // Half a day later the burst has refilled: the next report passes and the alert resolves.
    now = new Date(now.getTime() + 12 * HOUR)
    expect(h.app.agentBudget.admit(flood.agent, 20_000, now).ok).toBe(true)
    expect(await alertsOf(flood.hostId)).toEqual([])
  })
})
