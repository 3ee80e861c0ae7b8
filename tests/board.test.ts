// The board in a real browser (Debian's Chromium through playwright-core) against the real server, fed by the real
// HTTP API and by the real agent on this machine. Set LAGEBILD_SCREENSHOTS=1 to (re)write docs/screenshots/*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium, type Chromium } from './lib/browser.js'
import { AGENT_BIN, ROOT, removeDir, run, startServer, tempDir, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, OFFICE, problems, sendReport, type DemoHost } from './lib/demo.js'

const PASSWORD = 'correct horse battery'
const SHOTS = process.env.LAGEBILD_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : null
const LAPTOP = { width: 1366, height: 900 }

let server: RealServer
let browser: Chromium
let page: Page
let agentDir: string
const office = new Map<string, DemoHost>()

async function shot(name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--uses', '100', '--json'])) as { token: string }
  const now = Date.now()
  for (const o of OFFICE) {
    const h = await enrollHost(server.url, token, identity(o.name, o.os))
    await sendReport(server.url, h, { ...goodFacts(o.os, now), ...o.extra(now) })
    office.set(o.name, h)
  }
  // This very PC, through the real agent CLI.
  agentDir = tempDir('lagebild-agent-')
  const e = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', token, '--dir', agentDir], process.env)
  expect(e.code, e.stderr).toBe(0)
  const r = await run(AGENT_BIN, ['run', '--once', '--dir', agentDir], process.env)
  expect(r.code, r.stderr).toBe(0)

  browser = await launchChromium({ locale: 'de-DE', viewport: LAPTOP })
  page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage())
  page.setDefaultTimeout(15_000)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (agentDir) removeDir(agentDir)
  if (server) removeDir(server.dataDir)
})

