// base.encryption on Windows: BitLocker through Win32_EncryptableVolume (numbers, not manage-bde's localized
// text), read by windows/posture.ps1. Needs administrator rights; the agent runs as SYSTEM.
import type { EncryptionFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, unwrap } from '../windows/posture.js'
import { asArray, int, isObject, str } from '../windows/values.js'

type Volume = EncryptionFact['volumes'][number]

const CONVERSION = ['FullyDecrypted', 'FullyEncrypted', 'EncryptionInProgress', 'DecryptionInProgress', 'EncryptionPaused', 'DecryptionPaused']
const PROTECTION = ['ProtectionOff', 'ProtectionOn', 'ProtectionUnknown']

/**
 * Pure: one Win32_EncryptableVolume → volume. ProtectionStatus decides: 1 on → encrypted; 0 off → not protected
 * (also a fully encrypted volume with suspended protection: its key lies in the clear); 2 (locked) → null.
 */
export function parseEncryptableVolume(v: unknown, systemDrive: string | null): Volume | null {
  if (!isObject(v)) return null
  const letter = str(v.DriveLetter)
  const device = str(v.DeviceID)
  const protection = int(v.ProtectionStatus)
  const conversion = int(v.ConversionStatus)
  const type = int(v.VolumeType)
  const encrypted = protection === 1 ? true : protection === 0 ? false : null
  const status = [conversion !== null ? (CONVERSION[conversion] ?? `ConversionStatus ${conversion}`) : null, protection !== null ? (PROTECTION[protection] ?? `ProtectionStatus ${protection}`) : null]
    .filter(Boolean).join(', ')
  const system = type === 0 || (letter !== null && systemDrive !== null && letter.toUpperCase() === systemDrive.toUpperCase())
  return {
    mount: (letter ?? device ?? '?').slice(0, 500),
    ...(device ? { device: device.slice(0, 500) } : {}),
    system,
    encrypted,
    method: 'BitLocker',
    ...(status ? { status } : {}),
  }
}

export function parseWin32Encryption(section: unknown): EncryptionFact {
  const data = unwrap(section, 'Win32_EncryptableVolume')
  if (!isObject(data)) throw new FactFailure('parse-error', 'Win32_EncryptableVolume: no result object')
  const systemDrive = str(data.SystemDrive)
  const volumes = asArray(data.Volumes).map((v) => parseEncryptableVolume(v, systemDrive)).filter((v): v is Volume => v !== null)
  return { volumes: [...volumes.filter((v) => v.system), ...volumes.filter((v) => !v.system)].slice(0, 100) }
}

export const collector: Collector<'base.encryption'> = {
  id: 'base.encryption',
  async collect(ctx) {
    return parseWin32Encryption((await posture(ctx)).sections.encryption)
  },
}
