// An agent whose PC was enrolled again elsewhere (or that an admin revoked) says so in plain words, in English and
// German, instead of a bare 401 — on its live channel, on the HTTP path, and on the command line — and keeps its
// reports in the spool for after a new enrollment. The real agent against the real server on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Agent } from '../packages/agent/src/agent.js'
import { saveConfig } from '../packages/agent/src/config.js'
import { sendReport, TransportError } from '../packages/agent/src/transport/http.js'
import { readIdentity } from '../packages/agent/src/identity.js'
import { firewallOn, harness, report, waitUntil, type Harness } from '../packages/server/test/helper.js'
import { createEnrollToken, enroll } from '../packages/server/src/services/enrollment.js'
import { AGENT_BIN, run } from './lib/real.js'

const REPLACED_EN = 'this PC was enrolled again elsewhere (another agent reports for it now); run `lagebild-agent doctor`'
const REPLACED_DE = 'dieser PC wurde anderswo erneut angemeldet (ein anderer Agent meldet jetzt für ihn); `lagebild-agent doctor` ausführen'

let h: Harness
let dir: string
let agent: Agent | null = null
const logs: string[] = []
beforeEach(async () => {
  h = await harness({ listen: true })
  dir = mkdtempSync(join(tmpdir(), 'lagebild-displaced-'))
  logs.length = 0
})
afterEach(async () => {
  agent?.stop()
  agent = null
  await h.close()
  rmSync(dir, { recursive: true, force: true })
})

const config = (a: { agentId: string; secret: string; hostId: string }) => ({ server: h.url, agentId: a.agentId, secret: a.secret, hostId: a.hostId, intervalMinutes: 15, backups: [] })

describe('a displaced agent', () => {
  it('hears on its live channel why it is refused, and keeps its reports in the spool', async () => {
    const a = h.enroll()
    agent = new Agent({ dir, config: config(a), log: (m) => logs.push(m), worker: false, watchFirewall: false, backoff: { baseMs: 50, maxMs: 500 } })
    agent.channel!.start()
    await waitUntil(() => agent!.channel!.connected, 5_000, 'the agent connects')
    // The PC is enrolled again with a token that may replace (a reinstall elsewhere, or a clone).
    enroll(h.db, createEnrollToken(h.db, { mayReplace: true }).token, a.identity)
    h.app.agentChannel.recheck()
    await waitUntil(() => logs.some((l) => l.includes('live channel refused')), 5_000, 'the refusal is logged')
    expect(agent.channel!.lastClose?.code).toBe(4401)
    const said = logs.find((l) => l.includes('live channel refused'))!
    expect(said).toContain(`agent-replaced: ${REPLACED_EN} / ${REPLACED_DE}`)

    const r = await agent.shipper.ship(report(a.identity, firewallOn))
    expect(r.refused).toContain(REPLACED_EN)
    expect(r.refused).toContain(REPLACED_DE)
    expect(r.spooled).toBe(1)
    expect(await agent.spool.size()).toBe(1)
  })

  it('on the HTTP path the error carries the shared code and the plain explanation', async () => {
    const a = h.enroll()
    await h.api('POST', `/api/v1/hosts/${a.hostId}/revoke-agent`)
    const err = await sendReport(h.url, a.agentId, a.secret, report(a.identity, firewallOn)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect((err as TransportError).status).toBe(401)
    expect((err as TransportError).code).toBe('agent-revoked')
    expect((err as TransportError).message).toMatch(/^401 agent-revoked: an administrator revoked this agent on the server.* \/ ein Administrator hat diesen Agenten/)
  })

  it('`lagebild-agent run --once` prints the reason and exits 1', async () => {
    // This machine's own identity, enrolled, then displaced.
    const a = h.enroll(await readIdentity())
    enroll(h.db, createEnrollToken(h.db, { mayReplace: true }).token, a.identity)
    await saveConfig(dir, config(a))
    const r = await run(AGENT_BIN, ['run', '--once', '--dir', dir], process.env)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(REPLACED_EN)
    expect(r.stderr).toContain(REPLACED_DE)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    // …and `doctor`, which the message points to, names the same cause in the reader's language.
    for (const [lang, text] of [['en', REPLACED_EN], ['de', REPLACED_DE]] as const) {
      const d = await run(AGENT_BIN, ['doctor', '--lang', lang, '--dir', dir], process.env)
      expect(d.code, d.stdout + d.stderr).toBe(1)
      expect(d.stdout).toContain(text)
    }
  })
})
