// Pure parser for `lsblk -J`: is a mount point on a crypt device somewhere up its parent chain? No I/O.
import type { EncryptionFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'

type Volume = EncryptionFact['volumes'][number]

interface LsblkNode {
  name?: string
  type?: string | null
  fstype?: string | null
  mountpoint?: string | null
  mountpoints?: (string | null)[]
  children?: LsblkNode[]
}

const mountsOf = (n: LsblkNode) => [...(n.mountpoints ?? []), n.mountpoint].filter((m): m is string => typeof m === 'string' && m.startsWith('/'))

/**
 * Every mounted filesystem with its encryption, the system volume (/) first. lsblk -J nests children under their
 * parents (disk → part (crypto_LUKS) → crypt → lvm …), so the chain from the top to the mounted node is the parent chain.
 */
export function parseLsblkEncryption(json: string): Volume[] {
  let doc: { blockdevices?: LsblkNode[] }
  try {
    doc = JSON.parse(json) as { blockdevices?: LsblkNode[] }
  } catch {
    throw new FactFailure('parse-error', 'lsblk -J did not print JSON')
  }
  if (!Array.isArray(doc.blockdevices)) throw new FactFailure('parse-error', 'lsblk -J has no "blockdevices"')
  const volumes: Volume[] = []
  const seen = new Set<string>()
  const walk = (node: LsblkNode, chain: LsblkNode[], depth: number) => {
    if (depth > 16) return
    const path = [...chain, node]
    for (const mount of mountsOf(node)) {
      if (seen.has(mount)) continue
      seen.add(mount)
      const crypt = path.some((n) => n.type === 'crypt')
      const luks = path.some((n) => n.fstype === 'crypto_LUKS')
      volumes.push({
        mount,
        device: node.name ?? undefined,
        system: mount === '/',
        encrypted: crypt || luks,
        ...(crypt || luks ? { method: luks ? 'LUKS' : 'dm-crypt' } : {}),
        status: path.map((n) => `${n.name ?? '?'}:${n.type ?? '?'}${n.fstype ? `/${n.fstype}` : ''}`).join(' > ').slice(0, 500),
      })
    }
    for (const c of node.children ?? []) walk(c, path, depth + 1)
  }
  for (const d of doc.blockdevices) walk(d, [], 0)
  return volumes.sort((a, b) => Number(b.system) - Number(a.system)).slice(0, 100)
}
