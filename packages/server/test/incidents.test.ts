// Incidents through the API on a real SQLite file: opening notifies the alerting chain (real SMTP sink) and its
// acknowledgement links work; viewers read, admins act, bad input changes nothing; the timeline is append-only and a
// change behind the server's back is found; the reporting clocks are judged and warned about across a change of summer
// time (simulated clock); user reports from agents open or join incidents, those of the web form are limited and wait
// for a person; follow-up tasks close themselves when the hosts report ok; heightened monitoring makes judging strict;
// the lessons update the readiness records.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { createHash, randomUUID } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { eq } from 'drizzle-orm'
import WebSocket from 'ws'
import { harness, host, hours, firewallOff, firewallOn, minutes, waitUntil, type Harness } from './helper.js'
import { addContact, person, ALWAYS } from './readiness-helper.js'
import { smtpSink } from './sinks.js'
import { auditLog, outbox } from '../src/db/schema.js'
import { thresholdsFor } from '../src/services/thresholds.js'
import type { IncidentDetail } from '../src/schemas/incidents.js'

type Detail = IncidentDetail
let h: Harness

beforeEach(async () => {
  h = await harness()
})
afterEach(async () => {
  await h.close()
})

async function chain() {
  const anna = await addContact(h, person('Anna Becker', { availability: ALWAYS, email: 'anna@example.com' }))
  const ben = await addContact(h, person('Ben Yilmaz', { availability: ALWAYS }))
  const r = await h.api('PUT', '/api/v1/readiness/plan', {
    alertingChain: [{ contactId: anna, note: 'Erstkontakt' }, { contactId: ben, note: 'Geschäftsführung' }],
    scenarios: (await h.api<{ defaults: { scenarios: object } }>('GET', '/api/v1/readiness/plan')).body.defaults.scenarios,
  })
  expect(r.status).toBe(200)
  return { anna, ben }
}

async function open(body: object = {}): Promise<Detail> {
  const r = await h.api<Detail>('POST', '/api/v1/incidents', { title: 'Lösegeldforderung auf pc-buchhaltung', scenario: 'ransomware', severity: 'critical', ...body })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body
}
const detail = async (id: string) => (await h.api<Detail>('GET', `/api/v1/incidents/${id}`)).body
const finding = (id: string) => h.db.$client.prepare('select status, severity, reason_en as reason from findings where subject_id = ? and measure_id = ?').get('org', id) as { status: string; severity: string; reason: string } | undefined

