// The readiness records over the real API on a real SQLite file: judging into the same findings and alerts as hosts,
// the audit log (old → new), viewers refused, bad input refused with nothing stored, the emergency card.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import QRCode from 'qrcode'
import { harness, hours, PUBLIC_URL, firewallOff, type Harness } from './helper.js'
import { smtpSink } from './sinks.js'
import { scoreHistory } from '../src/db/schema.js'
import { digestDue, queueDigest } from '../src/services/readiness/digest.js'
import { alertingChain, firstSteps, obligations, providersFor } from '../src/services/readiness/index.js'
import { createUser } from '../src/services/people.js'
import { pdfFontFromEnv } from '../src/config.js'
import { ALWAYS, addContact, measure, person, setRoles, view, type Entry } from './readiness-helper.js'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

type AlertList = { alerts: { id: string; measureId: string; hostId: string | null; state: string; severity: string; reason: { en: string } }[] }
type AuditEntries = { entries: { action: string; actor: string; target: string | null; before: unknown; after: unknown }[] }
const orgAlerts = async () => (await h.api<AlertList>('GET', '/api/v1/alerts?state=active')).body.alerts.filter((a) => a.hostId === null)
const pdfText = (pdf: Buffer) => {
  const dir = mkdtempSync(join(tmpdir(), 'lagebild-pdf-'))
  try {
    writeFileSync(join(dir, 'x.pdf'), pdf)
    return execFileSync('pdftotext', ['-layout', join(dir, 'x.pdf'), '-'], { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('nothing recorded', () => {
  it('every organisational measure is "not recorded", the first steps are open, no alert opens', async () => {
    const v = await view(h)
    expect(v.empty).toBe(true)
    expect(v.measures.every((m) => m.status === 'not-recorded')).toBe(true)
    expect(v.firstSteps.map((s) => [s.measureId, s.done])).toEqual([
      ['ready.card', false], ['prep.contacts', false], ['prep.providers', false], ['prep.first-response', false], ['prep.crown-jewels', false], ['prep.reporting', false],
    ])
    expect(await orgAlerts()).toEqual([])
    const ov = (await h.api<{ phases: { measures: { id: string; state: string; record: string | null }[] }[] }>('GET', '/api/v1/overview')).body
    expect(ov.phases.flatMap((p) => p.measures).find((m) => m.id === 'ready.card')).toMatchObject({ state: 'not-recorded', record: 'not-recorded' })
  })
})

describe('the first contact', () => {
  it('office hours only: ready.card opens an alert naming the hours; a provider on 24/7 standby closes the gap and resolves it', async () => {
    const anna = await addContact(h, person('Anna Becker', { function: 'Geschäftsführerin' }))
    const ben = await addContact(h, person('Ben Yilmaz'))
    await setRoles(h, anna, ben)
    const card = await measure(h, 'ready.card')
    expect(card).toMatchObject({ status: 'deviation', severity: 'medium', path: '/readiness/people' })
    expect(card.reason!.de).toContain('Fr 18:00 – Mo 08:00')
    const [alert] = await orgAlerts()
    expect(alert).toMatchObject({ measureId: 'ready.card', state: 'open', severity: 'medium', hostId: null })

    const hotline = await addContact(h, person('IT Schmidt Hotline', { kind: 'it-provider', availability: ALWAYS }))
    const p = await h.api<Entry>('POST', '/api/v1/readiness/providers', {
      name: 'IT Schmidt', contactId: hotline, scope: 'Alle PCs und der Server', supports: ['ransomware', 'outage'], responseTimeHours: 2,
      contractReviewDate: '2027-06-30', standby: true, incidentResponse: true, notes: '',
    })
    expect(p.status).toBe(201)
    expect(await measure(h, 'ready.card')).toMatchObject({ status: 'ok' })
    expect(await orgAlerts()).toEqual([])
    const resolved = (await h.api<AlertList>('GET', '/api/v1/alerts?state=resolved')).body.alerts
    expect(resolved.map((a) => a.measureId)).toContain('ready.card')
    const v = await view(h)
    expect(v.gaps).toEqual([])
    expect(v.card.card.firstContact).toMatchObject({ name: 'Anna Becker', phone: '+49 30 1234567' })
    expect(v.card.reachable).toBe(true)
  })

  it('every change is in the audit log with the state before and after', async () => {
    const anna = await addContact(h, person('Anna Becker'))
    const r = await h.api<Entry>('PUT', `/api/v1/readiness/contacts/${anna}`, person('Anna Becker', { phone: '+49 30 7654321' }))
    expect(r.status).toBe(200)
    const log = (await h.api<AuditEntries>('GET', '/api/v1/audit?action=readiness.contacts')).body.entries
    expect(log.map((e) => e.action)).toEqual(['readiness.contacts.update', 'readiness.contacts.create'])
    expect(log[0]).toMatchObject({ actor: 'api-key:test', target: `contacts:${anna}`, before: { phone: '+49 30 1234567' }, after: { phone: '+49 30 7654321' } })
    // No second, generic entry for the same request.
    expect((await h.api<AuditEntries>('GET', '/api/v1/audit?action=put')).body.entries).toEqual([])
  })

  it('a contact still in a role cannot be deleted (409, says where); an unused one can', async () => {
    const anna = await addContact(h, person('Anna Becker'))
    const ben = await addContact(h, person('Ben Yilmaz'))
    const carl = await addContact(h, person('Carl'))
    await setRoles(h, anna, ben)
    const refused = await h.api<{ text: { de: string } }>('DELETE', `/api/v1/readiness/contacts/${ben}`)
    expect(refused.status).toBe(409)
    expect(refused.body.text.de).toContain('role:first-contact')
    expect((await h.api('DELETE', `/api/v1/readiness/contacts/${carl}`)).status).toBe(204)
  })
})

describe('who may, and bad input', () => {
  it('a viewer reads but cannot change anything; nothing is stored', async () => {
    await createUser(h.db, 'vera', 'viewer password 1', 'viewer')
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'vera', password: 'viewer password 1' } })
    const cookie = login.cookies.find((c) => c.name === 'lagebild_session')!
    const headers = { cookie: `lagebild_session=${cookie.value}`, 'x-csrf-token': login.json().csrfToken as string }
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/readiness', headers })).statusCode).toBe(200)
    for (const [method, url, payload] of [
      ['POST', '/api/v1/readiness/contacts', person('Eve')],
      ['PUT', '/api/v1/readiness/roles', { assignments: [] }],
      ['PUT', '/api/v1/readiness/company', { name: 'x' }],
      ['POST', '/api/v1/readiness/records/contacts/review', undefined],
      ['PUT', '/api/v1/readiness/network-plan', undefined],
    ] as const) expect((await h.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })).statusCode, `${method} ${url}`).toBe(403)
    expect((await h.api<{ entries: unknown[] }>('GET', '/api/v1/readiness/contacts')).body.entries).toEqual([])
    expect((await view(h)).empty).toBe(true)
  })

  it('overlapping windows, an end before the start, no way to call, an unknown contact, a future exercise: 400 with the reason in both languages', async () => {
    const cases: [string, string, object, string, string][] = [
      ['POST', '/api/v1/readiness/contacts', person('A', { availability: [{ day: 'tue', from: '08:00', to: '12:00' }, { day: 'tue', from: '11:00', to: '14:00' }] }), '/availability', 'überschneiden sich'],
      ['POST', '/api/v1/readiness/contacts', person('A', { availability: [{ day: 'mon', from: '18:00', to: '08:00' }] }), '/availability', 'Ende muss nach dem Beginn'],
      ['POST', '/api/v1/readiness/contacts', person('A', { phone: null }), '/phone', 'Telefonnummer oder eine E-Mail'],
      ['POST', '/api/v1/readiness/contacts', person('A', { timeZone: 'Mars/Olympus_Mons' }), '/timeZone', 'Unbekannte Zeitzone'],
      ['PUT', '/api/v1/readiness/roles', { assignments: [{ role: 'first-contact', holderId: 'nobody', deputyIds: [] }] }, '/assignments/0/holderId', 'Unbekannter Kontakt'],
      ['POST', '/api/v1/readiness/exercises', { date: '2099-01-01', scenario: 'ransomware', title: 'x', participants: [], lessons: '' }, '/date', 'in der Zukunft'],
    ]
    for (const [method, url, payload, path, de] of cases) {
      const r = await h.api<{ error: string; path: string; text: { de: string; en: string } }>(method as 'POST', url, payload)
      expect(r.status, url).toBe(400)
      expect(r.body).toMatchObject({ error: 'invalid-input', path })
      expect(r.body.text.de).toContain(de)
      expect(r.body.text.en.length).toBeGreaterThan(10)
    }
    // Schema errors too: a window at 08:10 (quarter hours only), a day that does not exist.
    expect((await h.api('POST', '/api/v1/readiness/contacts', person('A', { availability: [{ day: 'mon', from: '08:10', to: '09:00' }] }))).status).toBe(400)
    expect((await h.api('POST', '/api/v1/readiness/exercises', { date: '2026-02-30', scenario: 'ransomware', title: 'x', participants: [], lessons: '' })).status).toBe(400)
    expect((await h.api<{ entries: unknown[] }>('GET', '/api/v1/readiness/contacts')).body.entries).toEqual([])
    expect((await view(h)).records.every((r) => !r.recorded)).toBe(true)
    expect((await h.api<AuditEntries>('GET', '/api/v1/audit?action=readiness')).body.entries).toEqual([])
  })
})

