// Alerts end to end inside the server: real SQLite file, real SMTP server and real HTTP receivers on 127.0.0.1.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { eq, isNull } from 'drizzle-orm'
import type { LiveEvent } from '@lagebild/shared'
import { alerts, outbox } from '../src/db/schema.js'
import { firewallOff, firewallOn, harness, host, hours, minutes, PUBLIC_URL, type Harness } from './helper.js'
import { freePort, httpSink, smtpSink, type Hit } from './sinks.js'

interface AlertOut { id: string; state: string; severity: string; measureId: string; kind: string; hostId: string; acknowledgedBy: string | null; notifiedAt: string | null; reason: { de: string; en: string } }
interface AlertList { total: number; alerts: AlertOut[] }
interface Detail { alert: AlertOut; history: { kind: string; by: string | null; detail: string | null }[]; notifications: { event: string; sentAt: string | null }[] }
interface ChannelOut { id: string; config: Record<string, unknown>; delivery: { pending: number; lastError: string | null } }

let h: Harness
beforeEach(async () => {
  h = await harness()
  // Keep "agent silent" out of tests that move the clock by hours; the silent tests set their own thresholds.
  await h.api('PUT', '/api/v1/thresholds/global', { silentMaxMinutes: 100_000 })
})
afterEach(async () => h.close())