describe('opening an incident', () => {
  it('notifies the alerting chain through the channels with a personal link each; a link acknowledges once and is recorded', async () => {
    const sink = await smtpSink()
    try {
      await h.api('POST', '/api/v1/channels', { name: 'Mail', type: 'email', language: 'de', config: { host: '127.0.0.1', port: sink.port, security: 'none', from: 'lagebild@example.com', to: ['it@example.com'] } })
      await chain()
      const pc = h.enroll()
      const d = await open({ hostIds: [pc.hostId] })
      expect(d.incident.number).toMatch(/^INC-\d{4}-001$/)
      expect(d.chain.map((c) => c.name)).toEqual(['Anna Becker', 'Ben Yilmaz'])
      expect(d.steps.map((s) => s.kind)).toContain('police')
      expect(d.steps.filter((s) => s.kind === 'first-step').length).toBeGreaterThan(3)
      await h.app.alerts.sender.deliver()
      const mail = await sink.waitFor((m) => m.subject.includes('IT-NOTFALL'))
      expect(mail.subject).toContain('INC-')
      expect(mail.text).toContain('pc-buchhaltung')
      const links = [...mail.text.matchAll(/https:\/\/lagebild\.example\/ack\/([A-Za-z0-9_-]+)/g)].map((m) => m[1]!)
      expect(links).toHaveLength(2)
      // Anna's link: who it is for, then the confirmation.
      const info = await h.app.inject({ method: 'GET', url: `/api/v1/ack/${links[0]}` })
      expect(info.json()).toMatchObject({ name: 'Anna Becker', acknowledgedAt: null })
      const ack = await h.app.inject({ method: 'POST', url: `/api/v1/ack/${links[0]}` })
      expect(ack.statusCode).toBe(200)
      expect(ack.json().acknowledgedAt).toBeTruthy()
      // Twice changes nothing; a made-up link is unknown.
      await h.app.inject({ method: 'POST', url: `/api/v1/ack/${links[0]}` })
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/ack/${'x'.repeat(32)}` })).statusCode).toBe(404)
      const after = await detail(d.incident.id)
      expect(after.chain.find((c) => c.name === 'Anna Becker')).toMatchObject({ acknowledgedVia: 'link' })
      expect(after.chain.find((c) => c.name === 'Ben Yilmaz')!.acknowledgedAt).toBeNull()
      expect(after.timeline.filter((e) => e.kind === 'acknowledged')).toHaveLength(1)
      // The admin records Ben, reached by phone.
      const ben = after.chain.find((c) => c.name === 'Ben Yilmaz')!
      const r = await h.api<Detail>('POST', `/api/v1/incidents/${d.incident.id}/chain/acknowledge`, { contactId: ben.contactId, note: 'per Telefon' })
      expect(r.body.chain.every((c) => c.acknowledgedAt)).toBe(true)
      expect(finding('handle.alert')).toMatchObject({ status: 'ok' })
    } finally {
      await sink.close()
    }
  })

  it('from an alert: its host becomes affected and its severity is taken over', async () => {
    const pc = h.enroll()
    h.store(pc, firewallOff)
    const alert = (await h.api<{ alerts: { id: string }[] }>('GET', '/api/v1/alerts?state=active')).body.alerts[0]!
    const d = await open({ title: 'Firewall aus', scenario: 'other', severity: 'low', fromAlertId: alert.id })
    expect(d.incident.source).toBe('alert')
    expect(d.incident.hosts.map((x) => x.id)).toEqual([pc.hostId])
    expect(d.incident.severity).toBe('high')
  })

  it('viewers read but cannot act; bad input is refused and changes nothing; every admin action is audited', async () => {
    const d = await open()
    await h.user('chefin', 'correct horse battery staple', 'viewer')
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'chefin', password: 'correct horse battery staple' } })
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const csrf = login.json().csrfToken as string
    const as = (method: 'GET' | 'POST', url: string, payload?: object) => h.app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf }, ...(payload ? { payload } : {}) })
    expect((await as('GET', `/api/v1/incidents/${d.incident.id}`)).statusCode).toBe(200)
    expect((await as('POST', `/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'note', text: 'x' })).statusCode).toBe(403)
    expect((await as('POST', '/api/v1/incidents', { title: 'x', scenario: 'outage', severity: 'low' })).statusCode).toBe(403)
    const entries = (await detail(d.incident.id)).timeline.length
    for (const [path, body, status] of [
      [`/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'opened', text: 'forged' }, 400],
      [`/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'note', text: '' }, 400],
      [`/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'note', text: 'x'.repeat(4001) }, 400],
      [`/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'note', text: 'fix', correctsId: 999999 }, 400],
      [`/api/v1/incidents/${d.incident.id}/state`, { state: 'open', note: '' }, 409],
      [`/api/v1/incidents/${d.incident.id}/evidence`, { hostIds: ['nope'], hours: 24 }, 400],
      [`/api/v1/incidents/${d.incident.id}/evidence`, { hostIds: ['nope'], hours: 500 }, 400],
      ['/api/v1/incidents', { title: 'x', scenario: 'ransomware', severity: 'high', awareAt: hours(2).toISOString() }, 400],
    ] as const) {
      const r = await h.api('POST', path, body)
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(status)
    }
    expect((await detail(d.incident.id)).timeline.length).toBe(entries)
    const actions = h.db.select({ a: auditLog.action }).from(auditLog).all().map((r) => r.a)
    expect(actions).toContain('incident.open')
  })
})

