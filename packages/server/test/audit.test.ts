// The audit log: every admin action with who, when, from where and what; append-only; tampering is detected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { harness } from './helper.js'

let t: Awaited<ReturnType<typeof harness>>
beforeEach(async () => {
  t = await harness()
  await t.user('anna', 'correct horse battery', 'admin')
  await t.user('viktor', 'viewer password 1', 'viewer')
})
afterEach(async () => t.close())

async function session(username: string, password: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: '192.0.2.7' })
  const c = res.cookies.find((x) => x.name === 'lagebild_session')!
  const headers = { cookie: `lagebild_session=${c.value}`, 'x-csrf-token': res.json().csrfToken as string }
  return (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers, remoteAddress: '192.0.2.7' })
}
type Entry = { id: number; actor: string; via: string; ip: string | null; action: string; target: string | null; before: unknown; after: unknown }
const entries = async (q = '') =>
  (await t.app.inject({ url: `/api/v1/audit${q}`, headers: { authorization: `Bearer ${t.apiKey}` } })).json().entries as Entry[]

describe('audit log', () => {
  it('records who created an enrollment token, when and from where — never the token itself', async () => {
    const anna = await session('anna', 'correct horse battery')
    const res = await anna('POST', '/api/v1/enroll-tokens', { expires: '1d', uses: 3, tags: ['buero'] })
    expect(res.statusCode).toBe(200)
    const [e] = await entries('?action=token.')
    expect(e).toMatchObject({ actor: 'anna', via: 'session', ip: '192.0.2.7', action: 'token.create', target: `token:${res.json().id}` })
    expect(e!.after).toMatchObject({ maxUses: 3, tags: ['buero'] })
    expect(JSON.stringify(await entries())).not.toContain(res.json().token)
  })

  it('records every other admin change too, with its target, and leaves secrets out', async () => {
    const anna = await session('anna', 'correct horse battery')
    const ch = await anna('POST', '/api/v1/channels', { name: 'Hook', type: 'webhook', language: 'en', config: { url: 'https://hooks.example/T0/B0/s3cr3t', secret: 'a-long-shared-secret-1234' } })
    expect(ch.statusCode).toBe(201)
    await anna('PUT', '/api/v1/settings/alerts', { reminderHours: 12 })
    const list = await entries()
    const created = list.find((e) => e.action === 'post /api/v1/channels')
    expect(created).toMatchObject({ actor: 'anna', ip: '192.0.2.7' })
    expect(JSON.stringify(created)).not.toContain('s3cr3t')
    expect(JSON.stringify(created)).not.toContain('a-long-shared-secret')
    expect(list.find((e) => e.action === 'put /api/v1/settings/alerts')?.after).toMatchObject({ body: { reminderHours: 12 } })
  })

  it('records nothing for refused requests, and only admins may read it', async () => {
    const viktor = await session('viktor', 'viewer password 1')
    expect((await viktor('PUT', '/api/v1/settings/alerts', { reminderHours: 1 })).statusCode).toBe(403)
    expect((await viktor('GET', '/api/v1/audit')).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401)
    expect((await entries()).filter((e) => e.action.includes('settings'))).toEqual([])
  })

  it('is append-only, and a change made behind the server\'s back is detected', async () => {
    const anna = await session('anna', 'correct horse battery')
    for (const h of [6, 7, 8]) await anna('PUT', '/api/v1/settings/alerts', { reminderHours: h })
    const sqlite = t.db.$client
    expect(() => sqlite.prepare('UPDATE audit_log SET actor = ?').run('mallory')).toThrow(/append-only/)
    expect(() => sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    const verify = async () => (await t.app.inject({ url: '/api/v1/audit/verify', headers: { authorization: `Bearer ${t.apiKey}` } })).json()
    expect(await verify()).toMatchObject({ ok: true })

    // Someone with the file and another tool: drops the guard and rewrites one entry.
    sqlite.exec('DROP TRIGGER audit_log_no_update')
    const victim = (await entries('?action=put')).at(-1)!
    sqlite.prepare('UPDATE audit_log SET actor = ? WHERE id = ?').run('mallory', victim.id)
    expect(await verify()).toMatchObject({ ok: false, brokenAt: victim.id })
  })

  it('records the CLI with the operating-system user', () => {
    const bin = fileURLToPath(new URL('../bin/lagebild-server.mjs', import.meta.url))
    t.db.$client.pragma('wal_checkpoint(TRUNCATE)')
    const r = spawnSync(process.execPath, [bin, 'token', 'create', '--uses', '1', '--json'], {
      env: { ...process.env, LAGEBILD_DATA_DIR: t.dataDir, USER: 'itadmin', SUDO_USER: '' },
      encoding: 'utf8',
    })
    expect(r.status, r.stderr).toBe(0)
    const row = t.db.$client.prepare("SELECT actor, via, ip FROM audit_log WHERE action = 'token.create'").get()
    expect(row).toEqual({ actor: 'itadmin', via: 'cli', ip: null })
  })
})
