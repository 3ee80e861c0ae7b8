// Emergency readiness on the board, in Debian's Chromium against the real server: a fresh company sees first steps;
// filling in the first contact turns ready.card green live on an open overview; the card prints and downloads as a PDF
// (checked with pdftotext); then everything the guide asks for is recorded through the forms — no "done" button
// anywhere — until the readiness score is 100 %. The one host is a demo host that reports well-kept facts through the
// real report API: this test machine's own agent would (honestly) fail several technical measures.
// LAGEBILD_SCREENSHOTS=1 (re)writes docs/screenshots/readiness-*.png and card.png. Loopback only; everything stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { boardLogin, launchChromium, type Chromium } from './lib/browser.js'
import { ROOT, removeDir, startServer, tempDir, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, sendReport, type DemoHost } from './lib/demo.js'

const PASSWORD = 'correct horse battery'
const SHOTS = process.env.LAGEBILD_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : null
const PHONE = { width: 390, height: 844 }
const LAPTOP = { width: 1366, height: 900 }
// A real 1×1 PNG (the network plan's type is checked by content).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

let server: RealServer
let browser: Chromium
let page: Page
let host: DemoHost
let hook: Server
let hookUrl: string
const scratch = tempDir('lagebild-readiness-ui-')

async function shot(name: string, p: Page = page) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  // From the top: a full-page shot of a scrolled page would paint the sticky header in the middle.
  await p.evaluate('window.scrollTo(0, 0)')
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
  await p.setViewportSize(PHONE)
  await p.evaluate('window.scrollTo(0, 0)')
  await p.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true })
  await p.setViewportSize(LAPTOP)
}

/** The light of a measure on the overview. */
const light = (p: Page, id: string) => p.locator(`.measures li[data-measure="${id}"]`)
const strip = (id: string) => page.locator(`.measure-strip li[data-measure="${id}"]`)

async function go(path: string, heading: RegExp | string) {
  await page.goto(server.url + path)
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
}

