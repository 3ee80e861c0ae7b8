import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { exec } from '../../system.js'
import { collector } from './linux.js'
import { parseBorgList, parseResticSnapshots } from './parse.js'
import { parseTimeshiftSnapshotNames } from './parse-linux.js'
import { expectFailure, expectValid, fixtures, isLinux, judge, requireTool } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

describe('parsers', () => {
  it.each([
    ['restic-0.14-snapshots.json', { count: 3, lastSuccess: '2026-11-28T08:57:17.931Z' }],
    ['restic-0.14-snapshots-empty.json', { count: 0, lastSuccess: null }],
  ])('restic %s', (file, want) => expect(parseResticSnapshots(fixture(file))).toEqual(want))

  it('restic: null (older versions, empty repo) and broken output', () => {
    expect(parseResticSnapshots('null')).toEqual({ count: 0, lastSuccess: null })
    expect(() => parseResticSnapshots('Fatal: wrong password')).toThrow(/JSON/)
  })

  it.each([
    // borg 1.x prints the system's local time without a zone; the fixture was recorded on a UTC host (newest: 09:30:15).
    ['borg-1.2-list.json', 'Etc/UTC', { count: 2, lastSuccess: '2026-11-21T09:30:15.000Z' }],
    ['borg-1.2-list.json', 'Europe/Berlin', { count: 2, lastSuccess: '2026-11-21T08:30:15.000Z' }],
    ['borg-1.2-list-empty.json', null, { count: 0, lastSuccess: null }],
  ])('borg %s in %s', (file, zone, want) => expect(parseBorgList(fixture(file), zone)).toEqual(want))

  it('borg 1.x times with the system zone unknown: an error, never a guess', async () => {
    await expectFailure(() => parseBorgList(fixture('borg-1.2-list.json'), null), 'failed')
  })

  it('the agent process\'s own TZ does not move a local time', () => {
    const before = process.env.TZ
    try {
      process.env.TZ = 'Pacific/Auckland'
      expect(parseBorgList(fixture('borg-1.2-list.json'), 'Etc/UTC').lastSuccess).toBe('2026-11-21T09:30:15.000Z')
    } finally {
      if (before === undefined) delete process.env.TZ
      else process.env.TZ = before
    }
  })

  it('borg 2 times carry a zone; checkpoints are not successes', () => {
    const json = JSON.stringify({
      archives: [
        { name: 'a', time: '2026-11-20T10:00:00.000000+01:00' },
        { name: 'b.checkpoint', time: '2026-11-27T10:00:00.000000+00:00' },
      ],
    })
    expect(parseBorgList(json, null)).toEqual({ count: 1, lastSuccess: '2026-11-20T09:00:00.000Z' })
  })

  it('timeshift folder names, in the system\'s zone', () => {
    const names = ['2026-11-20_10-00-01', 'README', '2026-11-21_09-30-15']
    expect(parseTimeshiftSnapshotNames(names, 'Europe/Berlin')).toEqual({ count: 2, lastSuccess: '2026-11-21T08:30:15.000Z' })
    expect(parseTimeshiftSnapshotNames(names, 'Pacific/Auckland')).toEqual({ count: 2, lastSuccess: '2026-11-20T20:30:15.000Z' })
  })
})