describe('the network plan', () => {
  const upload = (body: Buffer, name = 'netzplan.png', type = 'application/octet-stream') =>
    h.app.inject({ method: 'PUT', url: `/api/v1/readiness/network-plan?name=${encodeURIComponent(name)}`, headers: { ...h.auth, 'content-type': type }, payload: body })

  it('a real image is kept with the type found in its content and downloaded as an attachment', async () => {
    const png = await QRCode.toBuffer('Netzplan', { type: 'png' })
    const r = await upload(png, '../../etc/Netzplan Büro.png')
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({ name: 'Netzplan Büro.png', mime: 'image/png', size: png.length })
    const file = await h.app.inject({ method: 'GET', url: '/api/v1/readiness/network-plan/file', headers: h.auth })
    expect(file.headers['content-type']).toBe('image/png')
    expect(file.headers['content-disposition']).toContain('attachment;')
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''Netzplan%20B%C3%BCro.png")
    expect(file.rawPayload.equals(png)).toBe(true)
    expect(await measure(h, 'base.inventory')).toMatchObject({ status: 'ok' })
  })

  it('a wrong type (by content, whatever it claims) and an oversized file are refused; nothing is stored', async () => {
    const html = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'plan.pdf', 'application/pdf')
    expect(html.statusCode).toBe(400)
    expect(html.json().text.de).toContain('nur PDF, PNG, JPEG oder WebP')
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0)
    const tooBig = await upload(big)
    expect(tooBig.statusCode).toBe(413)
    expect(tooBig.json().text.en).toContain('at most 10 MiB')
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/readiness/network-plan', headers: h.auth })).json()).toBeNull()
    expect((await view(h)).records.find((r) => r.kind === 'network-plan')!.recorded).toBe(false)
  })
})

