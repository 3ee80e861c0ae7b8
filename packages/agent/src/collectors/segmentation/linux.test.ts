import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collector } from './linux.js'
import { isLoopback, parseSsListening, riskyService } from './parse-linux.js'
import { expectValid, fixtures, isLinux, judge, requireTool } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

describe('parseSsListening', () => {
  it.each([
    ['ss-H-tulnp-vm.txt', [{ protocol: 'tcp', address: '0.0.0.0', port: 2024 }]],
    [
      'ss-H-tulnp-with-listeners.txt',
      [
        { protocol: 'udp', address: '0.0.0.0', port: 5353, process: 'python3' },
        { protocol: 'tcp', address: '0.0.0.0', port: 13306, process: 'python3' },
        { protocol: 'tcp', address: '0.0.0.0', port: 2024 },
        { protocol: 'tcp', address: '*', port: 6379, process: 'python3', risky: 'Redis' },
      ],
    ],
  ])('%s', (file, want) => expect(parseSsListening(fixture(file))).toEqual(want))

  it('IPv6, interface-scoped and loopback forms', () => {
    const text = [
      'tcp LISTEN 0 128 [::]:22 [::]:* users:(("sshd",pid=1,fd=4))',
      'udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:* users:(("systemd-resolve",pid=2,fd=13))',
      'udp UNCONN 0 0 [fe80::1]%eth0:546 [::]:*',
      'tcp LISTEN 0 128 [::1]:5432 [::]:*',
      'tcp LISTEN 0 50 0.0.0.0:445 0.0.0.0:* users:(("smbd",pid=3,fd=30))',
    ].join('\n')
    expect(parseSsListening(text)).toEqual([
      { protocol: 'tcp', address: '::', port: 22, process: 'sshd' },
      { protocol: 'udp', address: 'fe80::1', port: 546 },
      { protocol: 'tcp', address: '0.0.0.0', port: 445, process: 'smbd', risky: 'SMB' },
    ])
  })

  it.each([
    [3389, 'RDP'], [445, 'SMB'], [139, 'SMB'], [5900, 'VNC'], [5903, 'VNC'], [5904, undefined], [23, 'Telnet'], [21, 'FTP'],
    [3306, 'MySQL'], [5432, 'PostgreSQL'], [1433, 'MSSQL'], [6379, 'Redis'], [27017, 'MongoDB'], [9200, 'Elasticsearch'], [22, undefined],
  ])('port %i → %s', (port, name) => expect(riskyService(port)).toBe(name))

  it('loopback', () => {
    expect(isLoopback('127.0.0.1', null)).toBe(true)
    expect(isLoopback('::1', null)).toBe(true)
    expect(isLoopback('10.0.0.1', 'lo')).toBe(true)
    expect(isLoopback('0.0.0.0', null)).toBe(false)
  })
})

// Live: a listener on 127.0.0.1 (only loopback is touched) must not appear; the result fits the schema.
describe.runIf(isLinux)('live on this machine', () => {
  let server: Server
  let port = 0
  beforeAll(async () => {
    await requireTool('ss')
    server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('loopback listeners are not reported', async () => {
    const fact = await collector.collect({ config: { intervalMinutes: 15, backups: [] }, now: new Date() })
    expectValid('base.segmentation', fact)
    expect(fact.listening.some((l) => l.port === port)).toBe(false)
    expect(['ok', 'deviation']).toContain(judge('base.segmentation', fact).status)
  })
})
