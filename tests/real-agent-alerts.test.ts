// The real agent against the real server, on this machine's real firewall: `ufw disable` → an alert mail arrives at a
// loopback SMTP server within seconds (nft monitor); `ufw enable` → the resolve mail. The ufw state found is restored.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeLive } from '../packages/agent/src/collectors/test-helpers.js'
import { alertStack, ufw, ufwActive, type Stack } from './lib/alert-stack.js'

let stack: Stack
// null until read: if a requirement fails first, the firewall is left as it was found.
let ufwWas: boolean | null = null

// It switches this machine's firewall: LAGEBILD_LIVE=1 only, and then root and ufw must be there (never a silent skip).
describeLive('real agent, real server, real ufw', { root: true, tools: ['ufw', 'nft'] }, () => {
  beforeAll(async () => {
    ufwWas = ufwActive()
    if (!ufwWas) ufw(true)
    stack = await alertStack()
  }, 180_000)
  afterAll(async () => {
    await stack?.cleanup()
    if (ufwWas !== null && ufwActive() !== ufwWas) ufw(ufwWas)
  }, 60_000)

  it('ufw disable → alert mail within seconds; ufw enable → resolve mail; each once', async () => {
    const t0 = Date.now()
    ufw(false)
    const opened = await stack.smtp.waitFor((m) => m.subject === stack.subject('ABWEICHUNG'), 60_000)
    const openedAfter = (Date.now() - t0) / 1000
    console.log(`ufw disable → alert mail: ${openedAfter.toFixed(1)} s`)
    expect(opened.text).toMatch(/Grund: Firewall aus: ufw\./)
    expect(opened.to).toEqual(['it@example.com'])
    // The nft monitor listener, not the minute tick, brought it: well under a minute.
    expect(openedAfter, stack.agent.output()).toBeLessThan(20)

    ufw(true)
    await stack.smtp.waitFor((m) => m.subject === stack.subject('BEHOBEN'), 60_000)
    const alerts = await stack.api<{ alerts: { measureId: string; state: string }[] }>('GET', '/api/v1/alerts')
    expect(alerts.alerts.filter((a) => a.measureId === 'base.firewall').map((a) => a.state)).toEqual(['resolved'])
    await new Promise((r) => setTimeout(r, 500))
    // This machine may have other deviations (their mails came with the first report); the firewall ones came once each.
    expect(stack.smtp.mails.map((m) => m.subject).filter((s) => s.includes('Firewall'))).toEqual([stack.subject('ABWEICHUNG'), stack.subject('BEHOBEN')])
    // The report went over the live channel.
    expect(stack.agent.output()).toMatch(/live channel connected/)
  }, 150_000)
})
