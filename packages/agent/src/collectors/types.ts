import type { FactId, FactValue } from '@lagebild/shared'
import type { AgentConfig } from '../config.js'

export interface CollectContext {
  config: AgentConfig
  /** The moment the collection started; ages are measured from here. */
  now: Date
}

/**
 * One fact on one platform. `collect` returns the value or throws a FactFailure (from ../system.js);
 * any other exception is reported as `failed`. Never return a made-up default for what could not be read.
 */
export interface Collector<K extends FactId = FactId> {
  id: K
  collect(ctx: CollectContext): Promise<FactValue<K>>
}
