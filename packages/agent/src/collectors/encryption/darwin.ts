// base.encryption on macOS: FileVault on the system volume, from `fdesetup status`.
import type { EncryptionFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'

type Volume = EncryptionFact['volumes'][number]

/**
 * Pure: `fdesetup status` → the system volume.
 * - "FileVault is On." → encrypted.
 * - "FileVault is On." + "Encryption in progress: …" (also "Pending" while on battery) → null: not yet complete, and
 *   how much is done is not a yes/no. The raw text goes to `status`.
 * - "FileVault is Off." (also with "Deferred enablement …" or "Decryption in progress …") → not encrypted.
 */
export function parseFdesetupStatus(text: string): Volume {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  const on = lines.some((l) => /^FileVault is On\.?$/i.test(l))
  const off = lines.some((l) => /^FileVault is Off\.?$/i.test(l))
  const encrypting = lines.some((l) => /^Encryption in progress/i.test(l))
  if (on === off) throw new FactFailure('parse-error', `fdesetup status not understood: ${text.trim().slice(0, 200)}`)
  return {
    mount: '/',
    system: true,
    encrypted: off ? false : encrypting ? null : true,
    method: 'FileVault',
    status: lines.join(' ').slice(0, 500),
  }
}

export async function collectDarwinEncryption(): Promise<EncryptionFact> {
  const r = await execIfPresent('/usr/bin/fdesetup', ['status'], { timeoutMs: 30_000 })
  if (!r) throw new FactFailure('command-missing', '/usr/bin/fdesetup is not installed')
  if (r.code !== 0) throw new FactFailure(/not permitted|must be run as root|permission/i.test(r.stderr) ? 'permission-denied' : 'failed', `fdesetup status exited ${r.code}: ${firstLines(r)}`)
  return { volumes: [parseFdesetupStatus(r.stdout)] }
}

export const collector: Collector<'base.encryption'> = { id: 'base.encryption', collect: () => collectDarwinEncryption() }
