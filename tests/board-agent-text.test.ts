// Agent text on the board in a real browser (issue #11 item 9): the longest host name the report allows must not push
// the columns out of view, a long reason must not run under the buttons, and a direction override must be shown, not
// obeyed. LAGEBILD_SCREENSHOTS=1 writes docs/screenshots/long-names-*.png (or =FOLDER: there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium, type Chromium } from './lib/browser.js'
import { ROOT, removeDir, startServer, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, sendReport, type DemoHost } from './lib/demo.js'

const PASSWORD = 'correct horse battery'
const SHOTS = process.env.LAGEBILD_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : process.env.LAGEBILD_SCREENSHOTS || null
// 253 characters without a break: the longest host name the report schema accepts.
const LONG_NAME = `srv-${'abcdefghij'.repeat(24)}-${'x'.repeat(8)}`
// Free text in a fact: unbroken, and with a right-to-left override that would show "gnp.exe" as "exe.png".
const LONG_PROFILE = `Public-${'y'.repeat(400)}`
const RLO_PROCESS = 'invoice-\u202Egnp.exe'

let server: RealServer
let browser: Chromium
let page: Page
let longHost: DemoHost

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  expect(LONG_NAME).toHaveLength(253)
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  const { token } = JSON.parse(await server.cli(['token', 'create', '--expires', '1h', '--uses', '5', '--json'])) as { token: string }
  const now = Date.now()
  longHost = await enrollHost(server.url, token, identity(LONG_NAME, 'windows'))
  await sendReport(server.url, longHost, {
    ...goodFacts('windows', now),
    'base.firewall': { backend: 'windows', profiles: [{ name: LONG_PROFILE, enabled: false, defaultInbound: 'block' }] },
    'base.segmentation': { listening: [{ protocol: 'tcp', address: '0.0.0.0', port: 3389, process: RLO_PROCESS, risky: 'RDP' }] },
  })
  const short = await enrollHost(server.url, token, identity('pc-empfang', 'windows'))
  await sendReport(server.url, short, goodFacts('windows', now))

  browser = await launchChromium({ locale: 'de-DE', viewport: { width: 1366, height: 900 } })
  page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage())
  page.setDefaultTimeout(15_000)
  await page.goto(server.url + '/')
  await page.getByLabel('Benutzername').fill('admin')
  await page.getByLabel('Passwort').fill(PASSWORD)
  await page.getByRole('button', { name: 'Anmelden' }).click()
  await page.getByRole('heading', { name: 'Anmelden' }).waitFor({ state: 'detached' })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

async function shot(name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

/** The page does not scroll sideways: nothing was pushed out of view. */
const noSidewaysScroll = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1')

describe('long and hostile agent text on the board', () => {
  it('hosts list: every column stays in view; the long name is cut with its full text in a tooltip', async () => {
    await page.goto(`${server.url}/hosts`)
    const row = page.locator(`tr[data-host="${LONG_NAME}"]`)
    await row.waitFor()
    expect(await noSidewaysScroll()).toBe(true)
    // The last column of the long host's row is inside the window.
    const last = await row.locator('td').last().boundingBox()
    expect(last!.x + last!.width).toBeLessThanOrEqual(1366)
    const name = row.locator('td.host-name a')
    expect(await name.getAttribute('title')).toBe(LONG_NAME)
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
    await shot('long-names-hosts')
  })

  it('host page: the title wraps inside the page; a direction override is shown as [U+202E], not obeyed', async () => {
    await page.goto(`${server.url}/hosts/${longHost.hostId}`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    expect(await noSidewaysScroll()).toBe(true)
    const body = await page.locator('main').innerText()
    expect(body).toContain('invoice-[U+202E]gnp.exe')
    expect(body).not.toContain('\u202E')
    await shot('long-names-host')
  })

  it('alerts: a long reason wraps and never runs under the buttons', async () => {
    await page.goto(`${server.url}/alerts`)
    const item = page.locator('li.alert-item').filter({ hasText: 'Firewall' }).first()
    await item.waitFor()
    expect(await noSidewaysScroll()).toBe(true)
    const reason = await item.locator('.alert-reason').boundingBox()
    const button = await item.getByRole('button').first().boundingBox()
    expect(reason && button).toBeTruthy()
    const overlap = reason!.x < button!.x + button!.width && button!.x < reason!.x + reason!.width && reason!.y < button!.y + button!.height && button!.y < reason!.y + reason!.height
    expect(overlap).toBe(false)
    await shot('long-names-alerts')
  })

  it('overview: the hosts that need attention keep their layout', async () => {
    await page.goto(`${server.url}/`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    expect(await noSidewaysScroll()).toBe(true)
  })
})
