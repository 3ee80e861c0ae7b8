// Alerting speed on this machine (issue #4):
//   (a) end to end: `ufw disable` → the alert mail is in the loopback SMTP sink, in seconds — the real agent and server
//       CLIs with default settings, once with the nft monitor listener (default on Linux) and once without it
//       (LAGEBILD_AGENT_NO_WATCH=1, only the minute tick);
//   (b) report received → findings, alert and outbox rows committed: p50/p95 in ms over N reports, each one flipping the
//       firewall so that every report opens or resolves an alert (the expensive case); in-process store() and over
//       HTTP and the WebSocket on loopback (received → ack).
// Run: node_modules/.bin/tsx bench/alerts.ts [reports=500] [runsWithListener=5] [runsWithoutListener=2]
// (a) needs root and ufw; it restores the ufw state it found.
import type { Facts } from '../packages/shared/src/index.js'
import { WsChannel } from '../packages/agent/src/transport/ws.js'
import { harness as alertHarness } from '../packages/server/test/helper.js'
import { smtpSink } from '../packages/server/test/sinks.js'
import { goodFacts, identity, report } from '../tests/lib/demo.js'
import { alertStack, ufw, ufwActive } from '../tests/lib/alert-stack.js'

const REPORTS = Number(process.argv[2] ?? 500)
const RUNS_WATCH = Number(process.argv[3] ?? 5)
const RUNS_TICK = Number(process.argv[4] ?? 2)

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p95 ${pct(xs, 95).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})`
const log = (m: string) => process.stdout.write(m + '\n')

const fwOff: Facts = { 'base.firewall': { backend: 'nftables', profiles: [{ name: 'inet filter', enabled: false, defaultInbound: 'allow' }] } }

async function ingestLatency() {
  const smtp = await smtpSink()
  const h = await alertHarness({ listen: true })
  try {
    await h.api('POST', '/api/v1/channels', {
      name: 'IT', type: 'email', language: 'de',
      config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'lagebild@example.com', to: ['it@example.com'] },
    })
    const a = h.enroll(identity('pc-bench', 'linux'))
    const good = goodFacts('linux')
    const factsFor = (i: number): Facts => (i % 2 ? { ...good, ...fwOff } : good)

    // In-process: the transaction that stores, judges, opens/resolves the alert and writes the outbox row.
    const store: number[] = []
    for (let i = 0; i < REPORTS; i++) {
      const r = report(a.identity, factsFor(i))
      const t = performance.now()
      h.app.ingest.store(a.agent, r)
      store.push(performance.now() - t)
    }

    // HTTP: POST /api/v1/reports on loopback, answered after COMMIT.
    const http: number[] = []
    for (let i = 0; i < REPORTS; i++) {
      const body = JSON.stringify(report(a.identity, factsFor(i)))
      const t = performance.now()
      const res = await fetch(`${h.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: a.bearer }, body })
      await res.arrayBuffer()
      http.push(performance.now() - t)
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
    }

    // WebSocket: the agent's own channel, report frame → ack frame.
    const ch = new WsChannel({ server: h.url, agentId: a.agentId, secret: a.secret, log: () => undefined })
    ch.start()
    while (!ch.connected) await new Promise((r) => setTimeout(r, 10))
    const wsTimes: number[] = []
    for (let i = 0; i < REPORTS; i++) {
      const r = report(a.identity, factsFor(i))
      const t = performance.now()
      await ch.send(r)
      wsTimes.push(performance.now() - t)
    }
    ch.stop()
    await h.app.alerts.sender.deliver()
    const alerts = (await h.api<{ total: number }>('GET', '/api/v1/alerts')).body.total
    log(`(b) report → findings + alert + outbox committed, ${REPORTS} reports each, every one opening or resolving an alert (${alerts} alerts, ${smtp.mails.length} mails):`)
    log(`    in-process ingest.store():     ${fmt(store)}`)
    log(`    HTTP POST /api/v1/reports:     ${fmt(http)}`)
    log(`    WebSocket report → ack:        ${fmt(wsTimes)}`)
  } finally {
    await h.close()
    await smtp.close()
  }
}

async function endToEnd(runs: number, watch: boolean) {
  const stack = await alertStack({ agentEnv: watch ? {} : { LAGEBILD_AGENT_NO_WATCH: '1' } })
  const times: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      const before = stack.smtp.mails.length
      const t = performance.now()
      ufw(false)
      await stack.smtp.waitFor((m) => m.subject === stack.subject('ABWEICHUNG') && stack.smtp.mails.indexOf(m) >= before, 120_000)
      times.push((performance.now() - t) / 1000)
      ufw(true)
      await stack.smtp.waitFor((m) => m.subject === stack.subject('BEHOBEN') && stack.smtp.mails.indexOf(m) >= before, 120_000)
    }
  } finally {
    await stack.cleanup()
  }
  const s = times.map((x) => x.toFixed(1)).join(', ')
  log(`(a) ufw disable → alert mail in the SMTP sink, ${watch ? 'with the nft monitor listener (default)' : 'without the listener (minute tick only)'}: ` +
    `median ${pct(times, 50).toFixed(1)} s, max ${Math.max(...times).toFixed(1)} s [${s}]`)
}

async function main() {
  log(`Lagebild alert bench — ${new Date().toISOString()}, node ${process.version}`)
  await ingestLatency()
  if (process.getuid?.() !== 0) return log('(a) skipped: needs root and ufw')
  let was: boolean
  try {
    was = ufwActive()
  } catch {
    return log('(a) skipped: ufw not installed')
  }
  try {
    // The agent must first see a working firewall.
    if (!was) ufw(true)
    if (RUNS_WATCH > 0) await endToEnd(RUNS_WATCH, true)
    if (RUNS_TICK > 0) await endToEnd(RUNS_TICK, false)
  } finally {
    if (ufwActive() !== was) ufw(was)
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  },
)
