import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec } from '../../system.js'
import { collector, readMinPasswordLength } from './linux.js'
import {
  accountsWithoutPassword,
  isLocked,
  lightdmAllowsGuest,
  localDesktopFrom,
  minPasswordLength,
  pamPasswordStack,
  parseShadow,
  pwqualityDefaults,
  readSetting,
} from './parse-linux.js'
import { describeLive, expectValid, fixtures, isLinux, judge } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

describe('parsers', () => {
  it('shadow: locked (* / !) and empty hashes', () => {
    const entries = parseShadow(fixture('shadow-bookworm-redacted'))
    expect(entries.length).toBeGreaterThan(10)
    expect(entries.every((e) => isLocked(e.hash))).toBe(true)
    expect(accountsWithoutPassword(entries)).toEqual([])
    expect(accountsWithoutPassword(parseShadow('alice::20000:0:99999:7:::\nbob:!:20000::::::\ncarol:$y$j9T$abc:20000::::::\n'))).toEqual(['alice'])
  })

  it.each([
    ['login.defs-bookworm', 'PASS_MIN_LEN', null],
    ['login.defs-bookworm', 'PASS_MAX_DAYS', 99999],
    ['pwquality.conf-bookworm-default', 'minlen', null],
  ])('%s %s', (file, key, want) => expect(readSetting(fixture(file), key)).toBe(want))

  it('settings that are set', () => {
    expect(readSetting('minlen = 12\n', 'minlen')).toBe(12)
    expect(readSetting('PASS_MIN_LEN\t10\n', 'PASS_MIN_LEN')).toBe(10)
  })

  it('a local desktop: an enabled display manager; none installed means a server without a screen', () => {
    expect(localDesktopFrom({ displayManagerEnabled: true, sessionFiles: ['gnome.desktop'] })).toBe(true)
    expect(localDesktopFrom({ displayManagerEnabled: false, sessionFiles: [] })).toBe(false)
    // Sessions installed but nothing starts them at boot (startx by hand): cannot tell.
    expect(localDesktopFrom({ displayManagerEnabled: false, sessionFiles: ['xfce.desktop'] })).toBeNull()
    expect(localDesktopFrom({ displayManagerEnabled: false, sessionFiles: ['README'] })).toBe(false)
  })

  it('lightdm guest switch', () => {
    expect(lightdmAllowsGuest('[Seat:*]\nallow-guest=true\n')).toBe(true)
    expect(lightdmAllowsGuest('[Seat:*]\n#allow-guest=true\n')).toBeNull()
  })
})

