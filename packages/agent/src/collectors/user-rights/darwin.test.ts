import { describe, expect, it } from 'vitest'
import { UserRightsFactSchema } from '@lagebild/shared'
import { adminMember, parseGroupMembership, parseHome } from './darwin.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')

describe('admin group (real dscl outputs)', () => {
  it.each([
    ['dscl-admin-groupmembership-williamj.txt', ['root', 'williamj']],
    ['dscl-admin-groupmembership-marie.txt', ['root', 'marie']],
    ['dscl-read-admin-record.txt', ['root', 'yayusernameyay']],
  ])('%s', (file, names) => {
    expect(parseGroupMembership(F.text(file))).toEqual(names)
  })

  it('members: root built in, a /Users home is daily use', () => {
    const home = parseHome(F.text('dscl-read-user-home.txt'))
    expect(home).toBe('/Users/jsmith')
    const fact = { group: 'admin', members: [adminMember('root', '/var/root'), adminMember('jsmith', home), adminMember('netadmin', undefined)] }
    expectValid(UserRightsFactSchema, fact)
    expect(fact.members).toEqual([
      { name: 'root', kind: 'user', builtin: true, dailyUse: false },
      { name: 'jsmith', kind: 'user', builtin: false, dailyUse: true },
      { name: 'netadmin', kind: 'unknown', builtin: false, dailyUse: null },
    ])
  })

  it('a home with a space (form shown in public parsers) and no key', () => {
    expect(parseHome('NFSHomeDirectory: /Users/Example User\n')).toBe('/Users/Example User')
    expect(parseHome('No such key: NFSHomeDirectory\n')).toBeNull()
    expect(parseGroupMembership('No such key: GroupMembership\n')).toEqual([])
  })

  it('garbage → parse-error (constructed)', async () => {
    await expectFailure(() => parseGroupMembership('<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n'), 'parse-error')
  })
})
