// Collectors used on win32, by fact id. One line per fact.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'
import { collector as inventory } from './inventory/index.js'
import { collector as patches } from './patches/win32.js'
import { collector as antimalware } from './antimalware/win32.js'
import { collector as firewall } from './firewall/win32.js'
import { collector as backups } from './backups/win32.js'
import { collector as encryption } from './encryption/win32.js'
import { collector as userRights } from './user-rights/win32.js'
import { collector as passwords } from './passwords/win32.js'
import { collector as segmentation } from './segmentation/win32.js'

export const win32Collectors: Partial<Record<FactId, Collector>> = {
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
