// Storage faults (issue #11): the database cannot grow (as on a full disk: SQLite's max_page_count gives the same
// SQLITE_FULL without touching this machine), or another program holds it locked. The agent gets a clear "try again"
// (503 + Retry-After: it keeps the report spooled), the server keeps answering, and once the fault ends reports are
// stored again. A real full file system: tests/disk-full.test.ts (LAGEBILD_LIVE=1).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import type { Report } from '@lagebild/shared'
import { reports } from '../src/db/schema.js'
import { firewallOff, harness, report, type Harness } from './helper.js'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

const stored = () => h.db.select({ n: count() }).from(reports).get()!.n
// ~40 kB: a report that needs new pages.
const big = (a: ReturnType<Harness['enroll']>): Report =>
  report(a.identity, {
    ...firewallOff,
    'base.patches': { manager: 'apt', pending: 300, security: 0, items: Array.from({ length: 300 }, (_, i) => ({ name: `package-${i}-${'x'.repeat(100)}`, security: false })), oldestPendingSince: null, lastInstall: null, lastCheck: null, rebootRequired: false },
  })

describe('the disk is full', () => {
  it('503 "disk is full" with Retry-After, nothing half-stored, the server keeps answering; stored again once there is room', async () => {
    const a = h.enroll()
    const sqlite = h.db.$client
    sqlite.pragma('wal_checkpoint(TRUNCATE)')
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`)
    const before = stored()
    let res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: big(a) })
    for (let i = 0; i < 5 && res.statusCode === 200; i++) res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: big(a) })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: 'storage-full', message: expect.stringMatching(/disk is full; nothing was stored/) })
    expect(res.headers['retry-after']).toBe('60')
    const whileFull = stored()
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200)
    expect((await h.api('GET', '/api/v1/hosts')).status).toBe(200)

    sqlite.pragma('max_page_count = 1073741823')
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: big(a) })
    expect(again.statusCode).toBe(200)
    expect(stored()).toBe(whileFull + 1)
    expect(whileFull).toBeGreaterThanOrEqual(before)
  })
})

describe('another program holds the database', () => {
  it('503 "locked by another program", then stored as soon as the lock is gone', async () => {
    const a = h.enroll()
    const Database = h.db.$client.constructor as new (file: string, o?: object) => { exec(s: string): void; close(): void }
    const other = new Database(`${h.dataDir}/lagebild.sqlite`, { timeout: 0 })
    other.exec('begin exclusive')
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: report(a.identity, firewallOff) })
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ error: 'storage-locked', message: expect.stringMatching(/locked by another program/) })
    } finally {
      other.exec('rollback')
      other.close()
    }
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: report(a.identity, firewallOff) })
    expect(again.statusCode).toBe(200)
  })
})