describe('the timeline', () => {
  it('is append-only: a correction is a new entry naming the old; the database itself refuses changes', async () => {
    const d = await open()
    const a = await h.api<{ id: number }>('POST', `/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'call', text: 'IT-Dienstleister angerufen, kommt in 2 h' })
    const b = await h.api<{ id: number }>('POST', `/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'call', text: 'Berichtigung: kommt in 4 h', correctsId: a.body.id })
    expect(b.status).toBe(201)
    const t = (await detail(d.incident.id)).timeline
    expect(t.find((e) => e.id === a.body.id)).toMatchObject({ text: 'IT-Dienstleister angerufen, kommt in 2 h', correctedBy: [b.body.id] })
    expect(() => h.db.$client.prepare('update incident_timeline set text = ? where id = ?').run('anders', a.body.id)).toThrow(/append-only/)
    expect(() => h.db.$client.prepare('delete from incident_timeline where id = ?').run(a.body.id)).toThrow(/append-only/)
  })

  it('an entry changed behind the server\'s back (another program on the file) is found by verify and judged critical', async () => {
    const d = await open()
    const a = await h.api<{ id: number }>('POST', `/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'decision', text: 'Kein Lösegeld zahlen.' })
    expect((await h.api<{ ok: boolean }>('GET', `/api/v1/incidents/${d.incident.id}/verify`)).body.ok).toBe(true)
    const file = new Database(join(h.dataDir, 'lagebild.sqlite'))
    file.exec('drop trigger incident_timeline_no_update')
    file.prepare('update incident_timeline set text = ? where id = ?').run('Lösegeld zahlen.', a.body.id)
    file.close()
    const v = (await h.api<{ ok: boolean; brokenAt: number; reason: string }>('GET', `/api/v1/incidents/${d.incident.id}/verify`)).body
    expect(v).toMatchObject({ ok: false, brokenAt: a.body.id })
    expect(v.reason).toContain('changed')
    h.app.incidents.judge()
    expect(finding('handle.document')).toMatchObject({ status: 'deviation', severity: 'critical' })
    expect((await h.api<{ alerts: { measureId: string }[] }>('GET', '/api/v1/alerts?state=active')).body.alerts.map((x) => x.measureId)).toContain('handle.document')
  })
})

describe('the record', () => {
  /** JSON with sorted keys, written here from the documented rule — not the server's own code. */
  const sorted = (v: unknown): string =>
    Array.isArray(v) ? `[${v.map(sorted).join(',')}]` : v && typeof v === 'object'
      ? `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${sorted((v as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(v)
  const sha = (s: string) => createHash('sha256').update(s).digest('hex')

  it('the JSON export can be checked without Lagebild; the PDF names the check and every entry (English too)', async () => {
    const d = await open()
    await h.api('POST', `/api/v1/incidents/${d.incident.id}/timeline`, { kind: 'decision', text: 'Decision: restore from the backup of Monday.' })
    const r = await h.app.inject({ method: 'GET', url: `/api/v1/incidents/${d.incident.id}/export.json`, headers: h.auth })
    expect(r.headers['content-disposition']).toContain('notfallprotokoll-INC-')
    const rec = r.json() as { verification: { genesis: string }; timeline: { incidentId?: string; at: string; author: string; kind: string; text: string; data: unknown; correctsId: number | null; prevHash: string; hash: string }[] }
    expect(rec.verification.genesis).toBe(sha(`${'0'.repeat(64)}\n${sorted({ incident: d.incident.id })}`))
    let prev = rec.verification.genesis
    for (const e of rec.timeline) {
      expect(e.prevHash).toBe(prev)
      expect(sha(`${prev}\n${sorted({ incidentId: d.incident.id, at: e.at, author: e.author, kind: e.kind, text: e.text, data: e.data, correctsId: e.correctsId })}`)).toBe(e.hash)
      prev = e.hash
    }
    expect(rec.timeline.at(-1)!.kind).toBe('export')
    const pdf = await h.app.inject({ method: 'GET', url: `/api/v1/incidents/${d.incident.id}/export.pdf?lang=en`, headers: h.auth })
    expect(pdf.headers['content-type']).toBe('application/pdf')
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.rawPayload, encoding: 'utf8' })
    for (const x of ['Incident record INC-', 'Timeline (hash chain) intact', 'Decision: restore from the backup of Monday.', 'Hash of the newest entry', 'Reporting deadlines'])
      expect(text, x).toContain(x)
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/incidents/${d.incident.id}/export.pdf` })).statusCode).toBe(401)
  })
})

describe('reporting clocks', () => {
  it('run from awareness in real hours across the start of summer time; warnings at half time, near the end and overdue; closing waits for them', async () => {
    await h.api('PUT', '/api/v1/readiness/reporting', { personalData: 'yes', nis2Sector: 'yes', nis2Size: 'yes', kritis: 'no', bsiRegistered: true, insurerNoticeHours: 48 })
    for (const [name, escalation] of [['Hook', false], ['Boss', true]] as const)
      expect((await h.api('POST', '/api/v1/channels', { name, type: 'webhook', language: 'de', escalation, config: { url: `http://127.0.0.1:9/${name}`, secret: 'a-long-shared-secret-1234' } })).status).toBe(201)
    // Friday 27 March 2026, 10:00 in Berlin (CET); summer time starts on Sunday 29 March.
    const aware = new Date('2026-03-27T09:00:00.000Z')
    const d = await open({ awareAt: aware.toISOString() })
    const gdpr = d.clocks.find((c) => c.id === 'gdpr-authority')!
    expect(gdpr.dueAt).toBe('2026-03-30T09:00:00.000Z')
    // 72 real hours end at 11:00 local: the night to Sunday had one hour less.
    expect(gdpr.due.de).toBe('30.03.2026 11:00 (Europe/Berlin)')
    expect(d.clocks.map((c) => c.id)).toEqual(['nis2-early-warning', 'insurer', 'gdpr-authority', 'nis2-notification', 'nis2-final'])
    const deadlines = () => h.db.select().from(outbox).where(eq(outbox.event, 'deadline')).all()
    const id = d.incident.id
    h.app.incidents.tick(hours(11, aware))
    expect(deadlines()).toHaveLength(0)
    h.app.incidents.tick(hours(12, aware))
    // The early warning (24 h) is half gone: one message per normal channel.
    expect(deadlines().map((r) => (r.payload as { de: { subject: string } }).de.subject)).toEqual([expect.stringContaining('Frühwarnung')])
    expect(finding('handle.obligations')).toMatchObject({ status: 'deviation', severity: 'medium' })
    h.app.incidents.tick(hours(22, aware))
    expect(finding('handle.obligations')).toMatchObject({ severity: 'high' })
    h.app.incidents.tick(hours(24, aware))
    const overdue = deadlines().filter((r) => (r.payload as { en: { subject: string } }).en.subject.includes('deadline passed'))
    // Overdue goes to the escalation channel too.
    expect(overdue).toHaveLength(2)
    expect(finding('handle.obligations')).toMatchObject({ severity: 'critical' })
    h.app.incidents.tick(hours(24, aware))
    expect(deadlines().filter((r) => (r.payload as { en: { subject: string } }).en.subject.includes('deadline passed'))).toHaveLength(2)
    // A pre-filled draft in both languages.
    const draft = (await h.api<{ text: string; subject: string }>('GET', `/api/v1/incidents/${id}/clocks/gdpr-authority/draft?lang=en`)).body
    expect(draft.text).toContain('Became aware on:\n  2026-03-27 10:00 (Europe/Berlin)')
    expect(draft.text).toContain('[… please fill in]')
    const de = (await h.api<{ text: string }>('GET', `/api/v1/incidents/${id}/clocks/nis2-notification/draft?lang=de`)).body
    expect(de.text).toContain('Verdacht auf rechtswidrige oder böswillige Handlung:\n  ja')
    // Closing is refused while deadlines run.
    await h.api('POST', `/api/v1/incidents/${id}/state`, { state: 'resolved', note: 'Systeme aus Sicherung wiederhergestellt' })
    expect((await h.api('POST', `/api/v1/incidents/${id}/state`, { state: 'closed', note: '' })).status).toBe(409)
    // The NIS2 notification is sent 70 h after awareness; the final report is due a calendar month after that, same local time.
    expect((await h.api('POST', `/api/v1/incidents/${id}/clocks/nis2-notification`, { state: 'done', note: 'BSI-Portal, Az. 123', at: hours(70, aware).toISOString() })).status).toBe(200)
    const after = await detail(id)
    const final = after.clocks.find((c) => c.id === 'nis2-final')!
    expect(final.startAt).toBe(hours(70, aware).toISOString())
    expect(final.due.de).toBe('30.04.2026 09:00 (Europe/Berlin)')
    for (const c of ['gdpr-authority', 'nis2-early-warning', 'nis2-final', 'insurer'])
      expect((await h.api('POST', `/api/v1/incidents/${id}/clocks/${c}`, { state: 'waived', note: '' })).status, c).toBe(400)
    for (const c of ['gdpr-authority', 'nis2-early-warning', 'nis2-final', 'insurer'])
      await h.api('POST', `/api/v1/incidents/${id}/clocks/${c}`, { state: c === 'insurer' ? 'done' : 'waived', note: 'Übung: keine Meldung' })
    expect((await h.api('POST', `/api/v1/incidents/${id}/state`, { state: 'closed', note: 'erledigt' })).status).toBe(200)
  })
})

describe('user reports', () => {
  const answers = { reporter: 'Clara Schulz', phone: '', system: 'pc-buchhaltung', observed: 'Alle Dateien heißen .locked, ein Erpresserbrief ist offen.', when: 'gerade eben', where: 'Büro 2.14' }

  it('from an enrolled PC: the first opens an incident, the next joins it, a replay is stored once', async () => {
    const pc = h.enroll()
    const send = (body: object) => h.app.inject({ method: 'POST', url: '/api/v1/agent/user-reports', headers: { authorization: pc.bearer }, payload: body })
    const report = { id: randomUUID(), reportedAt: new Date().toISOString(), lang: 'de', answers, host: pc.identity, snapshot: null, snapshotError: 'test' }
    const r = await send(report)
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().receipt).toMatch(/^M-[2-9A-HJ-NP-Z]{6}$/)
    const list = (await h.api<{ incidents: { id: string; title: string }[] }>('GET', '/api/v1/incidents')).body.incidents
    expect(list).toHaveLength(1)
    expect(list[0]!.title).toBe('Meldung von Clara Schulz: pc-buchhaltung')
    expect((await send(report)).json().duplicate).toBe(true)
    await send({ ...report, id: randomUUID(), answers: { ...answers, reporter: 'Dieter Wolf' } })
    const d = await detail(list[0]!.id)
    expect(d.reports.map((x) => x.answers.reporter)).toEqual(['Clara Schulz', 'Dieter Wolf'])
    expect(d.incident.hosts.map((x) => x.id)).toEqual([pc.hostId])
    expect(d.timeline.filter((e) => e.kind === 'user-report').map((e) => e.author)).toEqual(['Clara Schulz', 'Dieter Wolf'])
    // Another machine's identity with these credentials is refused.
    expect((await send({ ...report, id: randomUUID(), host: host() })).statusCode).toBe(409)
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/agent/user-reports', payload: report })).statusCode).toBe(401)
  })

  it('from the web form: same origin only, at most 16 KiB, rate-limited, opens nothing by itself, can read nothing; a person assigns it', async () => {
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'POST', url: '/api/v1/user-reports', headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })
    expect((await post({ answers, lang: 'de' }, { origin: 'https://evil.example', host: 'lagebild.local' })).statusCode).toBe(403)
    expect((await post({ answers: { ...answers, observed: 'x'.repeat(17_000) }, lang: 'de' })).statusCode).toBe(413)
    expect((await post({ answers: { ...answers, reporter: '' }, lang: 'de' })).statusCode).toBe(400)
    const ok = await post({ answers, lang: 'de' })
    expect(ok.statusCode).toBe(200)
    expect(Object.keys(ok.json()).sort()).toEqual(['duplicate', 'receipt'])
    const list = (await h.api<{ incidents: unknown[]; unassigned: { id: string; receipt: string }[] }>('GET', '/api/v1/incidents')).body
    expect(list.incidents).toHaveLength(0)
    expect(list.unassigned.map((x) => x.receipt)).toEqual([ok.json().receipt])
    // Nothing of it can be read without an account.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(401)
    // Five tries per address in ten minutes (refused ones count too), then 429.
    const more = []
    for (let n = 0; n < 3; n++) more.push((await post({ answers, lang: 'en' })).statusCode)
    expect(more.at(-1)).toBe(429)
    expect(more.filter((x) => x === 200).length).toBeLessThanOrEqual(2)
    const assigned = await h.api<{ incidentId: string }>('POST', `/api/v1/user-reports/${list.unassigned[0]!.id}/assign`, { incidentId: null })
    expect(assigned.status).toBe(200)
    expect((await detail(assigned.body.incidentId)).reports).toHaveLength(1)
  })

  it('the web form can be switched off', async () => {
    await h.api('PUT', '/api/v1/incidents/settings', { webReports: false })
    const r = await h.app.inject({ method: 'POST', url: '/api/v1/user-reports', payload: { answers, lang: 'de' } })
    expect(r.statusCode).toBe(403)
    expect(r.json().message).toContain('emergency card')
  })
})

