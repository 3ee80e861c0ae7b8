import { describe, expect, it } from 'vitest'
import { PasswordsFactSchema } from '@lagebild/shared'
import { parseDarwinPasswords, parseDisplaySleepMinutes, parseGuestAccountStatus, parseScreenLockStatus } from './darwin.js'
import { expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')
// The log prefix of a real sysadminctl line (fixture), with the screenLock messages quoted in public CIS scripts.
const prefix = '2020-12-30 20:27:59.524 sysadminctl[45327:844298] '

describe('guest account', () => {
  it('sysadminctl -guestAccount status (real, stderr with log prefix)', () => {
    expect(parseGuestAccountStatus(F.text('sysadminctl-guestaccount-status-disabled.txt'))).toBe(false)
  })

  it('defaults wins; an unset key falls back to sysadminctl', () => {
    const status = F.text('sysadminctl-guestaccount-status-disabled.txt')
    expect(parseDarwinPasswords({ guestDefault: '1\n', guestStatus: status, screenLock: null, pmset: null }).guestEnabled).toBe(true)
    expect(parseDarwinPasswords({ guestDefault: null, guestStatus: status, screenLock: null, pmset: null }).guestEnabled).toBe(false)
    expect(parseDarwinPasswords({ guestDefault: null, guestStatus: null, screenLock: null, pmset: null }).guestEnabled).toBeNull()
  })
})

describe('screen lock (constructed lines: real prefix + messages from public scripts)', () => {
  it.each([
    [`${prefix}screenLock delay is immediate`, { seconds: 0 }],
    [`${prefix}screenLock delay is 5 seconds`, { seconds: 5 }],
    [`${prefix}screenLock delay is 300 seconds`, { seconds: 300 }],
    [`${prefix}screenLock is off`, { off: true }],
    ['screenLock delay is -1(.000000) seconds', { off: true }],
    ['something else', null],
  ])('%s', (text, want) => expect(parseScreenLockStatus(text)).toEqual(want))

  it('display sleep from a real pmset extract', () => {
    expect(parseDisplaySleepMinutes(F.text('pmset-displaysleep-audit.txt'))).toBe(10)
  })

  it('lock at the latest: display sleep + delay; off → 0; without display sleep → unknown', () => {
    const pmset = F.text('pmset-displaysleep-audit.txt')
    const fact = parseDarwinPasswords({ guestDefault: '0', guestStatus: null, screenLock: `${prefix}screenLock delay is 5 seconds`, pmset })
    expectValid(PasswordsFactSchema, fact)
    expect(fact).toEqual({ guestEnabled: false, accountsWithoutPassword: null, minPasswordLength: null, screenLockSeconds: 605 })
    expect(parseDarwinPasswords({ guestDefault: '0', guestStatus: null, screenLock: `${prefix}screenLock is off`, pmset }).screenLockSeconds).toBe(0)
    expect(parseDarwinPasswords({ guestDefault: '0', guestStatus: null, screenLock: `${prefix}screenLock delay is immediate`, pmset: 'displaysleep 0\n' }).screenLockSeconds).toBeNull()
    expect(parseDarwinPasswords({ guestDefault: '0', guestStatus: null, screenLock: 'garbage', pmset }).screenLockSeconds).toBeNull()
  })
})
