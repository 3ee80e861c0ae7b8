import { describe, expect, it } from 'vitest'
import { exec } from '../../system.js'
import { aptLastCheck, aptLastInstall, collector } from './linux.js'
import {
  parseAptHistoryLastInstall,
  parseAptListUpgradable,
  parseAptSimulate,
  parseDnfCheckUpdate,
  parseDnfUpdateinfoSecurity,
  parseNeedsRestarting,
  parseRpmInstallTimes,
  parseZypperListPatches,
  parseZypperPatchCheck,
  rpmName,
} from './parse-linux.js'
import { expectValid, fixtures, isLinux, judge, requireTool } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

describe('apt parsers', () => {
  it('apt-get -s upgrade: every Inst line, security by origin', () => {
    const items = parseAptSimulate(fixture('apt-get-s-upgrade-bookworm.txt'))
    expect(items).toHaveLength(136)
    expect(items.filter((i) => i.security)).toHaveLength(83)
    expect(items.find((i) => i.name === 'libgcrypt20')).toEqual({
      name: 'libgcrypt20',
      version: '1.10.1-3+deb12u1',
      security: true,
      source: 'Debian:12.15/oldstable, Debian-Security:12/oldstable-security',
    })
    expect(items.find((i) => i.name === 'base-files')).toMatchObject({ security: false, source: 'Debian:12.15/oldstable' })
  })

  it('Ubuntu origins (…-security suite)', () => {
    const [item] = parseAptSimulate('Inst curl [7.81.0-1ubuntu1.13] (7.81.0-1ubuntu1.14 Ubuntu:22.04/jammy-updates, Ubuntu:22.04/jammy-security [amd64])')
    expect(item).toMatchObject({ name: 'curl', version: '7.81.0-1ubuntu1.14', security: true })
  })

  it('apt list --upgradable agrees with the simulation', () => {
    const items = parseAptListUpgradable(fixture('apt-list-upgradable-bookworm.txt'))
    expect(items).toHaveLength(136)
    expect(items.filter((i) => i.security)).toHaveLength(83)
  })

  it('history.log: newest End-Date of a block that installed or upgraded, in the system\'s zone', () => {
    // The fixture's newest such block ends "2026-11-28  08:51:48", written on a host whose zone was UTC.
    expect(parseAptHistoryLastInstall(fixture('apt-history-bookworm.log'), 'Etc/UTC')).toBe('2026-11-28T08:51:48.000Z')
    expect(parseAptHistoryLastInstall(fixture('apt-history-bookworm.log'), 'Europe/Berlin')).toBe('2026-11-28T07:51:48.000Z')
    expect(parseAptHistoryLastInstall('Start-Date: 2026-01-01  10:00:00\nCommandline: apt-get remove x\nRemove: x:amd64 (1)\nEnd-Date: 2026-01-01  10:00:05\n', 'Etc/UTC')).toBeNull()
  })

  it('history.log: the hour that repeats when summer time ends is read as the earlier instant (the older)', () => {
    const log = 'Start-Date: 2026-10-25  02:30:00\nUpgrade: x:amd64 (1, 2)\nEnd-Date: 2026-10-25  02:30:10\n'
    expect(parseAptHistoryLastInstall(log, 'Europe/Berlin')).toBe('2026-10-25T00:30:10.000Z')
  })
})

