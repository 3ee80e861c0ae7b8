// The registry of collectors: one line per fact. Each fact folder picks its platform file itself.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { inventoryCollector } from './inventory/index.js'

/** Collectors for this platform, by fact id. A fact without a collector is reported as not-implemented. */
export function collectorsFor(platform: NodeJS.Platform): Partial<Record<FactId, Collector>> {
  void platform
  return {
    'base.inventory': inventoryCollector,
  }
}
