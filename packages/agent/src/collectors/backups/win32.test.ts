import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BackupsFactSchema } from '@lagebild/shared'
import { collector, parseWin32Backups } from './win32.js'
import { posture, resetPosture } from '../windows/posture.js'
import { psDate } from '../windows/values.js'
import { expectFailure, expectValid, fixtures, judge } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')
const section = (name: string) => F.json(name)
const ERR = { lastSuccess: null }

describe('the backups section → sources (table over fixtures)', () => {
  it.each([
    [
      'section-wsb-ws2022.json',
      [{ kind: 'wbadmin', location: 'Windows Server Backup: Toothle 2023_11_18 13:54 DISK_01', lastSuccess: '2024-03-15T15:16:38.000Z', count: 101 }],
    ],
    [
      // the last run failed; the last success is what ages
      'section-wsb-fr-last-failed.json',
      [{ kind: 'wbadmin', location: 'Windows Server Backup: WIN-R 10/03/2026 20:15:03 Disk01', lastSuccess: '2026-03-10T19:16:00.000Z', count: 1 }],
    ],
    [
      'section-client-engine-log-file-history.json',
      [
        { kind: 'wbadmin', location: 'Microsoft-Windows-Backup event log: E:', lastSuccess: '2026-11-19T21:04:12.557Z' },
        { kind: 'filehistory', location: 'File History: C:\\Users\\Jürgen → \\\\nas\\FileHistory', lastSuccess: '2026-11-20T07:59:58.000Z' },
        { kind: 'filehistory', location: 'File History: C:\\Users\\azubi → F:\\', lastSuccess: '2026-10-02T16:12:40.000Z' },
      ],
    ],
    ['section-nothing-set-up.json', []],
  ])('%s', (file, want) => {
    const sources = parseWin32Backups(section(file))
    expectValid(BackupsFactSchema, { sources })
    expect(sources).toEqual(want)
  })

  it.each([
    ['section-denied-de.json', [['Microsoft-Windows-Backup event log', 'permission-denied'], ['File History: C:\\Users\\Jürgen', 'permission-denied']]],
    ['section-wsb-module-broken.json', [['Windows Server Backup', 'command-missing']]],
  ])('%s: a method that could not look is an error source, never "no backup"', (file, want) => {
    const sources = parseWin32Backups(section(file))
    expectValid(BackupsFactSchema, { sources })
    expect(sources.map((s) => [s.location, s.error?.code])).toEqual(want)
    expect(sources.every((s) => s.lastSuccess === ERR.lastSuccess)).toBe(true)
    expect(judge('base.backups', { sources }, new Date('2026-11-20T12:00:00Z')).status).toBe('unknown')
  })

  it('a missing section is a parse error of the whole fact', async () => {
    await expectFailure(() => parseWin32Backups(undefined), 'parse-error')
  })
  it('an engine event 4 without a readable time is a parse error, not a success', async () => {
    const s = { wsb: { ok: { Installed: false } }, engineLog: { ok: { LogFound: true, LastSuccess: { TimeCreated: '15.03.2024 11:16:38' }, LastEvent: null } }, fileHistory: { ok: [] } }
    await expectFailure(() => parseWin32Backups(s), 'parse-error')
  })
  it('the engine log ran but never succeeded: a source with lastSuccess null (a deviation)', () => {
    const s = { wsb: { ok: { Installed: false } }, engineLog: { ok: { LogFound: true, LastSuccess: null, LastEvent: { Id: 5, TimeCreated: '2026-11-19T21:00:00Z' } } }, fileHistory: { ok: [] } }
    const sources = parseWin32Backups(s)
    expect(sources).toEqual([{ kind: 'wbadmin', location: 'Microsoft-Windows-Backup event log', lastSuccess: null }])
    expect(judge('base.backups', { sources }, new Date('2026-11-20T12:00:00Z')).status).toBe('deviation')
  })
  it('Windows Server Backup installed, never run, nothing scheduled: no source', () => {
    const s = { wsb: { ok: { Installed: true, PolicyConfigured: false, NumberOfVersions: 0, LastSuccessfulBackupTime: null, LastBackupTime: null } }, engineLog: { ok: { LogFound: false } }, fileHistory: { ok: [] } }
    expect(parseWin32Backups(s)).toEqual([])
  })
})

describe('the constructed sections agree with the real Get-WBSummary recordings', () => {
  const formatList = (name: string) =>
    Object.fromEntries(F.text(name).split(/\r?\n/).map((l) => /^(\w+)\s*: ?(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1], m[2]!.trim()]))
  it.each([
    ['wbsummary-ws2022-format-list.txt', 'section-wsb-ws2022.json'],
    ['wbsummary-fr-format-list.txt', 'section-wsb-fr-last-failed.json'],
  ])('%s ↔ %s', (text, json) => {
    const real = formatList(text)
    const ok = (section(json) as { wsb: { ok: Record<string, unknown> } }).wsb.ok
    for (const k of ['NumberOfVersions', 'LastBackupResultHR']) expect(String(ok[k])).toBe(real[k])
    for (const k of ['LastSuccessfulBackupTargetPath', 'LastSuccessfulBackupTargetLabel', 'LastBackupTarget']) expect(ok[k]).toBe(real[k])
  })
  it('localized date text (fr-FR, en-US alike) carries no zone and is never read as a time: the script must format it', () => {
    expect(psDate(formatList('wbsummary-fr-format-list.txt').LastSuccessfulBackupTime)).toBeNull()
    expect(psDate(formatList('wbsummary-ws2022-format-list.txt').LastSuccessfulBackupTime)).toBeNull()
  })
})

describe('collector: the posture section plus the configured sources (OS-neutral reader)', () => {
  it('built-in sources first, then the agent config; a configured folder is read like on Linux', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lagebild-win-backups-'))
    try {
      await writeFile(join(dir, 'backup.zip'), 'x')
      await utimes(join(dir, 'backup.zip'), new Date('2026-11-19T22:00:00Z'), new Date('2026-11-19T22:00:00Z'))
      const now = new Date('2026-11-20T12:00:00Z')
      const ctx = { now, config: { intervalMinutes: 15, backups: [{ kind: 'folder' as const, path: dir }, { kind: 'folder' as const, path: join(dir, 'missing') }] } }
      resetPosture()
      const stdout = JSON.stringify({ v: 1, sections: { backups: section('section-nothing-set-up.json') } })
      await posture(ctx, async () => ({ stdout, stderr: '', code: 0 })) // primes this cycle's memo
      const fact = await collector.collect(ctx)
      expectValid(BackupsFactSchema, fact)
      expect(fact.sources.map((s) => [s.kind, s.lastSuccess, s.error?.code])).toEqual([
        ['folder', '2026-11-19T22:00:00.000Z', undefined],
        ['folder', null, 'failed'],
      ])
      expect(judge('base.backups', fact, now).status).not.toBe('ok')
    } finally {
      resetPosture()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
