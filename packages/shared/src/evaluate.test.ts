// Every judge as a table: ok, deviation and unknown cases, and each threshold right at its limit and just past it.
// "unknown is never ok": a part that could not be read, a date that is no real instant or lies in the future, all end
// in unknown (or in a deviation where a problem is seen anyway), never in ok.
import { describe, expect, it } from 'vitest'
import { evaluateFact } from './evaluate.js'
import { FACT_IDS, type FactId, type FactValue, type PasswordsFact, type PatchesFact } from './facts.js'
import { DEFAULT_THRESHOLDS as th } from './measures.js'

const now = new Date('2026-11-28T08:00:00.000Z')
const HOUR = 3_600_000
/** The instant `h` hours before now (negative: in the future). */
const ago = (h: number) => new Date(now.getTime() - h * HOUR).toISOString()
const MINUTE_H = 1 / 60

type Status = 'ok' | 'deviation' | 'unknown'
interface Row<K extends FactId = FactId> {
  id: K
  name: string
  value: FactValue<K>
  status: Status
  /** A piece of the English reason the user reads. */
  says?: string
}
const row = <K extends FactId>(id: K, name: string, value: FactValue<K>, status: Status, says?: string): Row =>
  ({ id, name, value, status, ...(says ? { says } : {}) }) as Row

// ── base.patches ──
const patches = (p: Partial<PatchesFact> = {}): PatchesFact => ({
  manager: 'apt', pending: 0, security: 0, items: [], oldestPendingSince: null, lastInstall: null, lastCheck: ago(1), rebootRequired: false, ...p,
})
const secItem = (since: string | null | undefined) => ({ name: 'openssl', security: true, ...(since !== undefined ? { since } : {}) })

// ── base.antimalware ──
const product = (p: Partial<FactValue<'base.antimalware'>['products'][number]> = {}) => ({
  name: 'Example AV', enabled: true as boolean | null, realTime: true as boolean | null, signatureVersion: null, signatureUpdated: ago(1) as string | null, ...p,
})
const av = (p: Parameters<typeof product>[0] = {}) => ({ products: [product(p)] })

// ── base.backups ──
const backup = (lastSuccess: string | null, extra: object = {}) => ({ sources: [{ kind: 'restic', location: '/srv/restic', lastSuccess, ...extra }] })

// ── base.passwords ──
const pw = (p: Partial<PasswordsFact> = {}): PasswordsFact => ({
  guestEnabled: false, accountsWithoutPassword: [], minPasswordLength: 12, screenLockSeconds: 300, ...p,
})

const user = (name: string, dailyUse: boolean | null, extra: object = {}) => ({ name, kind: 'user' as const, builtin: false, dailyUse, ...extra })

