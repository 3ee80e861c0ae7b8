// An agent offline for a (simulated) day (issue #11, faults): the agent's own Spool and Shipper with the real HTTP
// transport, against the real server, which is down for the day. Back online, every spooled report is delivered, in
// order, none twice; the spool stayed bounded, dropped the oldest quick reports first and said how many.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '@lagebild/shared'
import { Spool, SPOOL_MAX_REPORTS } from '../packages/agent/src/transport/spool.js'
import { Shipper } from '../packages/agent/src/transport/shipper.js'
import { sendReport } from '../packages/agent/src/transport/http.js'
import { firewallOff, firewallOn, harness, type Harness } from '../packages/server/test/helper.js'

let h: Harness
let dir: string
beforeAll(async () => {
  h = await harness({ listen: true })
  dir = mkdtempSync(join(tmpdir(), 'lagebild-spool-'))
})
afterAll(async () => {
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a day offline', () => {
  it('96 full and 672 quick reports while the server is down: 500 kept (the oldest quick ones dropped, and said), all delivered in order once it is back', async () => {
    const a = h.enroll()
    // The agent existed before the day began.
    h.db.$client.prepare(`update agents set created_at = ? where id = ?`).run(new Date(Date.now() - 3 * 86_400_000).toISOString(), a.agentId)
    const log: string[] = []
    const spool = new Spool(join(dir, 'spool'))
    const shipper = new Shipper(spool, (r) => sendReport(h.url, a.agentId, a.secret, r), (m) => log.push(m))
    await h.stop()

    const dayStart = Date.now() - 86_400_000
    const sent: Report[] = []
    for (let minute = 0; minute < 24 * 60; minute++) {
      const collectedAt = new Date(dayStart + minute * 60_000).toISOString()
      const base = { v: 1 as const, id: randomUUID(), collectedAt, host: a.identity }
      // A full report every 15 minutes; the firewall flaps every 2 minutes in between (a quick report each time).
      if (minute % 15 === 0) sent.push({ ...base, kind: 'full', facts: firewallOn })
      else if (minute % 2 === 0) sent.push({ ...base, kind: 'quick', facts: minute % 4 === 0 ? firewallOn : firewallOff })
      else continue
      const r = await shipper.ship(sent[sent.length - 1]!)
      expect(r.delivered).toBe(0)
    }
    const fulls = sent.filter((r) => r.kind === 'full').length
    expect(fulls).toBe(96)
    expect(sent.length - fulls).toBe(672)
    // Bounded: 500 files, every full report among them, the dropped ones the oldest quick reports.
    expect(readdirSync(join(dir, 'spool')).filter((n) => n.endsWith('.json'))).toHaveLength(SPOOL_MAX_REPORTS)
    const dropped = sent.length - SPOOL_MAX_REPORTS
    const kept = [...sent.filter((r) => r.kind === 'full'), ...sent.filter((r) => r.kind === 'quick').slice(dropped)].sort((x, y) => x.collectedAt.localeCompare(y.collectedAt))
    expect(log.filter((m) => m.startsWith('spool full')).at(-1)).toContain(`${dropped} dropped while the server was unreachable`)

    await h.start()
    const back = await shipper.ship(null)
    expect(back.delivered).toBe(SPOOL_MAX_REPORTS)
    expect(await spool.size()).toBe(0)
    expect(log.at(-1)).toContain(`${dropped} older ones had to be dropped`)

    // On the server: exactly these, once each, received in the order they were collected.
    const stored = h.db.$client.prepare('select id, received_at from reports where agent_id = ? order by received_at, rowid').all(a.agentId) as { id: string }[]
    expect(stored.map((r) => r.id)).toEqual(kept.map((r) => r.id))
    // Sent again (an ack lost on the way): acknowledged as duplicates, nothing stored twice.
    for (const r of kept.slice(-3)) expect((await sendReport(h.url, a.agentId, a.secret, r)).duplicate).toBe(true)
    expect((h.db.$client.prepare('select count(*) n from reports where agent_id = ?').get(a.agentId) as { n: number }).n).toBe(SPOOL_MAX_REPORTS)
  }, 180_000)
})
