// Thresholds: the catalogue's defaults, overridden globally, then per tag (in the host's tag order), then per host.
import { eq } from 'drizzle-orm'
import { DEFAULT_THRESHOLDS, type Thresholds } from '@lagebild/shared'
import { thresholdOverrides } from '../db/schema.js'
import type { Db } from '../db/index.js'

type Tx = Pick<Db, 'select'>

export function thresholdsFor(db: Tx, host: { id: string; tags: string[] }): Thresholds {
  const rows = db.select().from(thresholdOverrides).all()
  const th: Thresholds = { ...DEFAULT_THRESHOLDS }
  const apply = (values: Record<string, number> | undefined) => {
    for (const [k, v] of Object.entries(values ?? {})) if (k in th && Number.isFinite(v)) th[k as keyof Thresholds] = v
  }
  apply(rows.find((r) => r.scope === 'global')?.values)
  for (const tag of host.tags) apply(rows.find((r) => r.scope === 'tag' && r.scopeValue === tag)?.values)
  apply(rows.find((r) => r.scope === 'host' && r.scopeValue === host.id)?.values)
  return th
}

export function hostOverride(db: Tx, hostId: string) {
  return db.select().from(thresholdOverrides).where(eq(thresholdOverrides.scopeValue, hostId)).all().find((r) => r.scope === 'host')?.values ?? {}
}
