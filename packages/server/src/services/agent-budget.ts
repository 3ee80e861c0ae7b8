// A budget per agent (issue #11 item 6): one agent sent 150 reports of ~1 MB in 3 s (≈ 3 GB a minute) and all were
// stored. Two token buckets per agent — reports and bytes — refilled evenly over a day. A normal agent uses a few
// percent (96 full reports of ~20 kB a day plus quick ones); a day offline replays within the burst. What is over the
// budget is not stored; the agent keeps it in its spool and sends it again after Retry-After.
// Pure logic (no Fastify, no database): plugins/agent-budget.ts ties it to ingest and alerts.

export interface BudgetLimits {
  /** Reports at once (the burst) and per day (the refill). */
  reports: { burst: number; perDay: number }
  /** Bytes at once and per day. */
  bytes: { burst: number; perDay: number }
}

const MIB = 1024 * 1024
export const DEFAULT_BUDGET: BudgetLimits = {
  // A full spool (500 reports) replays at once, with room for the reports of the next hour and resends of lost acks;
  // ~40 an hour after that.
  reports: { burst: 600, perDay: 1000 },
  // 32 MiB at once, 64 MiB a day: ~1,500 full reports of a normal size; a day's worth of 1 MB reports is not.
  bytes: { burst: 32 * MIB, perDay: 64 * MIB },
}

export type BudgetVerdict = { ok: true } | { ok: false; retryAfterS: number; exceeded: 'reports' | 'bytes' }

interface Bucket {
  reports: number
  bytes: number
  at: number
}

const DAY = 86_400_000

export function createBudget(limits: BudgetLimits = DEFAULT_BUDGET) {
  const buckets = new Map<string, Bucket>()
  const rate = { reports: limits.reports.perDay / DAY, bytes: limits.bytes.perDay / DAY }

  function current(agentId: string, now: number): Bucket {
    const b = buckets.get(agentId) ?? { reports: limits.reports.burst, bytes: limits.bytes.burst, at: now }
    const dt = Math.max(0, now - b.at)
    b.reports = Math.min(limits.reports.burst, b.reports + dt * rate.reports)
    b.bytes = Math.min(limits.bytes.burst, b.bytes + dt * rate.bytes)
    b.at = now
    buckets.set(agentId, b)
    return b
  }

  return {
    limits,
    /** Takes one report of `bytes` from the agent's budget, or says how long until it would fit. */
    take(agentId: string, bytes: number, now = Date.now()): BudgetVerdict {
      const b = current(agentId, now)
      // A single report larger than the burst can never fit: it waits as long as a full burst takes to refill.
      const need = Math.min(bytes, limits.bytes.burst)
      if (b.reports >= 1 && b.bytes >= need) {
        b.reports -= 1
        b.bytes -= need
        return { ok: true }
      }
      const exceeded = b.reports < 1 ? 'reports' : 'bytes'
      const waitMs = exceeded === 'reports' ? (1 - b.reports) / rate.reports : (need - b.bytes) / rate.bytes
      return { ok: false, exceeded, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) }
    },
    /** Share of the burst left (0–1), the smaller of the two: an agent back under half is behaving again. */
    left(agentId: string, now = Date.now()): number {
      const b = current(agentId, now)
      return Math.min(b.reports / limits.reports.burst, b.bytes / limits.bytes.burst)
    },
    forget(agentId: string) {
      buckets.delete(agentId)
    },
  }
}
export type Budget = ReturnType<typeof createBudget>
