import { describe, expect, it } from 'vitest'
import { parseWin32Patches } from './win32.js'
import { parseFormatList, parseFormatTable, wuaDate, wuaFromAnsible, wuaFromScript, wuaFromTextRecord, wuaKbs, wuaSecurity } from './wua.js'
import { fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')
// The MnCommonPsToolLib recording is kept as the source has it: PowerShell comment lines "#   <output>".
const COMMENT = /^\s*# {0,3}/

/** The source prints two recordings, each introduced by a "# Example:" line. */
function examples(text: string): string[] {
  return text.split(/^\s*# Example:\s*$/m).slice(1)
}

describe('real PSWindowsUpdate output, German Windows (MnCommonPsToolLib, see SOURCES.md)', () => {
  const [table, list] = examples(F.text('real-pswindowsupdate-de-mncommonpstoollib.txt'))

  it('Format-Table rows (Install-WindowsUpdate): German title, KB column', () => {
    const rows = parseFormatTable(table!, COMMENT)
    expect(rows.map((r) => r.Result)).toEqual(['Accepted', 'Downloaded', 'Installed'])
    const w = wuaFromTextRecord(rows[0]!)
    expect(w).toMatchObject({
      title: '2024-08 Kumulatives Update für Windows 11 Version 23H2 für x64-basierte Systeme (KB5041585)',
      kbs: ['KB5041585'],
      // The table carries neither categories nor MsrcSeverity: whether it is a security update is not told.
      security: null,
      lastDeploymentChange: null,
    })
  })

  it('Format-List of one update: MsrcSeverity set, Categories/KBArticleIDs unexpanded COM objects', () => {
    const recs = parseFormatList(list!, COMMENT)
    expect(recs).toHaveLength(1)
    const r = recs[0]!
    expect(r.Categories).toBe('System.__ComObject')
    expect(r.KBArticleIDs).toBe('System.__ComObject')
    // The recording has U+FFFD where "ü" was: console output decoded with the wrong code page. posture.ts sets
    // [Console]::OutputEncoding to UTF-8 before the script runs, so our own output does not lose umlauts.
    expect(r.Title).toContain('f\uFFFDr .NET Framework')
    const w = wuaFromTextRecord(r)
    expect(w).toMatchObject({
      kbs: ['KB5032339'], // from PSWindowsUpdate's "KB" property; KBArticleIDs itself is not readable as text
      msrcSeverity: 'Important',
      categoryIds: null,
      security: true, // by MsrcSeverity alone: the category ids are not in this shape
      lastDeploymentChange: '2023-11-14T00:00:00.000Z',
    })
    expect(wuaKbs(r.KBArticleIDs)).toBeNull()
  })
})

describe('real PSWindowsUpdate table, English (PSWindowsUpdate issue #14)', () => {
  it('a title cut by the table stays as printed; no severity or category in this shape', () => {
    const rows = parseFormatTable(F.text('real-pswindowsupdate-en-issue14.txt'))
    expect(rows).toEqual([
      {
        X: '1',
        ComputerName: 'CYGNUSX1',
        Result: 'Accepted',
        KB: 'KB4052623',
        Size: '12MB',
        Title: 'Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.24010.12) - Curre...',
      },
    ])
    expect(wuaFromTextRecord(rows[0]!)).toMatchObject({ kbs: ['KB4052623'], security: null })
  })
})

describe('real Ansible win_updates result (ansible.windows issue #331)', () => {
  it('category names only, KB as bare digits, no MsrcSeverity: security is not told', () => {
    const entry = JSON.parse(`{${F.text('real-ansible-win_updates-issue331.txt')}}`) as Record<string, Record<string, unknown>>
    const w = wuaFromAnsible(entry['f26a0046-1e1a-4305-8743-19c92c3095a5']!)
    expect(w).toEqual({
      title: 'Update for Removal of Adobe Flash Player for Windows Server 2019 for x64-based Systems (KB4577586)',
      kbs: ['KB4577586'],
      msrcSeverity: null,
      categoryIds: null,
      categoryNames: ['Updates', 'Windows Server 2019'],
      // "Updates" is not "Security Updates", but names are localized: without ids no "false" can be proven.
      security: null,
      lastDeploymentChange: null,
    })
  })
})

describe('real AutoUpdate.Results dates in local culture text', () => {
  it('German "dd.MM.yyyy HH:mm:ss" (Format-List) → null: no zone, culture-dependent order', () => {
    // The recording sits in a <# #> block of the source script, indented by four spaces.
    const recs = parseFormatList(F.text('real-autoupdate-results-de.txt'), /^ {4}/)
    const r = recs.find((x) => 'LastSearchSuccessDate' in x)!
    expect(r).toEqual({ LastSearchSuccessDate: '17.08.2019 08:20:09', LastInstallationSuccessDate: '17.08.2019 08:20:27' })
    expect(wuaDate(r.LastSearchSuccessDate, 'utc')).toBeNull()
    expect(wuaDate(r.LastInstallationSuccessDate, 'unknown')).toBeNull()
  })
  it('Get-WULastResults table (PSWindowsUpdate help example) → null', () => {
    const [row] = parseFormatTable(F.text('real-get-wulastresults-doc.txt'))
    expect(row).toEqual({ LastSearchSuccessDate: '05.04.2017 18:16:27', LastInstallationSuccessDate: '28.03.2017 17:05:00', ComputerName: 'G1' })
    expect(wuaDate(row!.LastSearchSuccessDate, 'utc')).toBeNull()
  })
})

describe('wua mapping rules', () => {
  it('dates: PowerShell 5.1 "\\/Date(ms)\\/", ISO with zone, year-first text only where the field is UTC', () => {
    expect(wuaDate('/Date(1699920000000)/', 'unknown')).toBe('2023-11-14T00:00:00.000Z')
    expect(wuaDate('\\/Date(1699920000000)\\/', 'unknown')).toBe('2023-11-14T00:00:00.000Z')
    expect(wuaDate('2023-11-14T00:00:00.0000000Z', 'unknown')).toBe('2023-11-14T00:00:00.000Z')
    expect(wuaDate('2023-11-14 00:00:00', 'unknown')).toBeNull()
    expect(wuaDate('2/24/2022 12:24:28 PM', 'utc')).toBeNull()
    expect(wuaDate('26-4-2023 13:41:50', 'utc')).toBeNull()
  })
  it('security: id beats the localized name; empty MsrcSeverity with the Security Updates id is still security', () => {
    expect(wuaSecurity({ categoryIds: ['0FA1201D-4330-4FA8-8AE9-B877473B6441'], categoryNames: ['Sicherheitsupdates'], msrcSeverity: '' })).toBe(true)
    expect(wuaSecurity({ categoryIds: ['e0789628-ce08-4437-be74-2495b842f43b'], categoryNames: ['Definitionsupdates'], msrcSeverity: '' })).toBe(false)
    expect(wuaSecurity({ categoryIds: null, categoryNames: ['Sicherheitsupdates'], msrcSeverity: null })).toBeNull()
    expect(wuaSecurity({ categoryIds: null, categoryNames: ['Security Updates'], msrcSeverity: null })).toBe(true)
  })
  it('KB lists', () => {
    expect(wuaKbs(['5034123'])).toEqual(['KB5034123'])
    expect(wuaKbs('890830')).toEqual(['KB890830'])
    expect(wuaKbs('KB5034441,5034442')).toEqual(['KB5034441', 'KB5034442'])
    expect(wuaKbs([])).toEqual([])
    expect(wuaKbs('System.__ComObject')).toBeNull()
  })
  it('"Name - CategoryID" strings (the form ansible maintainers asked users to print) give ids', () => {
    const w = wuaFromTextRecord({ Title: 'x', Categories: '{Security Updates - 0fa1201d-4330-4fa8-8ae9-b877473b6441, Windows Server 2016 - 569e8e8f-c6cd-42c8-92a3-efbb20a0f6f5}' })
    expect(w).toMatchObject({ categoryIds: ['0fa1201d-4330-4fa8-8ae9-b877473b6441', '569e8e8f-c6cd-42c8-92a3-efbb20a0f6f5'], security: true })
  })
  it('script JSON: one-element arrays written bare by ConvertTo-Json; an untitled update is named by its KB', () => {
    expect(wuaFromScript({ Title: 't', KBArticleIDs: '890830', Categories: { CategoryID: '28bc880e-0592-4cbf-8f95-c79b17911d5f', Name: 'Update Rollups' }, MsrcSeverity: '' })).toMatchObject({ kbs: ['KB890830'], security: false })
    const fact = parseWin32Patches({ search: { ok: { ResultCode: 2, Updates: [{ Title: '', KBArticleIDs: ['5041585'], Categories: [], MsrcSeverity: 'Critical' }] } } })
    expect(fact.items[0]).toMatchObject({ name: 'KB5041585', security: true })
  })
})