// Live: real restic and borg repositories in a temp folder, with snapshots dated in the past.
describe.runIf(isLinux)('live on this machine (restic, borg, folder)', () => {
  let dir = ''
  beforeAll(async () => {
    await requireTool('restic')
    await requireTool('borg')
    dir = await mkdtemp(join(tmpdir(), 'lagebild-backups-'))
    await mkdir(join(dir, 'data'))
    await writeFile(join(dir, 'data', 'file.txt'), 'hello\n')
    await writeFile(join(dir, 'pw'), 'test-password\n', { mode: 0o600 })
    const ok = async (file: string, args: string[], env?: Record<string, string>) => {
      const r = await exec(file, args, { timeoutMs: 60_000, env })
      if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`)
    }
    const restic = ['-r', join(dir, 'restic'), '--password-file', join(dir, 'pw')]
    await ok('restic', [...restic, 'init'])
    // restic --time is in restic's local time (here: Berlin, CET in November); borg --timestamp is UTC, and this borg
    // lists in Pacific/Auckland if left to itself: the collector must not depend on either zone.
    await ok('restic', [...restic, 'backup', '--time', '2026-11-19 08:00:00', join(dir, 'data')], { TZ: 'Europe/Berlin' })
    await ok('restic', [...restic, 'backup', '--time', '2026-11-20 10:00:00', join(dir, 'data')], { TZ: 'Europe/Berlin' })
    const borgEnv = { BORG_PASSPHRASE: 'test-password', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', TZ: 'Pacific/Auckland' }
    await ok('borg', ['init', '-e', 'repokey', join(dir, 'borg')], borgEnv)
    await ok('borg', ['create', '--timestamp', '2026-11-19T08:00:00', `${join(dir, 'borg')}::one`, join(dir, 'data')], borgEnv)
    await ok('borg', ['create', '--timestamp', '2026-11-20T10:00:00', `${join(dir, 'borg')}::two`, join(dir, 'data')], borgEnv)
    await utimes(join(dir, 'data', 'file.txt'), new Date('2026-11-18T07:06:05Z'), new Date('2026-11-18T07:06:05Z'))
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('restic, borg and a folder: newest success to the minute; borg without its passphrase is an error on that source only', async () => {
    const now = new Date('2026-11-20T12:00:00Z')
    // The agent's own TZ must not move any of them either.
    const tzBefore = process.env.TZ
    process.env.TZ = 'America/Los_Angeles'
    onTestFinished(() => {
      if (tzBefore === undefined) delete process.env.TZ
      else process.env.TZ = tzBefore
    })
    const fact = await collector.collect({
      now,
      config: {
        intervalMinutes: 15,
        backups: [
          { kind: 'restic', repository: join(dir, 'restic'), passwordFile: join(dir, 'pw') },
          { kind: 'borg', repository: join(dir, 'borg'), passphraseFile: join(dir, 'pw') },
          { kind: 'folder', path: join(dir, 'data') },
          { kind: 'borg', repository: join(dir, 'borg') }, // no passphrase: must fail, not prompt
        ],
      },
    })
    expectValid('base.backups', fact)
    const [restic, borg, folder, borgNoPw] = fact.sources
    expect(restic).toEqual({ kind: 'restic', location: join(dir, 'restic'), lastSuccess: '2026-11-20T09:00:00.000Z', count: 2 })
    expect(borg).toEqual({ kind: 'borg', location: join(dir, 'borg'), lastSuccess: '2026-11-20T10:00:00.000Z', count: 2 })
    expect(folder).toEqual({ kind: 'folder', location: join(dir, 'data'), lastSuccess: '2026-11-18T07:06:05.000Z' })
    expect(borgNoPw?.error?.code).toBe('failed')
    expect(borgNoPw?.lastSuccess).toBeNull()
    // The folder is 2 days old at `now`: too old; the judgement must say so.
    expect(judge('base.backups', fact, now).status).toBe('deviation')
  })

  it('a missing repository or folder is an error on the source, never a success', async () => {
    const fact = await collector.collect({
      now: new Date(),
      config: {
        intervalMinutes: 15,
        backups: [
          { kind: 'restic', repository: join(dir, 'nope'), passwordFile: join(dir, 'pw') },
          { kind: 'folder', path: join(dir, 'missing') },
        ],
      },
    })
    expectValid('base.backups', fact)
    expect(fact.sources.map((s) => [s.lastSuccess, s.error?.code])).toEqual([
      [null, 'failed'],
      [null, 'failed'],
    ])
    expect(judge('base.backups', fact).status).not.toBe('ok')
  })
})
