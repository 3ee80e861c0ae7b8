import { describe, expect, it } from 'vitest'
import { collector } from './linux.js'
import { parseLsblkEncryption } from './parse-linux.js'
import { expectValid, fixtures, isLinux, judge, requireTool } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

// Constructed (not recorded): the usual Debian/Ubuntu "encrypted LVM" layout in lsblk -J's shape.
const LUKS_LVM = JSON.stringify({
  blockdevices: [
    {
      name: 'nvme0n1', type: 'disk', fstype: null, mountpoints: [null], children: [
        { name: 'nvme0n1p1', type: 'part', fstype: 'vfat', mountpoints: ['/boot/efi'] },
        { name: 'nvme0n1p2', type: 'part', fstype: 'ext4', mountpoints: ['/boot'] },
        {
          name: 'nvme0n1p3', type: 'part', fstype: 'crypto_LUKS', mountpoints: [null], children: [
            {
              name: 'nvme0n1p3_crypt', type: 'crypt', fstype: 'LVM2_member', mountpoints: [null], children: [
                { name: 'vg-root', type: 'lvm', fstype: 'ext4', mountpoints: ['/'] },
                { name: 'vg-swap', type: 'lvm', fstype: 'swap', mountpoints: ['[SWAP]'] },
              ],
            },
          ],
        },
      ],
    },
  ],
})

describe('parseLsblkEncryption', () => {
  it.each([
    ['lsblk-plain-vm.json', [{ mount: '/', device: 'vda', system: true, encrypted: false }]],
    ['lsblk-plain-vm-mountpoint.json', [{ mount: '/', device: 'vda', system: true, encrypted: false }]],
  ])('%s', (file, want) => expect(parseLsblkEncryption(fixture(file))).toMatchObject(want))

  it('/ on LVM inside LUKS: encrypted, system first; /boot is not', () => {
    const v = parseLsblkEncryption(LUKS_LVM)
    expect(v.map((x) => [x.mount, x.system, x.encrypted, x.method])).toEqual([
      ['/', true, true, 'LUKS'],
      ['/boot/efi', false, false, undefined],
      ['/boot', false, false, undefined],
    ])
    expect(judge('base.encryption', { volumes: v }).status).toBe('ok')
  })
})

describe.runIf(isLinux)('live on this machine', () => {
  it('the system volume is listed first and matches the schema', async () => {
    await requireTool('lsblk')
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.encryption', fact)
    expect(fact.volumes[0]?.system).toBe(true)
    expect(fact.volumes[0]?.mount).toBe('/')
  })
})
