// kill -9 of the server during a load run (issue #11, faults), small for CI: 2 kills under 8 agents sending without
// pause. Every acknowledged report is in the database, none twice, and SQLite's integrity check passes. Ten kills:
// node_modules/.bin/tsx bench/faults.ts.
import { describe, expect, it } from 'vitest'
import { killDuringLoad } from './lib/kill-load.js'

describe('kill -9 during load', () => {
  it('2 kills: every acknowledged report stored once, the database intact', async () => {
    const r = await killDuringLoad({ kills: 2, agents: 8, loadMs: 6000 })
    expect(r.kills).toBe(2)
    expect(r.acknowledged).toBeGreaterThan(50)
    // Reports were in flight at the kills: they were sent again.
    expect(r.retries).toBeGreaterThan(0)
    expect(r.missing).toBe(0)
    expect(r.twice).toBe(0)
    expect(r.integrity).toBe('ok')
  }, 240_000)
})
