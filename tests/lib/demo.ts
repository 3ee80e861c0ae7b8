// A small, realistic office for board tests, screenshots and benchmarks: hosts enrolled and reporting through the real HTTP API.
import { randomUUID } from 'node:crypto'
import type { Facts, HostIdentity } from '@lagebild/shared'
import { report } from '../../packages/server/test/helper.js'

const HOUR = 3_600_000
const ago = (h: number, now = Date.now()) => new Date(now - h * HOUR).toISOString()

export type OsFamily = HostIdentity['os']['family']

export function identity(hostname: string, family: OsFamily, machineId = randomUUID().replace(/-/g, '')): HostIdentity {
  const os = {
    windows: { family, distribution: 'Windows 11 Pro', version: '23H2', build: '22631.4460' },
    macos: { family, distribution: 'macOS', version: '14.7', build: '23H124' },
    linux: { family, distribution: 'Debian GNU/Linux', version: '12', build: null },
  }[family]
  return {
    machineId,
    hostname,
    os,
    kernel: family === 'windows' ? '10.0.22631' : family === 'macos' ? '23.6.0' : '6.1.0-28-amd64',
    arch: family === 'macos' ? 'arm64' : 'x64',
    agentVersion: '0.1.0',
    bootTime: ago(30),
  }
}

