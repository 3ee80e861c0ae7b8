// Administration on the board in a real browser (Debian's Chromium through playwright-core) against the real server:
// host tags / crown jewel / maintenance, alert paging, filtering, snoozing (for a while, until a chosen time, ended early),
// thresholds, alert timing and channels (edit, send test), "collect now" with the real agent on its live channel,
// and a viewer who sees the values but no controls and whose attempts the server refuses. Loopback only; everything stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium, type Chromium } from './lib/browser.js'
import { AGENT_BIN, ROOT, removeDir, run, startServer, tempDir, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, OFFICE, problems, sendReport, type DemoHost } from './lib/demo.js'

const PASSWORD = 'correct horse battery'
const VIEWER_PASSWORD = 'viewer horse battery'
const LAPTOP = { width: 1366, height: 900 }
const PAGE_SIZE = 50

let server: RealServer
let browser: Chromium
let page: Page
let apiKey: string
let hook: Server
let hookUrl: string
const hookCalls: IncomingHttpHeaders[] = []
const office = new Map<string, DemoHost>()
let enrollToken: string
/** The real agent of this machine, running with its live channel (started by the "collect now" test). */
let agent: ChildProcess | null = null
let agentLog = ''
let agentDir: string | null = null

/** Stops the agent process this file started (SIGTERM: it closes its live channel and exits). */
async function stopAgent() {
  const child = agent
  agent = null
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

async function api<T>(method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(server.url + '/api/v1' + path, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

type HostOut = { host: { id: string; tags: string[]; crownJewel: boolean; maintenanceUntil: string | null } }
type AlertsOut = { total: number; alerts: { id: string; state: string; snoozed: boolean; snoozedUntil: string | null; hostname: string | null; hostId: string | null }[] }
type AlertDetailOut = { alert: { snoozed: boolean; snoozedUntil: string | null }; history: { kind: string; by: string | null }[] }
type TimingOut = { settings: { reminderHours: number; escalationHours: number; silentGraceMinutes: number | null } }

async function login(username: string, password: string) {
  await page.goto(server.url + '/')
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
  await page.getByLabel('Benutzername').fill(username)
  await page.getByLabel('Passwort').fill(password)
  await page.getByRole('button', { name: 'Anmelden' }).click()
  await page.getByRole('heading', { name: 'Übersicht' }).waitFor()
}

/** A local date-time in the browser's time zone (the value format of <input type="datetime-local">) and its instant. */
async function browserLocal(daysAhead: number, hour: number, minute: number): Promise<{ local: string; iso: string }> {
  return page.evaluate<{ local: string; iso: string }>(`(() => {
    const d = new Date(Date.now() + ${daysAhead} * 86400000)
    d.setHours(${hour}, ${minute}, 0, 0)
    const p = (n) => String(n).padStart(2, '0')
    return { local: d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()), iso: d.toISOString() }
  })()`)
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  await server.cli(['user', 'create', '--username', 'v', '--role', 'viewer', '--password', VIEWER_PASSWORD])
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'board-admin-test', '--json'])) as { key: string }).key
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--uses', '100', '--json'])) as { token: string }
  enrollToken = token
  const now = Date.now()
  for (const o of OFFICE) {
    const h = await enrollHost(server.url, token, identity(o.name, o.os))
    await sendReport(server.url, h, { ...goodFacts(o.os, now), ...o.extra(now) })
    office.set(o.name, h)
  }
  // More than one page of alerts: a row of neglected laptops, each with several deviations.
  for (let i = 1; i <= 14; i++) {
    const h = await enrollHost(server.url, token, identity(`nb-pool-${String(i).padStart(2, '0')}`, 'windows'))
    await sendReport(server.url, h, { ...goodFacts('windows', now), ...problems.firewallOff(), ...problems.staleBackup(now), ...problems.unencrypted(), ...problems.securityUpdates(now) })
  }
  // A webhook receiver on loopback for the channel test.
  hook = createServer((req, res) => {
    hookCalls.push(req.headers)
    req.resume()
    req.on('end', () => res.writeHead(204).end())
  })
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/lagebild`

  browser = await launchChromium({ locale: 'de-DE', viewport: LAPTOP })
  page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage())
  page.setDefaultTimeout(15_000)
}, 240_000)

afterAll(async () => {
  await stopAgent()
  if (agentDir) removeDir(agentDir)
  await browser?.close()
  await server?.stop()
  if (hook) await new Promise((r) => hook.close(r))
  if (server) removeDir(server.dataDir)
})

describe('administration on the board', () => {
  it('an admin marks a host as crown jewel, tags it and sets a maintenance window; all of it persists after a reload', async () => {
    await login('admin', PASSWORD)
    const srv = office.get('srv-dateiablage')!
    await page.goto(`${server.url}/hosts/${srv.hostId}`)
    await page.getByRole('heading', { name: 'srv-dateiablage' }).waitFor()
    const card = page.locator('#host-admin')
    expect(await card.getAttribute('data-readonly')).toBeNull()
    expect(await card.locator('form').getAttribute('data-readonly')).toBe('false')
    expect(await page.locator('.host-head [data-flag]').count()).toBe(0)

    // An invalid tag is refused before anything is sent.
    await card.getByLabel('Schlagwörter (durch Komma getrennt)').fill('server, kein tag!')
    await card.getByRole('button', { name: 'Speichern' }).click()
    await card.getByRole('alert').filter({ hasText: 'Ungültiges Schlagwort: „tag!“' }).waitFor()

    const until = await browserLocal(2, 18, 30)
    await card.getByLabel('Schlagwörter (durch Komma getrennt)').fill('server, buero')
    await card.getByLabel(/Kronjuwel/).check()
    await card.getByLabel('Wartung bis').fill(until.local)
    await card.getByRole('button', { name: 'Speichern' }).click()
    await card.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor()
    await page.locator('.host-head [data-flag="crown"]').waitFor()
    await page.locator('.host-head [data-flag="maintenance"]').waitFor()

    const stored = await api<HostOut>('GET', `/hosts/${srv.hostId}`)
    expect(stored.host).toMatchObject({ tags: ['server', 'buero'], crownJewel: true, maintenanceUntil: until.iso })

    await page.reload()
    await page.getByRole('heading', { name: 'srv-dateiablage' }).waitFor()
    expect(await card.getByLabel(/Kronjuwel/).isChecked()).toBe(true)
    expect(await card.getByLabel('Schlagwörter (durch Komma getrennt)').inputValue()).toBe('server, buero')
    expect(await card.getByLabel('Wartung bis').inputValue()).toBe(until.local)
    expect(await page.locator('.host-head [data-flag="crown"]').textContent()).toContain('Kronjuwel')
    expect(await page.locator('.host-head [data-flag="maintenance"]').textContent()).toMatch(/^Wartung bis .*18:30/)
    // Its open alerts say that nobody is notified now.
    await page.locator('.host-side li[data-alert]').first().waitFor()
    expect(await page.locator('.host-side li[data-alert]').first().textContent()).toContain('Rechner in Wartung')

    // The hosts list shows both marks.
    await page.goto(server.url + '/hosts?q=srv-')
    const row = page.locator('tr[data-host="srv-dateiablage"]')
    await row.locator('[data-flag="crown"]').waitFor()
    expect(await row.locator('[data-flag="maintenance"]').textContent()).toContain('Wartung')
    expect(await row.textContent()).toContain('buero')
  })

  it('an admin ends a maintenance window and sets a new one', async () => {
    const srv = office.get('srv-dateiablage')!
    await page.goto(`${server.url}/hosts/${srv.hostId}`)
    const card = page.locator('#host-admin')
    await card.getByRole('button', { name: 'Wartung beenden' }).click()
    await card.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor()
    await expect.poll(() => page.locator('.host-head [data-flag="maintenance"]').count()).toBe(0)
    expect(await card.getByLabel('Wartung bis').inputValue()).toBe('')
    expect((await api<HostOut>('GET', `/hosts/${srv.hostId}`)).host.maintenanceUntil).toBeNull()
    // A time in the past is refused by the form.
    const past = await browserLocal(-1, 9, 0)
    await card.getByLabel('Wartung bis').fill(past.local)
    await card.getByRole('button', { name: 'Speichern' }).click()
    await card.getByRole('alert').filter({ hasText: 'in der Zukunft' }).waitFor()
    expect((await api<HostOut>('GET', `/hosts/${srv.hostId}`)).host.maintenanceUntil).toBeNull()

    const until = await browserLocal(1, 7, 0)
    await card.getByLabel('Wartung bis').fill(until.local)
    await card.getByRole('button', { name: 'Speichern' }).click()
    await page.locator('.host-head [data-flag="maintenance"]').waitFor()
    expect((await api<HostOut>('GET', `/hosts/${srv.hostId}`)).host).toMatchObject({ crownJewel: true, maintenanceUntil: until.iso })
  })

  it('pages through the alerts and filters them by state', async () => {
    const active = await api<AlertsOut>('GET', '/alerts?state=active&limit=1')
    expect(active.total).toBeGreaterThan(PAGE_SIZE)
    await page.goto(server.url + '/alerts')
    await page.locator('li[data-alert]').first().waitFor()
    expect(await page.locator('li[data-alert]').count()).toBe(PAGE_SIZE)
    const pager = page.getByRole('navigation', { name: 'Seiten' })
    expect(await pager.textContent()).toContain(`1 / ${Math.ceil(active.total / PAGE_SIZE)}`)
    const firstOnPage1 = await page.locator('li[data-alert]').first().getAttribute('data-alert')
    await pager.getByRole('button', { name: /Weiter/ }).click()
    await expect.poll(() => page.locator('li[data-alert]').count()).toBe(active.total - PAGE_SIZE)
    expect(page.url()).toContain('page=1')
    expect(await page.locator('li[data-alert]').first().getAttribute('data-alert')).not.toBe(firstOnPage1)
    // The page is in the URL: a reload stays on it.
    await page.reload()
    await page.locator('li[data-alert]').first().waitFor()
    expect(await page.locator('li[data-alert]').count()).toBe(active.total - PAGE_SIZE)
    await pager.getByRole('button', { name: /Zurück/ }).click()
    await expect.poll(() => page.locator('li[data-alert]').count()).toBe(PAGE_SIZE)

    // Acknowledge one; the "acknowledged" filter shows exactly that one, "open" no longer does.
    const first = page.locator('li[data-alert]').first()
    const id = (await first.getAttribute('data-alert'))!
    await first.getByRole('button', { name: 'Bestätigen' }).click()
    // Acknowledged alerts sort after the open ones, so it leaves this page.
    await expect.poll(async () => (await api<AlertsOut>('GET', '/alerts?state=acknowledged')).alerts.map((a) => a.id)).toEqual([id])
    await page.getByRole('tab', { name: /Bestätigt/ }).click()
    await expect.poll(() => page.locator('li[data-alert]').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert')))).toEqual([id])
    expect(page.url()).toContain('state=acknowledged')
    expect(await page.getByRole('tab', { name: /Bestätigt/ }).getAttribute('aria-selected')).toBe('true')
    await page.getByRole('tab', { name: /Offen/ }).click()
    await expect.poll(() => page.getByRole('tab', { name: /Offen/ }).textContent()).toContain(`(${active.total - 1})`)
    expect(await page.locator(`li[data-alert="${id}"]`).count()).toBe(0)
    expect(new Set(await page.locator('li[data-alert]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))).toEqual(new Set(['open']))
    await page.getByRole('tab', { name: /Erledigt/ }).click()
    await page.getByText('Keine Alarme in dieser Ansicht.').waitFor()
  })

  it('snoozes an alert from the list', async () => {
    await page.goto(server.url + '/alerts?state=open')
    const first = page.locator('li[data-alert]').first()
    await first.waitFor()
    const id = (await first.getAttribute('data-alert'))!
    const alert = page.locator(`li[data-alert="${id}"]`)
    expect(await alert.getAttribute('data-snoozed')).toBe('false')
    const before = Date.now()
    await alert.getByLabel('Zurückstellen').selectOption({ label: '8 Stunden' })
    await expect.poll(() => alert.getAttribute('data-snoozed')).toBe('true')
    expect(await alert.textContent()).toContain('Zurückgestellt bis')
    const { alerts } = await api<AlertsOut>('GET', '/alerts?state=open&limit=500')
    const snoozed = alerts.find((a) => a.id === id)!
    expect(snoozed.snoozed).toBe(true)
    const until = Date.parse(snoozed.snoozedUntil!)
    expect(until).toBeGreaterThanOrEqual(before + 8 * 3_600_000 - 5_000)
    expect(until).toBeLessThanOrEqual(Date.now() + 8 * 3_600_000 + 5_000)
    // The select is ready for the next one, and the history names who snoozed it.
    expect(await alert.getByLabel('Zurückstellen').inputValue()).toBe('')
    await alert.getByRole('button', { name: /Verlauf/ }).click()
    await alert.locator('.timeline li').filter({ hasText: 'zurückgestellt' }).filter({ hasText: 'admin' }).waitFor()
    await page.reload()
    expect(await page.locator(`li[data-alert="${id}"]`).getAttribute('data-snoozed')).toBe('true')
  })

  it('ends a snooze early from the list; the history says who', async () => {
    await page.goto(server.url + '/alerts?state=open')
    const snoozedRow = page.locator('li[data-alert][data-snoozed="true"]').first()
    await snoozedRow.waitFor()
    const id = (await snoozedRow.getAttribute('data-alert'))!
    const alert = page.locator(`li[data-alert="${id}"]`)
    // Only a snoozed alert offers to end the snooze.
    expect(await page.locator('li[data-alert][data-snoozed="false"]').first().getByRole('button', { name: 'Zurückstellung beenden' }).count()).toBe(0)
    await alert.getByRole('button', { name: 'Zurückstellung beenden' }).click()
    await expect.poll(() => alert.getAttribute('data-snoozed')).toBe('false')
    expect(await alert.textContent()).not.toContain('Zurückgestellt bis')
    expect(await alert.getByRole('button', { name: 'Zurückstellung beenden' }).count()).toBe(0)
    const d = await api<AlertDetailOut>('GET', `/alerts/${id}`)
    expect(d.alert).toMatchObject({ snoozed: false, snoozedUntil: null })
    expect(d.history.at(-1)).toMatchObject({ kind: 'unsnoozed', by: 'admin' })
    await alert.getByRole('button', { name: /Verlauf/ }).click()
    await alert.locator('.timeline li').filter({ hasText: 'Zurückstellung beendet' }).filter({ hasText: 'admin' }).waitFor()
    await page.reload()
    expect(await page.locator(`li[data-alert="${id}"]`).getAttribute('data-snoozed')).toBe('false')
  })

  it('snoozes an alert until a chosen date and time, refuses a past one, and ends it on the host page', async () => {
    await page.goto(server.url + '/alerts?state=open')
    const first = page.locator('li[data-alert][data-snoozed="false"]').first()
    await first.waitFor()
    const id = (await first.getAttribute('data-alert'))!
    const alert = page.locator(`li[data-alert="${id}"]`)
    await alert.getByLabel('Zurückstellen', { exact: true }).selectOption({ label: 'Bis Zeitpunkt …' })
    const field = alert.getByLabel('Zurückstellen bis')
    await field.waitFor()
    const past = await browserLocal(-1, 8, 0)
    await field.fill(past.local)
    await alert.getByRole('button', { name: 'Zurückstellung setzen' }).click()
    await alert.getByRole('alert').filter({ hasText: 'in der Zukunft' }).waitFor()
    expect((await api<AlertDetailOut>('GET', `/alerts/${id}`)).alert.snoozed).toBe(false)
    const far = await browserLocal(40, 8, 0)
    await field.fill(far.local)
    await alert.getByRole('button', { name: 'Zurückstellung setzen' }).click()
    await alert.getByRole('alert').filter({ hasText: 'Höchstens 30 Tage' }).waitFor()

    const until = await browserLocal(3, 9, 15)
    await field.fill(until.local)
    await alert.getByRole('button', { name: 'Zurückstellung setzen' }).click()
    await expect.poll(() => alert.getAttribute('data-snoozed')).toBe('true')
    expect(await field.count()).toBe(0)
    expect(await alert.getByRole('alert').count()).toBe(0)
    expect(await alert.textContent()).toMatch(/Zurückgestellt bis .*09:15/)
    expect((await api<AlertDetailOut>('GET', `/alerts/${id}`)).alert.snoozedUntil).toBe(until.iso)

    // The host page lists the same alert with the same button.
    const { alerts } = await api<AlertsOut>('GET', '/alerts?state=open&limit=500')
    const hostId = alerts.find((a) => a.id === id)!.hostId!
    await page.goto(`${server.url}/hosts/${hostId}`)
    const onHost = page.locator(`.host-side li[data-alert="${id}"]`)
    await onHost.waitFor()
    expect(await onHost.getAttribute('data-snoozed')).toBe('true')
    await onHost.getByRole('button', { name: 'Zurückstellung beenden' }).click()
    await expect.poll(() => onHost.getAttribute('data-snoozed')).toBe('false')
    expect((await api<AlertDetailOut>('GET', `/alerts/${id}`)).alert.snoozedUntil).toBeNull()
  })

  it('shows the thresholds in the settings and saves one', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Einstellungen' }).click()
    await page.getByRole('heading', { name: 'Schwellwerte' }).waitFor()
    const { defaults } = await api<{ defaults: Record<string, number> }>('GET', '/thresholds')
    const backup = page.getByLabel('Sicherung höchstens alt (Stunden)')
    expect(await backup.getAttribute('placeholder')).toBe(String(defaults.backupMaxHours))
    await page.getByText(`Standard: ${defaults.backupMaxHours}`).first().waitFor()
    // Every threshold the server knows has its field.
    expect(await page.locator('.th-grid label').count()).toBe(Object.keys(defaults).length)
    await backup.fill('96')
    await page.locator('form', { has: backup }).getByRole('button', { name: 'Speichern' }).click()
    await page.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor()
    expect((await api<{ global: Record<string, number> }>('GET', '/thresholds')).global.backupMaxHours).toBe(96)
    await page.reload()
    await expect.poll(() => page.getByLabel('Sicherung höchstens alt (Stunden)').inputValue()).toBe('96')
  })

  it('adds a webhook channel, shows the result of "send test", edits the channel and keeps its secret', async () => {
    const form = page.locator('form.new-channel')
    await form.getByLabel('Name').fill('IT-Webhook')
    await form.getByLabel('URL').fill(hookUrl)
    await form.getByLabel('Geheimnis (mindestens 16 Zeichen)').fill('0123456789abcdef0123')
    await form.getByRole('button', { name: 'Kanal hinzufügen' }).click()
    const item = page.locator('li[data-channel="IT-Webhook"]')
    await item.waitFor()
    await item.getByRole('button', { name: 'Test senden' }).click()
    const result = item.locator('[data-test-result]')
    await expect.poll(() => result.getAttribute('data-test-result')).toBe('ok')
    expect(await result.textContent()).toContain('Testnachricht ist unterwegs.')
    expect(hookCalls.at(-1)?.['x-lagebild-event']).toBe('test')

    // A channel whose receiver does not answer: the test says why.
    await form.getByLabel('Name').fill('Kaputt')
    await form.getByLabel('URL').fill('http://127.0.0.1:9/nobody')
    await form.getByLabel('Geheimnis (mindestens 16 Zeichen)').fill('0123456789abcdef0123')
    await form.getByRole('button', { name: 'Kanal hinzufügen' }).click()
    const broken = page.locator('li[data-channel="Kaputt"]')
    await broken.getByRole('button', { name: 'Test senden' }).click()
    await expect.poll(() => broken.locator('[data-test-result]').getAttribute('data-test-result')).toBe('failed')
    expect(await broken.locator('[data-test-result]').textContent()).toMatch(/Test fehlgeschlagen: POST http:\/\/127\.0\.0\.1:9/)

    // Edit: new name, English, escalation only; the secret field stays empty and so keeps its value.
    await item.getByRole('button', { name: 'Bearbeiten' }).click()
    const edit = item.locator('form.channel-edit')
    expect(await edit.getByLabel('URL').inputValue()).toBe(hookUrl)
    expect(await edit.getByLabel('Geheimnis (mindestens 16 Zeichen)').inputValue()).toBe('')
    await edit.getByLabel('Name').fill('IT-Webhook neu')
    await edit.getByLabel('Sprache').selectOption('en')
    await edit.getByLabel('Nur bei Eskalation').check()
    await edit.getByRole('button', { name: 'Speichern' }).click()
    const renamed = page.locator('li[data-channel="IT-Webhook neu"]')
    await renamed.waitFor()
    expect(await renamed.textContent()).toMatch(/EN.*Nur bei Eskalation/)
    await page.reload()
    await renamed.waitFor()
    const { channels } = await api<{ channels: { name: string; language: string; escalation: boolean; config: Record<string, unknown> }[] }>('GET', '/channels')
    expect(channels.find((c) => c.name === 'IT-Webhook neu')).toMatchObject({ language: 'en', escalation: true, config: { url: hookUrl, secret: '********' } })
    const calls = hookCalls.length
    await renamed.getByRole('button', { name: 'Test senden' }).click()
    await expect.poll(() => renamed.locator('[data-test-result]').getAttribute('data-test-result')).toBe('ok')
    expect(hookCalls.length).toBe(calls + 1)
  })

  it('changes the alert timing in the settings, with a message for each invalid field; it stays after a reload', async () => {
    await page.goto(server.url + '/settings')
    const card = page.locator('#alert-timing')
    await card.getByRole('heading', { name: 'Alarm-Zeiten' }).waitFor()
    const reminder = card.getByLabel('Erinnerung alle (Stunden)')
    const escalation = card.getByLabel('Eskalation nach (Stunden ohne Bestätigung)')
    const grace = card.getByLabel('Schonfrist nach Serverstart (Minuten)')
    await expect.poll(() => reminder.inputValue()).toBe('24')
    expect(await escalation.inputValue()).toBe('48')
    expect(await grace.inputValue()).toBe('')
    expect(await card.textContent()).toContain('Standard: leer')

    // Out of range and empty: each field says what is wrong, nothing is sent.
    await reminder.fill('0')
    await escalation.fill('')
    await card.getByRole('button', { name: 'Speichern' }).click()
    await card.getByRole('alert').filter({ hasText: 'Bitte die markierten Felder prüfen.' }).waitFor()
    expect(await card.locator('[data-invalid="reminderHours"]').textContent()).toContain('„Erinnerung alle (Stunden)“: eine ganze Zahl von 1 bis 720.')
    expect(await card.locator('[data-invalid="escalationHours"]').textContent()).toContain('bitte eine Zahl eingeben')
    expect(await reminder.getAttribute('aria-invalid')).toBe('true')
    expect(await grace.getAttribute('aria-invalid')).toBeNull()
    expect((await api<TimingOut>('GET', '/settings/alerts')).settings).toEqual({ reminderHours: 24, escalationHours: 48, silentGraceMinutes: null })

    await reminder.fill('6')
    await escalation.fill('12')
    await grace.fill('15')
    await card.getByRole('button', { name: 'Speichern' }).click()
    await card.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor()
    expect(await card.locator('[data-invalid]').count()).toBe(0)
    expect(await card.getByRole('alert').count()).toBe(0)
    expect((await api<TimingOut>('GET', '/settings/alerts')).settings).toEqual({ reminderHours: 6, escalationHours: 12, silentGraceMinutes: 15 })
    await page.reload()
    await expect.poll(() => reminder.inputValue()).toBe('6')
    expect(await escalation.inputValue()).toBe('12')
    expect(await grace.inputValue()).toBe('15')

    // Emptying the grace goes back to each host's own threshold (null).
    await grace.fill('')
    await card.getByRole('button', { name: 'Speichern' }).click()
    await card.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor()
    expect((await api<TimingOut>('GET', '/settings/alerts')).settings.silentGraceMinutes).toBeNull()
  })

  it('"collect now" reaches the real agent over its live channel; the new report shows without a reload', async () => {
    // This machine's real agent: enrolled, then running with its live channel (no nft monitor).
    agentDir = tempDir('lagebild-agent-')
    const e = await run(AGENT_BIN, ['enroll', '--server', server.url, '--token', enrollToken, '--dir', agentDir], process.env)
    expect(e.code, e.stderr).toBe(0)
    const { hostId } = JSON.parse(readFileSync(join(agentDir, 'config.json'), 'utf8')) as { hostId: string }
    agent = spawn(process.execPath, [AGENT_BIN, 'run', '--dir', agentDir], { env: { ...process.env, LAGEBILD_AGENT_NO_WATCH: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    agent.stdout!.on('data', (d: Buffer) => (agentLog += d.toString()))
    agent.stderr!.on('data', (d: Buffer) => (agentLog += d.toString()))
    // Connected (PUT with nothing to change answers whether the agent has a live connection) and its first report is in.
    const connected = async () => (await api<{ connected: boolean }>('PUT', `/hosts/${hostId}`, {})).connected
    await expect.poll(connected, { timeout: 60_000, interval: 250, message: `agent did not connect:\n${agentLog}` }).toBe(true)
    await expect.poll(async () => (await api<{ host: { lastReportAt: string | null } }>('GET', `/hosts/${hostId}`)).host.lastReportAt, { timeout: 60_000, interval: 250 }).not.toBeNull()

    await page.goto(`${server.url}/hosts/${hostId}`)
    const last = page.locator('.host-head time[data-last-report]')
    await last.waitFor()
    const before = (await last.getAttribute('datetime'))!
    expect(before).toBe((await api<{ host: { lastReportAt: string } }>('GET', `/hosts/${hostId}`)).host.lastReportAt)
    // A mark in the page: it must survive, i.e. the page is not reloaded.
    await page.evaluate('window.__stillTheSamePage = true')
    const clickedAt = Date.now()
    await page.locator('.host-head').getByRole('button', { name: 'Jetzt erfassen' }).click()
    const status = page.locator('.host-head [data-collect]')
    await expect.poll(() => status.getAttribute('data-collect')).toMatch(/^(sent|arrived)$/)
    await expect.poll(() => last.getAttribute('datetime'), { timeout: 60_000 }).not.toBe(before)
    const after = (await last.getAttribute('datetime'))!
    expect(Date.parse(after)).toBeGreaterThanOrEqual(clickedAt - 1000)
    await expect.poll(() => status.getAttribute('data-collect')).toBe('arrived')
    expect(await status.textContent()).toContain('Neuer Bericht eingetroffen')
    expect(await page.evaluate<boolean>('window.__stillTheSamePage === true')).toBe(true)
    expect((await api<{ host: { lastReportAt: string } }>('GET', `/hosts/${hostId}`)).host.lastReportAt).toBe(after)

    // The agent stops: the next "collect now" says so honestly; nothing was sent.
    await stopAgent()
    await expect.poll(connected, { timeout: 15_000, interval: 250 }).toBe(false)
    await page.locator('.host-head').getByRole('button', { name: 'Jetzt erfassen' }).click()
    await expect.poll(() => status.getAttribute('data-collect')).toBe('offline')
    expect(await status.textContent()).toContain('Agent nicht verbunden – nichts gesendet.')
    expect(await last.getAttribute('datetime')).toBe(after)
  }, 180_000)

  it('shows the new controls in English and fits a phone', async () => {
    await page.getByRole('button', { name: 'EN', exact: true }).click()
    await page.goto(`${server.url}/hosts/${office.get('srv-dateiablage')!.hostId}`)
    await page.locator('#host-admin').getByRole('heading', { name: 'Administration' }).waitFor()
    await page.locator('#host-admin').getByLabel(/Crown jewel/).waitFor()
    await page.locator('.host-head').getByRole('button', { name: 'Collect now' }).waitFor()
    expect(await page.locator('.host-head [data-flag="maintenance"]').textContent()).toMatch(/^Maintenance until/)
    await page.goto(server.url + '/alerts')
    await page.getByRole('tab', { name: /Acknowledged/ }).waitFor()
    await page.locator('li[data-alert]').first().getByLabel('Snooze', { exact: true }).selectOption({ label: 'Until a date and time …' })
    await page.locator('li[data-alert]').first().getByLabel('Snooze until').waitFor()
    await page.locator('li[data-alert]').first().getByRole('button', { name: 'Cancel' }).click()
    await page.goto(server.url + '/settings')
    await page.locator('#alert-timing').getByRole('heading', { name: 'Alert timing' }).waitFor()
    await page.locator('#alert-timing').getByLabel('Remind every (hours)').waitFor()
    await page.goto(server.url + '/alerts')
    await page.getByRole('button', { name: 'DE', exact: true }).click()
    await page.getByRole('tab', { name: /Bestätigt/ }).waitFor()

    await page.setViewportSize({ width: 390, height: 844 })
    for (const path of [`/hosts/${office.get('srv-dateiablage')!.hostId}`, '/hosts', '/alerts', '/settings']) {
      await page.goto(server.url + path)
      await page.locator('main .card').first().waitFor()
      if (path === '/settings') await page.locator('li[data-channel]').first().getByRole('button', { name: 'Bearbeiten' }).click()
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
      expect(overflow, path).toBeLessThanOrEqual(0)
    }
    await page.setViewportSize(LAPTOP)
  })

  it('a viewer sees the values but no admin controls, and the server refuses the viewer\'s changes', async () => {
    await page.goto(server.url + '/')
    await page.getByRole('button', { name: 'Abmelden' }).click()
    await login('v', VIEWER_PASSWORD)
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' })
    expect(await nav.getByRole('link', { name: 'Einstellungen' }).count()).toBe(0)
    expect(await nav.getByRole('link', { name: 'Rechner anmelden' }).count()).toBe(0)

    const srv = office.get('srv-dateiablage')!
    await page.goto(`${server.url}/hosts/${srv.hostId}`)
    const card = page.locator('#host-admin')
    await card.locator('[data-readonly="true"]').waitFor()
    expect(await card.textContent()).toContain('Nur Admins können diese Angaben ändern.')
    expect(await card.locator('[data-flag="crown"]').textContent()).toContain('Kronjuwel')
    expect(await card.locator('[data-flag="maintenance"]').textContent()).toContain('Wartung bis')
    expect(await card.textContent()).toContain('server, buero')
    expect(await card.locator('input, select, button, textarea').count()).toBe(0)
    expect(await page.locator('main').getByRole('button', { name: /Speichern|Wartung beenden|Bestätigen|Jetzt erfassen|Zurückstellung beenden/ }).count()).toBe(0)
    expect(await page.locator('main select').count()).toBe(0)

    await page.goto(server.url + '/alerts')
    await page.locator('li[data-alert]').first().waitFor()
    await page.getByText('Nur Admins können Alarme bestätigen oder zurückstellen.').waitFor()
    expect(await page.getByRole('button', { name: 'Bestätigen' }).count()).toBe(0)
    expect(await page.locator('li[data-alert] select').count()).toBe(0)

    await page.goto(server.url + '/settings')
    await page.getByText('Nur Admins können Einstellungen ändern.').waitFor()
    expect(await page.locator('main input, main button').count()).toBe(0)

    // Even with a valid session and CSRF token the server says no.
    const channelId = (await api<{ channels: { id: string }[] }>('GET', '/channels')).channels[0]!.id
    const alertId = (await api<AlertsOut>('GET', '/alerts?state=open&limit=1')).alerts[0]!.id
    const statuses = await page.evaluate<number[]>(`(async () => {
      const { csrfToken } = await (await fetch('/api/v1/auth/me')).json()
      const send = (method, path, body) => fetch('/api/v1' + path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) }).then((r) => r.status)
      return Promise.all([
        send('PUT', '/hosts/${srv.hostId}', { crownJewel: false, maintenanceUntil: null, tags: [] }),
        send('POST', '/alerts/${alertId}/snooze', { minutes: 60 }),
        send('POST', '/alerts/${alertId}/acknowledge', {}),
        send('PUT', '/channels/${channelId}', { name: 'von v' }),
        send('PUT', '/thresholds/global', {}),
        send('POST', '/alerts/${alertId}/unsnooze', {}),
        send('PUT', '/settings/alerts', { reminderHours: 1 }),
        send('POST', '/hosts/${srv.hostId}/commands', { command: 'collect-now' }),
      ])
    })()`)
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403, 403, 403])
    const host = (await api<HostOut>('GET', `/hosts/${srv.hostId}`)).host
    expect(host.crownJewel).toBe(true)
    expect(host.tags).toEqual(['server', 'buero'])
    expect(host.maintenanceUntil).not.toBeNull()
    const alert = (await api<AlertsOut>('GET', '/alerts?state=open&limit=500')).alerts.find((a) => a.id === alertId)!
    expect(alert.state).toBe('open')
  })
})