describe('evidence', () => {
  it('an item whose bytes arrive changed is refused; stored ones are never altered, each download is recorded, a changed file is found', async () => {
    const pc = h.enroll()
    const d = await open({ hostIds: [pc.hostId] })
    const r = await h.api<Detail>('POST', `/api/v1/incidents/${d.incident.id}/evidence`, { hostIds: [pc.hostId], hours: 24, items: ['processes', 'auth-log'] })
    const req = r.body.evidence.requests[0]!
    expect(req.state).toBe('pending')
    const data = Buffer.from('PID PPID USER\n1 0 root /sbin/init\n')
    const { createHash } = await import('node:crypto')
    const sha = createHash('sha256').update(data).digest('hex')
    const put = (body: Buffer, sha256: string, item = 'processes') =>
      h.app.inject({
        method: 'PUT', url: `/api/v1/evidence/${req.id}/items/${item}`, payload: body,
        headers: { authorization: pc.bearer, 'content-type': 'application/octet-stream', 'x-lagebild-sha256': sha256, 'x-lagebild-collected-at': new Date().toISOString(), 'x-lagebild-truncated': '0', 'x-lagebild-source': encodeURIComponent('ps -eww -o …') },
      })
    expect((await put(Buffer.from('tampered'), sha)).statusCode).toBe(400)
    expect((await put(data, sha, 'autostarts')).statusCode).toBe(400)
    expect((await h.app.inject({ method: 'PUT', url: `/api/v1/evidence/${req.id}/items/processes`, payload: data, headers: { 'content-type': 'application/octet-stream' } })).statusCode).toBe(401)
    const stored = await put(data, sha)
    expect(stored.statusCode, stored.body).toBe(201)
    expect((await put(data, sha)).statusCode).toBe(409)
    const done = await h.app.inject({ method: 'POST', url: `/api/v1/evidence/${req.id}/done`, headers: { authorization: pc.bearer }, payload: { results: [{ item: 'processes', ok: true, error: null }, { item: 'auth-log', ok: false, error: 'permission-denied' }] } })
    expect(done.json()).toEqual({ state: 'partial' })
    const file = await h.app.inject({ method: 'GET', url: `/api/v1/evidence/${stored.json().id}/file`, headers: h.auth })
    expect(file.rawPayload.equals(data)).toBe(true)
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(file.headers['x-lagebild-sha256'])
    const after = await detail(d.incident.id)
    expect(after.evidence.items[0]).toMatchObject({ sha256: sha, downloads: 1, item: 'processes' })
    expect(after.timeline.filter((e) => e.kind === 'custody')).toHaveLength(1)
    expect(() => h.db.$client.prepare('update evidence_items set data = ?').run(Buffer.from('x'))).toThrow(/append-only/)
    // Behind the server's back: the file and its hash column changed together — the chained timeline entry still has the old hash.
    const db = new Database(join(h.dataDir, 'lagebild.sqlite'))
    db.exec('drop trigger evidence_items_no_update')
    const forged = Buffer.from('harmless\n')
    db.prepare('update evidence_items set data = ?, sha256 = ?, size = ?').run(forged, createHash('sha256').update(forged).digest('hex'), forged.length)
    db.close()
    const v = (await h.api<{ ok: boolean; evidence: { problem: string }[] }>('GET', `/api/v1/incidents/${d.incident.id}/verify`)).body
    expect(v.ok).toBe(false)
    expect(v.evidence[0]!.problem).toContain('differs from the one in the timeline')
  })
})