const table: Row[] = [
  row('base.patches', 'nothing pending, checked an hour ago, no restart due', patches(), 'ok', '0 updates pending'),
  row('base.patches', 'security update exactly at its limit', patches({ pending: 1, security: 1, items: [secItem(ago(th.securityUpdateMaxHours))] }), 'ok'),
  row('base.patches', 'two security updates, plural in both languages', patches({ pending: 2, security: 2, items: [secItem(ago(80)), secItem(ago(80))] }), 'deviation', '2 security updates pending'),
  row('base.patches', 'security update a minute past its limit', patches({ pending: 1, security: 1, items: [secItem(ago(th.securityUpdateMaxHours + MINUTE_H))] }), 'deviation', '1 security update pending, for 3 d'),
  row('base.patches', 'security update of unknown age', patches({ pending: 1, security: 1, items: [secItem(undefined)] }), 'deviation', 'for an unknown time'),
  row('base.patches', 'one dated fresh security update does not hide an undated one', patches({ pending: 2, security: 2, items: [secItem(ago(1)), secItem(undefined)] }), 'deviation', 'for an unknown time'),
  row('base.patches', 'more security updates counted than listed', patches({ pending: 3, security: 3, items: [secItem(ago(1))] }), 'deviation', 'for an unknown time'),
  row('base.patches', 'security update with a leap-second date', patches({ pending: 1, security: 1, items: [secItem('2026-06-30T23:59:60Z')] }), 'deviation', 'for an unknown time'),
  row('base.patches', 'pending updates at their limit', patches({ pending: th.pendingUpdatesMax }), 'ok'),
  row('base.patches', 'pending updates one past their limit', patches({ pending: th.pendingUpdatesMax + 1 }), 'deviation', `${th.pendingUpdatesMax + 1} updates pending`),
  row('base.patches', 'last check exactly at its limit', patches({ lastCheck: ago(th.updateCheckMaxHours) }), 'ok'),
  row('base.patches', 'last check a minute past its limit', patches({ lastCheck: ago(th.updateCheckMaxHours + MINUTE_H) }), 'deviation', 'Last check for updates 3 d ago'),
  row('base.patches', 'never checked', patches({ lastCheck: null }), 'unknown', 'cannot be trusted'),
  row('base.patches', 'last check is no real instant', patches({ lastCheck: '2026-12-31T23:59:60Z' }), 'unknown', 'date unreadable'),
  row('base.patches', 'last check in the future beyond clock skew', patches({ lastCheck: ago(-(1 + MINUTE_H)) }), 'unknown', 'in the future'),
  row('base.patches', 'last check slightly in the future (clock skew)', patches({ lastCheck: ago(-0.5) }), 'ok'),
  row('base.patches', 'restart pending exactly at its limit', patches({ rebootRequired: true, rebootRequiredSince: ago(th.rebootPendingMaxHours) }), 'ok'),
  row('base.patches', 'restart pending a minute past its limit', patches({ rebootRequired: true, rebootRequiredSince: ago(th.rebootPendingMaxHours + MINUTE_H) }), 'deviation', 'restart is pending'),
  row('base.patches', 'restart pending since an unknown time', patches({ rebootRequired: true }), 'deviation', 'for an unknown time'),
  row('base.patches', 'whether a restart is pending is unknown', patches({ rebootRequired: null }), 'unknown', 'wait for a restart'),
  row('base.patches', 'a problem is reported even when other parts are unknown', patches({ pending: 40, lastCheck: null, rebootRequired: null }), 'deviation'),

  row('base.antimalware', 'active, signatures an hour old', av(), 'ok', 'Example AV active, signatures 1 h old'),
  row('base.antimalware', 'signatures exactly at their limit', av({ signatureUpdated: ago(th.signatureMaxHours) }), 'ok'),
  row('base.antimalware', 'signatures a minute past their limit', av({ signatureUpdated: ago(th.signatureMaxHours + MINUTE_H) }), 'deviation', 'signatures are 3 d old'),
  row('base.antimalware', 'XProtect at its own limit', av({ name: 'XProtect', signatureUpdated: ago(th.xprotectMaxHours) }), 'ok'),
  row('base.antimalware', 'XProtect a minute past its own limit', av({ name: 'XProtect', signatureUpdated: ago(th.xprotectMaxHours + MINUTE_H) }), 'deviation'),
  row('base.antimalware', 'signature date NaN ("NaN h old" once passed as ok)', av({ signatureUpdated: '2026-12-31T23:59:60Z' }), 'unknown', 'date unreadable'),
  row('base.antimalware', 'signature date far in the future', av({ signatureUpdated: ago(-48) }), 'unknown', 'in the future'),
  row('base.antimalware', 'no product', { products: [] }, 'deviation', 'No anti-malware found'),
  row('base.antimalware', 'switched off', av({ enabled: false }), 'deviation', 'switched off'),
  row('base.antimalware', 'whether it runs is unknown', av({ enabled: null }), 'unknown'),
  row('base.antimalware', 'real-time protection off', av({ realTime: false }), 'deviation', 'real-time protection is off'),
  row('base.antimalware', 'real-time protection unknown', av({ realTime: null }), 'unknown', 'real-time protection state unknown'),
  row('base.antimalware', 'no date, the product says current', av({ signatureUpdated: null, signaturesUpToDate: true }), 'ok', 'signatures current (as reported by the product)'),
  row('base.antimalware', 'no date, the product says out of date', av({ signatureUpdated: null, signaturesUpToDate: false }), 'deviation', 'signatures out of date'),
  row('base.antimalware', 'no date and no word from the product', av({ signatureUpdated: null }), 'unknown', 'signature age unknown'),
  row('base.antimalware', 'a date wins over the product flag', av({ signatureUpdated: ago(200), signaturesUpToDate: true }), 'deviation'),
  row('base.antimalware', 'current signatures do not hide an unknown real-time state', av({ signatureUpdated: null, signaturesUpToDate: true, realTime: null }), 'unknown'),

  row('base.firewall', 'on, inbound blocked', { backend: 'ufw', profiles: [{ name: 'ufw', enabled: true, defaultInbound: 'block' }] }, 'ok', 'Firewall on (ufw)'),
  row('base.firewall', 'no firewall', { backend: 'none', profiles: [] }, 'deviation', 'No firewall found'),
  row('base.firewall', 'one profile off', { backend: 'windows', profiles: [{ name: 'Domain', enabled: true, defaultInbound: 'block' }, { name: 'Public', enabled: false, defaultInbound: 'block' }] }, 'deviation', 'Firewall off: Public'),
  row('base.firewall', 'inbound allowed by default', { backend: 'nftables', profiles: [{ name: 'inet filter input', enabled: true, defaultInbound: 'allow' }] }, 'deviation', 'allowed by default'),
  row('base.firewall', 'default inbound policy unknown', { backend: 'firewalld', profiles: [{ name: 'firewalld zone public', enabled: true, defaultInbound: 'unknown' }] }, 'unknown'),
  row('base.firewall', 'whether a profile is on is unknown', { backend: 'windows', profiles: [{ name: 'Private', enabled: null, defaultInbound: 'block' }] }, 'unknown'),

  row('base.backups', 'newest backup an hour old', backup(ago(1)), 'ok', 'Newest backup 1 h old'),
  row('base.backups', 'backup exactly at its limit', backup(ago(th.backupMaxHours)), 'ok'),
  row('base.backups', 'backup a minute past its limit', backup(ago(th.backupMaxHours + MINUTE_H)), 'deviation', 'Backup too old or missing: restic /srv/restic: 26 h'),
  row('base.backups', 'no backup configured or found', { sources: [] }, 'deviation', 'No backup found'),
  row('base.backups', 'a source without any backup', backup(null), 'deviation', 'restic /srv/restic: —'),
  row('base.backups', 'a source that could not be read', backup(null, { error: { code: 'permission-denied', message: 'no key' } }), 'unknown', 'could not be read: /srv/restic'),
  row('base.backups', 'a leap-second date ("NaN h old" once passed as ok)', backup('2026-12-31T23:59:60Z'), 'unknown', 'could not be read'),
  row('base.backups', 'a date a day in the future', backup(ago(-24)), 'unknown', 'could not be read'),
  row('base.backups', 'a stale source wins over an unreadable one', { sources: [{ kind: 'folder', location: '/mnt/a', lastSuccess: ago(100) }, { kind: 'borg', location: '/mnt/b', lastSuccess: null, error: { code: 'failed', message: 'x' } }] }, 'deviation'),

  row('base.encryption', 'system volume encrypted', { volumes: [{ mount: '/', system: true, encrypted: true, method: 'LUKS' }] }, 'ok', 'encrypted (LUKS)'),
  row('base.encryption', 'system volume not encrypted', { volumes: [{ mount: 'C:', system: true, encrypted: false }] }, 'deviation', 'C: is not encrypted'),
  row('base.encryption', 'encryption state unknown', { volumes: [{ mount: '/', system: true, encrypted: null }] }, 'unknown'),
  row('base.encryption', 'no system volume among those read', { volumes: [{ mount: '/data', system: false, encrypted: true }] }, 'unknown', 'System volume not found'),

  row('base.user-rights', 'only built-in accounts and groups', { group: 'S-1-5-32-544', members: [user('Administrator', true, { builtin: true }), { name: 'Domain Admins', kind: 'group', builtin: true, dailyUse: null }] }, 'ok'),
  row('base.user-rights', 'a daily account is an admin', { group: 'sudo', members: [user('alice', true)] }, 'deviation', 'Daily accounts with admin rights: alice'),
  row('base.user-rights', 'an admin account, not used daily', { group: 'sudo', members: [user('admin', false)] }, 'ok'),
  row('base.user-rights', 'whether an admin account is used daily is unknown', { group: 'admin', members: [user('bob', null)] }, 'unknown'),

  row('base.passwords', 'every part read and fine', pw(), 'ok', 'minimum length 12, screen lock after 300 s'),
  row('base.passwords', 'minimum length exactly at its limit', pw({ minPasswordLength: th.minPasswordLength }), 'ok'),
  row('base.passwords', 'minimum length one below its limit', pw({ minPasswordLength: th.minPasswordLength - 1 }), 'deviation', `Minimum password length is ${th.minPasswordLength - 1}`),
  row('base.passwords', 'screen lock exactly at its limit', pw({ screenLockSeconds: th.screenLockMaxSeconds }), 'ok'),
  row('base.passwords', 'screen lock a second past its limit', pw({ screenLockSeconds: th.screenLockMaxSeconds + 1 }), 'deviation', 'Screen lock is missing or too late'),
  row('base.passwords', 'no desktop at all: the screen lock does not apply', pw({ screenLockSeconds: null, localDesktop: false }), 'ok', 'no graphical login'),
  row('base.passwords', 'a desktop whose screen lock cannot be read', pw({ screenLockSeconds: null, localDesktop: true }), 'unknown', 'screen locks'),
  row('base.passwords', 'unknown whether there is a desktop', pw({ screenLockSeconds: null, localDesktop: null }), 'unknown', 'screen locks'),
  row('base.passwords', 'screen never locks', pw({ screenLockSeconds: 0 }), 'deviation', 'Screen lock is missing'),
  row('base.passwords', 'minimum length and screen lock unknown (was judged ok)', pw({ minPasswordLength: null, screenLockSeconds: null }), 'unknown', 'minimum password length'),
  row('base.passwords', 'screen lock unknown', pw({ screenLockSeconds: null }), 'unknown', 'whether and when the screen locks'),
  row('base.passwords', 'an account without a password', pw({ accountsWithoutPassword: ['bob'] }), 'deviation', 'Accounts without password: bob'),
  row('base.passwords', 'an account allowed an empty password (Windows)', pw({ accountsWithoutPassword: null, passwordNotRequired: ['kiosk'] }), 'deviation', 'allowed to have an empty password: kiosk'),
  row('base.passwords', 'Windows shape: nobody allowed an empty password', pw({ accountsWithoutPassword: null, passwordNotRequired: [] }), 'ok', 'no account is allowed an empty password'),
  row('base.passwords', 'guest enabled', pw({ guestEnabled: true }), 'deviation', 'guest account is enabled'),
  row('base.passwords', 'default account enabled', pw({ defaultAccountsEnabled: ['Administrator'] }), 'deviation', 'Default accounts enabled: Administrator'),
  row('base.passwords', 'accounts unread: a readable guest does not make up for it', pw({ accountsWithoutPassword: null }), 'unknown', 'accounts without a password'),
  row('base.passwords', 'guest state unknown', pw({ guestEnabled: null }), 'unknown', 'guest account'),
  row('base.passwords', 'a problem is reported even when other parts are unknown', pw({ guestEnabled: true, minPasswordLength: null, screenLockSeconds: null }), 'deviation'),

  row('base.segmentation', 'nothing risky listening', { listening: [{ protocol: 'tcp', address: '0.0.0.0', port: 22 }] }, 'ok', 'none risky'),
  row('base.segmentation', 'RDP open to the network', { listening: [{ protocol: 'tcp', address: '0.0.0.0', port: 3389, risky: 'RDP' }] }, 'deviation', 'RDP (3389)'),
  row('base.segmentation', 'listening services could not be read', { error: { code: 'permission-denied', message: 'ss' } } as never, 'unknown'),

  row('base.inventory', 'an inventory was read', { manufacturer: null, model: 'ThinkPad T14', serial: null, cpu: null, cores: 8, memoryBytes: null, virtual: null, osName: 'Debian GNU/Linux', osVersion: '12', osBuild: null, disks: [] }, 'ok', 'Debian GNU/Linux 12, ThinkPad T14'),
  row('base.inventory', 'the inventory could not be read', { error: { code: 'timeout', message: 'dmidecode' } } as never, 'unknown'),
  // base.inventory has no deviation of its own: a host that stops reporting is the measure agent.silent (server side).
]

