// base.encryption on Linux: lsblk's device tree; / on a crypt device (LUKS/dm-crypt) means the system volume is encrypted.
import type { EncryptionFact } from '@lagebild/shared'
import { exec, FactFailure } from '../../system.js'
import { firstLines } from '../tools.js'
import type { Collector } from '../types.js'
import { parseLsblkEncryption } from './parse-linux.js'

export async function collectEncryption(): Promise<EncryptionFact> {
  // MOUNTPOINTS (util-linux ≥ 2.37) lists every mount of a device (btrfs subvolumes); older lsblk knows MOUNTPOINT only.
  let r = await exec('lsblk', ['-J', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINTS,PKNAME'])
  if (r.code !== 0 && /unknown column/i.test(r.stderr)) r = await exec('lsblk', ['-J', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINT,PKNAME'])
  if (r.code !== 0) throw new FactFailure('failed', `lsblk exited ${r.code}: ${firstLines(r)}`)
  const volumes = parseLsblkEncryption(r.stdout)
  // / not on a block device (container, overlay, NFS root): lsblk cannot tell, so say so instead of guessing.
  if (!volumes.some((v) => v.system)) volumes.unshift({ mount: '/', system: true, encrypted: null, status: 'the root filesystem is not on a block device lsblk knows' })
  return { volumes: volumes.slice(0, 100) }
}

export const collector: Collector<'base.encryption'> = { id: 'base.encryption', collect: () => collectEncryption() }
