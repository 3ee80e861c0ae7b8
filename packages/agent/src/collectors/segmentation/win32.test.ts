import { describe, expect, it } from 'vitest'
import { SegmentationFactSchema } from '@lagebild/shared'
import { parseWin32Segmentation } from './win32.js'
import { expectFailure, expectValid } from '../test-helpers.js'

// Constructed: no public JSON of Get-NetTCPConnection -State Listen was found (see fixtures/win32/SOURCES.md).
describe('parseWin32Segmentation', () => {
  it('drops loopback and duplicates, marks risky ports', () => {
    const fact = parseWin32Segmentation({
      ok: [
        { LocalAddress: '0.0.0.0', LocalPort: 3389, OwningProcess: 1100, Process: 'svchost' },
        { LocalAddress: '::', LocalPort: 445, OwningProcess: 4, Process: 'System' },
        { LocalAddress: '127.0.0.1', LocalPort: 5939, OwningProcess: 3000, Process: 'TeamViewer_Service' },
        { LocalAddress: '0.0.0.0', LocalPort: 3389, OwningProcess: 1100, Process: 'svchost' },
        { LocalAddress: '192.168.1.20', LocalPort: 8080, OwningProcess: 500, Process: null },
      ],
    })
    expectValid(SegmentationFactSchema, fact)
    expect(fact.listening).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 3389, process: 'svchost', risky: 'RDP' },
      { protocol: 'tcp', address: '::', port: 445, process: 'System', risky: 'SMB' },
      { protocol: 'tcp', address: '192.168.1.20', port: 8080 },
    ])
  })
  it('command missing (no NetTCPIP module) is unknown', async () => {
    await expectFailure(() => parseWin32Segmentation({ error: { type: 'System.Management.Automation.CommandNotFoundException', category: 'ObjectNotFound', id: 'CommandNotFoundException', message: "The term 'Get-NetTCPConnection' is not recognized" } }), 'command-missing')
  })
})
