import { describe, expect, it } from 'vitest'
import { evaluateFact } from './evaluate.js'
import { FACT_IDS, type AntimalwareFact, type PasswordsFact } from './facts.js'
import { DEFAULT_THRESHOLDS } from './measures.js'

const now = new Date('2026-11-28T08:00:00.000Z')
const th = DEFAULT_THRESHOLDS
type Product = AntimalwareFact['products'][number]

const product = (p: Partial<Product>): Product => ({
  name: 'Example AV',
  enabled: true,
  realTime: true,
  signatureVersion: null,
  signatureUpdated: null,
  ...p,
})
const av = (p: Partial<Product>) => evaluateFact('base.antimalware', { products: [product(p)] }, th, now)

describe('base.antimalware: signatures without a date', () => {
  it('a date wins over the product flag', () => {
    const f = av({ signatureUpdated: '2026-11-28T02:00:00.000Z', signaturesUpToDate: false })
    expect(f.status).toBe('ok')
    expect(av({ signatureUpdated: '2026-11-01T00:00:00.000Z', signaturesUpToDate: true })).toMatchObject({ status: 'deviation', severity: 'high' })
  })

  it('no date, product says current → ok, and the reason says whose word it is', () => {
    const f = av({ signaturesUpToDate: true })
    expect(f.status).toBe('ok')
    expect(f.reason.en).toContain('signatures current (as reported by the product)')
    expect(f.reason.de).toContain('laut Produkt')
  })

  it('no date, product says out of date → high deviation with a fix', () => {
    const f = av({ signaturesUpToDate: false })
    expect(f).toMatchObject({ status: 'deviation', severity: 'high' })
    expect(f.reason.en).toContain('signatures out of date')
    expect(f.fix).toBeDefined()
  })

  it('no date and no flag (null or absent) → unknown', () => {
    expect(av({ signaturesUpToDate: null }).status).toBe('unknown')
    expect(av({}).status).toBe('unknown')
  })

  it('current signatures do not hide an unknown real-time state', () => {
    expect(av({ signaturesUpToDate: true, realTime: null }).status).toBe('unknown')
    expect(av({ signaturesUpToDate: true, realTime: false }).status).toBe('deviation')
  })
})

const pw = (p: Partial<PasswordsFact>) =>
  evaluateFact('base.passwords', { guestEnabled: false, accountsWithoutPassword: null, minPasswordLength: null, screenLockSeconds: null, ...p }, th, now)

describe('base.passwords: empty password allowed vs. empty password', () => {
  it('passwordNotRequired non-empty → medium deviation with a fix in both languages', () => {
    const f = pw({ passwordNotRequired: ['kiosk'] })
    expect(f).toMatchObject({ status: 'deviation', severity: 'medium' })
    expect(f.reason.en).toContain('kiosk')
    expect(f.fix?.de).toContain('/passwordreq:yes')
    expect(f.fix?.en).toContain('/passwordreq:yes')
  })

  it('an account really without a password stays high', () => {
    expect(pw({ accountsWithoutPassword: ['bob'], passwordNotRequired: ['kiosk'] })).toMatchObject({ status: 'deviation', severity: 'high' })
  })

  it('Windows shape (accountsWithoutPassword null, passwordNotRequired empty) with the guest off → ok, without claiming more than was read', () => {
    const f = pw({ passwordNotRequired: [] })
    expect(f.status).toBe('ok')
    expect(f.reason.en).toContain('allowed an empty password')
  })

  it('a readable guest account does not make up for unread accounts → unknown', () => {
    expect(pw({ guestEnabled: false }).status).toBe('unknown')
    expect(pw({ guestEnabled: null }).status).toBe('unknown')
  })

  it('accounts read but the guest state unknown → unknown', () => {
    expect(pw({ guestEnabled: null, accountsWithoutPassword: [] }).status).toBe('unknown')
    expect(pw({ guestEnabled: null, passwordNotRequired: [] }).status).toBe('unknown')
  })

  it('a problem is reported even when other parts are unknown', () => {
    expect(pw({ guestEnabled: true }).status).toBe('deviation')
  })

  it('both lists read and empty, guest off → ok', () => {
    expect(pw({ accountsWithoutPassword: [] }).status).toBe('ok')
  })
})

describe('a missing slot or an error is never ok', () => {
  it.each(FACT_IDS)('%s', (id) => {
    expect(evaluateFact(id, undefined, th, now).status).toBe('unknown')
    for (const code of ['not-implemented', 'command-missing', 'permission-denied', 'timeout', 'parse-error', 'failed'] as const)
      expect(evaluateFact(id, { error: { code, message: 'x' } }, th, now).status).toBe('unknown')
    expect(evaluateFact(id, { error: { code: 'not-supported', message: 'x' } }, th, now).status).toBe('not-applicable')
  })
})

describe('XProtect has its own signature limit', () => {
  const xprotect = (days: number) => ({
    products: [{ name: 'XProtect', enabled: true, realTime: true, signatureVersion: '5287', signatureUpdated: new Date(Date.UTC(2026, 10, 28) - days * 86_400_000).toISOString() }],
  })
  const now = new Date('2026-11-28T00:00:00Z')
  it('a two-week-old XProtect is current; a 60-day-old one is not', () => {
    expect(evaluateFact('base.antimalware', xprotect(14), DEFAULT_THRESHOLDS, now).status).toBe('ok')
    expect(evaluateFact('base.antimalware', xprotect(60), DEFAULT_THRESHOLDS, now).status).toBe('deviation')
  })
  it('other products keep the 72 h limit', () => {
    const defender = { products: [{ ...xprotect(14).products[0]!, name: 'Microsoft Defender Antivirus' }] }
    expect(evaluateFact('base.antimalware', defender, DEFAULT_THRESHOLDS, now).status).toBe('deviation')
  })
})