const SECRET = 'a-long-shared-webhook-secret-0123456789'
const verify = (hit: Hit, secret = SECRET) => {
  const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(hit.body).digest('hex')}`)
  const got = Buffer.from(String(hit.headers['x-lagebild-signature'] ?? ''))
  return want.length === got.length && timingSafeEqual(want, got)
}

async function emailChannel(port: number, extra: object = {}) {
  const res = await h.api<ChannelOut>('POST', '/api/v1/channels', {
    name: 'IT per Mail', type: 'email', language: 'de',
    config: { host: '127.0.0.1', port, security: 'starttls', rejectUnauthorized: false, from: 'Lagebild <lagebild@example.com>', to: ['it@example.com'] },
    ...extra,
  })
  expect(res.status).toBe(201)
  return res.body
}
async function webhookChannel(url: string, extra: object = {}) {
  const res = await h.api<ChannelOut>('POST', '/api/v1/channels', { name: 'Hook', type: 'webhook', language: 'en', config: { url, secret: SECRET }, ...extra })
  expect(res.status).toBe(201)
  return res.body
}
const openAlerts = async () => (await h.api<AlertList>('GET', '/api/v1/alerts?state=active')).body.alerts
const detail = async (id: string) => (await h.api<Detail>('GET', `/api/v1/alerts/${id}`)).body
const events = (hits: Hit[]) => hits.map((x) => String(x.headers['x-lagebild-event']))

describe('delivery: e-mail and webhook', () => {
  it('a deviation opens an alert and a mail arrives over STARTTLS; ok resolves it with a second mail', async () => {
    const smtp = await smtpSink()
    try {
      await emailChannel(smtp.port)
      const a = h.enroll()
      h.store(a, firewallOff)
      const [alert] = await openAlerts()
      expect(alert).toMatchObject({ measureId: 'base.firewall', state: 'open', severity: 'high', kind: 'finding', hostId: a.hostId })
      const mail = await smtp.waitFor((m) => m.subject === '[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung')
      expect(mail.to).toEqual(['it@example.com'])
      expect(mail.text).toContain('Grund: Firewall aus: Public.')
      expect(mail.text).toContain('Schweregrad: hoch')
      expect(mail.text).toContain(`${PUBLIC_URL}/alerts/${alert!.id}`)
      expect(mail.headers['x-lagebild-event']).toBe('opened')

      h.store(a, firewallOn)
      await smtp.waitFor((m) => m.subject === '[Lagebild] Firewall: BEHOBEN auf pc-buchhaltung')
      // The sink has the mail a moment before the sender has marked it sent.
      const d = await vi.waitFor(async () => {
        const x = await detail(alert!.id)
        if (!x.notifications.every((n) => n.sentAt)) throw new Error('not marked sent yet')
        return x
      }, { timeout: 5000, interval: 50 })
      expect(d.alert.state).toBe('resolved')
      expect(d.history.map((e) => e.kind)).toEqual(['opened', 'notified', 'resolved'])
      expect(d.notifications.map((n) => [n.event, !!n.sentAt])).toEqual([['opened', true], ['resolved', true]])
      await h.app.alerts.sender.deliver()
      expect(smtp.mails).toHaveLength(2)
    } finally {
      await smtp.close()
    }
  })

  it('webhook: a JSON body signed with HMAC-SHA256 of the raw body, checked by the receiver', async () => {
    const sink = await httpSink((hit) => (verify(hit) ? 204 : 401))
    try {
      await webhookChannel(`${sink.url}/lagebild`)
      const a = h.enroll()
      h.store(a, firewallOff)
      const hit = await sink.waitFor(() => true)
      expect(verify(hit)).toBe(true)
      expect(verify(hit, 'another-secret-another-secret')).toBe(false)
      const body = JSON.parse(hit.body) as { event: string; subject: string; alert: { hostId: string; measureId: string; severity: string; reason: { en: string } } }
      expect(body.event).toBe('opened')
      expect(body.subject).toBe('[Lagebild] Firewall: DEVIATION on pc-buchhaltung')
      expect(body.alert).toMatchObject({ hostId: a.hostId, measureId: 'base.firewall', severity: 'high' })
      expect(hit.headers['content-type']).toBe('application/json')
      // The receiver accepted it (valid signature): marked sent, nothing pending.
      await h.app.alerts.sender.deliver()
      expect(h.db.select().from(outbox).where(isNull(outbox.sentAt)).all()).toHaveLength(0)
    } finally {
      await sink.close()
    }
  })

  it('an hour-long SMTP outage, with alerts opening and resolving meanwhile, loses no notification and sends none twice', async () => {
    const port = await freePort()
    await emailChannel(port, { config: { host: '127.0.0.1', port, security: 'none', from: 'lagebild@example.com', to: ['it@example.com'] } })
    const t0 = new Date()
    const pc = h.enroll(host())
    const srv = h.enroll({ ...host(), hostname: 'srv-datei' })
    // The sender tries every minute for 70 minutes while nothing listens on the SMTP port.
    for (let m = 0; m <= 70; m++) {
      const now = minutes(m, t0)
      if (m === 0) h.store(pc, firewallOff, now)
      if (m === 10) h.store(srv, firewallOff, now)
      if (m === 30) h.store(pc, firewallOn, now)
      await h.app.alerts.sender.deliver(now)
    }
    const waiting = h.db.select().from(outbox).where(isNull(outbox.sentAt)).all()
    expect(waiting).toHaveLength(3)
    // Backed off, not hammering: far fewer tries than the 71 minutes, but it never gave up.
    expect(Math.max(...waiting.map((r) => r.attempts))).toBeGreaterThan(3)
    expect(Math.max(...waiting.map((r) => r.attempts))).toBeLessThan(15)

    const smtp = await smtpSink(port)
    try {
      // The SMTP server is back; the sender keeps its schedule for up to another hour (backoff at most 1 h).
      for (let m = 71; m <= 135; m += 5) await h.app.alerts.sender.deliver(minutes(m, t0))
      expect(smtp.mails.map((m) => m.subject)).toEqual([
        '[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung',
        '[Lagebild] Firewall: ABWEICHUNG auf srv-datei',
        '[Lagebild] Firewall: BEHOBEN auf pc-buchhaltung',
      ])
      expect(h.db.select().from(outbox).where(isNull(outbox.sentAt)).all()).toHaveLength(0)
      // Hours later a pass finds nothing to send: it says so itself, and it has finished before it answers.
      expect(await h.app.alerts.sender.deliver(hours(5, t0))).toEqual({ sent: 0, failed: 0 })
      expect(smtp.mails).toHaveLength(3)
    } finally {
      await smtp.close()
    }
  })

  it('SMTP down: alerts wait in the outbox and go out once when it is back — none twice', async () => {
    const port = await freePort()
    const ch = await emailChannel(port, { config: { host: '127.0.0.1', port, security: 'none', from: 'lagebild@example.com', to: ['it@example.com'] } })
    const one = h.enroll(host())
    const two = h.enroll({ ...host(), hostname: 'srv-datei' })
    h.store(one, firewallOff)
    h.store(two, firewallOff)
    await h.app.alerts.sender.deliver()
    const status = (await h.api<ChannelOut>('GET', `/api/v1/channels/${ch.id}`)).body.delivery
    expect(status.pending).toBe(2)
    expect(status.lastError).toMatch(/ECONNREFUSED/)
    const rows = h.db.select().from(outbox).all()
    // In order per channel: the first failure holds back the second.
    expect(rows.map((r) => r.attempts)).toEqual([1, 0])
    expect(Date.parse(rows[0]!.nextAttemptAt)).toBeGreaterThan(Date.now())
    // Before the backoff has passed nothing is tried again.
    await h.app.alerts.sender.deliver()
    expect(h.db.select().from(outbox).all()[0]!.attempts).toBe(1)

    const smtp = await smtpSink(port)
    try {
      const r = await h.app.alerts.sender.deliver(minutes(5))
      expect(r).toEqual({ sent: 2, failed: 0 })
      expect(smtp.mails.map((m) => m.subject).sort()).toEqual([
        '[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung',
        '[Lagebild] Firewall: ABWEICHUNG auf srv-datei',
      ])
      // Hours later a pass finds nothing to send (none twice): it says so itself, and it has finished before it answers.
      expect(await h.app.alerts.sender.deliver(hours(5))).toEqual({ sent: 0, failed: 0 })
      expect(smtp.mails).toHaveLength(2)
      expect((await h.api<ChannelOut>('GET', `/api/v1/channels/${ch.id}`)).body.delivery).toMatchObject({ pending: 0, lastError: null })
    } finally {
      await smtp.close()
    }
  })

  it('a restart keeps open alerts and the outbox; the new server sends what was left, once', async () => {
    const port = await freePort()
    await emailChannel(port, { config: { host: '127.0.0.1', port, security: 'none', from: 'lagebild@example.com', to: ['it@example.com'] } })
    const a = h.enroll()
    h.store(a, firewallOff)
    await h.app.alerts.sender.deliver()
    const before = await openAlerts()
    expect(before).toHaveLength(1)

    await h.restart()
    expect((await openAlerts()).map((x) => x.id)).toEqual(before.map((x) => x.id))
    expect(h.db.select().from(outbox).where(isNull(outbox.sentAt)).all()).toHaveLength(1)
    const smtp = await smtpSink(port)
    try {
      await h.app.alerts.sender.deliver(minutes(5))
      expect(smtp.mails.map((m) => m.subject)).toEqual(['[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung'])
      // The alert opened before the restart is the one that resolves: no second alert, one resolve mail.
      h.store(a, firewallOn)
      await smtp.waitFor((m) => m.subject.includes('BEHOBEN'))
      expect((await h.api<AlertList>('GET', '/api/v1/alerts')).body.total).toBe(1)
      expect(smtp.mails).toHaveLength(2)
    } finally {
      await smtp.close()
    }
  })
})

describe('alert lifecycle', () => {
  it('unknown keeps the alert open, saying what is known now; only ok resolves it', async () => {
    const a = h.enroll()
    h.store(a, firewallOff)
    h.store(a, { 'base.firewall': { error: { code: 'timeout', message: 'nft took too long' } } })
    const [alert] = await openAlerts()
    expect(alert!.state).toBe('open')
    // The alert no longer claims "Firewall off" as the present state: it says the state is unknown now, and what was last seen.
    expect(alert!.reason.en).toMatch(/^State unknown now: Could not be read \(timeout\): nft took too long\. Last seen: Firewall off: Public\.$/)
    expect(alert!.reason.de).toMatch(/^Zustand derzeit unbekannt: Konnte nicht gelesen werden \(timeout\).*Zuletzt festgestellt: Firewall aus: Public\.$/)
    const finding = (await h.api<{ findings: { measureId: string; status: string; reason: { en: string } }[] }>('GET', `/api/v1/hosts/${a.hostId}`)).body.findings
      .find((f) => f.measureId === 'base.firewall')!
    expect(finding.status).toBe('unknown')
    expect(alert!.reason.en).toContain(finding.reason.en)
    const d = await detail(alert!.id)
    expect(d.history.at(-1)).toMatchObject({ kind: 'unknown' })
    expect(d.history.at(-1)!.detail).toContain('timeout')
    // Deviation again: the alert says so again.
    h.store(a, firewallOff)
    expect((await openAlerts())[0]!.reason.en).toBe('Firewall off: Public.')
    h.store(a, firewallOn)
    expect(await openAlerts()).toHaveLength(0)
  })

  it('crown jewels: alerts one severity step higher, also for an alert already open', async () => {
    const a = h.enroll()
    h.store(a, firewallOff)
    expect((await openAlerts())[0]!.severity).toBe('high')
    const put = await h.api<{ crownJewel: boolean }>('PUT', `/api/v1/hosts/${a.hostId}`, { crownJewel: true })
    expect(put.status).toBe(200)
    expect(put.body.crownJewel).toBe(true)
    const [alert] = await openAlerts()
    expect(alert!.severity).toBe('critical')
    expect((await detail(alert!.id)).history.at(-1)).toMatchObject({ kind: 'changed' })

    const b = h.enroll({ ...host(), hostname: 'srv-erp' })
    await h.api('PUT', `/api/v1/hosts/${b.hostId}`, { crownJewel: true })
    h.store(b, { 'base.encryption': { volumes: [{ mount: 'C:', system: true, encrypted: false }] } })
    const enc = (await openAlerts()).find((x) => x.measureId === 'base.encryption')
    expect(enc!.severity).toBe('high') // medium + 1
  })

  it('reminders every N hours, one escalation after M hours to escalation channels; acknowledge (by whom) stops both', async () => {
    const sink = await httpSink()
    try {
      await webhookChannel(`${sink.url}/team`)
      await webhookChannel(`${sink.url}/boss`, { name: 'Chefin', escalation: true })
      const a = h.enroll()
      const t0 = new Date()
      h.store(a, firewallOff, t0)
      const step = async (at: Date) => {
        h.app.alerts.tick(at)
        await h.app.alerts.sender.deliver(at)
      }
      await step(hours(23, t0))
      await step(hours(24.1, t0))
      await step(hours(25, t0))
      const team = () => events(sink.hits.filter((x) => x.url === '/team'))
      const boss = () => events(sink.hits.filter((x) => x.url === '/boss'))
      expect(team()).toEqual(['opened', 'reminder'])
      expect(boss()).toEqual([])
      await step(hours(48.2, t0))
      expect(team()).toEqual(['opened', 'reminder', 'reminder'])
      expect(boss()).toEqual(['escalation'])
      const escalation = JSON.parse(sink.hits.find((x) => x.url === '/boss')!.body) as { subject: string; text: string }
      expect(escalation.subject).toBe('[Lagebild] ESCALATION: Firewall: DEVIATION on pc-buchhaltung')
      expect(escalation.text).toMatch(/nobody has acknowledged it for 2 d/)

      const [alert] = await openAlerts()
      const ack = await h.api<Detail>('POST', `/api/v1/alerts/${alert!.id}/acknowledge`, { note: 'Ich kümmere mich' })
      expect(ack.status).toBe(200)
      expect(ack.body.alert).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'api-key:test' })
      await step(hours(100, t0))
      expect(team()).toHaveLength(3)
      expect(boss()).toHaveLength(1)
      // The resolve reaches the escalation channel too, since it had been escalated.
      h.store(a, firewallOn, hours(101, t0))
      await h.app.alerts.sender.deliver(hours(101, t0))
      expect(team().at(-1)).toBe('resolved')
      expect(boss()).toEqual(['escalation', 'resolved'])
    } finally {
      await sink.close()
    }
  })

  it('reminder and escalation hours come from the settings table', async () => {
    const put = await h.api<{ settings: { reminderHours: number } }>('PUT', '/api/v1/settings/alerts', { reminderHours: 2, escalationHours: 3 })
    expect(put.status).toBe(200)
    expect(put.body.settings).toMatchObject({ reminderHours: 2 })
    expect((await h.api('PUT', '/api/v1/settings/alerts', { reminderHours: 0 })).status).toBe(400)
    // The grace: a number of minutes, and null again for "each host's own threshold".
    type Timing = { settings: { silentGraceMinutes: number | null } }
    expect((await h.api<Timing>('PUT', '/api/v1/settings/alerts', { silentGraceMinutes: 15 })).body.settings.silentGraceMinutes).toBe(15)
    const back = await h.api<Timing>('PUT', '/api/v1/settings/alerts', { silentGraceMinutes: null })
    expect(back.status).toBe(200)
    expect(back.body.settings).toMatchObject({ reminderHours: 2, escalationHours: 3, silentGraceMinutes: null })
    expect((await h.api<Timing>('GET', '/api/v1/settings/alerts')).body.settings.silentGraceMinutes).toBeNull()
    const a = h.enroll()
    const t0 = new Date()
    h.store(a, firewallOff, t0)
    h.app.alerts.tick(hours(2.1, t0))
    h.app.alerts.tick(hours(3.1, t0))
    const d = await detail((await openAlerts())[0]!.id)
    expect(d.history.map((e) => e.kind)).toEqual(['opened', 'notified', 'reminded', 'escalated'])
  })

  it('snooze: no reminder while snoozed, one right when it ends', async () => {
    const a = h.enroll()
    const t0 = new Date()
    h.store(a, firewallOff, t0)
    const [alert] = await openAlerts()
    expect((await h.api('POST', `/api/v1/alerts/${alert!.id}/snooze`, { minutes: 30, until: hours(1).toISOString() })).status).toBe(400)
    expect((await h.api('POST', `/api/v1/alerts/${alert!.id}/snooze`, { until: hours(-1).toISOString() })).status).toBe(400)
    const res = await h.api<Detail>('POST', `/api/v1/alerts/${alert!.id}/snooze`, { minutes: 30 * 60 })
    expect(res.status).toBe(200)
    h.app.alerts.tick(hours(25, t0))
    expect((await detail(alert!.id)).history.filter((e) => e.kind === 'reminded')).toHaveLength(0)
    h.app.alerts.tick(hours(30.1, t0))
    expect((await detail(alert!.id)).history.filter((e) => e.kind === 'reminded')).toHaveLength(1)
    expect((await h.api('POST', '/api/v1/alerts/nope/snooze', { minutes: 5 })).status).toBe(404)
  })

  it('a date that is no real instant is a 400 with its path, never a 500, and changes nothing', async () => {
    const a = h.enroll()
    h.store(a, firewallOff)
    const [alert] = await openAlerts()
    const year = new Date().getUTCFullYear() + 1
    for (const until of [`${year}-06-30T23:59:60Z`, `${year}-01-01t00:00:00z`, `${year}-02-30T00:00:00Z`]) {
      const snooze = await h.api<{ message: string }>('POST', `/api/v1/alerts/${alert!.id}/snooze`, { until })
      expect(snooze.status, until).toBe(400)
      expect(snooze.body.message).toMatch(/until/)
      const put = await h.api<{ message: string }>('PUT', `/api/v1/hosts/${a.hostId}`, { maintenanceUntil: until })
      expect(put.status, until).toBe(400)
      expect(put.body.message).toMatch(/maintenanceUntil/)
    }
    const d = await detail(alert!.id)
    expect(d.history.map((e) => e.kind)).toEqual(['opened', 'notified'])
    expect((await h.api<{ snoozed: boolean }[]>('GET', `/api/v1/alerts?state=active`)).body).toMatchObject({ alerts: [{ snoozed: false, inMaintenance: false }] })
  })

  it('unsnooze: ends a snooze early (by whom, after COMMIT); reminders and escalation follow their schedule again at once', async () => {
    const seen: LiveEvent[] = []
    h.app.events.on((e) => seen.push(e))
    const a = h.enroll()
    const t0 = new Date()
    h.store(a, firewallOff, t0)
    const [alert] = await openAlerts()
    const id = alert!.id
    expect((await h.api('POST', `/api/v1/alerts/${id}/snooze`, { minutes: 30 * 60 })).status).toBe(200)
    h.app.alerts.tick(hours(25, t0))
    expect((await detail(id)).history.filter((e) => e.kind === 'reminded')).toHaveLength(0)

    seen.length = 0
    const res = await h.api<Detail & { alert: { snoozed: boolean; snoozedUntil: string | null } }>('POST', `/api/v1/alerts/${id}/unsnooze`)
    expect(res.status).toBe(200)
    expect(res.body.alert).toMatchObject({ state: 'open', snoozed: false, snoozedUntil: null })
    const last = res.body.history.at(-1)!
    expect(last).toMatchObject({ kind: 'unsnoozed', by: 'api-key:test' })
    expect(last.detail).toMatch(/^was until \d{4}-/)
    await new Promise((r) => setImmediate(r))
    expect(seen).toContainEqual({ type: 'alert-changed', alertId: id, hostId: a.hostId })

    // The reminder due 24 h after "opened" was held back by the snooze: it goes out at the next check, then every 24 h;
    // the escalation after 48 h works again too.
    h.app.alerts.tick(hours(25.1, t0))
    expect((await detail(id)).history.filter((e) => e.kind === 'reminded')).toHaveLength(1)
    h.app.alerts.tick(hours(26, t0))
    expect((await detail(id)).history.filter((e) => e.kind === 'reminded')).toHaveLength(1)
    h.app.alerts.tick(hours(49.2, t0))
    const d = await detail(id)
    expect(d.history.map((e) => e.kind)).toEqual(['opened', 'notified', 'snoozed', 'unsnoozed', 'reminded', 'reminded', 'escalated'])

    // Not snoozed (any more): nothing happens, no second event. Unknown: 404; resolved: 409.
    const again = await h.api<Detail>('POST', `/api/v1/alerts/${id}/unsnooze`, {})
    expect(again.status).toBe(200)
    expect(again.body.history.filter((e) => e.kind === 'unsnoozed')).toHaveLength(1)
    expect((await h.api('POST', '/api/v1/alerts/nope/unsnooze')).status).toBe(404)
    h.store(a, firewallOn, hours(50, t0))
    expect((await h.api<{ error: string }>('POST', `/api/v1/alerts/${id}/unsnooze`)).body).toMatchObject({ error: 'resolved' })
  })

  it('maintenance: no notification while it lasts; afterwards a still-open alert is announced', async () => {
    const sink = await httpSink()
    try {
      await webhookChannel(sink.url)
      const a = h.enroll()
      const b = h.enroll({ ...host(), hostname: 'pc-empfang' })
      const t0 = new Date()
      for (const x of [a, b]) expect((await h.api('PUT', `/api/v1/hosts/${x.hostId}`, { maintenanceUntil: hours(2, t0).toISOString() })).status).toBe(200)
      h.store(a, firewallOff, t0)
      // Opened and fixed within the maintenance: nobody hears about it, before or after.
      h.store(b, firewallOff, t0)
      h.store(b, firewallOn, minutes(10, t0))
      h.app.alerts.tick(hours(1, t0))
      await h.app.alerts.sender.deliver(hours(1, t0))
      expect(sink.hits).toHaveLength(0)
      expect((await openAlerts())[0]).toMatchObject({ notifiedAt: null })
      h.app.alerts.tick(hours(2.1, t0))
      await h.app.alerts.sender.deliver(hours(2.1, t0))
      expect(events(sink.hits)).toEqual(['opened'])
      expect(JSON.parse(sink.hits[0]!.body).alert.hostname).toBe('pc-buchhaltung')
    } finally {
      await sink.close()
    }
  })

  it('re-judging opens an alert for a backup that grew too old, without a new report', async () => {
    const a = h.enroll()
    const t0 = new Date()
    h.store(a, { 'base.backups': { sources: [{ kind: 'restic', location: '/srv/restic', lastSuccess: hours(-20, t0).toISOString() }] } }, t0)
    expect(await openAlerts()).toHaveLength(0)
    h.app.alerts.rejudgeAll(hours(7, t0))
    const [alert] = await openAlerts()
    expect(alert).toMatchObject({ measureId: 'base.backups', state: 'open' })
    expect(alert!.reason.de).toMatch(/Sicherung zu alt/)
  })

  it('tells the board after COMMIT: alert-changed with alert and host id', async () => {
    const seen: LiveEvent[] = []
    const committed: boolean[] = []
    h.app.events.on((e) => {
      seen.push(e)
      if (e.type === 'alert-changed') committed.push(!!h.db.select().from(alerts).where(eq(alerts.id, e.alertId)).get())
    })
    const a = h.enroll()
    h.store(a, firewallOff)
    await new Promise((r) => setImmediate(r))
    const ev = seen.find((e) => e.type === 'alert-changed')
    expect(ev).toMatchObject({ type: 'alert-changed', hostId: a.hostId })
    expect(committed).toEqual([true])
  })
})

describe('agent silent', () => {
  beforeEach(async () => {
    await h.api('PUT', '/api/v1/thresholds/global', {})
  })

  it('opens after the silence threshold (not during the grace after server start) and resolves with the next report', async () => {
    const sink = await httpSink()
    try {
      await webhookChannel(sink.url)
      const a = h.enroll()
      // Last report three hours ago — as if the server itself had been down.
      h.store(a, firewallOn, hours(-3))
      const start = h.app.alerts.startedAt
      h.app.alerts.tick(minutes(1, start))
      h.app.alerts.tick(minutes(59, start))
      expect(await openAlerts()).toHaveLength(0)
      h.app.alerts.tick(minutes(61, start))
      const [alert] = await openAlerts()
      expect(alert).toMatchObject({ kind: 'silent', measureId: 'agent.silent', severity: 'medium' })
      expect(alert!.reason.en).toMatch(/^Last report 4 h ago \(limit 60 min\)\.$/)
      h.store(a, firewallOn, minutes(62, start))
      expect(await openAlerts()).toHaveLength(0)
      await h.app.alerts.sender.deliver(minutes(62, start))
      expect(sink.hits.map((x) => JSON.parse(x.body).subject)).toEqual(['[Lagebild] Agent silent: pc-buchhaltung', '[Lagebild] Agent reporting again: pc-buchhaltung'])
    } finally {
      await sink.close()
    }
  })

  it('per tag: a laptop may be silent for three days, a server not for an hour', async () => {
    expect((await h.api('PUT', '/api/v1/thresholds/tags/laptop', { silentMaxMinutes: 3 * 24 * 60 })).status).toBe(200)
    const laptop = h.enroll({ ...host(), hostname: 'nb-vertrieb' }, ['laptop'])
    const server = h.enroll({ ...host(), hostname: 'srv-datei' }, ['server'])
    const t0 = new Date()
    h.store(laptop, firewallOn, t0)
    h.store(server, firewallOn, t0)
    h.app.alerts.tick(hours(2, t0))
    expect((await openAlerts()).map((x) => x.hostId)).toEqual([server.hostId])
    h.app.alerts.tick(hours(73, t0))
    expect((await openAlerts()).map((x) => x.hostId).sort()).toEqual([laptop.hostId, server.hostId].sort())
    const th = await h.api<{ tags: Record<string, { silentMaxMinutes: number }> }>('GET', '/api/v1/thresholds')
    expect(th.body.tags.laptop).toEqual({ silentMaxMinutes: 4320 })
  })

  it('a host that never reported counts from its enrollment', async () => {
    h.enroll()
    h.app.alerts.tick(minutes(61, h.app.alerts.startedAt))
    expect((await openAlerts())[0]!.reason.en).toMatch(/No report since enrollment/)
  })
})

describe('channels API', () => {
  it('offers every registered channel type with a form the board can build: each field and choice labelled in German and English', async () => {
    type Field = { 'x-label'?: { de: string; en: string }; writeOnly?: boolean; anyOf?: { const: string; 'x-label'?: { de: string; en: string } }[] }
    type Types = { types: { type: string; title: { de: string; en: string }; secretFields: string[]; configSchema: { properties: Record<string, Field> } }[] }
    const res = await h.api<Types>('GET', '/api/v1/channel-types')
    expect(res.status).toBe(200)
    expect(res.body.types.map((t) => t.type)).toEqual(expect.arrayContaining(['email', 'ntfy', 'slack', 'teams', 'webhook']))
    for (const t of res.body.types) {
      expect(t.title.de && t.title.en, t.type).toBeTruthy()
      for (const [k, f] of Object.entries(t.configSchema.properties)) {
        expect(f['x-label']?.de && f['x-label']?.en, `${t.type}.${k}`).toBeTruthy()
        for (const o of f.anyOf ?? []) expect(o['x-label']?.de && o['x-label']?.en, `${t.type}.${k}=${o.const}`).toBeTruthy()
      }
      // The secrets the server masks are exactly the fields the form treats as secrets.
      expect(t.secretFields.sort(), t.type).toEqual(Object.keys(t.configSchema.properties).filter((k) => t.configSchema.properties[k]!.writeOnly).sort())
    }
    expect(res.body.types.find((t) => t.type === 'email')!.secretFields).toEqual(['password'])
  })

  it('shows where a channel sends to without its secret', async () => {
    const slack = await h.api<ChannelOut & { target: string }>('POST', '/api/v1/channels', { name: 'Chat', type: 'slack', config: { url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET' } })
    expect(slack.status).toBe(201)
    expect(slack.body.target).toBe('hooks.slack.com')
    expect(JSON.stringify(slack.body)).not.toContain('XXXXSECRET')
  })

  it('create, read with the secret masked, update keeping the secret, test, delete', async () => {
    const sink = await httpSink((hit) => (verify(hit) ? 204 : 401))
    try {
      const ch = await webhookChannel(sink.url)
      expect(ch.config).toEqual({ url: sink.url, secret: '********' })
      const upd = await h.api<ChannelOut>('PUT', `/api/v1/channels/${ch.id}`, { name: 'Umbenannt', config: { url: `${sink.url}/neu`, secret: '********' } })
      expect(upd.status).toBe(200)
      const test = await h.api<{ ok: boolean; error: string | null }>('POST', `/api/v1/channels/${ch.id}/test`)
      expect(test.body).toEqual({ ok: true, error: null })
      expect(sink.hits[0]!.url).toBe('/neu')
      expect(JSON.parse(sink.hits[0]!.body).subject).toBe('[Lagebild] Test message')

      const wrong = await h.api<ChannelOut>('PUT', `/api/v1/channels/${ch.id}`, { config: { url: sink.url, secret: 'a-different-secret-1234567' } })
      expect(wrong.status).toBe(200)
      const failed = await h.api<{ ok: boolean; error: string }>('POST', `/api/v1/channels/${ch.id}/test`)
      expect(failed.body.ok).toBe(false)
      expect(failed.body.error).toMatch(/HTTP 401/)

      const bad = await h.api<{ message: string }>('POST', '/api/v1/channels', { name: 'x', type: 'webhook', config: { url: 'ftp://x', secret: SECRET } })
      expect(bad.status).toBe(400)
      const badEmail = await h.api<{ message: string }>('PUT', `/api/v1/channels/${ch.id}`, { config: { url: sink.url, secret: 'short' } })
      expect(badEmail.status).toBe(400)
      expect(badEmail.body.message).toMatch(/\/secret/)

      const noAuth = await h.app.inject({ method: 'GET', url: '/api/v1/channels' })
      expect(noAuth.statusCode).toBe(401)
      expect((await h.api('DELETE', `/api/v1/channels/${ch.id}`)).status).toBe(204)
      expect((await h.api('GET', `/api/v1/channels/${ch.id}`)).status).toBe(404)
    } finally {
      await sink.close()
    }
  })

  it('Slack, Teams and ntfy receive their own body shapes', async () => {
    const sink = await httpSink()
    try {
      const mk = (type: string, config: object) => h.api('POST', '/api/v1/channels', { name: type, type, language: 'de', config })
      expect((await mk('slack', { url: `${sink.url}/slack` })).status).toBe(201)
      expect((await mk('teams', { url: `${sink.url}/teams` })).status).toBe(201)
      expect((await mk('ntfy', { server: sink.url, topic: 'lagebild-it', token: 'tk_secret' })).status).toBe(201)
      const a = h.enroll()
      h.store(a, firewallOff)
      await h.app.alerts.sender.deliver()
      const by = (p: string) => JSON.parse(sink.hits.find((x) => x.url === p)!.body) as Record<string, unknown>
      expect(String(by('/slack').text)).toMatch(/^\*\[Lagebild\] Firewall: ABWEICHUNG auf pc-buchhaltung\*\n/)
      const teams = by('/teams') as { type: string; attachments: { contentType: string; content: { body: { inlines: { text: string }[] }[] } }[] }
      expect(teams.type).toBe('message')
      expect(teams.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive')
      expect(teams.attachments[0]!.content.body[0]!.inlines[0]!.text).toBe('[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung')
      const ntfy = by('/')
      expect(ntfy).toMatchObject({ topic: 'lagebild-it', title: '[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung', priority: 4, tags: ['warning'] })
      expect(sink.hits.find((x) => x.url === '/')!.headers.authorization).toBe('Bearer tk_secret')
      const list = await h.api<{ channels: ChannelOut[] }>('GET', '/api/v1/channels')
      expect(list.body.channels.map((c) => c.config.url ?? c.config.token)).toEqual(['********', '********', '********'])
    } finally {
      await sink.close()
    }
  })
})

describe('thresholds and hosts API', () => {
  it('global, tag and host overrides; unknown keys refused; a viewer may read but not change', async () => {
    const a = h.enroll()
    expect((await h.api('PUT', '/api/v1/thresholds/global', { backupMaxHours: 48 })).status).toBe(200)
    expect((await h.api('PUT', `/api/v1/thresholds/hosts/${a.hostId}`, { backupMaxHours: 12 })).status).toBe(200)
    expect((await h.api('PUT', '/api/v1/thresholds/global', { nonsense: 1 })).status).toBe(400)
    expect((await h.api('PUT', '/api/v1/thresholds/hosts/nope', { backupMaxHours: 1 })).status).toBe(404)
    const all = await h.api<{ global: object; hosts: Record<string, object>; defaults: { backupMaxHours: number } }>('GET', '/api/v1/thresholds')
    expect(all.body.global).toEqual({ backupMaxHours: 48 })
    expect(all.body.hosts[a.hostId]).toEqual({ backupMaxHours: 12 })
    expect(all.body.defaults.backupMaxHours).toBe(26)
    const put = await h.api<{ thresholds: { backupMaxHours: number }; tags: string[] }>('PUT', `/api/v1/hosts/${a.hostId}`, { tags: ['server', 'server'] })
    expect(put.body.tags).toEqual(['server'])
    expect(put.body.thresholds.backupMaxHours).toBe(12)
    // {} changes nothing and answers the host as it is (used to ask whether its agent is connected).
    const same = await h.api<{ tags: string[]; connected: boolean }>('PUT', `/api/v1/hosts/${a.hostId}`, {})
    expect(same.status).toBe(200)
    expect(same.body).toMatchObject({ tags: ['server'], connected: false })
    // A 13-hour-old backup is a deviation for this host (12 h), judged again at once.
    h.store(a, { 'base.backups': { sources: [{ kind: 'restic', location: '/srv', lastSuccess: hours(-13).toISOString() }] } })
    expect((await openAlerts()).map((x) => x.measureId)).toEqual(['base.backups'])

    await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: {} })
    const { createUser } = await import('../src/services/people.js')
    await createUser(h.db, 'leser', 'lesen-lesen-123', 'viewer')
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'leser', password: 'lesen-lesen-123' } })
    const session = login.cookies.find((c) => c.name === 'lagebild_session')!
    const csrf = (login.json() as { csrfToken: string }).csrfToken
    const headers = { cookie: `lagebild_session=${session.value}`, 'x-csrf-token': csrf }
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/alerts', headers })).statusCode).toBe(200)
    expect((await h.app.inject({ method: 'PUT', url: '/api/v1/thresholds/global', headers, payload: {} })).statusCode).toBe(403)
    const alertId = (await openAlerts())[0]!.id
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/acknowledge`, headers, payload: {} })).statusCode).toBe(403)
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/unsnooze`, headers, payload: {} })).statusCode).toBe(403)
  })
})


describe('acknowledge without a body', () => {
  it('a POST without a body acknowledges like an empty one', async () => {
    const a = h.enroll()
    h.store(a, firewallOff)
    const [alert] = await openAlerts()
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/alerts/${alert!.id}/acknowledge`, headers: h.auth })
    expect(res.statusCode).toBe(200)
    expect(res.json().alert).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'api-key:test' })
  })
})
