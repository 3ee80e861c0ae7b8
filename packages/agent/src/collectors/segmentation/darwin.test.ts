import { describe, expect, it } from 'vitest'
import { SegmentationFactSchema } from '@lagebild/shared'
import { parseLsofListen } from './darwin.js'
import { riskyTcpService } from './risky-ports.js'
import { expectFailure, expectValid, fixtures } from '../test-helpers.js'

const F = fixtures(import.meta.url, 'darwin')

describe('parseLsofListen (real macOS lsof -iTCP -sTCP:LISTEN -n -P)', () => {
  it('drops loopback and duplicates, keeps link-local, names risky ports (Screen Sharing, ARD), SSH not risky', () => {
    const listening = parseLsofListen(F.text('lsof-listen-macos.txt'))
    expectValid(SegmentationFactSchema, { listening })
    expect(listening.map((l) => `${l.address}:${l.port}${l.risky ? ` ${l.risky}` : ''}`)).toEqual([
      ':::22', '0.0.0.0:22',
      ':::5900 VNC', '0.0.0.0:5900 VNC',
      'fe80:5::aede:48ff:fe00:1122:49154', 'fe80:5::aede:48ff:fe00:1122:49155', 'fe80:5::aede:48ff:fe00:1122:49156',
      'fe80:5::aede:48ff:fe00:1122:49157', 'fe80:5::aede:48ff:fe00:1122:49158', 'fe80:5::aede:48ff:fe00:1122:49159',
      ':::88', '0.0.0.0:88',
      '0.0.0.0:49177', ':::49177',
      ':::3283 Apple Remote Desktop',
      '0.0.0.0:15018',
    ])
    expect(listening[2]).toEqual({ protocol: 'tcp', address: '::', port: 5900, process: 'launchd', risky: 'VNC' })
  })

  it('"localhost" (lsof without -n) is loopback too', () => {
    expect(parseLsofListen(F.text('lsof-listen-macos-localhost.txt'))).toEqual([])
  })

  it('no output (lsof found nothing) → no listeners', () => {
    expect(parseLsofListen('')).toEqual([])
  })

  it('garbage → parse-error (constructed)', async () => {
    await expectFailure(() => parseLsofListen('lsof: WARNING: can\'t stat() nfs file system /Volumes/x\n'), 'parse-error')
    await expectFailure(() => parseLsofListen('COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nlaunchd 1 root 8u IPv6 0x0 0t0 TCP nonsense\n'), 'parse-error')
  })
})

describe('risky-ports table', () => {
  it.each([
    [3389, 'RDP'], [445, 'SMB'], [139, 'SMB'], [5900, 'VNC'], [23, 'Telnet'], [21, 'FTP'], [3306, 'MySQL'],
    [5432, 'PostgreSQL'], [6379, 'Redis'], [27017, 'MongoDB'], [22, undefined], [443, undefined],
  ])('%i → %s', (port, name) => expect(riskyTcpService(port)).toBe(name))
})
