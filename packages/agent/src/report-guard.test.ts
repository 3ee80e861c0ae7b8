// One odd string on the PC (a Windows file name with a lone surrogate half, a process named with a right-to-left
// override, a host name with a line break) must not cost the whole report: the server would refuse it with 400.
import { describe, expect, it } from 'vitest'
import { Compile } from 'typebox/compile'
import { HostIdentitySchema, ReportSchema, type FactId } from '@lagebild/shared'
import type { AgentConfig } from './config.js'
import type { Collector } from './collectors/types.js'
import { collectFacts } from './run.js'
import { safeIdentity } from './report-guard.js'

const config = { intervalMinutes: 15, backups: [] } as unknown as AgentConfig
const fixed = <K extends FactId>(id: K, value: unknown): Collector => ({ id, collect: async () => value as never })
const checkReport = Compile(ReportSchema)

describe('each fact is checked on the PC before it is sent', () => {
  it('a lone surrogate half or NUL in a name is replaced, and the fact is kept', async () => {
    const facts = await collectFacts({
      config,
      only: ['base.segmentation'],
      collectors: { 'base.segmentation': fixed('base.segmentation', { listening: [{ protocol: 'tcp', address: '0.0.0.0', port: 445, process: 'svc\uD800host\u0000.exe' }] }) },
    })
    expect(facts['base.segmentation']).toEqual({ listening: [{ protocol: 'tcp', address: '0.0.0.0', port: 445, process: 'svc\uFFFDhost.exe' }] })
  })

  it('a fact that does not fit its schema becomes a parse-error naming the field; the other facts still go out', async () => {
    const facts = await collectFacts({
      config,
      only: ['base.firewall', 'base.segmentation'],
      collectors: {
        'base.firewall': fixed('base.firewall', { backend: 'ufw', profiles: [{ name: 'x'.repeat(501), enabled: true, defaultInbound: 'block' }] }),
        'base.segmentation': fixed('base.segmentation', { listening: [] }),
      },
    })
    expect(facts['base.firewall']).toMatchObject({ error: { code: 'parse-error' } })
    expect((facts['base.firewall'] as { error: { message: string } }).error.message).toContain('/profiles/0/name')
    expect(facts['base.segmentation']).toEqual({ listening: [] })
    const report = { v: 1, id: '6f1c4d2e-8a3b-4c5d-9e6f-7a8b9c0d1e2f', kind: 'quick', collectedAt: new Date().toISOString(), host: safeIdentity(identity('pc')), facts }
    expect(checkReport.Check(report)).toBe(true)
  })
})

function identity(hostname: string) {
  return {
    machineId: '4f0c2a9d8e7b6a5c', hostname, os: { family: 'linux' as const, distribution: 'Debian GNU/Linux', version: '12', build: null },
    kernel: '6.1.0-28-amd64', arch: 'x64', agentVersion: '0.1.0', bootTime: null,
  }
}

describe('the identity always passes the schema', () => {
  const check = Compile(HostIdentitySchema)
  it.each([
    ['a line break', 'pc\nfake', 'pc[U+000A]fake'],
    ['a right-to-left override', 'pc-\u202Eexe', 'pc-[U+202E]exe'],
    ['a slash and a colon', 'a/b:c', 'a_b_c'],
    ['300 characters', 'a'.repeat(300), `${'a'.repeat(252)}…`],
  ])('a host name with %s is sent marked, not refused', (_what, raw, sent) => {
    const h = safeIdentity(identity(raw))
    expect(h.hostname).toBe(sent)
    expect(check.Check(h)).toBe(true)
  })
})
