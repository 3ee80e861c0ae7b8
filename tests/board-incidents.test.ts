// A ransomware drill on the board, in Debian's Chromium against the real server, from the first report to closing:
// a member of staff reports through the form behind the card's QR code (no account); the admin opens the incident
// from it; the alerting chain gets its message (real SMTP sink) and acknowledges by its link; the banner is on every
// page; steps with police and provider are ticked; evidence is requested and downloaded (its SHA-256 checked); the GDPR
// clock runs and its draft is filled in; the incident is contained and resolved; a follow-up task closes itself when
// the host reports the firewall on again; heightened monitoring runs; the lessons go into the exercise log and the
// emergency plan; the record is exported as PDF (checked with pdftotext); closed, the banner is gone.
// The host is a demo host reporting through the real report API; it answers the evidence request as its agent would
// (the real agent collecting on this machine is tests/incidents-agent.test.ts).
// LAGEBILD_SCREENSHOTS=1 (re)writes docs/screenshots/incident-*.png. Loopback only; everything stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { boardLogin, launchChromium, type Chromium } from './lib/browser.js'
import { ROOT, removeDir, startServer, tempDir, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, problems, sendReport, type DemoHost } from './lib/demo.js'
import { smtpSink } from '../packages/server/test/sinks.js'

const PASSWORD = 'correct horse battery'
const SHOTS = process.env.LAGEBILD_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : null
const LAPTOP = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }

let server: RealServer
let browser: Chromium
let page: Page
let host: DemoHost
let apiKey: string
let smtp: Awaited<ReturnType<typeof smtpSink>>
let incidentUrl = ''
const scratch = tempDir('lagebild-incident-ui-')

async function shot(name: string, p: Page = page, phone = false) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await p.evaluate('window.scrollTo(0, 0)')
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
  if (phone) {
    await p.setViewportSize(PHONE)
    await p.evaluate('window.scrollTo(0, 0)')
    await p.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true })
    await p.setViewportSize(LAPTOP)
  }
}

async function api<T>(method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

const contact = (name: string, phone: string, email: string | null = null) => ({
  kind: 'person', name, organisation: 'Muster GmbH', function: 'IT', phone, mobile: null, email, timeZone: null,
  availability: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, from: '00:00', to: '24:00' })), notes: '',
})

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'drill', '--json'])) as { key: string }).key
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--json'])) as { token: string }
  host = await enrollHost(server.url, token, identity('pc-buchhaltung', 'windows'))
  await sendReport(server.url, host, { ...goodFacts('windows'), ...problems.firewallOff() })
  smtp = await smtpSink()
  await api('POST', '/channels', { name: 'IT-Mail', type: 'email', language: 'de', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'lagebild@muster.example', to: ['it@muster.example'] } })
  // The readiness records a company keeps before an emergency (docs/readiness.md).
  const anna = (await api<{ id: string }>('POST', '/readiness/contacts', contact('Anna Becker', '+49 30 1234567', 'anna@muster.example'))).id
  const ben = (await api<{ id: string }>('POST', '/readiness/contacts', contact('Ben Yilmaz', '030 99 88 77'))).id
  const it = (await api<{ id: string }>('POST', '/readiness/contacts', { ...contact('Hotline SecureIT', '030 555 0100'), kind: 'incident-response' })).id
  await api('PUT', '/readiness/roles', { assignments: [{ role: 'first-contact', holderId: anna, deputyIds: [ben] }] })
  const plan = await api<{ defaults: { scenarios: object } }>('GET', '/readiness/plan')
  await api('PUT', '/readiness/plan', { alertingChain: [{ contactId: anna, note: 'Erstkontakt' }, { contactId: ben, note: 'Geschäftsführung' }], scenarios: plan.defaults.scenarios })
  await api('POST', '/readiness/providers', { name: 'SecureIT GmbH', contactId: it, scope: 'Vorfallsbehandlung, Forensik', supports: ['ransomware'], responseTimeHours: 2, contractReviewDate: '2027-06-30', standby: true, incidentResponse: true, notes: '' })
  await api('PUT', '/readiness/company', { name: 'Muster GmbH', federalState: 'BE', timeZone: 'Europe/Berlin', staffCount: 12, deviceCount: 1, requiredCoverage: [], cardPublic: true })
  await api('PUT', '/readiness/reporting', { personalData: 'yes', nis2Sector: 'no', nis2Size: 'no', kritis: 'no', bsiRegistered: false, insurerNoticeHours: null })
  browser = await launchChromium({ locale: 'de-DE', viewport: LAPTOP })
  page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage())
  page.setDefaultTimeout(20_000)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await smtp?.close()
  await server?.stop()
  removeDir(scratch)
  if (server) removeDir(server.dataDir)
})

