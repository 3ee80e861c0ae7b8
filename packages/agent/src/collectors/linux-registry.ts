// Collectors used on linux, by fact id. One line per fact.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { inventoryCollector } from './inventory/index.js'
import { collector as patches } from './patches/linux.js'
import { collector as antimalware } from './antimalware/linux.js'
import { collector as firewall } from './firewall/linux.js'
import { collector as backups } from './backups/linux.js'

export const linuxCollectors: Partial<Record<FactId, Collector>> = {
  'base.patches': patches,
  'base.antimalware': antimalware,
  'base.firewall': firewall,
  'base.backups': backups,
  'base.inventory': inventoryCollector,
}
