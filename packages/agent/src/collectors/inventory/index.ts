// base.inventory on every OS, through systeminformation (which reads dmidecode/WMI/system_profiler itself).
import type { InventoryFact } from '@lagebild/shared'
import { readTextIfExists } from '../../system.js'
import { execIfPresent } from '../tools.js'
import type { Collector } from '../types.js'
import { linuxVirtual } from './virtual.js'

const orNull = (s: string | undefined | null) => (s && s.trim() && !/^(default string|to be filled|system serial number|-)$/i.test(s.trim()) ? s.trim() : null)

async function readLinuxVirtual(siVirtual: boolean | undefined): Promise<boolean | null> {
  const detect = await execIfPresent('systemd-detect-virt', ['--vm'], { timeoutMs: 10_000 }).catch(() => null)
  return linuxVirtual(detect, await readTextIfExists('/proc/cpuinfo').catch(() => null), siVirtual)
}

export const collector: Collector<'base.inventory'> = {
  id: 'base.inventory',
  async collect(): Promise<InventoryFact> {
    const si = (await import('systeminformation')).default
    const [system, cpu, mem, os, disks] = await Promise.all([si.system(), si.cpu(), si.mem(), si.osInfo(), si.diskLayout()])
    return {
      manufacturer: orNull(system.manufacturer),
      model: orNull(system.model),
      serial: orNull(system.serial),
      cpu: orNull([cpu.manufacturer, cpu.brand].filter(Boolean).join(' ')),
      cores: Number.isInteger(cpu.cores) && cpu.cores > 0 ? cpu.cores : null,
      memoryBytes: Number.isInteger(mem.total) && mem.total > 0 ? mem.total : null,
      virtual: process.platform === 'linux' ? await readLinuxVirtual(system.virtual) : typeof system.virtual === 'boolean' ? system.virtual : null,
      osName: os.distro || os.platform,
      osVersion: os.release,
      osBuild: os.build || null,
      disks: disks.map((d) => ({ name: d.name || d.device, sizeBytes: Math.max(0, Math.round(d.size || 0)), type: d.type || undefined })),
    }
  },
}