describe.each(FACT_IDS)('%s', (id) => {
  const rows = table.filter((r) => r.id === id)
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_, r) => {
    const f = evaluateFact(r.id, r.value as never, th, now)
    expect(f.status, f.reason.en).toBe(r.status)
    if (r.says) expect(f.reason.en).toContain(r.says)
    expect(f.reason.en).not.toMatch(/NaN|Infinity|-\d+ h/)
    expect(f.reason.de.length).toBeGreaterThan(0)
    if (f.status === 'deviation') expect(f.fix?.de && f.fix.en).toBeTruthy()
  })

  it('the table has ok, deviation and unknown cases', () => {
    const statuses = new Set(rows.map((r) => r.status))
    expect(statuses).toEqual(new Set(id === 'base.inventory' ? ['ok', 'unknown'] : ['ok', 'deviation', 'unknown']))
  })
})

describe('a missing slot or an error is never ok', () => {
  it.each(FACT_IDS)('%s', (id) => {
    expect(evaluateFact(id, undefined, th, now).status).toBe('unknown')
    for (const code of ['not-implemented', 'command-missing', 'permission-denied', 'timeout', 'parse-error', 'failed'] as const)
      expect(evaluateFact(id, { error: { code, message: 'x' } }, th, now).status).toBe('unknown')
    expect(evaluateFact(id, { error: { code: 'not-supported', message: 'x' } }, th, now).status).toBe('not-applicable')
  })
})
