import { describe, expect, it } from 'vitest'
import { BackupsFactSchema, DEFAULT_THRESHOLDS, evaluateFact } from '@lagebild/shared'
import { collector, parseDarwinBackups, parseDestinationInfo, parseLatestBackup } from './darwin.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')
const txt = (name: string) => F.text(name)
// The zone these tests place the Macs in (the fixtures' own zones are not told by their sources).
const ZONE = 'Europe/Berlin'

describe('Time Machine (real tmutil outputs)', () => {
  it('destinationinfo: one network destination', () => {
    expect(parseDestinationInfo(txt('destinationinfo-network-elatov.txt'))).toEqual([
      { name: 'time_mach', kind: 'Network', url: 'afp://elatov@zf/time_mach', mountPoint: '/Volumes/time_mach-1', id: 'C17BD870-304F-4FDB-AF6D-3A78B24729AB' },
    ])
  })

  it('no destination → no source (the judge calls that "no backup"), not an error', () => {
    const fact = parseDarwinBackups(txt('destinationinfo-none.txt'), null, ZONE)
    expectValid(BackupsFactSchema, fact)
    expect(fact).toEqual({ sources: [] })
  })

  it('HFS+ and APFS backup names carry the Mac\'s local time, read in its zone', () => {
    expect(parseLatestBackup(txt('latestbackup-hfs-tensho.txt'), ZONE)).toEqual({
      path: '/Volumes/Time Machine Backups/Backups.backupdb/Tensho MBP/2019-07-29-100231',
      time: '2019-07-29T08:02:31.000Z', // 10:02:31 in Berlin summer time
    })
    expect(parseLatestBackup(txt('latestbackup-apfs.txt'), ZONE)).toMatchObject({ time: '2022-02-22T10:38:46.000Z' }) // winter time
    expect(parseLatestBackup(txt('latestbackup-apfs.txt'), 'America/Los_Angeles')).toMatchObject({ time: '2022-02-22T19:38:46.000Z' })
  })

  it('the Mac\'s zone unknown: the backup time is an error, never a guess', async () => {
    await expectFailure(() => parseLatestBackup(txt('latestbackup-apfs.txt'), null), 'failed')
  })

  it('one destination + its latest backup', () => {
    const fact = parseDarwinBackups(txt('destinationinfo-network-tensho.txt'), txt('latestbackup-hfs-tensho.txt'), ZONE)
    expectValid(BackupsFactSchema, fact)
    expect(fact.sources).toEqual([
      {
        kind: 'timemachine',
        location: 'Tensho — afp://Tensho;AUTH=SRP@Tensho%20AirPort%20Time%20Capsule._afpovertcp._tcp.local./Tensho',
        lastSuccess: '2019-07-29T08:02:31.000Z',
      },
    ])
  })

  it('destination without any backup yet → lastSuccess null (a deviation, not unknown)', () => {
    const fact = parseDarwinBackups(txt('destinationinfo-network-elatov.txt'), txt('listbackups-no-machine-directory.txt'), ZONE)
    expectValid(BackupsFactSchema, fact)
    expect(fact.sources[0]).toMatchObject({ lastSuccess: null })
    expect(fact.sources[0]!.error).toBeUndefined()
  })

  it('two destinations: the backup goes to neither when its path does not tell (constructed pairing of the two real blocks)', () => {
    const both = `${txt('destinationinfo-network-tensho.txt')}${txt('destinationinfo-network-elatov.txt')}`
    const fact = parseDarwinBackups(both, txt('latestbackup-hfs-tensho.txt'), ZONE)
    expectValid(BackupsFactSchema, fact)
    expect(fact.sources.map((s) => [s.lastSuccess, s.error?.code])).toEqual([[null, 'failed'], [null, 'failed']])
  })
})

describe('failures', () => {
  it('destination offline (text as quoted in public notes): unread, not "no backup"', () => {
    const fact = parseDarwinBackups(txt('destinationinfo-network-elatov.txt'), 'Failed to mount destination.\n', ZONE)
    expect(fact.sources[0]).toMatchObject({ lastSuccess: null, error: { code: 'failed' } })
  })

  it('no Full Disk Access → permission-denied for the whole fact', async () => {
    const fdaText = 'No machine directory found for host.\nPOSIXError(_nsError: Error Domain=NSPOSIXErrorDomain Code=1 "Operation not permitted")\n'
    await expectFailure(() => parseDarwinBackups(txt('destinationinfo-network-elatov.txt'), fdaText, ZONE), 'permission-denied')
  })

  it('garbage → parse-error (constructed)', async () => {
    await expectFailure(() => parseDestinationInfo('tmutil: something unexpected\n'), 'parse-error')
    await expectFailure(() => parseLatestBackup('/Volumes/Backup/not-a-date\n', ZONE), 'parse-error')
  })
})

describe('configured sources on macOS', () => {
  it('a folder from the agent config is read beside Time Machine; an unreadable Time Machine is an error, not "no backup"', async () => {
    const { mkdtempSync, writeFileSync, utimesSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'lagebild-darwin-folder-'))
    try {
      writeFileSync(join(dir, 'nas-copy.tar'), 'x')
      const when = new Date('2026-11-27T22:15:00.000Z')
      utimesSync(join(dir, 'nas-copy.tar'), when, when)
      // This machine has no /usr/bin/tmutil, which stands in for a Time Machine that cannot be read.
      const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [{ kind: 'folder', path: dir }] }, now: new Date() })
      expect(fact.sources).toHaveLength(2)
      expect(fact.sources[0]).toMatchObject({ kind: 'timemachine', lastSuccess: null, error: { code: 'command-missing' } })
      expect(fact.sources[1]).toMatchObject({ kind: 'folder', location: dir, lastSuccess: when.toISOString() })
      expect(evaluateFact('base.backups', fact, DEFAULT_THRESHOLDS, new Date('2026-11-28T08:00:00Z')).status).toBe('unknown')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