describe('dnf parsers', () => {
  it.each([
    ['dnf4-updateinfo-list-all-security.txt', ['CQRlib']],
    ['dnf5-updateinfo-list-all-security.txt', ['CQRlib']],
    ['dnf4-updateinfo-list.txt', []],
  ])('updateinfo %s', (file, names) => expect([...parseDnfUpdateinfoSecurity(fixture(file))]).toEqual(names))

  it('check-update exit 100: rows; exit 0: none; exit 1: failure', () => {
    const items = parseDnfCheckUpdate(fixture('dnf-check-update-rows.txt'), 100)
    expect(items.map((i) => [i.name, i.version, i.source])).toEqual([
      ['glibc', '2.28-26.fc29', 'dnf-ci-fedora-updates'],
      ['glibc-common', '2.28-26.fc29', 'dnf-ci-fedora-updates'],
      ['glibc-all-langpacks', '2.28-26.fc29', 'dnf-ci-fedora-updates'],
    ])
    expect(parseDnfCheckUpdate('', 0)).toEqual([])
    expect(() => parseDnfCheckUpdate('Error: Failed to download metadata', 1)).toThrow(/exited 1/)
  })

  it('dnf5 check-upgrade: the "Upgrades" section counts, the obsoleted rows below "Obsoleting packages" do not', () => {
    // dnf5 said 5 upgrades on that machine (see SOURCES.md); the two indented rows per obsoleter are removals.
    const items = parseDnfCheckUpdate(fixture('dnf5-check-upgrade-obsoleting.txt'), 100)
    expect(items.map((i) => [i.name, i.version, i.source])).toEqual([
      ['apparmor-libs', '6.0.0~alpha1-1.fc44', 'terra'],
      ['proton-vpn-daemon', '0.13.8-1.fc44', 'protonvpn-fedora-stable'],
      ['proton-vpn-gtk-app', '4.18.1-1.fc44', 'protonvpn-fedora-stable'],
      ['python3-proton-vpn-api-core', '5.6.10-1.fc44', 'protonvpn-fedora-stable'],
      ['python3-proton-vpn-api-core', '5.6.10-1.fc44', 'protonvpn-fedora-stable'],
    ])
  })

  it('needs-restarting: text and exit code together', () => {
    expect(parseNeedsRestarting(fixture('dnf-needs-restarting-reboot.txt'), 1)).toBe(true)
    expect(parseNeedsRestarting('Reboot should not be necessary.', 0)).toBe(false)
    expect(parseNeedsRestarting('No such command: needs-restarting.', 1)).toBeNull()
  })

  it('rpm names and install times', () => {
    expect(rpmName('openssl-libs-1:3.0.7-24.el9_5.x86_64')).toBe('openssl-libs')
    expect(rpmName('CQRlib-1.1.2-16.fc29.x86_64')).toBe('CQRlib')
    expect(parseRpmInstallTimes('1700000000\n1700000500\n(none)\n')).toBe('2023-11-14T22:21:40.000Z')
  })
})

describe('zypper parsers', () => {
  it.each([
    ['zypper-patch-check-none.txt', { pending: 0, security: 0 }],
    ['zypper-patch-check-security.txt', { pending: 3, security: 2 }],
  ])('patch-check %s', (file, want) => expect(parseZypperPatchCheck(fixture(file))).toEqual(want))

  it('list-patches', () => {
    const items = parseZypperListPatches(fixture('zypper-list-patches-security.txt'))
    expect(items.map((i) => [i.name, i.security])).toEqual([
      ['openSUSE-2020-1743: Security update for gnutls', true],
      ['openSUSE-2020-1744: Security update for freetype2', true],
      ['openSUSE-2020-1745: Recommended update for yast2-network', false],
    ])
  })
})

describe.runIf(isLinux)('live on this machine (apt)', () => {
  it('pending and security agree with a second source: apt list --upgradable and its suite names', async () => {
    await requireTool('apt')
    // Not the collector's rule (apt-get -s and Debian-Security origins) again: apt's own list, where a security update
    // is one whose suites include one named …-security.
    const list = await exec('apt', ['list', '--upgradable'], { timeoutMs: 120_000 })
    const rows = list.stdout.split('\n').filter((l) => /\[upgradable from: /.test(l))
    const security = rows.filter((l) => /^[^/\s]+\/(\S+)/.exec(l)![1]!.split(',').some((s) => s.endsWith('-security')))
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.patches', fact)
    expect(fact.manager).toBe('apt')
    expect(fact.pending).toBe(rows.length)
    expect(fact.security).toBe(security.length)
  })

  it('the last installation does not move with the agent process\'s TZ (read in the system\'s zone)', async () => {
    const before = process.env.TZ
    try {
      delete process.env.TZ
      const plain = await aptLastInstall()
      expect(plain).not.toBeNull() // this machine has installed packages with apt
      process.env.TZ = 'Pacific/Auckland'
      expect(await aptLastInstall()).toBe(plain)
      process.env.TZ = 'America/Los_Angeles'
      expect(await aptLastInstall()).toBe(plain)
    } finally {
      if (before === undefined) delete process.env.TZ
      else process.env.TZ = before
    }
  })

  it('lastCheck is a real date from the lists, never later than now', async () => {
    const last = await aptLastCheck()
    expect(last).not.toBeNull()
    expect(new Date(last!).getTime()).toBeLessThanOrEqual(Date.now())
  })

  it('a stale check is never judged ok', async () => {
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    const stale = { ...fact, pending: 0, security: 0, items: [], rebootRequired: false, lastCheck: '2020-01-01T00:00:00.000Z' }
    expect(judge('base.patches', stale).status).toBe('deviation')
    expect(judge('base.patches', { ...stale, lastCheck: null }).status).toBe('unknown')
  })
})
