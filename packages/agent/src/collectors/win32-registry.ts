// Collectors used on win32, by fact id. One line per fact.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { inventoryCollector } from './inventory/index.js'

export const win32Collectors: Partial<Record<FactId, Collector>> = {
  'base.inventory': inventoryCollector,
}
