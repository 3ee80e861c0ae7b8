// Collectors used on linux, by fact id. One line per fact.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { collector as inventory } from './inventory/index.js'
import { collector as patches } from './patches/linux.js'
import { collector as antimalware } from './antimalware/linux.js'
import { collector as firewall } from './firewall/linux.js'
import { collector as backups } from './backups/linux.js'
import { collector as encryption } from './encryption/linux.js'
import { collector as userRights } from './user-rights/linux.js'
import { collector as passwords } from './passwords/linux.js'
import { collector as segmentation } from './segmentation/linux.js'

export const linuxCollectors: Partial<Record<FactId, Collector>> = {
  'base.patches': patches,
  'base.antimalware': antimalware,
  'base.firewall': firewall,
  'base.backups': backups,
  'base.encryption': encryption,
  'base.user-rights': userRights,
  'base.passwords': passwords,
  'base.segmentation': segmentation,
  'base.inventory': inventory,
}
