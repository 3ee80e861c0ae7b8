// Times from agents (issue #11 item 3), the pure part: read as instants, written in one form, bounded by the server's
// clock and the agent's enrollment. The ingest part (a 9999 report no longer freezes the facts) is in ingest.test.ts.
import { describe, expect, it } from 'vitest'
import { CLOCK_SKEW_MS, clockReason, timeReport } from '../src/services/agent-time.js'
import { firewallOn, host, report } from './helper.js'

const NOW = new Date('2026-11-30T12:00:00.000Z')
const ENROLLED = '2026-11-01T00:00:00.000Z'

describe('timeReport', () => {
  it('a believable report keeps its time, written as UTC with milliseconds', () => {
    const t = timeReport(report(host(), firewallOn, { collectedAt: '2026-11-30T13:59:00+02:00' }), NOW, ENROLLED)
    expect(t.effectiveAt).toBe('2026-11-30T11:59:00.000Z')
    expect(t.report.collectedAt).toBe('2026-11-30T11:59:00.000Z')
    expect(t.clock).toBeNull()
  })

  it('a spooled report from days ago (after enrollment) is believed', () => {
    const t = timeReport(report(host(), firewallOn, { collectedAt: '2026-11-27T08:00:00Z' }), NOW, ENROLLED)
    expect(t.effectiveAt).toBe('2026-11-27T08:00:00.000Z')
    expect(t.clock).toBeNull()
  })

  it('year 9999: stored, but ordered by the receive time, and the clock is a finding', () => {
    const t = timeReport(report(host(), firewallOn, { collectedAt: '9999-12-31T23:59:59Z' }), NOW, ENROLLED)
    expect(t.effectiveAt).toBe(NOW.toISOString())
    expect(t.clock?.aheadMs).toBeGreaterThan(1e12)
    expect(clockReason(t.clock)!.en).toMatch(/clock is \d+ min ahead/)
  })

  it('within the skew allowance (a few minutes ahead) is believed; beyond it is not', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString()
    expect(timeReport(report(host(), {}, { collectedAt: at(CLOCK_SKEW_MS - 1000) }), NOW, ENROLLED).clock).toBeNull()
    expect(timeReport(report(host(), {}, { collectedAt: at(CLOCK_SKEW_MS + 1000) }), NOW, ENROLLED).clock).not.toBeNull()
  })

  it('before the agent was enrolled: the clock is behind', () => {
    const t = timeReport(report(host(), {}, { collectedAt: '2020-01-01T00:00:00Z' }), NOW, ENROLLED)
    expect(t.clock).toEqual({ beforeEnrollment: true })
    expect(t.effectiveAt).toBe(NOW.toISOString())
    expect(clockReason(t.clock)!.de).toMatch(/geht nach/)
  })

  it('a fact dated in the future is not believed: it becomes an error entry (judged unknown, never fresh)', () => {
    const facts = {
      'base.backups': { sources: [{ kind: 'restic', location: '/srv/restic', lastSuccess: '9999-01-01T00:00:00Z' }] },
      'base.firewall': firewallOn['base.firewall'],
    }
    const t = timeReport(report(host(), facts as never, { collectedAt: NOW.toISOString() }), NOW, ENROLLED)
    expect(t.report.facts['base.backups']).toMatchObject({ error: { code: 'failed', message: expect.stringMatching(/in the future \(9999-01-01T00:00:00Z\)/) } })
    expect(t.report.facts['base.firewall']).toEqual(firewallOn['base.firewall'])
  })

  it('a boot time in the future is dropped (unknown), others are written as UTC', () => {
    const h = { ...host(), bootTime: '2030-01-01T00:00:00Z' }
    expect(timeReport(report(h, {}), NOW, ENROLLED).report.host.bootTime).toBeNull()
    const g = { ...host(), bootTime: '2026-11-30T08:00:00+01:00' }
    expect(timeReport(report(g, {}, { collectedAt: NOW.toISOString() }), NOW, ENROLLED).report.host.bootTime).toBe('2026-11-30T07:00:00.000Z')
  })
})
