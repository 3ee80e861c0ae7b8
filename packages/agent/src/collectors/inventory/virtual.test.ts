// inventory.virtual: never false only because a non-root agent could not read the DMI tables.
import { describe, expect, it } from 'vitest'
import { isLinux, fixtures, runUnprivileged } from '../test-helpers.js'
import { exec } from '../../system.js'
import { linuxVirtual } from './virtual.js'

const fixture = fixtures(import.meta.url, 'linux').text
const kvmFlags = fixture('cpuinfo-flags-kvm-guest.txt')
const bareFlags = kvmFlags.replace(/ hypervisor\b/, '')
const ran = (stdout: string, code: number) => ({ stdout, stderr: '', code })

describe('linuxVirtual', () => {
  it.each([
    ['systemd-detect-virt names a hypervisor', ran('kvm\n', 0), null, false, true],
    ['systemd-detect-virt says none', ran('none\n', 1), kvmFlags, undefined, false],
    ['no systemd: the CPU\'s hypervisor flag', null, kvmFlags, false, true],
    ['no systemd, x86 flags without hypervisor: bare metal', null, bareFlags, false, false],
    ['nothing readable, systeminformation says false (it says so without root on any VM): unknown', null, null, false, null],
    ['nothing readable, systeminformation found a VM', null, null, true, true],
  ] as const)('%s', (_, detect, cpuinfo, si, want) => expect(linuxVirtual(detect, cpuinfo, si)).toBe(want))
})

describe.runIf(isLinux)('live on this machine (read only)', () => {
  it('a non-root agent reports the same answer as systemd-detect-virt, never false on a VM', async () => {
    const detect = await exec('systemd-detect-virt', ['--vm']).catch(() => null)
    const index = new URL('./index.ts', import.meta.url).href
    const r = (await runUnprivileged(
      `const { collector } = await import(${JSON.stringify(index)})
       print((await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })).virtual)`,
      { PATH: '/usr/bin:/bin' },
    )) as boolean | null
    if (detect?.code === 0 && detect.stdout.trim() !== 'none') expect(r).toBe(true)
    else if (detect?.code === 1) expect(r).toBe(false)
    else expect(r).not.toBe(false) // without systemd-detect-virt only a bare-metal proof may say false
  }, 60_000)
})
