// base.segmentation on Windows: Get-NetTCPConnection -State Listen, read by windows/posture.ps1.
import type { SegmentationFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, unwrap } from '../windows/posture.js'
import { asArray, int, isObject, str } from '../windows/values.js'
import { isLoopbackAddress, riskyTcpService } from './risky-ports.js'

type Listening = SegmentationFact['listening'][number]

export function parseNetTcpListeners(raw: unknown): SegmentationFact {
  const seen = new Set<string>()
  const listening: Listening[] = []
  for (const c of asArray(raw)) {
    if (!isObject(c)) throw new FactFailure('parse-error', 'Get-NetTCPConnection: an entry is not an object')
    const address = str(c.LocalAddress)
    const port = int(c.LocalPort)
    if (address === null || port === null || port > 65535) throw new FactFailure('parse-error', 'Get-NetTCPConnection: an entry without address or port')
    if (isLoopbackAddress(address)) continue
    const key = `${address}|${port}`
    if (seen.has(key)) continue
    seen.add(key)
    const process = str(c.Process)
    const risky = riskyTcpService(port)
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