describe('the emergency card', () => {
  it('is readable without signing in (unless turned off) and prints as a PDF with the numbers, rules and questions', async () => {
    const anna = await addContact(h, person('Anna Becker', { phone: '+49 30 1234567', mobile: '+49 171 555000' }))
    const ben = await addContact(h, person('Ben Yılmaz', { phone: '030 99 88 77' }))
    await setRoles(h, anna, ben)
    const open = await h.app.inject({ method: 'GET', url: '/api/v1/card' })
    expect(open.statusCode).toBe(200)
    expect(open.json()).toMatchObject({ firstContact: { name: 'Anna Becker', mobile: '+49 171 555000' }, deputies: [{ name: 'Ben Yılmaz' }] })
    const pdf = await h.app.inject({ method: 'GET', url: '/api/v1/card.pdf?lang=de' })
    expect(pdf.headers['content-type']).toBe('application/pdf')
    const text = pdfText(pdf.rawPayload)
    for (const s of ['Verhalten bei IT-Notfällen', 'Anna Becker', '+49 30 1234567', 'Ben Yılmaz', '030 99 88 77', 'Wer meldet?', 'Keine eigenen Gegenmaßnahmen', 'Nicht erreichbar'])
      expect(text).toContain(s)
    expect(pdfText((await h.app.inject({ method: 'GET', url: '/api/v1/card.pdf?lang=en' })).rawPayload)).toContain('What to do in an IT emergency')

    const company = (await view(h) as unknown as { company: object }).company
    expect((await h.api('PUT', '/api/v1/readiness/company', { ...company, cardPublic: false })).status).toBe(200)
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/card' })).statusCode).toBe(401)
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/card', headers: h.auth })).statusCode).toBe(200)
  })
})

