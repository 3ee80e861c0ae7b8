// Collectors used on darwin, by fact id. One line per fact.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { collector as inventory } from './inventory/index.js'
import { collector as patches } from './patches/darwin.js'
import { collector as antimalware } from './antimalware/darwin.js'
import { collector as firewall } from './firewall/darwin.js'
import { collector as backups } from './backups/darwin.js'
import { collector as encryption } from './encryption/darwin.js'
import { collector as userRights } from './user-rights/darwin.js'
import { collector as passwords } from './passwords/darwin.js'
import { collector as segmentation } from './segmentation/darwin.js'

export const darwinCollectors: Partial<Record<FactId, Collector>> = {
  'base.inventory': inventory,
  'base.patches': patches,
  'base.antimalware': antimalware,
  'base.firewall': firewall,
  'base.backups': backups,
  'base.encryption': encryption,
  'base.user-rights': userRights,
  'base.passwords': passwords,
  'base.segmentation': segmentation,
}