/** Every fact of a well-kept host. */
export function goodFacts(family: OsFamily, now = Date.now()): Facts {
  const win = family === 'windows'
  return {
    'base.patches': { manager: win ? 'wua' : family === 'macos' ? 'softwareupdate' : 'apt', pending: 1, security: 0, items: [{ name: 'Defender platform update', security: false }], oldestPendingSince: ago(5, now), lastInstall: ago(20, now), lastCheck: ago(2, now), rebootRequired: false },
    'base.antimalware': { products: [{ name: win ? 'Microsoft Defender Antivirus' : family === 'macos' ? 'XProtect' : 'ClamAV', enabled: true, realTime: true, signatureVersion: win ? '1.421.118.0' : '27470', signatureUpdated: ago(6, now) }] },
    'base.firewall': {
      backend: win ? 'windows' : family === 'macos' ? 'socketfilterfw' : 'nftables',
      profiles: win
        ? [{ name: 'Domain', enabled: true, defaultInbound: 'block' }, { name: 'Private', enabled: true, defaultInbound: 'block' }, { name: 'Public', enabled: true, defaultInbound: 'block' }]
        : [{ name: family === 'macos' ? 'Application Firewall' : 'inet filter', enabled: true, defaultInbound: 'block' }],
    },
    'base.backups': { sources: [{ kind: win ? 'filehistory' : family === 'macos' ? 'timemachine' : 'restic', location: win ? '\\\\nas\\backup\\%COMPUTERNAME%' : family === 'macos' ? '/Volumes/Backup' : 'sftp:nas:/srv/restic', lastSuccess: ago(8, now), count: 42 }] },
    'base.encryption': { volumes: [{ mount: win ? 'C:' : '/', system: true, encrypted: true, method: win ? 'BitLocker' : family === 'macos' ? 'FileVault' : 'LUKS' }] },
    'base.user-rights': { group: win ? 'S-1-5-32-544' : family === 'macos' ? 'admin' : 'sudo', members: [{ name: win ? 'Administrator' : 'root', kind: 'user', builtin: true, dailyUse: false }, { name: 'it-admin', kind: 'user', builtin: false, dailyUse: false }] },
    'base.passwords': { guestEnabled: false, defaultAccountsEnabled: [], accountsWithoutPassword: [], minPasswordLength: 12, screenLockSeconds: 600 },
    'base.segmentation': { listening: [{ protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' }] },
    'base.inventory': { manufacturer: win ? 'Lenovo' : family === 'macos' ? 'Apple' : 'Fujitsu', model: win ? 'ThinkPad T14 Gen 4' : family === 'macos' ? 'MacBook Air (M2)' : 'PRIMERGY TX1330 M5', serial: null, cpu: win ? 'Intel Core i5-1345U' : family === 'macos' ? 'Apple M2' : 'Intel Xeon E-2334', cores: 8, memoryBytes: 16 * 1024 ** 3, virtual: false, osName: identity('x', family).os.distribution, osVersion: identity('x', family).os.version, osBuild: identity('x', family).os.build, disks: [{ name: 'nvme0n1', sizeBytes: 512 * 1000 ** 3, type: 'NVMe' }] },
  }
}

/** Deviations to mix in. */
export const problems = {
  staleBackup: (now = Date.now()): Facts => ({ 'base.backups': { sources: [{ kind: 'filehistory', location: 'E:\\Backup', lastSuccess: ago(24 * 9, now), count: 12 }] } }),
  firewallOff: (): Facts => ({ 'base.firewall': { backend: 'windows', profiles: [{ name: 'Domain', enabled: true, defaultInbound: 'block' }, { name: 'Private', enabled: true, defaultInbound: 'block' }, { name: 'Public', enabled: false, defaultInbound: 'block' }] } }),
  securityUpdates: (now = Date.now()): Facts => ({ 'base.patches': { manager: 'apt', pending: 7, security: 3, items: [{ name: 'openssl', version: '3.0.15-1~deb12u1', security: true, since: ago(24 * 6, now) }, { name: 'linux-image-amd64', version: '6.1.119-1', security: true, since: ago(24 * 6, now) }, { name: 'libexpat1', version: '2.5.0-1+deb12u1', security: true, since: ago(24 * 5, now) }], oldestPendingSince: ago(24 * 6, now), lastInstall: ago(24 * 12, now), lastCheck: ago(3, now), rebootRequired: true } }),
  unencrypted: (): Facts => ({ 'base.encryption': { volumes: [{ mount: 'C:', system: true, encrypted: false, status: 'FullyDecrypted' }] } }),
  avUnreadable: (): Facts => ({ 'base.antimalware': { error: { code: 'permission-denied', message: 'Get-MpComputerStatus: access denied' } } }),
}

/** The one report builder of the tests (the server's test harness). */
export { report }

export interface DemoHost {
  identity: HostIdentity
  auth: string
  hostId: string
}

/** Enrolls a host with a token over HTTP and returns its credentials. */
export async function enrollHost(base: string, token: string, id: HostIdentity): Promise<DemoHost> {
  const res = await fetch(`${base}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, host: id }) })
  if (res.status !== 200) throw new Error(`enroll ${id.hostname}: ${res.status} ${await res.text()}`)
  const c = (await res.json()) as { agentId: string; secret: string; hostId: string }
  return { identity: id, auth: `Bearer ${c.agentId}.${c.secret}`, hostId: c.hostId }
}

export async function sendReport(base: string, h: DemoHost, facts: Facts): Promise<void> {
  const res = await fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: h.auth }, body: JSON.stringify(report(h.identity, facts)) })
  if (res.status !== 200) throw new Error(`report ${h.identity.hostname}: ${res.status} ${await res.text()}`)
}

/** The office: most hosts fine, a few with the typical problems of a small company. */
export const OFFICE: { name: string; os: OsFamily; extra: (now: number) => Facts }[] = [
  { name: 'pc-buchhaltung', os: 'windows', extra: () => ({}) },
  { name: 'pc-empfang', os: 'windows', extra: () => problems.firewallOff() },
  { name: 'nb-geschaeftsfuehrung', os: 'windows', extra: (now) => problems.staleBackup(now) },
  { name: 'nb-vertrieb-2', os: 'windows', extra: () => ({ ...problems.unencrypted(), ...problems.avUnreadable() }) },
  { name: 'mac-design', os: 'macos', extra: () => ({}) },
  { name: 'srv-dateiablage', os: 'linux', extra: (now) => problems.securityUpdates(now) },
  { name: 'pc-lager', os: 'windows', extra: () => ({}) },
]
