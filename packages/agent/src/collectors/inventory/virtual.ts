// Is this Linux machine virtual? systeminformation says false whenever it cannot read the DMI tables or dmesg — which
// a non-root agent cannot — so its false is no answer. These sources need no root.
import type { ExecResult } from '../../system.js'

/**
 * Pure: in order of trust —
 * 1. `systemd-detect-virt --vm`: a hypervisor's name (exit 0) or "none" (exit 1, bare metal);
 * 2. the CPU flag `hypervisor` in /proc/cpuinfo, which hypervisors set for their guests (x86);
 * 3. systeminformation's own true.
 * False only when one of them can tell bare metal (detect-virt "none", or x86 flags without `hypervisor`); else null.
 */
export function linuxVirtual(detectVirt: ExecResult | null, cpuinfo: string | null, siVirtual: boolean | undefined): boolean | null {
  const name = detectVirt?.stdout.trim()
  if (detectVirt?.code === 0 && name && name !== 'none') return true
  if (detectVirt?.code === 1 && name === 'none') return false
  const flags = cpuinfo ? /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.trim().split(/\s+/) : undefined
  if (flags?.includes('hypervisor')) return true
  if (siVirtual === true) return true
  return flags ? false : null
}
