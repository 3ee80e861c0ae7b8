// The registry of collectors: picks the platform's list. A fact without a collector is reported as not-implemented.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { linuxCollectors } from './linux-registry.js'
import { win32Collectors } from './win32-registry.js'
import { darwinCollectors } from './darwin-registry.js'

export function collectorsFor(platform: NodeJS.Platform): Partial<Record<FactId, Collector>> {
  if (platform === 'win32') return win32Collectors
  if (platform === 'darwin') return darwinCollectors
  return linuxCollectors
}
