import { describe, expect, it } from 'vitest'
import { EncryptionFactSchema } from '@lagebild/shared'
import { parseFdesetupStatus } from './darwin.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')

describe('parseFdesetupStatus (real fdesetup status answers)', () => {
  it.each([
    ['fdesetup-status-on.txt', true],
    ['fdesetup-status-off.txt', false],
    ['fdesetup-status-off-deferred.txt', false],
    ['fdesetup-status-encrypting-pending.txt', null],
  ] as const)('%s → encrypted %s', (file, encrypted) => {
    const volume = parseFdesetupStatus(F.text(file))
    expectValid(EncryptionFactSchema, { volumes: [volume] })
    expect(volume).toMatchObject({ mount: '/', system: true, method: 'FileVault', encrypted })
  })

  it('encryption under way with a percentage (constructed, the form many public parsers expect) is not yet "encrypted"', () => {
    expect(parseFdesetupStatus('FileVault is On.\nEncryption in progress: Percent completed = 42\n').encrypted).toBeNull()
    expect(parseFdesetupStatus('FileVault is Off.\nDecryption in progress: Percent completed = 73\n').encrypted).toBe(false)
  })

  it('anything else → parse-error, never "not encrypted"', async () => {
    await expectFailure(() => parseFdesetupStatus(''), 'parse-error')
    await expectFailure(() => parseFdesetupStatus("Unknown volume or device specifier: '/'\n"), 'parse-error')
  })
})
