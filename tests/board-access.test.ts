// Access and a host's end of life on the board, in a real browser (Debian's Chromium) against the real server: people
// created with a generated password, new passwords, revocation; API keys and enrollment tokens listed and revoked;
// a host's agent revoked and the host retired — its open WebSocket closed at once with the reason; a duplicate host
// name shown as such; the audit log with every step and its chain check; German and English. Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { openBoard, type Chromium } from './lib/browser.js'
import { ROOT, removeDir, startServer, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, sendReport, type DemoHost } from './lib/demo.js'
import { agentSocket } from '../packages/server/test/helper.js'

const PASSWORD = 'correct horse battery'
const SHOTS = process.env.LAGEBILD_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : null

let server: RealServer
let browser: Chromium
let page: Page
let apiKey: string
const hosts = new Map<string, DemoHost>()

const login = (username: string, password: string) =>
  fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
const withKey = (key: string) => fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${key}` } })
const report = (h: DemoHost) => sendReport(server.url, h, goodFacts('windows')).then(() => 200, (e: Error) => Number(/: (\d{3}) /.exec(e.message)?.[1] ?? 0))
const shot = async (name: string, scrollTop = true) => {
  if (!SHOTS) return
  if (scrollTop) await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  apiKey = (JSON.parse(await server.cli(['api-key', 'create', '--name', 'monitoring', '--json'])) as { key: string }).key
  const { token } = JSON.parse(await server.cli(['token', 'create', '--uses', '10', '--tag', 'buero', '--json'])) as { token: string }
  // Two PCs report the same name (a cloned image, or a rename): the board must tell them apart.
  for (const [key, name] of [['a', 'pc-empfang'], ['b', 'PC-Empfang'], ['c', 'pc-lager']] as const) {
    const h = await enrollHost(server.url, token, identity(name, 'windows'))
    await sendReport(server.url, h, goodFacts('windows'))
    hosts.set(key, h)
  }
  const board = await openBoard(server.url, 'admin', PASSWORD)
  browser = board.browser
  page = board.page
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('access on the board', () => {
  it('a person is created with a generated password shown once; a new password ends the old one; a revoked person cannot log in', async () => {
    await page.getByRole('link', { name: 'Zugänge' }).click()
    await page.getByRole('heading', { name: 'Zugänge', level: 1 }).waitFor()
    const people = page.locator('#people')
    await people.locator('input[name="newUsername"]').fill('vera')
    await people.locator('select[name="newRole"]').selectOption('viewer')
    await people.getByRole('button', { name: 'Person anlegen' }).click()
    const first = (await people.locator('.secret-once code').textContent())!.trim()
    expect(first.length).toBeGreaterThanOrEqual(16)
    expect((await login('vera', first)).status).toBe(200)
    const row = people.locator('tr[data-username="vera"]')
    await row.getByRole('button', { name: 'Neues Passwort' }).click()
    await row.getByText('vera wird abgemeldet').waitFor()
    await row.getByRole('button', { name: 'Neues Passwort' }).click()
    await people.getByText('Passwort für vera').waitFor()
    // scrypt on a busy machine: the new password may take a moment.
    await expect.poll(async () => (await people.locator('.secret-once code').textContent())!.trim(), { timeout: 15_000 }).not.toBe(first)
    const second = (await people.locator('.secret-once code').textContent())!.trim()
    expect((await login('vera', first)).status).toBe(401)
    expect((await login('vera', second)).status).toBe(200)
    await row.getByRole('button', { name: 'Sperren' }).click()
    await row.getByRole('button', { name: 'Sperren' }).click()
    await people.locator('tr[data-username="vera"][data-state="revoked"]').waitFor()
    const refused = await login('vera', second)
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: string }).error).toBe('account-revoked')
    // The admin cannot revoke themselves: no button on their own row.
    expect(await people.locator('tr[data-username="admin"]').getByRole('button', { name: 'Sperren' }).count()).toBe(0)
  })

  it('API keys: the CLI-made key is listed with its last use; revoked on the board, it is refused at once', async () => {
    expect((await withKey(apiKey)).status).toBe(200)
    await page.reload()
    const keys = page.locator('#api-keys')
    const row = keys.locator('tr', { hasText: 'monitoring' })
    await row.waitFor()
    await row.getByRole('button', { name: 'Sperren' }).click()
    await row.getByRole('button', { name: 'Sperren' }).click()
    await keys.locator('tr[data-state="revoked"]', { hasText: 'monitoring' }).waitFor()
    expect((await withKey(apiKey)).status).toBe(401)
    // A new key made here works, and is shown only once.
    await keys.locator('input[name="apiKeyName"]').fill('backup-skript')
    await keys.getByRole('button', { name: 'Schlüssel erzeugen' }).click()
    const key = (await keys.locator('.secret-once code').textContent())!.trim()
    expect(key).toMatch(/^lbk_/)
    expect((await withKey(key)).status).toBe(200)
  })

  it('enrollment tokens: state and uses (never the token); a revoked one enrolls nobody', async () => {
    const tokens = page.locator('#tokens')
    const row = tokens.locator('tr[data-state="active"]').first()
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('3 von 10')
    expect(await tokens.textContent()).not.toMatch(/lbe_/)
    await row.getByRole('button', { name: 'Sperren' }).click()
    await row.getByRole('button', { name: 'Sperren' }).click()
    await tokens.locator('tr[data-state="revoked"]').waitFor()
    await shot('access')
  })
})

describe("a host's end of life on the board", () => {
  it('hosts with the same name are both marked as duplicates, told apart by machine id', async () => {
    await page.getByRole('link', { name: 'Rechner', exact: true }).click()
    const dups = page.locator('tr', { has: page.locator('[data-flag="duplicate-name"]') })
    await expect.poll(() => dups.count(), { timeout: 15_000 }).toBe(2)
    expect(await page.locator('tr[data-host="pc-lager"] [data-flag="duplicate-name"]').count()).toBe(0)
    await page.goto(`${server.url}/hosts/${hosts.get('a')!.hostId}`)
    await page.locator('[data-same-name]').getByText(hosts.get('b')!.identity.machineId.slice(0, 12)).waitFor()
  })

  it('revoking the agent closes its open WebSocket at once with the reason; its reports are refused', async () => {
    const a = hosts.get('a')!
    const ws = agentSocket(server.url.replace('http', 'ws') + '/api/v1/agent', { authorization: a.auth })
    await ws.opened
    const card = page.locator('#host-lifecycle')
    await card.locator('[data-agent][data-state="active"]').waitFor()
    await card.getByRole('button', { name: 'Agent sperren' }).click()
    await card.getByText('auch über seine offene Verbindung').waitFor()
    await card.getByRole('button', { name: 'Agent sperren' }).click()
    const closed = await ws.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^agent-revoked: /)
    await card.locator('[data-agent][data-state="revoked"]').getByText('gesperrt').waitFor()
    expect(await report(a)).toBe(401)
  })

  it('retiring a host (history kept) takes it out of the list at once; it stays readable among the retired', async () => {
    const b = hosts.get('b')!
    const ws = agentSocket(server.url.replace('http', 'ws') + '/api/v1/agent', { authorization: b.auth })
    await ws.opened
    await page.goto(`${server.url}/hosts/${b.hostId}`)
    const card = page.locator('#host-lifecycle')
    await card.getByRole('button', { name: 'Stilllegen' }).click()
    await card.getByText('verschwindet aus Listen').waitFor()
    await shot('host-retire', false)
    await card.getByRole('button', { name: 'Stilllegen' }).click()
    expect((await ws.closed).reason).toMatch(/^host-retired: /)
    await card.locator('[data-retired]').waitFor()
    expect(await report(b)).toBe(401)
    await page.getByRole('link', { name: 'Rechner', exact: true }).click()
    await page.locator('tr[data-host="pc-lager"]').waitFor()
    expect(await page.locator('tr[data-host="PC-Empfang"]').count()).toBe(0)
    // With one of the two gone, the other name is no longer a duplicate.
    expect(await page.locator('[data-flag="duplicate-name"]').count()).toBe(0)
    await page.getByLabel('Stillgelegte zeigen').check()
    await page.locator('tr[data-host="PC-Empfang"]').waitFor()
  })

  it('purging deletes the host with its history', async () => {
    const c = hosts.get('c')!
    await page.goto(`${server.url}/hosts/${c.hostId}`)
    const card = page.locator('#host-lifecycle')
    await card.getByLabel('alles löschen').check()
    await card.getByRole('button', { name: 'Endgültig löschen' }).click()
    await card.getByRole('button', { name: 'Endgültig löschen' }).click()
    await page.waitForURL(`${server.url}/hosts`)
    expect((await fetch(`${server.url}/api/v1/hosts/${c.hostId}`, { headers: { cookie: '' } })).status).toBe(401)
    expect(await report(c)).toBe(401)
  })
})

describe('the audit log on the board', () => {
  it('shows every step with who and before → after, and checks the chain', async () => {
    await page.getByRole('link', { name: 'Zugänge' }).click()
    await page.getByRole('navigation', { name: 'Zugänge' }).getByRole('link', { name: 'Prüfprotokoll' }).click()
    await page.getByRole('heading', { name: 'Prüfprotokoll' }).waitFor()
    for (const action of ['user.create', 'user.password', 'user.revoke', 'api-key.revoke', 'token.revoke', 'agent.revoke', 'host.retire', 'host.purge'])
      await page.locator(`tr[data-action="${action}"]`).first().waitFor()
    const retire = page.locator('tr[data-action="host.retire"]')
    expect(await retire.textContent()).toContain('admin')
    await retire.getByText('Vorher → nachher').click()
    expect(await retire.locator('dl').textContent()).toContain('PC-Empfang')
    await page.getByLabel('Aktion oder ihr Anfang').fill('host.')
    await expect.poll(() => page.locator('tr[data-action]').count(), { timeout: 15_000 }).toBe(2)
    await page.getByRole('button', { name: 'Unverändert? Prüfen' }).click()
    await page.locator('[data-verified="ok"]').waitFor()
    await shot('audit')
  })

  it('speaks English too', async () => {
    await page.getByRole('button', { name: 'EN', exact: true }).click()
    await page.getByRole('heading', { name: 'Audit log' }).waitFor()
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Access' }).click()
    await page.getByRole('heading', { name: 'People' }).waitFor()
    await page.locator('#tokens').getByText('revoked').first().waitFor()
    await page.getByRole('button', { name: 'DE', exact: true }).click()
  })
})