describe('a ransomware drill from the first report to closing', () => {
  it('staff report through the form behind the card\'s QR code, without an account', async () => {
    const guest = await browser.ctx.browser()!.newContext({ locale: 'de-DE', viewport: PHONE })
    const p = await guest.newPage()
    await p.goto(`${server.url}/report`)
    await p.getByRole('heading', { name: 'IT-Notfall melden' }).waitFor()
    await p.getByRole('button', { name: 'Meldung absenden' }).click()
    await p.getByText('Bitte ausfüllen: Wer meldet? (Name)').waitFor()
    await p.getByLabel('Wer meldet? (Name)').fill('Clara Schulz')
    await p.getByLabel('Telefon für Rückfragen').fill('0171 2345678')
    await p.getByLabel('Welches Gerät oder System ist betroffen?').fill('pc-buchhaltung')
    await p.getByLabel('Was haben Sie beobachtet, was haben Sie gerade getan?').fill('Alle Dateien heißen plötzlich .locked, auf dem Bildschirm steht eine Lösegeldforderung.')
    await p.getByLabel('Wann ist es passiert?').fill('gerade eben, 8:40')
    await p.getByLabel('Wo steht das Gerät? (Gebäude, Raum, Arbeitsplatz)').fill('Büro 2.14')
    if (SHOTS) await p.screenshot({ path: join(SHOTS, 'incident-report-form-phone.png'), fullPage: true })
    await p.getByRole('button', { name: 'Meldung absenden' }).click()
    const done = p.locator('.report-done')
    await done.waitFor()
    expect(await done.getAttribute('data-receipt')).toMatch(/^M-/)
    await p.getByText('Bitte rufen Sie zusätzlich den Erstkontakt').waitFor()
    await guest.close()
    // The channels heard about it; it opened nothing by itself.
    await smtp.waitFor((m) => m.subject.includes('Neue Meldung über das Webformular'), 20_000)
    expect((await api<{ incidents: unknown[] }>('GET', '/incidents')).incidents).toHaveLength(0)
  })

  it('the admin opens a drill from the report; the chain gets its message; the banner is on every page', async () => {
    await boardLogin(page, server.url, 'admin', PASSWORD)
    await page.locator('.incident-banner').getByText('1 Meldung wartet auf Prüfung').click()
    await page.getByRole('heading', { name: 'Notfälle', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Notfall daraus eröffnen' }).click()
    const form = page.locator('form.open-incident')
    await form.getByLabel('Was ist passiert?').fill('Ransomware auf pc-buchhaltung')
    await form.getByLabel('Szenario').selectOption('ransomware')
    await form.getByLabel('Schweregrad').selectOption('critical')
    await form.getByLabel('Übung (alles läuft wie im Ernstfall').check()
    await form.getByRole('button', { name: 'Eröffnen und alarmieren' }).click()
    await page.locator('[data-incident][data-state="open"]').waitFor()
    incidentUrl = page.url()
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^INC-\d{4}-001: Ransomware auf pc-buchhaltung/)
    const banner = page.locator('.incident-banner')
    await banner.getByText('NOTFALLÜBUNG').waitFor()
    expect(await banner.getAttribute('data-banner')).toBe('hot')
    await page.locator('[data-clock="gdpr-authority"][data-state="running"]').waitFor()
    await page.locator('#reports').getByText('Clara Schulz').waitFor()
    // The alerting chain's message, with a personal link each.
    const mail = await smtp.waitFor((m) => m.subject.includes('IT-NOTFALL'), 20_000)
    expect(mail.subject).toContain('[ÜBUNG]')
    expect(mail.text).toContain('Dies ist eine ÜBUNG')
    const link = /Anna Becker.*?: (http\S+\/ack\/\S+)/.exec(mail.text)![1]!
    // Anna confirms on her phone (no account).
    const phone = await browser.ctx.browser()!.newContext({ locale: 'de-DE', viewport: PHONE })
    const p = await phone.newPage()
    await p.goto(link)
    await p.getByRole('button', { name: 'Erhalten – ich kümmere mich' }).click()
    await p.locator('[data-acknowledged="1"]').waitFor()
    if (SHOTS) await p.screenshot({ path: join(SHOTS, 'incident-ack-phone.png'), fullPage: true })
    await phone.close()
    await page.locator('#chain [data-contact="Anna Becker"][data-acknowledged="1"]').waitFor()
    await page.locator('#chain [data-contact="Ben Yilmaz"]').getByRole('button', { name: 'Erreicht (Telefon)' }).click()
    await page.locator('#chain [data-contact="Ben Yilmaz"][data-acknowledged="1"]').waitFor()
    // Every page of the board says it.
    await page.goto(server.url + '/hosts')
    await page.locator('.incident-banner').getByText('NOTFALLÜBUNG').waitFor()
    await page.goto(server.url + '/')
    await page.locator('.overview-incidents [data-incident]').waitFor()
    await shot('incident-overview-banner')
  })

  it('affected host, steps with police and provider, timeline entries and a correction', async () => {
    await page.goto(incidentUrl)
    await page.locator('[data-incident]').waitFor()
    await page.getByRole('button', { name: 'Bearbeiten' }).click()
    await page.getByLabel('pc-buchhaltung').check()
    await page.getByRole('button', { name: 'Speichern' }).first().click()
    await page.locator('.host-chips').getByText('pc-buchhaltung').waitFor()
    const provider = page.locator('#steps [data-step="provider"]')
    await provider.getByText('030 555 0100').waitFor()
    await provider.getByPlaceholder('Wer erreicht').fill('SecureIT kommt um 11 Uhr')
    await provider.getByRole('button', { name: 'Erledigt' }).click()
    await page.locator('#steps [data-step="provider"][data-outcome="done"]').waitFor()
    const police = page.locator('#steps [data-step="police"]')
    await police.getByText('030 4664-924924').waitFor()
    await police.getByPlaceholder('Wer erreicht').fill('ZAC Berlin, Az. 123/26')
    await police.getByRole('button', { name: 'Erledigt' }).click()
    await page.locator('#steps [data-step="police"][data-outcome="done"]').waitFor()
    const acs = page.locator('#steps [data-step="acs"]')
    await acs.getByRole('button', { name: 'Nicht nötig' }).click()
    await acs.locator('.field-error, [role="alert"]').first().waitFor()
    await acs.getByPlaceholder('Wer erreicht').fill('Übung: keine Meldung')
    await acs.getByRole('button', { name: 'Nicht nötig' }).click()
    await page.locator('#steps [data-step="acs"][data-outcome="not-needed"]').waitFor()
    const tl = page.locator('#timeline')
    await tl.getByLabel('Art').selectOption('call')
    await tl.getByLabel('Eintrag').fill('SecureIT angerufen, Techniker kommt um 10 Uhr.')
    await tl.getByRole('button', { name: 'Eintragen' }).click()
    await tl.locator('[data-kind="call"]').first().waitFor()
    await tl.locator('[data-kind="call"]').first().getByRole('button', { name: 'Berichtigen' }).click()
    await tl.getByLabel('Eintrag').fill('Berichtigung: Techniker kommt um 11 Uhr.')
    await tl.getByRole('button', { name: 'Berichtigen' }).first().click()
    await tl.locator('.tl-corrected').first().waitFor()
    await tl.getByLabel('Art').selectOption('decision')
    await tl.getByLabel('Eintrag').fill('Kein Lösegeld zahlen; Wiederherstellung aus der Sicherung vom Vortag.')
    await tl.getByRole('button', { name: 'Eintragen' }).click()
    await tl.locator('[data-kind="decision"]').waitFor()
    await tl.locator('[data-integrity="ok"]').waitFor()
  })

  it('evidence is requested, arrives with SHA-256, and a download is recorded', async () => {
    const ev = page.locator('#evidence')
    await ev.getByLabel('Protokolle der letzten Stunden').fill('24')
    await ev.getByRole('button', { name: 'Spuren sichern lassen' }).click()
    await ev.locator('[data-request-state="pending"]').waitFor()
    // The host's agent answers (as tests/incidents-agent.test.ts shows the real one doing on this machine).
    const d = await api<{ evidence: { requests: { id: string }[] } }>('GET', `/incidents/${incidentUrl.split('/').at(-1)}`)
    const requestId = d.evidence.requests[0]!.id
    const files: Record<string, string> = {
      processes: '# Lagebild evidence: processes\n  PID  PPID USER     COMMAND\n 4242     1 clara    C:\\Users\\clara\\AppData\\Local\\Temp\\svch0st.exe\n',
      'listening-sockets': '# Lagebild evidence: listening-sockets\n[{"protocol":"tcp","address":"0.0.0.0","port":4444,"pid":4242}]\n',
    }
    for (const [item, text] of Object.entries(files)) {
      const body = Buffer.from(text)
      const res = await fetch(`${server.url}/api/v1/evidence/${requestId}/items/${item}`, {
        method: 'PUT', body,
        headers: { authorization: host.auth, 'content-type': 'application/octet-stream', 'x-lagebild-sha256': createHash('sha256').update(body).digest('hex'), 'x-lagebild-collected-at': new Date().toISOString(), 'x-lagebild-truncated': '0', 'x-lagebild-source': 'powershell.exe%20evidence.ps1' },
      })
      expect(res.status).toBe(201)
    }
    await fetch(`${server.url}/api/v1/evidence/${requestId}/done`, { method: 'POST', headers: { authorization: host.auth, 'content-type': 'application/json' }, body: JSON.stringify({ results: [] }) })
    await ev.locator('[data-request-state="partial"]').waitFor()
    const row = ev.locator('tr[data-item="processes"]')
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link').click()])
    const file = join(scratch, 'processes.txt')
    await download.saveAs(file)
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(await row.locator('code.hash').getAttribute('title'))
    await ev.locator('tr[data-item="processes"] td.num').last().filter({ hasText: '1' }).waitFor()
  })

  it('the GDPR clock: its draft is filled from the incident; it is marked reported', async () => {
    const clock = page.locator('[data-clock="gdpr-authority"]')
    await clock.getByRole('button', { name: 'Entwurf DE' }).click()
    const draft = clock.locator('textarea[data-draft="gdpr-authority"]')
    await draft.waitFor()
    const text = await draft.inputValue()
    expect(text).toContain('Muster GmbH')
    expect(text).toContain('ÜBUNG – NICHT ABSENDEN')
    expect(text).toContain('SecureIT kommt um 11 Uhr')
    expect(text).toContain('Kategorien und ungefähre Zahl der betroffenen Personen:\n  [… bitte ergänzen]')
    await shot('incident-drill')
    await clock.getByLabel('Aktenzeichen, Empfänger oder Begründung').fill('Übung: Meldung an die Berliner Beauftragte geprobt, nicht gesendet')
    await clock.getByRole('button', { name: 'Als gemeldet markieren' }).click()
    await page.locator('[data-clock="gdpr-authority"][data-state="done"]').waitFor()
  })

  it('contained, resolved; a follow-up task closes itself when the host reports the firewall on again; heightened monitoring', async () => {
    await page.getByRole('button', { name: '→ eingedämmt' }).click()
    await page.locator('[data-incident][data-state="contained"]').waitFor()
    await page.getByRole('button', { name: '→ behoben' }).click()
    await page.locator('[data-incident][data-state="resolved"]').waitFor()
    // The banner turns from red to amber: follow-up.
    await page.locator('.incident-banner[data-banner="follow"]').waitFor()
    const tasks = page.locator('#tasks')
    await tasks.getByLabel('Aufgabe').fill('Firewall auf pc-buchhaltung wieder einschalten')
    await tasks.getByLabel('Verantwortlich').fill('Ben Yilmaz')
    await tasks.getByLabel('pc-buchhaltung: Firewall').check()
    await tasks.getByRole('button', { name: 'Aufgabe anlegen' }).click()
    await tasks.locator('[data-state="open"]').waitFor()
    await sendReport(server.url, host, goodFacts('windows'))
    await tasks.locator('[data-state="done"]').waitFor()
    await tasks.getByText('von selbst (Rechner in Ordnung)').waitFor()
    const watch = page.locator('#watch')
    await watch.getByRole('button', { name: 'Verstärkt überwachen' }).click()
    await watch.locator('[data-watch="pc-buchhaltung"][data-active="1"]').waitFor()
  })

  it('lessons learned update the exercise log and the emergency plan', async () => {
    const l = page.locator('#lessons')
    await l.getByLabel('Was geschah (Ursache)').fill('Ein Anhang in einer Rechnungs-Mail startete Schadcode.')
    await l.getByLabel('Was lief gut').fill('Alarmierung in 5 Minuten; Sicherung vom Vortag war unversehrt.')
    await l.getByLabel('Was muss besser werden').fill('NAS früher vom Netz trennen.')
    await l.getByLabel('Teilnehmende der Nachbesprechung (eine Person je Zeile)').fill('Anna Becker\nBen Yilmaz')
    await l.getByRole('button', { name: '+ Maßnahme' }).click()
    await l.locator('select[name="action-kind"]').selectOption('exercise')
    await l.getByLabel('Beschreibung').fill('Übung festhalten')
    await l.getByRole('button', { name: '+ Maßnahme' }).click()
    await l.locator('select[name="action-kind"]').nth(1).selectOption('plan-step')
    await l.getByLabel('Beschreibung').nth(1).fill('NAS trennen')
    await l.locator('select[name="action-scenario"]').selectOption('ransomware')
    await l.getByLabel('Schritt (deutsch)').fill('NAS sofort vom Netz trennen.')
    await l.getByLabel('Schritt (englisch)').fill('Disconnect the NAS at once.')
    await l.getByRole('button', { name: 'Speichern' }).click()
    await l.locator('[data-action="exercise"]').waitFor()
    await l.locator('[data-action="exercise"]').getByRole('button', { name: 'Umsetzen' }).click()
    await l.locator('[data-action="exercise"][data-done="1"]').waitFor()
    await l.locator('[data-action="plan-step"]').getByRole('button', { name: 'Umsetzen' }).click()
    await l.locator('[data-action="plan-step"][data-done="1"]').waitFor()
    const ex = await api<{ entries: { title: string }[] }>('GET', '/readiness/exercises')
    expect(ex.entries[0]!.title).toContain('Ransomware auf pc-buchhaltung')
    const plan = await api<{ data: { scenarios: { ransomware: { de: string } } } }>('GET', '/readiness/plan')
    expect(plan.data.scenarios.ransomware.de).toContain('NAS sofort vom Netz trennen.')
  })

  it('the record as PDF an insurer would accept, then closed: the banner is gone', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF DE' }).click()])
    const file = join(scratch, 'incident.pdf')
    await download.saveAs(file)
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    for (const s of ['Notfallprotokoll INC-', 'ÜBUNG', 'Muster GmbH', 'Zeitleiste (Hash-Kette) intakt', 'Alarmierungskette', 'Anna Becker', 'bestätigt',
      'ZAC Berlin, Az. 123/26', 'DSGVO Art. 33', 'Gesicherte Beweise', 'SHA-256', 'Zugriffe: 1', 'Firewall auf pc-buchhaltung wieder einschalten', 'Kein Lösegeld zahlen', 'berichtigt Eintrag', 'Hash des letzten Eintrags'])
      expect(text, s).toContain(s)
    await page.getByRole('button', { name: '→ abgeschlossen' }).click()
    await page.locator('[data-incident][data-state="closed"]').waitFor()
    await page.locator('.incident-banner').waitFor({ state: 'detached' })
    await shot('incident-closed')
    await page.goto(server.url + '/incidents')
    await page.locator('[data-incident]').first().waitFor()
    await shot('incidents')
    // The same in English.
    await page.locator('.lang button[lang="en"]').click()
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor()
    await page.locator('[data-incident] .inc-state').getByText('closed').waitFor()
    await page.goto(incidentUrl)
    await page.getByRole('heading', { name: 'Reporting deadlines' }).waitFor()
    await page.getByText('Unchanged:').waitFor()
  })
})
