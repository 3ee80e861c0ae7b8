import { describe, expect, it } from 'vitest'
import { FirewallFactSchema } from '@lagebild/shared'
import { parseAllowDownloadedSigned, parseBlockAll, parseDarwinFirewall, parseGlobalState } from './darwin.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')
const txt = (name: string) => F.text(name)

describe('parseDarwinFirewall (real socketfilterfw answers)', () => {
  const cases = [
    { global: 'getglobalstate-on.txt', blockAll: 'getblockall-off.txt', signed: 'getallowsigned-both.txt', want: { enabled: true, defaultInbound: 'allow' } },
    { global: 'getglobalstate-on.txt', blockAll: 'getblockall-on.txt', signed: 'getallowsigned-both.txt', want: { enabled: true, defaultInbound: 'block' } },
    { global: 'getglobalstate-state2.txt', blockAll: null, signed: null, want: { enabled: true, defaultInbound: 'block' } },
    { global: 'getglobalstate-off.txt', blockAll: 'getblockall-off.txt', signed: 'getallowsigned-both.txt', want: { enabled: false, defaultInbound: 'allow' } },
    { global: 'getglobalstate-on.txt', blockAll: null, signed: null, want: { enabled: true, defaultInbound: 'unknown' } },
    { global: 'getglobalstate-on.txt', blockAll: 'getblockall-old-off.txt', signed: null, want: { enabled: true, defaultInbound: 'unknown' } },
  ] as const
  it.each(cases)('$global + $blockAll + $signed', ({ global, blockAll, signed, want }) => {
    const fact = parseDarwinFirewall(txt(global), blockAll ? txt(blockAll) : null, signed ? txt(signed) : null)
    expectValid(FirewallFactSchema, fact)
    expect(fact).toEqual({ backend: 'socketfilterfw', profiles: [{ name: 'Application Firewall', ...want }] })
  })

  it('the combined audit output of a Tahoe Mac reads the same', () => {
    const all = txt('audit-tahoe-off.txt')
    expect(parseGlobalState(all)).toBe(0)
    expect(parseBlockAll(all)).toBe(false)
    expect(parseAllowDownloadedSigned(all)).toBe(true)
  })

  it('only Apple software allowed (constructed DISABLED line): outcome depends on app rules → unknown', () => {
    const fact = parseDarwinFirewall(txt('getglobalstate-on.txt'), txt('getblockall-off.txt'),
      'Automatically allow built-in signed software ENABLED.\nAutomatically allow downloaded signed software DISABLED.\n')
    expect(fact.profiles[0]!.defaultInbound).toBe('unknown')
  })

  it('garbage → parse-error (constructed)', async () => {
    await expectFailure(() => parseDarwinFirewall('', null, null), 'parse-error')
    await expectFailure(() => parseDarwinFirewall('socketfilterfw: unknown option\n', null, null), 'parse-error')
  })
})
