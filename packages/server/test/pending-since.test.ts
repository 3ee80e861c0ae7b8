import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS, evaluateFact, type PatchesFact } from '@lagebild/shared'
import { carryPendingSince } from '../src/services/pending-since.js'

const fact = (items: PatchesFact['items']): PatchesFact => ({
  manager: 'apt', pending: items.length, security: items.filter((i) => i.security).length, items,
  oldestPendingSince: null, lastInstall: null, lastCheck: '2026-11-28T06:00:00.000Z', rebootRequired: false,
})
const openssl = { name: 'openssl', version: '3.0.15-1~deb12u1', security: true, source: 'Debian-Security:12/stable-security' }
const curl = { name: 'curl', version: '7.88.1-10+deb12u8', security: true, source: 'Debian-Security:12/stable-security' }

describe('age of pending updates the package manager does not date', () => {
  it('updates pending at first sight keep an unknown age and are judged a deviation at once', () => {
    const first = carryPendingSince(undefined, fact([openssl]), '2026-11-28T08:00:00.000Z')
    expect(first.items[0]!.since).toBeUndefined()
    expect(evaluateFact('base.patches', first, DEFAULT_THRESHOLDS, new Date('2026-11-28T08:00:00Z')).status).toBe('deviation')
  })

  it('an update that appears later is dated by the report that first listed it, and ages from there', () => {
    const prev = fact([openssl])
    const next = carryPendingSince(prev, fact([openssl, curl]), '2026-11-28T08:00:00.000Z')
    expect(next.items.find((i) => i.name === 'curl')!.since).toBe('2026-11-28T08:00:00.000Z')
    // openssl was there before and stays undated.
    expect(next.items.find((i) => i.name === 'openssl')!.since).toBeUndefined()
    const onlyCurl = carryPendingSince(fact([]), fact([curl]), '2026-11-28T08:00:00.000Z')
    expect(evaluateFact('base.patches', onlyCurl, DEFAULT_THRESHOLDS, new Date('2026-11-29T08:00:00Z')).status).toBe('ok')
    const later = carryPendingSince(onlyCurl, fact([curl]), '2026-12-01T09:00:00.000Z')
    expect(later.items[0]!.since).toBe('2026-11-28T08:00:00.000Z')
    const judged = evaluateFact('base.patches', later, DEFAULT_THRESHOLDS, new Date('2026-12-01T09:00:00Z'))
    expect(judged.status).toBe('deviation')
    expect(judged.reason.en).toMatch(/pending, for 3 d/)
  })

  it('a new version of a package is a new update', () => {
    const dated = carryPendingSince(fact([]), fact([curl]), '2026-11-20T08:00:00.000Z')
    const newer = carryPendingSince(dated, fact([{ ...curl, version: '7.88.1-10+deb12u9' }]), '2026-11-28T08:00:00.000Z')
    expect(newer.items[0]!.since).toBe('2026-11-28T08:00:00.000Z')
  })
})

describe('age of a pending restart', () => {
  const at = (iso: string, reboot: boolean | null): PatchesFact => ({ ...fact([]), rebootRequired: reboot, lastCheck: iso })
  it('a restart pending at first sight is a deviation at once', () => {
    const first = carryPendingSince(undefined, at('2026-11-28T08:00:00.000Z', true), '2026-11-28T08:00:00.000Z')
    expect(evaluateFact('base.patches', first, DEFAULT_THRESHOLDS, new Date('2026-11-28T08:00:00Z')).status).toBe('deviation')
  })
  it('a restart that became due while watched is dated and judged against rebootPendingMaxHours (72 h)', () => {
    const before = at('2026-11-27T08:00:00.000Z', false)
    const due = carryPendingSince(before, at('2026-11-28T08:00:00.000Z', true), '2026-11-28T08:00:00.000Z')
    expect(due.rebootRequiredSince).toBe('2026-11-28T08:00:00.000Z')
    expect(evaluateFact('base.patches', due, DEFAULT_THRESHOLDS, new Date('2026-11-29T08:00:00Z')).status).toBe('ok')
    const still = carryPendingSince(due, at('2026-12-01T09:00:00.000Z', true), '2026-12-01T09:00:00.000Z')
    expect(still.rebootRequiredSince).toBe('2026-11-28T08:00:00.000Z')
    const judged = evaluateFact('base.patches', still, DEFAULT_THRESHOLDS, new Date('2026-12-01T09:00:00Z'))
    expect(judged.status).toBe('deviation')
    expect(judged.reason.de).toContain('Neustart')
    // After the restart the date is gone.
    expect(carryPendingSince(still, at('2026-12-01T10:00:00.000Z', false), '2026-12-01T10:00:00.000Z').rebootRequiredSince).toBeNull()
  })
})
