import { describe, expect, it } from 'vitest'
import { EncryptionFactSchema } from '@lagebild/shared'
import { parseWin32Encryption } from './win32.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'win32')

describe('parseWin32Encryption (real Win32_EncryptableVolume values)', () => {
  it('C: BitLocker on (system), E: portable and off', () => {
    const fact = parseWin32Encryption({ ok: { SystemDrive: 'C:', Volumes: F.json('encryptable-volumes.json') } })
    expectValid(EncryptionFactSchema, fact)
    expect(fact.volumes).toEqual([
      { mount: 'C:', device: '\\\\?\\Volume{1b7897f7-3916-496c-91de-704fde33dde9}\\', system: true, encrypted: true, method: 'BitLocker', status: 'FullyEncrypted, ProtectionOn' },
      { mount: 'E:', device: '\\\\?\\Volume{0e4c91e2-80c2-4433-bf7f-31fb65330364}\\', system: false, encrypted: false, method: 'BitLocker', status: 'FullyDecrypted, ProtectionOff' },
    ])
  })

  it('fully encrypted but suspended protection is not protected; locked (2) is unknown', () => {
    const [c] = F.json('encryptable-volumes.json') as object[]
    const suspended = parseWin32Encryption({ ok: { SystemDrive: 'C:', Volumes: [{ ...c, ProtectionStatus: 0 }] } })
    expect(suspended.volumes[0]).toMatchObject({ encrypted: false, status: 'FullyEncrypted, ProtectionOff' })
    const locked = parseWin32Encryption({ ok: { SystemDrive: 'C:', Volumes: [{ ...c, ProtectionStatus: 2 }] } })
    expect(locked.volumes[0]!.encrypted).toBeNull()
  })

  it('access denied (not elevated) is unknown', async () => {
    await expectFailure(
      () => parseWin32Encryption({ error: { type: 'Microsoft.Management.Infrastructure.CimException', hresult: -2147217405, category: 'PermissionDenied', id: 'x', message: 'Access denied ' } }),
      'permission-denied',
    )
  })
})
