// Who this host is: read once per collection through systeminformation (inventory only, as the research advises).
// systeminformation is loaded on first use only, so a resident agent that never needs it stays small.
import { arch, hostname, platform, release } from 'node:os'
import type { HostIdentity, OsFamily } from '@lagebild/shared'
import { AGENT_VERSION } from './version.js'
import { readTextIfExists } from './system.js'
import { safeIdentity } from './report-guard.js'

export function osFamily(p: NodeJS.Platform = platform()): OsFamily {
  if (p === 'win32') return 'windows'
  if (p === 'darwin') return 'macos'
  return 'linux'
}

/** A stable id: /etc/machine-id on Linux, MachineGuid / IOPlatformUUID via systeminformation elsewhere. */
async function machineId(si: typeof import('systeminformation')): Promise<string> {
  if (platform() === 'linux') {
    for (const f of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
      const v = (await readTextIfExists(f))?.trim()
      if (v && v.length >= 8) return v
    }
  }
  const uuid = await si.uuid()
  const v = uuid.os || uuid.hardware
  if (!v) throw new Error('no stable machine id could be read')
  return v
}

export async function readIdentity(): Promise<HostIdentity> {
  const si = (await import('systeminformation')).default
  const [os, id, time] = await Promise.all([si.osInfo(), machineId(si), Promise.resolve(si.time())])
  const bootMs = Date.now() - Math.round(Number(time.uptime) * 1000)
  return safeIdentity({
    machineId: id,
    hostname: os.hostname || hostname(),
    os: {
      family: osFamily(),
      distribution: os.distro || os.platform,
      version: os.release || release(),
      build: os.build || null,
    },
    kernel: os.kernel || release(),
    arch: os.arch || arch(),
    agentVersion: AGENT_VERSION,
    bootTime: Number.isFinite(bootMs) && Number(time.uptime) > 0 ? new Date(bootMs).toISOString() : null,
  })
}
