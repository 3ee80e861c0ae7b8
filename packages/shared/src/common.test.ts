// What passes validation as a date must be a real instant: the agent, the server's routes and the board all rely on it.
import { describe, expect, it } from 'vitest'
import { Compile } from 'typebox/compile'
import Type from 'typebox'
import { IsoDateSchema } from './common.js'
import { ReportSchema } from './report.js'

const check = Compile(IsoDateSchema)

describe('IsoDateSchema: only real instants', () => {
  it.each([
    '2026-11-28T08:00:00.000Z',
    '2026-11-28T08:00:00Z',
    '2026-11-28T09:00:00+01:00',
    '2024-02-29T12:00:00Z',
    '2026-11-28T08:00:00.123456789Z', // restic prints nanoseconds
  ])('accepts %s', (s) => {
    expect(check.Check(s)).toBe(true)
    expect(Number.isFinite(Date.parse(s))).toBe(true)
  })

  it.each([
    ['a leap second (Date.parse gives NaN)', '2026-12-31T23:59:60Z'],
    ['lower-case t and z (sorts wrongly as text)', '2026-11-28t08:00:00z'],
    ['lower-case z', '2026-11-28T08:00:00z'],
    ['no zone', '2026-11-28T08:00:00'],
    ['30 February (Date.parse rolls it over to March)', '2026-02-30T00:00:00Z'],
    ['hour 24', '2026-11-28T24:00:00Z'],
    ['an RFC 9557 zone suffix', '2026-11-28T08:00:00Z[Europe/Berlin]'],
    ['a date only', '2026-11-28'],
  ])('refuses %s', (_, s) => expect(check.Check(s)).toBe(false))

  it('holds for every schema with format date-time, also ones written elsewhere (the server\'s routes)', () => {
    const inline = Compile(Type.Object({ until: Type.String({ format: 'date-time' }) }))
    expect(inline.Check({ until: '2026-12-31T23:59:60Z' })).toBe(false)
    expect(inline.Check({ until: '2026-12-31T23:59:59Z' })).toBe(true)
    
  })

  it('a report with a leap-second collectedAt is refused', () => {
    const report = {
      v: 1, id: '8f0c9b1e-3f4a-4a8e-9d3c-2b1a0f9e8d7c', kind: 'quick', collectedAt: '2026-12-31T23:59:60Z',
      host: { machineId: 'machine-0001', hostname: 'pc', os: { family: 'linux', distribution: 'Debian', version: '12', build: null }, kernel: '6.1', arch: 'x64', agentVersion: '0.1.0', bootTime: null },
      facts: {},
    }
    const c = Compile(ReportSchema)
    expect(c.Check(report)).toBe(false)
    expect(c.Check({ ...report, collectedAt: '2026-12-31T23:59:59Z' })).toBe(true)
  })
})
