import { describe, expect, it } from 'vitest'
import { PatchesFactSchema } from '@lagebild/shared'
import { parseWin32Patches } from './win32.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')

describe('parseWin32Patches (constructed sections, see SOURCES.md)', () => {
  const cases = [
    {
      file: 'section-pending.json',
      want: { manager: 'wua', pending: 2, security: 1, oldestPendingSince: '2024-01-09T00:00:00.000Z', lastInstall: '2023-12-13T07:12:44.000Z', lastCheck: '2024-01-15T06:30:02.000Z', rebootRequired: true },
    },
    {
      file: 'section-none-pending.json',
      want: { pending: 0, security: 0, items: [], oldestPendingSince: null, lastCheck: '2024-01-15T06:30:02.000Z', rebootRequired: false },
    },
    {
      file: 'section-history-denied.json',
      want: { pending: 1, security: 0, lastInstall: null, lastCheck: null, rebootRequired: false, oldestPendingSince: '2024-01-09T00:00:00.000Z' },
    },
  ]
  it.each(cases)('$file', ({ file, want }) => {
    const fact = parseWin32Patches(F.json(file))
    expectValid(PatchesFactSchema, fact)
    expect(fact).toMatchObject(want)
  })

  it('security is judged by category id and MSRC severity, not by the localized category name', () => {
    const fact = parseWin32Patches(F.json('section-pending.json'))
    expect(fact.items[0]).toMatchObject({ security: true, version: 'KB5034123', source: 'Sicherheitsupdates, Windows 11' })
    expect(fact.items[1]).toMatchObject({ security: false, version: 'KB2267602' })
  })

  it('a failed search is unknown, never "0 pending"', async () => {
    await expectFailure(() => parseWin32Patches(F.json('section-search-failed.json')), 'failed')
    await expectFailure(() => parseWin32Patches({ search: { ok: { ResultCode: 4, Updates: [] } } }), 'failed')
    await expectFailure(() => parseWin32Patches(undefined), 'parse-error')
  })

  it('reboot: unreadable signals stay null', () => {
    const base = F.json('section-none-pending.json') as Record<string, unknown>
    expect(parseWin32Patches({ ...base, reboot: { error: { type: 'x', message: 'boom' } } }).rebootRequired).toBeNull()
  })
})
