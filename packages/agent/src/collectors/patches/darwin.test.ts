import { describe, expect, it } from 'vitest'
import { PatchesFactSchema } from '@lagebild/shared'
import { defaultsDate, parseDarwinPatches, parseDefaultsTopLevel, parseItemFields, parseSoftwareUpdateList } from './darwin.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')
const txt = (name: string) => F.text(name)

describe('parseDarwinPatches (real softwareupdate -l outputs)', () => {
  const cases = [
    {
      file: 'softwareupdate-l-bigsur-11.6.txt',
      want: { pending: 2, security: 0, names: ['Safari', 'macOS Big Sur 11.6'], versions: ['15.0', '11.6'] },
    },
    {
      file: 'softwareupdate-l-tahoe-26.5.2.txt',
      want: { pending: 1, security: 0, names: ['macOS Tahoe 26.5.2'], versions: ['26.5.2'] },
    },
    {
      file: 'softwareupdate-l-catalina-salt.txt',
      want: {
        pending: 4,
        security: 0,
        names: ['Command Line Tools beta 5 for Xcode', 'macOS Catalina Public Beta', 'BridgeOSUpdateCustomer', 'iCal'],
        versions: ['11.0', '5', '10.15.0.1.1.1560926689', '1.0.2'],
      },
    },
    {
      file: 'softwareupdate-l-mojave-salt.txt',
      want: {
        pending: 4,
        security: 0,
        names: ['Command Line Tools (macOS Mojave version 10.14) for Xcode', 'macOS 10.14.1 Update', 'BridgeOSUpdateCustomer', 'iCal'],
        versions: ['10.3', '10.14.1', '10.14.4.1.1.1555388607', '1.0.2'],
      },
    },
  ]
  it.each(cases)('$file', ({ file, want }) => {
    const fact = parseDarwinPatches(txt(file), txt('defaults-softwareupdate-catalina-pending.txt'))
    expectValid(PatchesFactSchema, fact)
    expect(fact).toMatchObject({ manager: 'softwareupdate', pending: want.pending, security: want.security, lastCheck: '2021-02-23T07:52:51.000Z', lastInstall: null, rebootRequired: false })
    expect(fact.items.map((i) => i.name)).toEqual(want.names)
    expect(fact.items.map((i) => i.version)).toEqual(want.versions)
  })

  it('keeps "recommended" and the action for the admin', () => {
    const items = parseSoftwareUpdateList(txt('softwareupdate-l-catalina-salt.txt'))
    expect(items.map((i) => [i.recommended, i.action])).toEqual([[true, null], [true, 'restart'], [true, 'shut down'], [false, null]])
    const mojave = parseSoftwareUpdateList(txt('softwareupdate-l-mojave-salt.txt'))
    expect(mojave.map((i) => [i.recommended, i.action])).toEqual([[true, null], [true, 'restart'], [true, 'shut down'], [false, null]])
  })

  it('"No new software available." arrives on stderr: judged from both streams', () => {
    const text = `${txt('softwareupdate-l-none.stdout.txt')}\n${txt('softwareupdate-l-none.stderr.txt')}`
    const fact = parseDarwinPatches(text, txt('defaults-softwareupdate-catalina-none.txt'))
    expectValid(PatchesFactSchema, fact)
    expect(fact).toMatchObject({ pending: 0, security: 0, items: [], lastCheck: '2020-10-10T14:14:38.000Z' })
  })

  it('no preferences (never scanned): lastCheck null, so "0 pending" is not trusted by the judge', () => {
    const fact = parseDarwinPatches('No new software available.\n', null)
    expect(fact.lastCheck).toBeNull()
  })
})

describe('security titles (constructed lines around real Apple titles)', () => {
  // Titles from the real RecommendedUpdates list in defaults-softwareupdate-catalina-pending.txt and Apple's RSR naming.
  const line = (label: string, title: string, version: string, recommended = 'YES') =>
    `Software Update found the following new or updated software:\n* Label: ${label}\n\tTitle: ${title}, Version: ${version}, Size: 1K, Recommended: ${recommended}, Action: restart,\n`
  it.each([
    [line('macOS Catalina Security Update 2021-001', 'macOS Catalina Security Update 2021-001', '10.15.7'), 1],
    [line('macOS Security Response 13.4.1 (a)', 'macOS Ventura 13.4.1 (a)', '13.4.1 (a)'), 1],
    [line('Background Security Improvement', 'Background Security Improvement', '26.1'), 1],
    [line('macOS Catalina Security Update 2021-001', 'macOS Catalina Security Update 2021-001', '10.15.7', 'NO'), 0],
    [line('macOS Catalina 10.15.7 Supplemental Update', 'macOS Catalina 10.15.7 Supplemental Update', '10.15.7'), 0],
  ])('%#', (text, security) => {
    expect(parseDarwinPatches(text, null).security).toBe(security)
  })

  it('a title with commas stays whole', () => {
    expect(parseItemFields('Title: Tools, Pro Edition, Version: 1.2, Deferred: NO, Size: 10KiB,')).toMatchObject({ Title: 'Tools, Pro Edition', Version: '1.2', Deferred: 'NO' })
  })
})

describe('preferences', () => {
  it('reads the scan dates; other keys are ignored', () => {
    const p = parseDefaultsTopLevel(txt('defaults-softwareupdate-catalina-pending.txt'))
    expect(p).toMatchObject({ LastFullSuccessfulDate: '2021-02-23 07:52:51 +0000', LastRecommendedUpdatesAvailable: '3' })
    expect(defaultsDate('2020-07-30 12:45:25 +0000')).toBe('2020-07-30T12:45:25.000Z')
    expect(defaultsDate('2020-07-30 14:45:25 +0200')).toBe('2020-07-30T12:45:25.000Z')
    expect(defaultsDate('30.07.2020')).toBeNull()
  })
})

describe('failures (constructed)', () => {
  it('garbage or an empty output → parse-error, never "0 pending"', async () => {
    await expectFailure(() => parseDarwinPatches('', null), 'parse-error')
    await expectFailure(() => parseDarwinPatches('softwareupdate: unrecognized option --no-scan\n', null), 'parse-error')
    await expectFailure(() => parseDarwinPatches('Software Update found the following new or updated software:\n', null), 'parse-error')
    await expectFailure(() => parseDarwinPatches('Software Update found the following new or updated software:\n* Label: X\n\tnonsense\n', null), 'parse-error')
  })
})
