import { describe, expect, it } from 'vitest'
import { UserRightsFactSchema } from '@lagebild/shared'
import { parseWin32UserRights } from './win32.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')

describe('parseWin32UserRights', () => {
  it('ADSI fallback after the Azure-AD "Failed to compare two elements in the array." bug', () => {
    const fact = parseWin32UserRights(F.json('section-german-aad.json'))
    expectValid(UserRightsFactSchema, fact)
    expect(fact.group).toBe('S-1-5-32-544')
    expect(fact.members.map((m) => [m.name, m.kind, m.builtin, m.dailyUse])).toEqual([
      ['Administrator', 'user', true, true],
      ['S-1-12-1-1234567890-1234567890-1234567890-1234567890', 'group', false, null],
      ['max.mustermann@firma.de', 'user', false, true],
      ['Büro-Admin', 'user', false, false],
    ])
  })

  it('Get-LocalGroupMember path, SID objects, Domain Admins built in, no profile list → dailyUse null', () => {
    const fact = parseWin32UserRights(F.json('section-localgroupmember.json'))
    expectValid(UserRightsFactSchema, fact)
    expect(fact.members.map((m) => [m.sid, m.kind, m.builtin, m.dailyUse])).toEqual([
      ['S-1-5-21-1627568633-850217724-3435047281-500', 'user', true, null],
      ['S-1-5-21-3623811015-3361044348-30300820-512', 'group', true, null],
      ['S-1-5-21-1627568633-850217724-3435047281-1001', 'user', false, null],
    ])
  })

  it('both ways failed → unknown', async () => {
    await expectFailure(() => parseWin32UserRights(F.json('error-both-failed.json')), 'failed')
  })
})