describe('a host that is offline', () => {
  it('gets the evidence request and the heightened monitoring when its agent connects again', async () => {
    await h.close()
    h = await harness({ listen: true })
    const pc = h.enroll()
    const d = await open({ hostIds: [pc.hostId] })
    await h.api('POST', `/api/v1/incidents/${d.incident.id}/evidence`, { hostIds: [pc.hostId], hours: 6 })
    await h.api('POST', `/api/v1/incidents/${d.incident.id}/watch`, { until: minutes(60).toISOString(), intervalMinutes: 5 })
    expect((await detail(d.incident.id)).evidence.requests[0]!.state).toBe('pending')
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/agent`, { headers: { authorization: pc.bearer } })
    const frames: { type: string; [k: string]: unknown }[] = []
    ws.on('message', (m) => frames.push(JSON.parse(m.toString()) as { type: string }))
    await waitUntil(() => frames.some((f) => f.type === 'evidence-request') && frames.some((f) => f.type === 'watch'), 5_000, 'the frames on connect')
    expect(frames.find((f) => f.type === 'evidence-request')).toMatchObject({ hours: 6, items: expect.arrayContaining(['system-log', 'recent-logins']) })
    const w = frames.find((f) => f.type === 'watch')!
    expect(w).toMatchObject({ intervalMinutes: 5 })
    await waitUntil(async () => (await detail(d.incident.id)).evidence.requests[0]!.state === 'sent', 5_000, 'the request marked sent')
    // The agent confirms the watch: the server shows it taken.
    ws.send(JSON.stringify({ type: 'command-result', commandId: w.commandId, ok: true, message: 'every 5 min' }))
    await waitUntil(async () => (await detail(d.incident.id)).watches[0]!.confirmedAt, 5_000, 'the confirmation')
    ws.close()
  })
})

describe('evidence uploads take turns', () => {
  it('a fifth upload while four are being read is asked to come back (503, before its body is read)', async () => {
    await h.close()
    h = await harness({ listen: true })
    const pc = h.enroll()
    const d = await open({ hostIds: [pc.hostId] })
    const r = await h.api<Detail>('POST', `/api/v1/incidents/${d.incident.id}/evidence`, { hostIds: [pc.hostId], hours: 1 })
    const url = new URL(`${h.url}/api/v1/evidence/${r.body.evidence.requests[0]!.id}/items/processes`)
    const { request } = await import('node:http')
    const send = () => {
      const req = request(url, { method: 'PUT', headers: { authorization: pc.bearer, 'content-type': 'application/octet-stream', 'content-length': '1000', 'x-lagebild-sha256': '0'.repeat(64), 'x-lagebild-collected-at': new Date().toISOString() } })
      const status = new Promise<number>((resolve) => req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', () => resolve(0)))
      req.write('x'.repeat(10))
      return { req, status }
    }
    const slow = [send(), send(), send(), send()]
    await new Promise((res) => setTimeout(res, 300))
    const fifth = send()
    expect(await fifth.status).toBe(503)
    fifth.req.destroy()
    for (const s of slow) s.req.end('y'.repeat(990))
    // The four were read; their (made-up) hashes do not match: refused, nothing stored.
    expect(await Promise.all(slow.map((s) => s.status))).toEqual([400, 400, 400, 400])
  })
})

describe('follow-up', () => {
  it('a task linked to a host finding closes itself when the host reports it ok', async () => {
    const pc = h.enroll()
    h.store(pc, firewallOff)
    const d = await open({ hostIds: [pc.hostId] })
    await h.api('POST', `/api/v1/incidents/${d.incident.id}/state`, { state: 'resolved', note: '' })
    const r = await h.api<Detail>('POST', `/api/v1/incidents/${d.incident.id}/tasks`, { title: 'Firewall wieder einschalten', owner: 'IT', dueOn: '2099-01-01', findings: [{ hostId: pc.hostId, measureId: 'base.firewall' }], notes: '' })
    const task = r.body.tasks[0]!
    expect(task).toMatchObject({ state: 'open', findings: [{ status: 'deviation', hostname: 'pc-buchhaltung' }] })
    expect((await h.api('PUT', `/api/v1/incidents/${d.incident.id}/tasks/${task.id}`, { state: 'done' })).status).toBe(409)
    h.store(pc, firewallOn)
    await new Promise((res) => setTimeout(res, 10))
    const after = await detail(d.incident.id)
    expect(after.tasks[0]).toMatchObject({ state: 'done', doneBy: 'system' })
    expect(after.timeline.at(-1)!.text).toContain('every linked finding is ok')
    expect(finding('follow.close-gaps')).toMatchObject({ status: 'ok' })
  })

  it('heightened monitoring judges the hosts strictly while it runs, and ends by itself', async () => {
    const pc = h.enroll()
    const hostRow = () => h.db.$client.prepare('select id, tags, crown_jewel as crownJewel from hosts where id = ?').get(pc.hostId) as { id: string; tags: string; crownJewel: number }
    const th = () => thresholdsFor(h.db, { id: pc.hostId, tags: JSON.parse(hostRow().tags) as string[], crownJewel: !!hostRow().crownJewel })
    expect(th().securityUpdateMaxHours).toBe(72)
    const d = await open({ hostIds: [pc.hostId] })
    const until = minutes(30).toISOString()
    const r = await h.api<Detail>('POST', `/api/v1/incidents/${d.incident.id}/watch`, { until, intervalMinutes: 5 })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.watches[0]).toMatchObject({ intervalMinutes: 5, active: true, confirmedAt: null })
    expect(th().securityUpdateMaxHours).toBe(24)
    expect((await h.api('POST', `/api/v1/incidents/${d.incident.id}/watch`, { until: minutes(0.5).toISOString(), intervalMinutes: 5 })).status).toBe(400)
    h.app.incidents.tick(minutes(31))
    expect((await detail(d.incident.id)).watches.filter((w) => w.active)).toHaveLength(0)
    expect(th().securityUpdateMaxHours).toBe(72)
  })

  it('lessons learned: the incident goes into the exercise log, a step into the emergency plan', async () => {
    const d = await open({ drill: true })
    const lessons = {
      whatHappened: 'Übung Ransomware', whatWorked: 'Alarmierung', whatToImprove: 'Backups früher trennen', participants: ['Anna Becker', 'Ben Yilmaz'],
      actions: [
        { kind: 'exercise', text: 'Als Übung festhalten' },
        { kind: 'plan-step', text: 'NAS trennen', scenario: 'ransomware', step: { de: 'NAS vom Netz trennen.', en: 'Disconnect the NAS.' } },
        { kind: 'record', text: 'Kontaktliste prüfen', recordKind: 'contacts' },
      ],
    }
    expect((await h.api('PUT', `/api/v1/incidents/${d.incident.id}/lessons`, { ...lessons, actions: [{ kind: 'record', text: 'x' }] })).status).toBe(400)
    expect((await h.api('PUT', `/api/v1/incidents/${d.incident.id}/lessons`, lessons)).status).toBe(200)
    expect((await h.api('POST', `/api/v1/incidents/${d.incident.id}/lessons/actions/0`)).status).toBe(200)
    expect((await h.api('POST', `/api/v1/incidents/${d.incident.id}/lessons/actions/1`)).status).toBe(200)
    expect((await h.api('POST', `/api/v1/incidents/${d.incident.id}/lessons/actions/2`)).status).toBe(409)
    const ex = (await h.api<{ entries: { title: string; participants: string[] }[] }>('GET', '/api/v1/readiness/exercises')).body.entries
    expect(ex[0]!.title).toContain('(Übung / drill)')
    expect(ex[0]!.participants).toEqual(expect.arrayContaining(['Anna Becker', 'Ben Yilmaz']))
    const plan = (await h.api<{ data: { scenarios: { ransomware: { de: string } } } }>('GET', '/api/v1/readiness/plan')).body.data
    expect(plan.scenarios.ransomware.de.split('\n').at(-1)).toBe('NAS vom Netz trennen.')
    expect((await detail(d.incident.id)).lessons!.done).toEqual([true, true, false])
    await addContact(h, person('Erika Muster'))
    expect((await detail(d.incident.id)).lessons!.done).toEqual([true, true, true])
  })
})

describe('judging when nothing happens', () => {
  it('without an incident the handling measures are not applicable when prepared, not recorded otherwise', async () => {
    h.app.incidents.judge()
    expect(finding('handle.alert')).toBeUndefined()
    expect(finding('handle.document')).toMatchObject({ status: 'not-applicable' })
    await chain()
    h.app.incidents.judge()
    expect(finding('handle.alert')).toMatchObject({ status: 'not-applicable', reason: 'No incident open. Alerting chain of 2 people ready.' })
  })
})

afterAll(() => undefined)
