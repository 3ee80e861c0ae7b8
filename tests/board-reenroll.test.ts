// A PC that is enrolled already asks to enroll again, seen on the board in a real browser (Debian's Chromium) against
// the real server: the notice in the host list arrives live, the host page shows who asks from where with which token,
// "Erlauben" lets exactly that PC enroll (the old agent's WebSocket is closed with agent-replaced), a viewer sees the
// request read-only, and the enroll page says what pasting the line on such a PC does. Loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { boardLogin, openBoard, type Chromium } from './lib/browser.js'
import { ROOT, removeDir, startServer, type RealServer } from './lib/real.js'
import { enrollHost, goodFacts, identity, sendReport, type DemoHost } from './lib/demo.js'
import { agentSocket } from '../packages/server/test/helper.js'

const PASSWORD = 'correct horse battery'
const SHOTS = process.env.LAGEBILD_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : null

let server: RealServer
let browser: Chromium
let page: Page
let empfang: DemoHost

const token = async () => (JSON.parse(await server.cli(['token', 'create', '--json'])) as { token: string }).token
/** What the agent's `enroll` sends, again and again while it waits. */
const ask = (t: string, key: string, h: DemoHost) =>
  fetch(`${server.url}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t, host: h.identity, approvalKey: key }) })
const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/server/web-dist/index.html'))) throw new Error('the board is not built: npm run build')
  server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD })
  await server.cli(['user', 'create', '--username', 'vera', '--role', 'viewer', '--password', 'viewer password 1'])
  empfang = await enrollHost(server.url, await token(), identity('pc-empfang', 'windows'))
  await sendReport(server.url, empfang, goodFacts('windows'))
  const board = await openBoard(server.url, 'admin', PASSWORD)
  browser = board.browser
  page = board.page
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('enrolling a PC again, on the board', () => {
  it('the request arrives live in the host list; "Erlauben" on the host page lets the waiting PC enroll and the old agent is replaced', async () => {
    const old = agentSocket(`${server.url.replace('http', 'ws')}/api/v1/agent`, { authorization: empfang.auth })
    await old.opened
    await page.getByRole('link', { name: 'Rechner', exact: true }).click()
    await page.getByRole('heading', { name: 'Rechner', level: 1 }).waitFor()
    expect(await page.locator('[data-enroll-requests]').count()).toBe(0)

    // The install line pasted on the reinstalled PC: the agent asks and waits.
    const t = await token()
    const key = randomBytes(32).toString('base64url')
    const first = await ask(t, key, empfang)
    expect(first.status).toBe(409)
    const notice = page.locator('[data-enroll-requests]')
    await notice.getByText('1 PC, der schon angemeldet ist, bittet um eine neue Anmeldung:').waitFor()
    await shot('reenroll-notice')
    await notice.getByRole('link', { name: 'pc-empfang' }).click()

    const request = page.locator('[data-enroll-request]')
    await request.getByRole('heading', { name: 'Dieser PC möchte sich neu anmelden' }).waitFor()
    // Who asks, from where, with which token: what the admin needs to decide.
    await expect.poll(() => request.locator('dl').innerText()).toMatch(/Meldet sich als\s+pc-empfang · Windows 11 Pro 23H2/)
    expect(await request.locator('dl').innerText()).toMatch(/Von Adresse\s+127\.0\.0\.1/)
    expect(await request.locator('dl').innerText()).toMatch(/Mit Anmeldeschlüssel\s+\w{8} erzeugt von \S+/)
    await shot('reenroll-host-page')

    await request.getByRole('button', { name: 'Erlauben' }).click()
    await request.getByText('Der neue Agent ersetzt den bisherigen Agenten dieses Rechners').waitFor()
    expect((await ask(t, key, empfang)).status).toBe(409) // asked, not yet confirmed
    await request.getByRole('button', { name: 'Erlauben' }).click()
    await page.locator('[data-enroll-request][data-state="approved"]').getByText(/Erlaubt von admin\. Der wartende PC meldet sich/).waitFor()

    // The waiting agent asks again and gets its credentials; the old one is closed with the reason.
    const done = await ask(t, key, empfang)
    expect(done.status).toBe(200)
    const closed = await old.closed
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/^agent-replaced: /)
    // The board follows by itself: the request is gone, the old agent shows as replaced.
    await page.locator('[data-enroll-request]').waitFor({ state: 'detached' })
    await page.locator('#host-lifecycle [data-state="revoked"]').getByText(/ersetzt/).waitFor()
  })

  it('a viewer sees a request read-only; the enroll page explains the confirmation', async () => {
    expect((await ask(await token(), randomBytes(32).toString('base64url'), empfang)).status).toBe(409)
    await browser.ctx.clearCookies()
    await boardLogin(page, server.url, 'vera', 'viewer password 1')
    await page.goto(`${server.url}/hosts/${empfang.hostId}`)
    const request = page.locator('[data-enroll-request]')
    await request.getByText('Nur ein Admin kann das erlauben oder ablehnen.').waitFor()
    expect(await request.getByRole('button').count()).toBe(0)

    await browser.ctx.clearCookies()
    await boardLogin(page, server.url, 'admin', PASSWORD)
    await page.goto(`${server.url}/enroll`)
    await page.locator('[data-reenroll-help]').getByText(/Die Zeile trotzdem einfügen: Sie wartet, bis ein Admin die neue Anmeldung auf der Rechnerseite erlaubt/).waitFor()
  })
})
