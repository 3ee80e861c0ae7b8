// Builds the real app on a real SQLite file in a temp directory; tests call inject.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Report } from '@lagebild/shared'
import { buildServer } from '../src/build.js'
import { configFromEnv } from '../src/config.js'
import { openDb } from '../src/db/index.js'
import { createEnrollToken } from '../src/services/enrollment.js'
import { createApiKey, createUser } from '../src/services/people.js'

export async function testApp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'lagebild-test-'))
  const db = openDb(dataDir)
  const app = await buildServer({ config: configFromEnv({ dataDir, logLevel: 'silent' }), db, logger: false })
  await app.ready()
  const apiKey = createApiKey(db, 'test').key
  return {
    app,
    db,
    dataDir,
    apiKey,
    token: () => createEnrollToken(db, {}).token,
    async user(username: string, password: string, role: 'admin' | 'viewer') {
      return createUser(db, username, password, role)
    },
    async close() {
      await app.close()
      db.$client.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const host = (machineId = randomUUID().replace(/-/g, '')) => ({
  machineId,
  hostname: 'pc-buchhaltung',
  os: { family: 'windows' as const, distribution: 'Windows 11 Pro', version: '23H2', build: '22631.4460' },
  kernel: '10.0.22631',
  arch: 'x64',
  agentVersion: '0.1.0',
  bootTime: '2026-11-27T07:00:00.000Z',
})

export function report(h: ReturnType<typeof host>, facts: Report['facts'] = {}, over: Partial<Report> = {}): Report {
  return { v: 1, id: randomUUID(), kind: 'full', collectedAt: new Date().toISOString(), host: h, facts, ...over }
}

export const firewallOff: Report['facts'] = {
  'base.firewall': { backend: 'windows', profiles: [{ name: 'Public', enabled: false, defaultInbound: 'block' }, { name: 'Private', enabled: true, defaultInbound: 'block' }] },
}
export const firewallOn: Report['facts'] = {
  'base.firewall': { backend: 'windows', profiles: [{ name: 'Public', enabled: true, defaultInbound: 'block' }, { name: 'Private', enabled: true, defaultInbound: 'block' }] },
}
