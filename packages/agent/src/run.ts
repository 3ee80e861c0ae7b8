// Runs every collector with its own timeout. A failure becomes an error entry for that fact — never a silent default.
import { randomUUID } from 'node:crypto'
import { platform } from 'node:os'
import { FACT_IDS, type FactError, type FactId, type Facts, type Report } from '@lagebild/shared'
import type { AgentConfig } from './config.js'
import { collectorsFor } from './collectors/index.js'
import type { Collector } from './collectors/types.js'
import { readIdentity } from './identity.js'
import { FactFailure } from './system.js'
import { checkedFact } from './report-guard.js'

export const COLLECTOR_TIMEOUT_MS = 120_000

function toError(err: unknown): FactError {
  if (err instanceof FactFailure) return { error: { code: err.code, message: err.message.slice(0, 2000) } }
  return { error: { code: 'failed', message: String((err as Error)?.message ?? err).slice(0, 2000) } }
}

async function withTimeout<T>(p: Promise<T>, ms: number, id: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FactFailure('timeout', `${id} took longer than ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([p, t])
  } finally {
    clearTimeout(timer)
  }
}

export interface CollectOptions {
  config: AgentConfig
  /** Only these facts (a quick report); default: all. */
  only?: FactId[]
  collectors?: Partial<Record<FactId, Collector>>
  timeoutMs?: number
}

export async function collectFacts(opts: CollectOptions): Promise<Facts> {
  const collectors = opts.collectors ?? (await collectorsFor(platform()))
  const now = new Date()
  const facts: Record<string, unknown> = {}
  // One collector at a time: the agent stays light, and OS tools are not run against each other.
  for (const id of opts.only ?? FACT_IDS) {
    const c = collectors[id]
    if (!c) {
      facts[id] = { error: { code: 'not-implemented', message: `no collector for ${id} on ${platform()} yet` } }
      continue
    }
    try {
      facts[id] = checkedFact(id, await withTimeout(c.collect({ config: opts.config, now }), opts.timeoutMs ?? COLLECTOR_TIMEOUT_MS, id))
    } catch (err) {
      facts[id] = toError(err)
    }
  }
  return facts as Facts
}

export async function collectReport(opts: CollectOptions): Promise<Report> {
  const collectedAt = new Date().toISOString()
  const [host, facts] = [await readIdentity(), await collectFacts(opts)]
  return { v: 1, id: randomUUID(), kind: opts.only ? 'quick' : 'full', collectedAt, host, facts }
}