describe('minimum password length: what PAM enforces, not login.defs', () => {
  const bookwormConf = fixture('pwquality.conf-bookworm-default') // every setting only as a comment
  // Red Hat's login.defs still carries PASS_MIN_LEN 5, which passwd ignores once PAM is in use.
  const rhelLoginDefs = 'PASS_MAX_DAYS\t99999\nPASS_MIN_LEN\t5\n'
  const debian = new Map([['passwd', fixture('pam.d-passwd-bookworm')], ['common-password', fixture('pam.d-common-password-bookworm')]])
  const ubuntu = new Map([['passwd', fixture('pam.d-passwd-bookworm')], ['common-password', fixture('pam.d-common-password-ubuntu-pwquality-sss')]])
  const policy = (files: Map<string, string>, p: Partial<Parameters<typeof minPasswordLength>[0]> = {}) =>
    minPasswordLength({ stack: pamPasswordStack(files), pwqualityConf: [bookwormConf], pwqualityVersion: '1.4.5-1+b1', loginDefs: rhelLoginDefs, ...p })

  it('the passwd stack with its includes', () => {
    expect(pamPasswordStack(ubuntu)!.map((m) => `${m.control} ${m.module}`)).toEqual([
      'requisite pam_pwquality.so', '[success=2 default=ignore] pam_unix.so', 'sufficient pam_sss.so', 'requisite pam_deny.so',
      'required pam_permit.so', 'optional pam_mount.so', 'optional pam_gnome_keyring.so',
    ])
    const rhel = new Map([['passwd', 'auth include system-auth\npassword substack system-auth\n'], ['system-auth', 'password requisite pam_pwquality.so local_users_only minlen=14\npassword sufficient pam_unix.so yescrypt shadow use_authtok\n']])
    expect(pamPasswordStack(rhel)!.map((m) => m.module)).toEqual(['pam_pwquality.so', 'pam_unix.so'])
  })

  it('Debian as shipped: pam_unix alone, its default of 6 (login.defs has no say)', () => {
    expect(policy(debian)).toBe(6)
  })

  it('pam_pwquality with minlen only commented out: the library default (8 since libpwquality 1.3), not PASS_MIN_LEN 5', () => {
    expect(policy(ubuntu)).toBe(8)
  })

  it('libpwquality before 1.3: minlen 9 with one credit per class, so five characters of four classes pass', () => {
    expect(pwqualityDefaults('1.2.3')?.get('minlen')).toBe('9')
    expect(policy(ubuntu, { pwqualityVersion: '1.2.3' })).toBe(5)
  })

  it('settings: module arguments over the .d files over pwquality.conf; negative credits shorten nothing', () => {
    expect(policy(ubuntu, { pwqualityConf: [bookwormConf, 'minlen = 12\n'] })).toBe(12)
    expect(policy(ubuntu, { pwqualityConf: ['minlen = 10\n', 'minlen = 14\ndcredit = -1\n'] })).toBe(14)
    const withArgs = new Map([...ubuntu, ['common-password', 'password requisite pam_pwquality.so retry=3 minlen=15 dcredit=-1 ucredit=-1\npassword [success=1 default=ignore] pam_unix.so obscure use_authtok\n']])
    expect(policy(withArgs, { pwqualityConf: ['minlen = 10\n'] })).toBe(15)
  })

  it('pwquality in use but its version unknown and minlen unset: unknown, never a guess', () => {
    expect(policy(ubuntu, { pwqualityVersion: null })).toBeNull()
    expect(policy(ubuntu, { pwqualityVersion: null, pwqualityConf: ['minlen = 12\ndcredit = 0\nucredit = 0\nlcredit = 0\nocredit = 0\n'] })).toBe(12)
  })

  it('no PAM at all: shadow reads login.defs', () => {
    expect(minPasswordLength({ stack: null, pwqualityConf: [], pwqualityVersion: null, loginDefs: rhelLoginDefs })).toBe(5)
  })
})

// Read only, on a Debian whose PAM is as shipped (this VM and CI): pam_unix's 6; login.defs has PASS_MIN_LEN only as a comment.
const shippedPam = isLinux && existsSync('/etc/pam.d/common-password') && readFileSync('/etc/pam.d/common-password', 'utf8') === fixture('pam.d-common-password-bookworm')
describe.runIf(shippedPam)('live on this machine (Debian PAM as shipped, read only)', () => {
  it('the collector reports the minimum length PAM enforces', async () => {
    expect(await readMinPasswordLength()).toBe(6)
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expect(fact.minPasswordLength).toBe(6)
  })
})

// Live: an account with an empty password must be reported, and the judgement must be a deviation.
describeLive('live on this machine (root, creates an account)', { root: true, tools: ['useradd', 'userdel', 'passwd'] }, () => {
  const user = 'lagebildnopw'
  beforeAll(async () => {
    await exec('userdel', ['-r', user])
  })
  afterAll(async () => {
    await exec('userdel', ['-r', user])
  })

  it('reads this machine; screen lock stays null', async () => {
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.passwords', fact)
    expect(fact.screenLockSeconds).toBeNull()
    expect(fact.accountsWithoutPassword).not.toBeNull()
  })

  it('an account without a password is a deviation', async () => {
    expect((await exec('useradd', ['-m', '-s', '/bin/bash', user])).code).toBe(0)
    expect((await exec('passwd', ['-d', user])).code).toBe(0)
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.passwords', fact)
    expect(fact.accountsWithoutPassword).toContain(user)
    expect(judge('base.passwords', fact).status).toBe('deviation')
  })
})
