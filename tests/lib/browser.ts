// Debian's Chromium driven by playwright-core: no browser download, a fresh profile each time.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

export interface Chromium {
  ctx: BrowserContext
  close(): Promise<void>
}

export async function launchChromium(opts: { locale?: string; viewport?: { width: number; height: number }; timezoneId?: string } = {}): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (listed in .ci/apt-packages.txt)`)
  const dataDir = mkdtempSync(join(tmpdir(), 'lagebild-chromium-'))
  const ctx = await chromium.launchPersistentContext(dataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    locale: opts.locale ?? 'de-DE',
    viewport: opts.viewport ?? { width: 1366, height: 900 },
    timezoneId: opts.timezoneId ?? 'Europe/Berlin',
  })
  return {
    ctx,
    async close() {
      await ctx.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Logs in on the German board as a person would, and waits for the overview. */
export async function boardLogin(page: import('playwright-core').Page, url: string, username: string, password: string) {
  await page.goto(url + '/')
  await page.getByLabel('Benutzername').fill(username)
  await page.getByLabel('Passwort').fill(password)
  await page.getByRole('button', { name: 'Anmelden' }).click()
  await page.getByRole('heading', { name: 'Übersicht' }).waitFor()
}

/** Chromium with one page logged in on the board (German unless told), each step given 15 s: what board tests start with. */
export async function openBoard(url: string, username: string, password: string, opts: Parameters<typeof launchChromium>[0] = {}) {
  const browser = await launchChromium({ locale: 'de-DE', ...opts })
  const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage())
  page.setDefaultTimeout(15_000)
  await boardLogin(page, url, username, password)
  return { browser, page }
}
