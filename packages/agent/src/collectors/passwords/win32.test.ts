import { describe, expect, it } from 'vitest'
import { PasswordsFactSchema } from '@lagebild/shared'
import { parseScreenLock, parseSeceditSystemAccess, parseWin32Passwords } from './win32.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')

describe('parseWin32Passwords (real Get-LocalUser JSON and secedit export)', () => {
  it('guest by RID 501, built-in Administrator by RID 500, policy from secedit', () => {
    const fact = parseWin32Passwords({
      users: { ok: F.json('local-users-ps51.json') },
      policy: { ok: F.text('secedit-ws2016-head.inf') },
      screenLock: { ok: { InactivityTimeoutSecs: 900, Users: [] } },
    })
    expectValid(PasswordsFactSchema, fact)
    expect(fact).toEqual({
      guestEnabled: false,
      defaultAccountsEnabled: ['Administrator'],
      accountsWithoutPassword: null, // cannot be read on Windows without trying a logon
      passwordNotRequired: [], // DefaultAccount and Guest allow empty passwords but are disabled
      minPasswordLength: 0,
      screenLockSeconds: 900,
    })
  })

  it('an enabled account with PasswordRequired=false is reported as allowed an empty password, not as without one', () => {
    const users = (F.json('local-users-ps51.json') as Record<string, unknown>[]).map((u) => (u.Name === 'DefaultAccount' ? { ...u, Enabled: true } : u))
    const fact = parseWin32Passwords({ users: { ok: users }, policy: { ok: F.text('secedit-ws2016-head.inf') }, screenLock: { ok: null } })
    expectValid(PasswordsFactSchema, fact)
    expect(fact.passwordNotRequired).toEqual(['DefaultAccount'])
    expect(fact.accountsWithoutPassword).toBeNull()
  })

  it('secedit keys are language-neutral', () => {
    expect(parseSeceditSystemAccess(F.text('secedit-ws2016-head.inf'))).toMatchObject({ MinimumPasswordLength: '0', EnableGuestAccount: '0', NewGuestName: 'Guest' })
  })

  it('parts that failed are null, not defaults', () => {
    const fact = parseWin32Passwords({
      users: { ok: F.json('local-users-ps51.json') },
      policy: { error: { type: 'System.Management.Automation.RuntimeException', message: 'secedit /export exited with 1' } },
      screenLock: { error: { type: 'x', message: 'y' } },
    })
    expectValid(PasswordsFactSchema, fact)
    expect(fact).toMatchObject({ minPasswordLength: null, screenLockSeconds: null, passwordNotRequired: [] })
  })

  it('no account list and no policy → unknown', async () => {
    await expectFailure(
      () => parseWin32Passwords({ users: { error: { type: 'System.UnauthorizedAccessException', message: 'Access is denied.' } }, policy: { error: { type: 'x', message: 'y' } } }),
      'permission-denied',
    )
  })

  it('screen lock: policy, secure screen savers, or unknown (constructed registry values)', () => {
    expect(parseScreenLock({ InactivityTimeoutSecs: 600, Users: [] })).toBe(600)
    expect(parseScreenLock({ InactivityTimeoutSecs: null, Users: [{ ScreenSaveActive: '1', ScreenSaverIsSecure: '1', ScreenSaveTimeOut: '600' }, { PolicyScreenSaveActive: '1', PolicyScreenSaverIsSecure: '1', PolicyScreenSaveTimeOut: '900', ScreenSaveActive: '0' }] })).toBe(900)
    expect(parseScreenLock({ InactivityTimeoutSecs: 0, Users: [{ ScreenSaveActive: '1', ScreenSaverIsSecure: '0', ScreenSaveTimeOut: '600' }] })).toBeNull()
    expect(parseScreenLock({ InactivityTimeoutSecs: null, Users: [] })).toBeNull()
  })
})
