// The registry of collectors: one file per OS lists its collectors, one line per fact. Loaded on demand, so an agent
// only ever loads the code for its own OS. A fact without a collector is reported as not-implemented.
import type { FactId } from '@lagebild/shared'
import type { Collector } from './types.js'

export async function collectorsFor(platform: NodeJS.Platform): Promise<Partial<Record<FactId, Collector>>> {
  if (platform === 'win32') return (await import('./win32-registry.js')).win32Collectors
  if (platform === 'darwin') return (await import('./darwin-registry.js')).darwinCollectors
  return (await import('./linux-registry.js')).linuxCollectors
}
