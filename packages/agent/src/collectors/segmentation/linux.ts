// base.segmentation on Linux: sockets listening on non-loopback addresses (`ss`), with risky well-known ports named.
import type { SegmentationFact } from '@lagebild/shared'
import { exec, FactFailure } from '../../system.js'
import { firstLines } from '../tools.js'
import type { Collector } from '../types.js'
import { parseSsListening } from './parse-linux.js'

export async function collectSegmentation(): Promise<SegmentationFact> {
  // -p (process names) needs root for other users' sockets; without it the list is still complete, just unnamed.
  const r = await exec('ss', ['-H', '-tulnp'])
  if (r.code !== 0) throw new FactFailure('failed', `ss exited ${r.code}: ${firstLines(r)}`)
  return { listening: parseSsListening(r.stdout) }
}

export const collector: Collector<'base.segmentation'> = { id: 'base.segmentation', collect: () => collectSegmentation() }