describe('crown jewels', () => {
  it('a host named by a crown jewel becomes one: stricter thresholds, a higher alert severity; released, it is not', async () => {
    const a = h.enroll()
    h.store(a, firewallOff)
    const alert = async () => (await h.api<AlertList>('GET', '/api/v1/alerts?state=active')).body.alerts.find((x) => x.hostId === a.hostId)!
    expect((await alert()).severity).toBe('high')
    const j = await h.api<Entry>('POST', '/api/v1/readiness/crown-jewels', { name: 'Rechnungen', description: '', maxDowntimeHours: 24, hostIds: [a.hostId], services: [] })
    expect(j.status).toBe(201)
    const host = async () => (await h.api<{ host: { crownJewel: boolean } }>('GET', `/api/v1/hosts/${a.hostId}`)).body.host
    expect((await host()).crownJewel).toBe(true)
    expect((await alert()).severity).toBe('critical')
    const th = (await h.api<{ thresholds: { securityUpdateMaxHours: number; silentMaxMinutes: number } }>('PUT', `/api/v1/hosts/${a.hostId}`, {})).body.thresholds
    expect(th).toMatchObject({ securityUpdateMaxHours: 24, silentMaxMinutes: 30 })
    expect(await measure(h, 'prep.crown-jewels')).toMatchObject({ status: 'ok' })

    expect((await h.api('PUT', `/api/v1/readiness/crown-jewels/${j.body.id}`, { name: 'Rechnungen', description: '', maxDowntimeHours: 24, hostIds: [], services: ['DATEV'] })).status).toBe(200)
    expect((await host()).crownJewel).toBe(false)
    expect((await alert()).severity).toBe('high')
    // An unknown host is refused.
    expect((await h.api('POST', '/api/v1/readiness/crown-jewels', { name: 'X', description: '', maxDowntimeHours: 1, hostIds: ['nope'], services: [] })).status).toBe(400)
  })
})

describe('the system watching itself', () => {
  it('ready.status: once hosts report, nobody hears of deviations without a channel; adding one turns it ok at once', async () => {
    expect((await measure(h, 'ready.status')).status).toBe('not-recorded')
    h.store(h.enroll(), firewallOff)
    h.app.readiness.rejudge()
    expect(await measure(h, 'ready.status')).toMatchObject({ status: 'deviation', reason: { en: 'No alert channel set up: nobody hears about deviations.' } })
    const ch = await h.api('POST', '/api/v1/channels', { name: 'Hook', type: 'webhook', language: 'en', config: { url: 'http://127.0.0.1:9/hook', secret: 'a-long-shared-secret-1234' } })
    expect(ch.status).toBe(201)
    expect((await measure(h, 'ready.status')).status).toBe('ok')
    // prep.monitoring compares with the company's device count.
    const company = (await view(h) as unknown as { company: object }).company
    await h.api('PUT', '/api/v1/readiness/company', { ...company, deviceCount: 3 })
    expect(await measure(h, 'prep.monitoring')).toMatchObject({ status: 'deviation', reason: { en: 'Only 1 of 3 computers have an agent.' } })
  })
})

describe('reviews on the clock', () => {
  it('an overdue review opens alerts of the record\'s measure and of follow.docs; confirming it resolves them', async () => {
    const anna = await addContact(h, person('Anna', { availability: ALWAYS }))
    const ben = await addContact(h, person('Ben', { availability: ALWAYS }))
    await setRoles(h, anna, ben)
    expect(await measure(h, 'prep.roles')).toMatchObject({ status: 'ok' })
    expect((await h.api('PUT', '/api/v1/readiness/records/roles', { owner: 'Anna', reviewIntervalDays: 30 })).status).toBe(200)
    h.app.readiness.rejudge(hours(31 * 24))
    const alerts = (await orgAlerts()).map((a) => a.measureId).sort()
    expect(alerts).toEqual(['follow.docs', 'prep.roles'])
    expect((await orgAlerts()).find((a) => a.measureId === 'prep.roles')!.reason.en).toContain('Roles and deputies: review due since')
    // Confirmed as still current today: judged tomorrow, nothing is due.
    const r = await h.api<{ records: { kind: string; lastReviewedBy: string }[] }>('POST', '/api/v1/readiness/records/roles/review')
    expect(r.status).toBe(200)
    expect(r.body.records.find((x) => x.kind === 'roles')!.lastReviewedBy).toBe('api-key:test')
    h.app.readiness.rejudge(hours(24))
    expect(await orgAlerts()).toEqual([])
  })
})

