import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec, FactFailure } from '../../system.js'
import { collector } from './linux.js'
import {
  firewalldProfiles,
  firewalldTargetInbound,
  firewalldZoneXmlTarget,
  iptablesInbound,
  nftChainInbound,
  parseFirewalldZones,
  parseIptablesInput,
  parseNftRuleset,
  parseUfwStatus,
} from './parse-linux.js'
import { describeLive, expectValid, fixtures, isLinux, judge, requireTool } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

describe('parseUfwStatus', () => {
  it.each([
    ['ufw-status-verbose-active.txt', { active: true, defaultInbound: 'block' }],
    ['ufw-status-verbose-inactive.txt', { active: false, defaultInbound: 'unknown' }],
  ])('%s', (file, want) => expect(parseUfwStatus(fixture(file))).toEqual(want))

  it('rejects text it does not know', () => expect(() => parseUfwStatus('ERROR: You need to be root to run this script')).toThrow(/not understood/))
})

describe('parseNftRuleset', () => {
  it.each([
    ['nft-json-empty.json', []],
    ['nft-json-ufw-active.json', ['ip filter INPUT block', 'ip6 filter INPUT block']],
    ['nft-json-ufw-disabled.json', ['ip filter INPUT allow', 'ip6 filter INPUT allow']],
    ['nft-json-inet-policy-drop.json', ['inet lagebild_rec input block']],
    ['nft-json-inet-final-reject.json', ['inet lagebild_rec input block']],
  ])('%s', (file, want) => {
    const chains = parseNftRuleset(fixture(file))
    expect(chains.map((c) => `${c.family} ${c.table} ${c.name} ${nftChainInbound(c)}`)).toEqual(want)
  })

  it('a final reject rule counts, a policy accept alone does not', () => {
    const [c] = parseNftRuleset(fixture('nft-json-inet-final-reject.json'))
    expect(c).toMatchObject({ policy: 'accept', finalDrop: true, rules: 4 })
  })

  it('rejects non-JSON', () => expect(() => parseNftRuleset('table inet x {')).toThrow(/JSON/))
})

describe('parseIptablesInput', () => {
  it.each([
    ['iptables-S-INPUT-ufw-active.txt', { policy: 'DROP', rules: 6, finalDrop: false }, 'block'],
    ['iptables-S-INPUT-ufw-disabled.txt', { policy: 'ACCEPT', rules: 6, finalDrop: false }, 'allow'],
    ['iptables-S-INPUT-empty.txt', { policy: 'ACCEPT', rules: 0, finalDrop: false }, 'allow'],
  ])('%s', (file, want, inbound) => {
    const parsed = parseIptablesInput(fixture(file))
    expect(parsed).toEqual(want)
    expect(iptablesInbound(parsed)).toBe(inbound)
  })
})

describe('parseFirewalldZones', () => {
  it('reads zones, the active one and the targets', () => {
    const zones = parseFirewalldZones(fixture('firewall-cmd-list-all-zones.txt'))
    expect(zones.map((z) => [z.name, z.active, z.target])).toEqual([
      ['block', false, '%%REJECT%%'],
      ['dmz', false, 'default'],
      ['public', true, 'default'],
      ['trusted', false, 'ACCEPT'],
    ])
    expect(zones.map((z) => firewalldTargetInbound(z.target))).toEqual(['block', 'block', 'block', 'allow'])
  })

  it('older firewalld without a "target:" line: the zone\'s own file tells its target', () => {
    const old = fixture('firewall-cmd-list-all-old-no-target.txt')
    expect(parseFirewalldZones(old)).toEqual([{ name: 'public', active: true, isDefault: true, target: null }])
    // Shipped public.xml has no target attribute: firewalld's "default" target, which rejects what no rule allows.
    expect(firewalldZoneXmlTarget(fixture('firewalld-zone-public.xml'))).toBe('default')
    expect(firewalldZoneXmlTarget(fixture('firewalld-zone-block.xml'))).toBe('%%REJECT%%')
    expect(firewalldProfiles(old, 'public', new Map([['public', fixture('firewalld-zone-public.xml')]]))).toEqual([
      { name: 'firewalld zone public', enabled: true, defaultInbound: 'block' },
    ])
    // An admin's copy in /etc/firewalld/zones that lets everything in is what counts.
    const trusted = fixture('firewalld-zone-public.xml').replace('<zone>', '<zone target="ACCEPT">')
    expect(firewalldProfiles(old, 'public', new Map([['public', trusted]]))[0]!.defaultInbound).toBe('allow')
    // No file to read: still unknown, never a guess.
    expect(firewalldProfiles(old, 'public', new Map())[0]!.defaultInbound).toBe('unknown')
    expect(judge('base.firewall', { backend: 'firewalld', profiles: firewalldProfiles(old, 'public', new Map([['public', fixture('firewalld-zone-public.xml')]])) }).status).toBe('ok')
  })

  it('"(default, active)" of newer firewalld', () => {
    expect(parseFirewalldZones('public (default, active)\n  target: default\n')).toEqual([{ name: 'public', active: true, isDefault: true, target: 'default' }])
  })
})

// Read-only on this machine: what the collector finds does not depend on the PATH it was started with.
describe.runIf(isLinux)('live on this machine (read only)', () => {
  it('with a PATH without /usr/sbin, ufw, nft and iptables are still found (not "none installed")', async () => {
    for (const t of ['ufw', 'nft', 'iptables']) await requireTool(t)
    const before = process.env.PATH
    process.env.PATH = '/usr/bin:/bin'
    try {
      const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
      expectValid('base.firewall', fact)
    } catch (err) {
      // Without root, ufw and nft refuse to tell: that is permission-denied, never command-missing.
      expect(err).toBeInstanceOf(FactFailure)
      expect((err as FactFailure).code).toBe('permission-denied')
    } finally {
      process.env.PATH = before
    }
  })
})

// Live: this machine's ufw, switched on and off. The state found is restored afterwards.
describeLive('live on this machine (root, switches ufw)', { root: true, tools: ['ufw', 'nft'] }, () => {
  // null until read: if a requirement fails first, the firewall is left as it was found.
  let wasActive: boolean | null = null
  beforeAll(async () => {
    wasActive = parseUfwStatus((await exec('ufw', ['status', 'verbose'])).stdout).active
  })
  afterAll(async () => {
    if (wasActive !== null) await exec('ufw', wasActive ? ['--force', 'enable'] : ['disable'])
  })

  it('ufw enabled → enabled, inbound blocked, judged ok', async () => {
    expect((await exec('ufw', ['--force', 'enable'])).code).toBe(0)
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.firewall', fact)
    expect(fact.backend).toBe('ufw')
    expect(fact.profiles).toEqual([{ name: 'ufw', enabled: true, defaultInbound: 'block' }])
    expect(judge('base.firewall', fact).status).toBe('ok')
  })

  it('ufw disabled → enabled false, judged a deviation', async () => {
    expect((await exec('ufw', ['disable'])).code).toBe(0)
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.firewall', fact)
    expect(fact.profiles.some((p) => p.name === 'ufw' && p.enabled === false)).toBe(true)
    expect(judge('base.firewall', fact).status).toBe('deviation')
  })
})