/** Saves the form in `scope` and waits for its confirmation. */
async function save(scope: ReturnType<Page['locator']>, button = 'Speichern') {
  await scope.getByRole('button', { name: button }).click()
  await scope.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor()
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--json'])) as { token: string }
  host = await enrollHost(server.url, token, identity('pc-buchhaltung', 'linux'))
  await sendReport(server.url, host, goodFacts('linux'))
  hook = createServer((req, res) => void req.resume().on('end', () => res.writeHead(204).end()))
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/lagebild`
  browser = await launchChromium({ locale: 'de-DE', viewport: LAPTOP })
  page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage())
  page.setDefaultTimeout(20_000)
  await boardLogin(page, server.url, 'admin', PASSWORD)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (hook) await new Promise((r) => hook.close(r))
  if (server) removeDir(server.dataDir)
  removeDir(scratch)
})

describe('emergency readiness on the board', () => {
  it('a company that recorded nothing sees the first steps, not rows of grey measures', async () => {
    const steps = page.locator('#first-steps li')
    await steps.first().waitFor()
    expect(await steps.count()).toBe(6)
    expect(await steps.first().textContent()).toContain('Erstkontakt und Vertretung eintragen')
    // The technical measures are there; the organisational ones wait for the first steps.
    await light(page, 'base.firewall').waitFor()
    expect(await light(page, 'prep.roles').count()).toBe(0)
    expect(await page.locator('.phase').first().textContent()).toContain('Die organisatorischen Maßnahmen erscheinen hier')
    await shot('readiness-first-steps')
  })

  it('entering the first contact turns ready.card green on an open overview, live', async () => {
    const overview = await browser.ctx.newPage()
    await overview.goto(server.url + '/')
    await overview.locator('#first-steps').waitFor()
    // The form tab in front: a background tab gets no animation frames, and every action on it would wait for them.
    await page.bringToFront()

    await go('/readiness/people', 'Personen')
    const contacts = page.locator('#contacts')
    for (const [name, phone, always] of [['Anna Becker', '+49 30 1234567', true], ['Ben Yilmaz', '030 99 88 77', false]] as const) {
      await contacts.getByRole('button', { name: '+ Hinzufügen' }).click()
      const form = contacts.locator('form.contact-form')
      await form.getByLabel('Name', { exact: true }).fill(name)
      await form.getByLabel('Funktion').fill('Geschäftsführung')
      await form.getByLabel('Telefon').fill(phone)
      await form.getByRole('button', { name: always ? 'Rund um die Uhr' : 'Mo–Fr 08–18 Uhr' }).click()
      await form.getByRole('button', { name: 'Speichern' }).click()
      await contacts.locator(`li[data-entry="${name}"]`).waitFor()
    }
    // A window that ends before it starts is said while typing, and refused.
    await contacts.getByRole('button', { name: '+ Hinzufügen' }).click()
    const bad = contacts.locator('form.contact-form')
    await bad.getByLabel('Name', { exact: true }).fill('Carla')
    await bad.getByLabel('Telefon').fill('030 1')
    await bad.getByRole('button', { name: 'Zeitfenster hinzufügen' }).click()
    await bad.getByLabel('von').selectOption('18:00')
    await bad.getByLabel('bis').selectOption('08:00')
    await bad.locator('.field-error').filter({ hasText: 'das Ende muss nach dem Beginn liegen' }).waitFor()
    await bad.getByRole('button', { name: 'Speichern' }).click()
    await bad.getByRole('alert').filter({ hasText: 'das Ende muss nach dem Beginn liegen' }).first().waitFor()
    await bad.getByRole('button', { name: 'Abbrechen' }).click()
    expect(await contacts.locator('li[data-entry="Carla"]').count()).toBe(0)

    const roles = page.locator('form.roles-form')
    for (const role of ['first-contact', 'security-officer', 'emergency-manager']) {
      await roles.locator(`select[name="${role}-holder"]`).selectOption({ label: 'Anna Becker (Geschäftsführung)' })
      await roles.locator(`select[name="${role}-deputy-1"]`).selectOption({ label: 'Ben Yilmaz (Geschäftsführung)' })
    }
    await save(roles)
    // Anna is reachable around the clock: no gap; the overview turns green without a reload.
    await strip('ready.card').and(page.locator('[data-state="ok"]')).waitFor()
    await light(overview, 'ready.card').and(overview.locator('[data-state="ok"]')).waitFor()
    expect(await page.locator('[data-coverage-gaps]').getAttribute('data-coverage-gaps')).toBe('0')
    await shot('readiness-people')
    await overview.close()
  })

  it('prints the card page and downloads it as a PDF with the numbers, the rules and the questions', async () => {
    await go('/card', 'IT-Notfallkarte')
    await page.locator('.emergency-card .card-phone').first().waitFor()
    expect(await page.locator('.emergency-card').textContent()).toContain('+49 30 1234567')
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.top').isVisible()).toBe(false)
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'card.png'), fullPage: true })
    await page.emulateMedia({ media: 'screen' })
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF (DE)' }).click()])
    const file = join(scratch, 'card.pdf')
    await download.saveAs(file)
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    for (const s of ['Verhalten bei IT-Notfällen', 'Anna Becker', '+49 30 1234567', 'Ben Yilmaz', 'Wer meldet?', 'Keine eigenen Gegenmaßnahmen'])
      expect(text).toContain(s)
  })

  it('the company, a provider on standby, the plan and the communication rules are recorded through their forms', async () => {
    await go('/readiness', 'Notfallbereitschaft')
    const company = page.locator('#company form')
    await company.getByLabel('Name des Unternehmens').fill('Muster GmbH')
    await company.getByLabel('Bundesland (für die zuständige Polizei-ZAC)').selectOption('BE')
    await company.getByLabel('Beschäftigte (für den Anteil Geschulter)').fill('3')
    await company.getByLabel('Rechner im Unternehmen (für die Abdeckung mit Agenten)').fill('1')
    await save(company)
    await strip('prep.monitoring').and(page.locator('[data-state="ok"]')).waitFor()

    await go('/readiness/people', 'Personen')
    const contacts = page.locator('#contacts')
    await contacts.getByRole('button', { name: '+ Hinzufügen' }).click()
    const hotline = contacts.locator('form.contact-form')
    await hotline.getByLabel('Art').selectOption('it-provider')
    await hotline.getByLabel('Name', { exact: true }).fill('IT Schmidt Hotline')
    await hotline.getByLabel('Telefon').fill('0800 123456')
    await hotline.getByRole('button', { name: 'Rund um die Uhr' }).click()
    await hotline.getByRole('button', { name: 'Speichern' }).click()
    await contacts.locator('li[data-entry="IT Schmidt Hotline"]').waitFor()

    await go('/readiness/providers', 'IT-Dienstleister')
    await page.getByRole('button', { name: '+ Hinzufügen' }).click()
    const p = page.locator('.entry-list form')
    await p.getByLabel('Name', { exact: true }).fill('IT Schmidt')
    await p.getByLabel('Rufnummer (Kontakt)').selectOption({ label: 'IT Schmidt Hotline – 0800 123456' })
    await p.getByLabel('Vereinbarte Reaktionszeit (Stunden)').fill('2')
    await p.getByLabel('Vertrag überprüfen am').fill('2030-06-30')
    await p.getByLabel('Wobei unterstützen sie? (Systeme, Dienste)').fill('Alle PCs, der Server und das Netz')
    await p.getByLabel('Ransomware / Verschlüsselung').check()
    await p.getByLabel('Ausfall von Systemen').check()
    await p.getByLabel(/In Bereitschaft für Notfälle/).check()
    await p.getByLabel('Dienstleister für Vorfallsbehandlung (Incident Response)').check()
    await p.getByRole('button', { name: 'Speichern' }).click()
    await strip('prep.more-providers').and(page.locator('[data-state="ok"]')).waitFor()
    await strip('prep.providers').and(page.locator('[data-state="ok"]')).waitFor()
    await shot('readiness-providers')

    await go('/readiness/plan', 'Notfallplan')
    const plan = page.locator('#plan form')
    expect(await plan.textContent()).toContain('Noch nicht gespeichert')
    await plan.getByRole('button', { name: '+ Stufe hinzufügen' }).click()
    await plan.getByRole('button', { name: '+ Stufe hinzufügen' }).click()
    await plan.getByLabel('Alarmierungskette 1').selectOption({ label: 'Anna Becker' })
    await plan.getByLabel('Alarmierungskette 2').selectOption({ label: 'IT Schmidt Hotline' })
    expect(await plan.getByLabel('Deutsch').first().inputValue()).toContain('vom Netz trennen')
    await save(plan)
    const comm = page.locator('#communication form')
    await comm.getByLabel('Sprecher/in für Presse und Öffentlichkeit').selectOption({ label: 'Anna Becker' })
    await save(comm)
    await strip('prep.first-response').and(page.locator('[data-state="ok"]')).waitFor()
    await strip('prep.communication').and(page.locator('[data-state="ok"]')).waitFor()
    await shot('readiness-plan')
  })

  it('crown jewels, the logs, the technical records and the reporting duties too', async () => {
    await go('/readiness/crown-jewels', 'Kronjuwelen')
    await page.getByRole('button', { name: '+ Hinzufügen' }).click()
    const cj = page.locator('.entry-list form')
    await cj.getByLabel('Geschäftsprozess').fill('Buchhaltung')
    await cj.getByLabel('Längste tolerierbare Ausfallzeit (Stunden)').fill('24')
    await cj.getByLabel('pc-buchhaltung').check()
    await cj.getByRole('button', { name: 'Speichern' }).click()
    await strip('prep.crown-jewels').and(page.locator('[data-state="ok"]')).waitFor()
    await shot('readiness-crown-jewels')

    await go('/readiness/logs', 'Protokolle')
    const add = async (id: string, fill: (f: ReturnType<Page['locator']>) => Promise<void>) => {
      const card = page.locator(`#${id}`)
      await card.getByRole('button', { name: '+ Hinzufügen' }).click()
      await fill(card.locator('form'))
      await card.locator('form').getByRole('button', { name: 'Speichern' }).click()
      await card.locator('li[data-entry]').first().waitFor()
    }
    await add('exercises', async (f) => {
      await f.getByLabel('Was wurde geübt?').fill('Planspiel Ransomware')
      await f.getByLabel('Teilnehmende (eine Person je Zeile)').fill('Anna Becker\nBen Yilmaz')
    })
    await add('pentests', async (f) => void (await f.getByLabel('Prüfer').fill('Pentest AG')))
    await add('trainings', async (f) => {
      await f.getByLabel('Thema').fill('Phishing erkennen')
      await f.getByLabel('Teilnehmende (eine Person je Zeile)').fill('Anna Becker\nBen Yilmaz\nCem Kaya')
    })
    await add('restore-tests', async (f) => expect(await f.getByLabel('Sicherungsquelle').inputValue()).toBe('restic sftp:nas:/srv/restic'))
    for (const m of ['prep.exercises', 'prep.pentest', 'prep.training', 'base.backups']) await strip(m).and(page.locator('[data-state="ok"]')).waitFor()
    await shot('readiness-logs')

    await go('/readiness/technical', 'Technik')
    await add('two-factor', async (f) => void (await f.getByLabel('Dienst', { exact: true }).fill('Microsoft 365')))
    const planCard = page.locator('#network-plan')
    await planCard.locator('input[type="file"]').setInputFiles({ name: 'netzplan.png', mimeType: 'image/png', buffer: PNG })
    await save(planCard, 'Hochladen')
    await planCard.locator('[data-plan="netzplan.png"]').waitFor()
    const seg = page.locator('#segmentation form')
    await seg.getByLabel('Zone', { exact: true }).fill('Büro')
    await seg.getByRole('button', { name: '+ Zone hinzufügen' }).click()
    await seg.getByLabel('Zone', { exact: true }).nth(1).fill('Gäste-WLAN')
    await save(seg)
    for (const m of ['base.passwords', 'base.inventory', 'base.segmentation']) await strip(m).and(page.locator('[data-state="ok"]')).waitFor()
    await shot('readiness-technical')

    await go('/readiness/reporting', 'Meldepflichten')
    const rep = page.locator('#reporting form')
    await rep.getByLabel(/NIS2-Richtlinie/).selectOption('no')
    await rep.getByLabel(/Mindestens 50 Beschäftigte/).selectOption('no')
    await save(rep)
    await page.locator('#clocks [data-clocks="gdpr-authority"]').waitFor()
    const auth = page.locator('#authorities')
    await auth.getByRole('button', { name: '+ ZAC Berlin als Kontakt anlegen' }).click()
    expect(await auth.getByLabel('Telefon').inputValue()).toBe('030 4664-924924')
    await auth.getByRole('button', { name: 'Speichern' }).click()
    await auth.locator('.entries li').first().waitFor()
    await auth.getByRole('button', { name: '+ Datenschutzaufsicht als Kontakt anlegen' }).click()
    await auth.getByLabel('Name', { exact: true }).fill('Berliner Beauftragte für Datenschutz und Informationsfreiheit')
    await auth.getByLabel('E-Mail').fill('mailbox@datenschutz-berlin.de')
    await auth.getByRole('button', { name: 'Speichern' }).click()
    await strip('prep.reporting').and(page.locator('[data-state="ok"]')).waitFor()
    await shot('readiness-reporting')
  })

  it('with an alert channel set up, the readiness score is 100 % — every measure recorded for real, nothing clicked "done"', async () => {
    await page.goto(server.url + '/settings')
    await page.getByRole('heading', { name: 'Einstellungen' }).waitFor()
    const ch = page.locator('form.new-channel')
    await ch.getByLabel('Art').selectOption({ label: 'Webhook (JSON, signiert)' })
    await ch.getByLabel('Name').fill('Lagebild-Hook')
    await ch.getByLabel('URL').fill(hookUrl)
    await ch.getByLabel('Geheimnis (mindestens 16 Zeichen)').fill('ein-langes-geheimnis-1234')
    await ch.getByRole('button', { name: 'Kanal hinzufügen' }).click()
    await page.getByText('Lagebild-Hook').first().waitFor()

    await page.goto(server.url + '/')
    await page.getByRole('heading', { name: 'Übersicht' }).waitFor()
    const notOk = async () =>
      page.locator('#phase-prep li[data-measure], #phase-ready li[data-measure]').evaluateAll((els) =>
        els.filter((e) => e.getAttribute('data-state') !== 'ok').map((e) => `${e.getAttribute('data-measure')}=${e.getAttribute('data-state')}`))
    await expect.poll(notOk, { timeout: 30_000 }).toEqual([])
    await expect.poll(() => page.locator('[data-score]').getAttribute('data-score')).toBe('100')
    expect(await page.locator('#first-steps').count()).toBe(0)
    // Handling and follow-up wait for an emergency: before one, the overall light is green.
    expect(await page.locator('[data-overall]').getAttribute('data-overall')).toBe('green')
    await shot('readiness-overview')
    await go('/readiness', 'Notfallbereitschaft')
    await page.locator('tr[data-record="roles"]').waitFor()
    await shot('readiness-hub')
    await go('/card', 'IT-Notfallkarte')
    await page.locator('.emergency-card .card-phone').first().waitFor()
    await shot('readiness-card')
  })

  it('a viewer reads every record but gets no controls; staff without an account read the card', async () => {
    await server.cli(['user', 'create', '--username', 'vera', '--role', 'viewer', '--password', 'viewer horse battery'])
    const other = await launchChromium({ locale: 'de-DE', viewport: LAPTOP })
    try {
      const p = other.ctx.pages()[0] ?? (await other.ctx.newPage())
      p.setDefaultTimeout(20_000)
      // Not signed in: the card alone.
      await p.goto(server.url + '/card')
      await p.locator('.emergency-card .card-phone').first().waitFor()
      expect(await p.locator('.emergency-card').textContent()).toContain('Anna Becker')
      expect(await p.locator('.top').count()).toBe(0)
      await shot('card-public', p)

      await p.goto(server.url + '/login')
      await p.getByLabel('Benutzername').fill('vera')
      await p.getByLabel('Passwort').fill('viewer horse battery')
      await p.getByRole('button', { name: 'Anmelden' }).click()
      await p.getByRole('heading', { name: 'Übersicht' }).waitFor()
      await p.goto(server.url + '/readiness/people')
      await p.locator('#contacts li[data-entry="Anna Becker"]').waitFor()
      await p.locator('#roles dl').waitFor()
      expect(await p.locator('#roles').textContent()).toContain('Anna Becker')
      expect(await p.getByText('Nur Admins können Angaben ändern.').count()).toBe(1)
      expect(await p.getByRole('button', { name: '+ Hinzufügen' }).count()).toBe(0)
      expect(await p.locator('form').count()).toBe(0)
      await p.goto(server.url + '/readiness/plan')
      await p.locator('#plan ol li').first().waitFor()
      expect(await p.locator('form').count()).toBe(0)
    } finally {
      await other.close()
    }
  })
})