describe('for the insurer, and every month', () => {
  it('the readiness report: every measure with status, evidence and date, hosts and records; CSV safe for spreadsheets, PDF with the server\'s name', async () => {
    const a = h.enroll()
    h.store(a, firewallOff)
    const company = (await view(h) as unknown as { company: object }).company
    await h.api('PUT', '/api/v1/readiness/company', { ...company, name: '=HYPERLINK("http://evil.example")' })
    const anna = await addContact(h, person('Anna Becker', { availability: ALWAYS }))
    await setRoles(h, anna, null)
    const csv = await h.app.inject({ method: 'GET', url: '/api/v1/readiness/report.csv?lang=en', headers: h.auth })
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="readiness-report-\d{4}-\d{2}-\d{2}\.csv"/)
    const lines = csv.body.split('\r\n')
    expect(lines[1]).toBe('Phase,Id,Measure,Part,Subject,Status,Severity,Evidence,Since,Owner,Last review,Due')
    expect(csv.body).toContain(',base.firewall,Firewall,host,pc-buchhaltung,deviation,high,Firewall off: Public.,')
    expect(csv.body).toContain(',prep.roles,Officers appointed,organisation,')
    expect(csv.body).toContain(',prep.roles,Officers appointed,record,Roles and deputies,kept,')
    // A company name that looks like a formula is written as text.
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`)
    const pdf = await h.app.inject({ method: 'GET', url: '/api/v1/readiness/report.pdf?lang=de', headers: h.auth })
    const text = pdfText(pdf.rawPayload)
    for (const s of ['Bereitschaftsbericht IT-Notfallmanagement', 'Server: lagebild.example', 'Bereitschaftsgrad', 'Firewall', 'pc-buchhaltung: Abweichung – Firewall aus: Public.', 'Aufzeichnungen: Rollen und Vertretungen – gepflegt', 'Verantwortliche benannt'])
      expect(text).toContain(s)
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/readiness/report.pdf' })).statusCode).toBe(401)
  })

  it('the monthly digest goes to the e-mail channels once a month: overdue records, deviations, changes, the score against a month ago', async () => {
    const smtp = await smtpSink()
    try {
      await h.api('POST', '/api/v1/channels', {
        name: 'IT per Mail', type: 'email', language: 'de',
        config: { host: '127.0.0.1', port: smtp.port, security: 'starttls', rejectUnauthorized: false, from: 'Lagebild <lagebild@example.com>', to: ['it@example.com'] },
      })
      // The digest goes out from 07:00 company time; UTC here keeps the test free of DST.
      const company = (await view(h) as unknown as { company: object }).company
      await h.api('PUT', '/api/v1/readiness/company', { ...company, timeZone: 'UTC' })
      const anna = await addContact(h, person('Anna Becker'))
      await setRoles(h, anna, null)
      await h.api('PUT', '/api/v1/readiness/records/contacts', { owner: 'Anna', reviewIntervalDays: 7 })
      // A month ago the score was lower.
      h.db.insert(scoreHistory).values({ day: hours(-30 * 24).toISOString().slice(0, 10), value: 1 }).run()
      // Ten days on: the contact list (weekly review) is overdue; no digest was sent this month yet.
      const later = hours(10 * 24)
      later.setUTCHours(9, 0, 0, 0)
      expect(digestDue(h.db, later)).toBe(true)
      expect(queueDigest(h.db, later, PUBLIC_URL, () => undefined)).toBe(1)
      await h.app.alerts.sender.deliver(later)
      // Once a month: not again this month, again from 07:00 (company time) on the first of the next.
      const sameMonth = new Date(Date.UTC(later.getUTCFullYear(), later.getUTCMonth(), 28, 9))
      const nextMonth = (hour: number) => new Date(Date.UTC(later.getUTCFullYear(), later.getUTCMonth() + 1, 1, hour))
      expect(digestDue(h.db, sameMonth)).toBe(false)
      expect(digestDue(h.db, nextMonth(6))).toBe(false)
      expect(digestDue(h.db, nextMonth(7))).toBe(true)
      const mail = await smtp.waitFor((m) => m.subject.startsWith('[Lagebild] Bereitschaft'))
      expect(mail.subject).toMatch(/^\[Lagebild\] Bereitschaft \d+ % \(\+\d+\) – 1 überfällig$/)
      expect(mail.text).toContain('(vor einem Monat 1 %)')
      expect(mail.text).toMatch(/Überfällig:\n {2}- Kontaktliste \(fällig seit \d\d\.\d\d\.\d{4}\) – Anna/)
      expect(mail.text).toContain('Verantwortliche benannt: Erstkontakt für IT-Notfälle (Anna Becker) hat keine Vertretung.')
      expect(mail.text).toMatch(/Änderungen der letzten 30 Tage:\n {2}- \d\d\.\d\d\.\d{4} api-key:test: readiness\./)
      expect(mail.text).toContain('Im Lagebild: https://lagebild.example/readiness')
    } finally {
      await smtp.close()
    }
  })
})

describe('for the incidents that come later', () => {
  it('the alerting chain, the providers for a scenario and the reporting clocks are at hand as plain service functions', async () => {
    const anna = await addContact(h, person('Anna Becker'))
    const hotline = await addContact(h, person('Hotline', { kind: 'it-provider', availability: ALWAYS }))
    const ir = await addContact(h, person('CERT-Dienst', { kind: 'incident-response', availability: ALWAYS }))
    const provider = (name: string, contactId: string, over: object) => ({
      name, contactId, scope: 'Alles', supports: ['outage'], responseTimeHours: 4, contractReviewDate: '2030-01-01', standby: false, incidentResponse: false, notes: '', ...over,
    })
    await h.api('POST', '/api/v1/readiness/providers', provider('IT Schmidt', hotline, { responseTimeHours: 1 }))
    await h.api('POST', '/api/v1/readiness/providers', provider('CERT GmbH', ir, { supports: [], incidentResponse: true, responseTimeHours: 8 }))
    const plan = (await h.api<{ defaults: { scenarios: object } }>('GET', '/api/v1/readiness/plan')).body.defaults
    expect((await h.api('PUT', '/api/v1/readiness/plan', { ...plan, alertingChain: [{ contactId: hotline, note: 'zuerst' }, { contactId: anna, note: '' }] })).status).toBe(200)
    await h.api('PUT', '/api/v1/readiness/reporting', { personalData: 'yes', nis2Sector: 'no', nis2Size: 'yes', kritis: 'no', bsiRegistered: false, insurerNoticeHours: 24 })
    expect(alertingChain(h.db).map((s) => [s.contact.name, s.note])).toEqual([['Hotline', 'zuerst'], ['Anna Becker', '']])
    expect(providersFor(h.db, 'ransomware').map((p) => p.name)).toEqual(['CERT GmbH'])
    expect(providersFor(h.db, 'outage').map((p) => [p.name, p.contact?.name])).toEqual([['CERT GmbH', 'CERT-Dienst'], ['IT Schmidt', 'Hotline']])
    expect(firstSteps(h.db, 'ransomware')!.en[0]).toContain('Disconnect affected computers')
    expect(obligations(h.db).clocks.map((c) => [c.id, c.hours])).toEqual([['gdpr-authority', 72], ['insurer', 24]])
  })
})

describe('the PDF font', () => {
  it('a font named in the environment must exist; without one a system font is found', () => {
    expect(() => pdfFontFromEnv({ LAGEBILD_PDF_FONT: '/nowhere/font.ttf' })).toThrow(/LAGEBILD_PDF_FONT=\/nowhere\/font.ttf: no such file/)
    expect(() => pdfFontFromEnv({ LAGEBILD_PDF_FONT_BOLD: '/x.ttf' })).toThrow(/LAGEBILD_PDF_FONT is not/)
    // This machine has Debian's DejaVu Sans (fonts-dejavu-core, in .ci/apt-packages.txt).
    expect(pdfFontFromEnv({})?.regular).toMatch(/DejaVuSans\.ttf$/)
  })
})
