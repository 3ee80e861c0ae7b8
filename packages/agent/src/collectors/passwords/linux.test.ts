import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec } from '../../system.js'
import { collector } from './linux.js'
import { accountsWithoutPassword, isLocked, lightdmAllowsGuest, parseShadow, readSetting } from './parse-linux.js'
import { describeLive, expectValid, fixtures, judge } from '../test-helpers.js'

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

  it('lightdm guest switch', () => {
    expect(lightdmAllowsGuest('[Seat:*]\nallow-guest=true\n')).toBe(true)
    expect(lightdmAllowsGuest('[Seat:*]\n#allow-guest=true\n')).toBeNull()
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