describe('the board in Chromium', () => {
  it('is served on its own pages only: other paths are a 404, not the board with 200', async () => {
    for (const path of ['/', '/hosts', '/hosts/some-id', '/alerts/some-id', '/settings', '/login']) {
      const res = await fetch(server.url + path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/)
    }
    for (const path of ['/metrics', '/openapi.json', '/hosts/a/b', '/assets/missing.js', '/api/v1/nothing']) {
      const res = await fetch(server.url + path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type'), path).toMatch(/application\/json/)
    }
    // The API description the README points to.
    expect((await fetch(server.url + '/docs/json')).status).toBe(200)
  })

  it('asks for a login, refuses a wrong password, and logs in', async () => {
    await page.goto(server.url + '/')
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    await page.getByLabel('Benutzername').fill('admin')
    await page.getByLabel('Passwort').fill('wrong password!')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('alert').filter({ hasText: 'falsch' }).waitFor()
    await page.getByLabel('Passwort').fill(PASSWORD)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('heading', { name: 'Übersicht' }).waitFor()
    // The session cookie is HttpOnly: page scripts cannot read it.
    expect(await page.evaluate<string>('document.cookie')).not.toContain('lagebild_session')
  })

  it('shows a traffic light per measure by phase; with nothing recorded, the first steps instead of grey record rows', async () => {
    await page.locator('[data-live="on"]').waitFor()
    const fw = page.locator('li[data-measure="base.firewall"]')
    await expect.poll(() => fw.getAttribute('data-state')).toBe('deviation')
    expect(await fw.textContent()).toMatch(/mit Abweichung/)
    // Nothing recorded yet: the first steps, in order, instead of a row of "not yet recorded" per organisational measure.
    expect(await page.locator('#first-steps li').first().textContent()).toContain('Erstkontakt und Vertretung eintragen')
    expect(await page.locator('li[data-measure="prep.exercises"]').count()).toBe(0)
    for (const phase of ['Vorbereitung', 'Bereitschaft', 'Bewältigung', 'Nachbereitung'])
      await page.getByRole('heading', { name: phase, exact: true }).waitFor()
    expect(await page.locator('[data-overall]').getAttribute('data-overall')).toBe('red')
    // The light and the host bar beside it agree: "record missing" only where every judged host is fine, "unknown"
    // only where the bar shows unknown hosts.
    for (const row of await page.locator('li[data-measure]:has(.sharebar)').all()) {
      const state = await row.getAttribute('data-state')
      const counts = (await row.locator('.counts').textContent()) ?? ''
      if (state === 'not-recorded') {
        expect(await row.locator('.measure-state').textContent()).toBe('Nachweis fehlt')
        expect(counts).not.toMatch(/unbekannt|Abweichung/)
      }
      if (state === 'unknown') expect(counts).toMatch(/unbekannt/)
    }
    await shot('overview')
    await page.getByText('Wie wird das berechnet?').click()
    await page.getByText(/Mittelwert über die \d+ Maßnahmen/).waitFor()
  })

  it('lists the hosts with this PC among them; search and filter narrow the list', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Rechner', exact: true }).click()
    await page.locator(`tr[data-host="${hostname()}"]`).waitFor()
    expect(await page.locator('tr[data-host]').count()).toBe(OFFICE.length + 1)
    await page.getByLabel('Suche').fill('nb-')
    await expect.poll(() => page.locator('tr[data-host]').count()).toBe(2)
    await page.getByLabel('Suche').fill('')
    await expect.poll(() => page.locator('tr[data-host]').count()).toBe(OFFICE.length + 1)
    await page.locator('select[name="measure"]').selectOption('base.backups')
    // Of the office only the laptop with the stale backup; this PC too if it has no recent backup.
    const names = () => page.locator('tr[data-host]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-host')))
    await expect.poll(names).toContain('nb-geschaeftsfuehrung')
    expect((await names()).filter((n) => n !== hostname())).toEqual(['nb-geschaeftsfuehrung'])
    expect(page.url()).toContain('measure=base.backups')
    // Each measure mark says which measure it is and how it stands (tooltip and screen reader).
    const marks = page.locator('tr[data-host="nb-geschaeftsfuehrung"] li.dot')
    expect(await marks.count()).toBe(9)
    expect(await marks.locator('[data-measure="base.backups"]').count()).toBe(0)
    expect(await page.locator('tr[data-host="nb-geschaeftsfuehrung"] li.dot[data-measure="base.backups"]').getAttribute('title')).toBe('Datensicherung: Abweichung')
    expect(await page.locator('tr[data-host="nb-geschaeftsfuehrung"] li.dot[data-measure="base.backups"] .sr').textContent()).toBe('Datensicherung: Abweichung')
  })

  it('shows a host with every finding, its reason and how to fix it, its facts and its history', async () => {
    await page.locator('tr[data-host="nb-geschaeftsfuehrung"] a').click()
    await page.getByRole('heading', { name: 'nb-geschaeftsfuehrung' }).waitFor()
    const backup = page.locator('li.finding[data-measure="base.backups"]')
    expect(await backup.getAttribute('data-status')).toBe('deviation')
    expect(await backup.textContent()).toMatch(/Sicherung zu alt oder fehlt/)
    expect(await backup.textContent()).toMatch(/So beheben:.*Sicherung prüfen/)
    expect(await page.locator('li.finding').count()).toBe(9)
    // Facts in words, not only JSON.
    await page.getByText('Letzte erfolgreiche Sicherung').waitFor()
    await page.getByText('BitLocker').first().waitFor()
    await page.locator('.history .lane').first().waitFor()
    // The history states the span of the data it has (the host reported seconds ago), not the 30 days asked for.
    await page.getByRole('heading', { name: 'Verlauf (1 Stunde)' }).waitFor()
    // Its open alert is listed on the host page.
    await page.locator('.host-side li[data-alert]').first().waitFor()
    // The managing director's laptop is a crown jewel: the admin marks it right here.
    await page.locator('#host-admin').getByLabel(/Kronjuwel/).check()
    await page.locator('#host-admin').getByRole('button', { name: 'Speichern' }).click()
    await page.locator('.host-head [data-flag="crown"]').waitFor()
    await shot('host')
  })

  it('a long list of pending updates shows a few, security updates first, and the rest on request', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ name: `paket-${i}`, version: `1.${i}`, security: i === 39 }))
    await sendReport(server.url, office.get('srv-dateiablage')!, {
      ...goodFacts('linux'),
      'base.patches': { manager: 'apt', pending: 40, security: 1, items, oldestPendingSince: null, lastInstall: null, lastCheck: new Date().toISOString(), rebootRequired: false },
    })
    await page.goto(`${server.url}/hosts/${office.get('srv-dateiablage')!.hostId}`)
    const updates = page.locator('.fact-block').filter({ hasText: '40 Updates ausstehend' })
    await updates.waitFor()
    const rows = updates.locator('table.mini tbody tr')
    expect(await rows.count()).toBe(6)
    expect(await rows.first().textContent()).toContain('paket-39')
    await updates.getByRole('button', { name: 'Alle 40 anzeigen' }).click()
    expect(await rows.count()).toBe(40)
    await updates.getByRole('button', { name: 'Weniger anzeigen' }).click()
    expect(await rows.count()).toBe(6)
  })

  it('turns a host red live when a deviating report arrives, without a reload', async () => {
    await page.goto(server.url + '/hosts?sort=hostname')
    const row = page.locator('tr[data-host="pc-lager"]')
    await expect.poll(() => row.getAttribute('data-status')).toBe('ok')
    await page.locator('[data-live="on"]').waitFor()
    await page.evaluate('window.noReload = true')
    await sendReport(server.url, office.get('pc-lager')!, { ...goodFacts('windows'), ...problems.firewallOff() })
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('deviation')
    expect(await page.evaluate<boolean | undefined>('window.noReload')).toBe(true)
  })

  it('lists the alerts and acknowledges one', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Alarme' }).click()
    const alert = page.locator('li[data-alert][data-host="pc-lager"]')
    await alert.waitFor()
    expect(await alert.getAttribute('data-state')).toBe('open')
    expect(await alert.textContent()).toContain('Firewall')
    await shot('alerts')
    await alert.getByRole('button', { name: 'Bestätigen' }).click()
    await expect.poll(() => alert.getAttribute('data-state')).toBe('acknowledged')
    expect(await alert.textContent()).toMatch(/bestätigt von admin/)
    await alert.getByRole('button', { name: /Verlauf/ }).click()
    await alert.locator('.timeline li').filter({ hasText: 'bestätigt' }).waitFor()
  })

  it('creates an enrollment token and shows the one-line install per OS, with this server and the token filled in', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Rechner anmelden' }).click()
    // The test server listens on loopback: the page must say that other PCs cannot reach it.
    await page.getByTestId('loopback').waitFor()
    await page.getByRole('button', { name: 'Schlüssel erzeugen' }).click()
    const token = (await page.locator('pre', { hasText: /^\s*lbe_/ }).textContent())!.trim()
    await page.getByRole('tab', { name: 'Linux' }).click()
    const linux = page.locator('pre', { hasText: 'install.sh' })
    await linux.waitFor()
    expect((await linux.textContent())!.trim()).toBe(`curl -fsSL ${server.url}/install.sh | sudo sh -s -- --token ${token}`)
    await page.getByRole('tab', { name: 'Windows' }).click()
    const windows = page.locator('pre', { hasText: 'install.ps1' }).first()
    await windows.waitFor()
    expect(await windows.textContent()).toContain(token)
    expect(await windows.textContent()).not.toContain('sudo')
    await shot('enroll')
  })

  it('switches the language, formats in the reader\'s locale, and remembers the choice', async () => {
    await page.goto(server.url + '/')
    await page.getByRole('heading', { name: 'Übersicht' }).waitFor()
    await page.getByRole('button', { name: 'EN', exact: true }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    expect(await page.locator('#first-steps').textContent()).toContain('Enter the first contact and a deputy')
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en')
    await page.reload()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await page.getByRole('button', { name: 'DE', exact: true }).click()
    await page.getByRole('heading', { name: 'Übersicht' }).waitFor()
  })

  it('works at phone width without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    for (const path of ['/', '/hosts', `/hosts/${office.get('srv-dateiablage')!.hostId}`, '/alerts']) {
      await page.goto(server.url + path)
      await page.locator('main .card').first().waitFor()
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
      expect(overflow, path).toBeLessThanOrEqual(0)
    }
    // Every menu entry is on screen, "Einstellungen" too (the menu wraps instead of hiding entries off the edge).
    for (const link of await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link').all()) {
      const box = (await link.boundingBox())!
      expect(box.x, (await link.textContent()) ?? '').toBeGreaterThanOrEqual(0)
      expect(box.x + box.width, (await link.textContent()) ?? '').toBeLessThanOrEqual(390)
    }
    // On a phone the open alerts of a host come right after its findings, before the long list of facts.
    await page.goto(`${server.url}/hosts/${office.get('srv-dateiablage')!.hostId}`)
    const alertsTop = (await page.locator('.card-alerts').boundingBox())!.y
    expect(alertsTop).toBeGreaterThan((await page.locator('.card-findings').boundingBox())!.y)
    expect(alertsTop).toBeLessThan((await page.locator('.card', { hasText: 'Erfasste Fakten' }).boundingBox())!.y)
    await page.setViewportSize(LAPTOP)
  })

  it('logs out; the old session no longer works', async () => {
    await page.goto(server.url + '/')
    await page.getByRole('button', { name: 'Abmelden' }).click()
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    const status = await page.evaluate(async () => (await fetch('/api/v1/overview')).status)
    expect(status).toBe(401)
  })
})
