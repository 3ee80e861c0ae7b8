// base.segmentation on Windows: Get-NetTCPConnection -State Listen, read by windows/posture.ps1.
import type { SegmentationFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, unwrap } from '../windows/posture.js'
import { asArray, int, isObject, str } from '../windows/values.js'

type Listening = SegmentationFact['listening'][number]

/** Well-known ports whose exposure is a risk on a small-office PC. */
export const RISKY_TCP_PORTS: Readonly<Record<number, string>> = {
  21: 'FTP', 23: 'Telnet', 135: 'RPC', 139: 'NetBIOS', 445: 'SMB', 1433: 'MSSQL', 3306: 'MySQL', 3389: 'RDP',
  5432: 'PostgreSQL', 5900: 'VNC', 5985: 'WinRM', 5986: 'WinRM', 6379: 'Redis', 27017: 'MongoDB',
}

const isLoopback = (a: string) => /^127\./.test(a) || a === '::1' || /^::ffff:127\./i.test(a)

export function parseNetTcpListeners(raw: unknown): SegmentationFact {
  const seen = new Set<string>()
  const listening: Listening[] = []
  for (const c of asArray(raw)) {
    if (!isObject(c)) throw new FactFailure('parse-error', 'Get-NetTCPConnection: an entry is not an object')
    const address = str(c.LocalAddress)
    const port = int(c.LocalPort)
    if (address === null || port === null || port > 65535) throw new FactFailure('parse-error', 'Get-NetTCPConnection: an entry without address or port')
    if (isLoopback(address)) continue
    const key = `${address}|${port}`
    if (seen.has(key)) continue
    seen.add(key)
    const process = str(c.Process)
    const risky = RISKY_TCP_PORTS[port]
    listening.push({ protocol: 'tcp', address, port, ...(process ? { process: process.slice(0, 500) } : {}), ...(risky ? { risky } : {}) })
  }
  return { listening: listening.slice(0, 1000) }
}

export function parseWin32Segmentation(section: unknown): SegmentationFact {
  return parseNetTcpListeners(unwrap(section, 'Get-NetTCPConnection'))
}

export const collector: Collector<'base.segmentation'> = {
  id: 'base.segmentation',
  async collect(ctx) {
    return parseWin32Segmentation((await posture(ctx)).sections.segmentation)
  },
}
