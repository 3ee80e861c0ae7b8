import { describe, expect, it } from 'vitest'
import { FirewallFactSchema } from '@lagebild/shared'
import { gpoBoolean, inboundAction, parseNetFirewallProfiles, parseWin32Firewall } from './win32.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')

describe('Get-NetFirewallProfile (real ActiveStore JSON, enums as numbers)', () => {
  it('profiles-ws2022-activestore.json', () => {
    const fact = parseNetFirewallProfiles(F.json('profiles-ws2022-activestore.json'))
    expectValid(FirewallFactSchema, fact)
    expect(fact).toEqual({
      backend: 'windows',
      profiles: [
        { name: 'Domain', enabled: true, defaultInbound: 'block' },
        { name: 'Private', enabled: true, defaultInbound: 'block' },
        { name: 'Public', enabled: true, defaultInbound: 'block' },
      ],
    })
  })

  it('a single profile (ConvertTo-Json writes a bare object) is still a list', () => {
    const [first] = F.json('profiles-ws2022-activestore.json') as unknown[]
    expect(parseWin32Firewall({ ok: first }).profiles).toHaveLength(1)
  })
})

describe('enum values in every shape', () => {
  it.each([
    [1, true], [0, false], [2, null], [true, true], [false, false], ['True', true], ['False', false], ['NotConfigured', null],
  ] as const)('GpoBoolean %j → %j', (v, want) => expect(gpoBoolean(v)).toBe(want))
  it.each([
    [4, 'block'], [2, 'allow'], [0, 'unknown'], ['Block', 'block'], ['Allow', 'allow'], ['NotConfigured', 'unknown'], [null, 'unknown'],
  ] as const)('Action %j → %j', (v, want) => expect(inboundAction(v)).toBe(want))
})

describe('failures are unknown, never "no firewall"', () => {
  it('access denied', async () => {
    await expectFailure(() => parseWin32Firewall(F.json('error-access-denied.json')), 'permission-denied')
  })
  it('no profiles at all', async () => {
    await expectFailure(() => parseWin32Firewall({ ok: null }), 'failed')
  })
  it('section missing', async () => {
    await expectFailure(() => parseWin32Firewall(undefined), 'parse-error')
  })
})
