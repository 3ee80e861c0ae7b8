// The evidence set: every OS reads every item, read-only; the Windows script is one read-only PowerShell document; on this
// Linux machine the collection is real, cut at the size limit and honest about what it could not read.
import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EVIDENCE_ITEMS } from '@lagebild/shared'
import { capture, readTail } from '../system.js'
import { collectItem, planFor } from './collect.js'
import { darwinPlan, linuxPlan, type Source } from './plan.js'
import { EVIDENCE_SCRIPT_URL, parseEvidenceOutput } from './windows.js'

/** The programs the plans may run, and what of them: reading only. */
const READ_ONLY: Record<string, (args: string[]) => boolean> = {
  journalctl: (a) => a.includes('--no-pager') && !a.some((x) => /^--(rotate|vacuum|flush|sync|relinquish|setup-keys)/.test(x)),
  ps: () => true,
  ss: (a) => !a.some((x) => /^-K|--kill/.test(x)),
  systemctl: (a) => ['list-timers', 'list-unit-files'].includes(a[0]!),
  last: () => true,
  lastb: () => true,
  who: () => true,
  log: (a) => a[0] === 'show',
  lsof: () => true,
  launchctl: (a) => a[0] === 'list',
  sfltool: (a) => a[0] === 'dumpbtm',
}

describe('the plans', () => {
  for (const [os, plan] of [['linux', linuxPlan(24)], ['darwin', darwinPlan(24)]] as const)
    it(`${os}: every item has sources, and every command only reads`, () => {
      expect(Object.keys(plan).sort()).toEqual([...EVIDENCE_ITEMS].sort())
      for (const [item, sources] of Object.entries(plan) as [string, Source[]][]) {
        expect(sources.length, item).toBeGreaterThan(0)
        for (const s of sources.filter((x): x is Extract<Source, { kind: 'exec' }> => x.kind === 'exec')) {
          const allowed = READ_ONLY[s.file]
          expect(allowed, `${item}: ${s.file} is not a known read-only tool`).toBeDefined()
          expect(allowed!(s.args), `${item}: ${s.file} ${s.args.join(' ')}`).toBe(true)
        }
      }
    })
  it('logs of the asked hours', () => {
    expect(linuxPlan(6)['system-log'][0]).toMatchObject({ file: 'journalctl', args: expect.arrayContaining(['--since', '-6h']) })
    expect(darwinPlan(6)['system-log'][0]).toMatchObject({ file: 'log', args: expect.arrayContaining(['--last', '6h']) })
    expect(planFor('win32', 6)).toBeNull()
  })
})

describe('the Windows script', () => {
  const script = readFileSync(EVIDENCE_SCRIPT_URL, 'utf8')
  it('is ASCII only (it goes through the console input) and covers every item', () => {
    expect([...script].filter((c) => c.charCodeAt(0) > 127)).toEqual([])
    for (const item of EVIDENCE_ITEMS) expect(script).toContain(`$items['${item}'] = Invoke-Section`)
  })
  it('only reads: no cmdlet or tool that changes, starts, stops, deletes or clears anything', () => {
    const code = script.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n')
    const verbs = [...code.matchAll(/\b([A-Z][A-Za-z]+)-[A-Z][A-Za-z]+\b/g)].map((m) => m[1]!)
    expect([...new Set(verbs)].sort()).toEqual(['ConvertTo', 'ForEach', 'Get', 'Invoke', 'Test', 'Where'])
    expect(code).not.toMatch(/wevtutil|Clear-|Remove-|Set-|New-Item|Stop-|Start-|Invoke-Expression|iex\b|reg\s+(add|delete)|schtasks\s+\/(create|delete|change)/i)
    expect(code).toContain('Get-WinEvent -FilterHashtable')
    expect(code).toContain("LogName = 'Security'")
  })
  it('its output becomes one result per item: pretty JSON, an error where a section failed, cut at the limit', () => {
    const out = JSON.stringify({
      v: 1,
      items: {
        processes: { ok: [{ pid: 4, ppid: 0, name: 'System', path: null, commandLine: null, created: '2026-11-30T07:00:00.0000000Z' }] },
        'auth-log': { error: { type: 'System.UnauthorizedAccessException', hresult: -2147024891, category: 'PermissionDenied', id: 'x', message: 'Attempted to perform an unauthorized operation.' } },
        'system-log': { ok: Array.from({ length: 200 }, (_, i) => ({ id: i, message: 'The Windows Update service entered the running state.' })) },
      },
    })
    const r = parseEvidenceOutput(`\uFEFF${out}`, ['processes', 'auth-log', 'system-log', 'autostarts'], 4096, '2026-11-30T08:00:00.000Z')
    expect(r[0]).toMatchObject({ item: 'processes', truncated: false, error: null })
    expect(r[0]!.data!.toString()).toContain('"name": "System"')
    expect(r[1]).toMatchObject({ item: 'auth-log', data: null, error: 'Attempted to perform an unauthorized operation.' })
    expect(r[2]).toMatchObject({ item: 'system-log', truncated: true })
    expect(r[2]!.data!.length).toBe(4096)
    expect(r[3]).toMatchObject({ item: 'autostarts', data: null, error: 'missing from the script output' })
    expect(() => parseEvidenceOutput('Access denied', ['processes'], 4096, '')).toThrow(/not JSON/)
  })
})

describe('answering a request', () => {
  it('a busy server is asked again after a pause; what it finally takes counts as delivered', async () => {
    const { createServer } = await import('node:http')
    let puts = 0
    const seen: string[] = []
    const srv = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      req.resume().on('end', () => {
        if (req.method === 'PUT' && ++puts <= 2) return res.writeHead(503, { 'retry-after': '1' }).end('{"message":"busy"}')
        res.writeHead(req.method === 'PUT' ? 201 : 200, { 'content-type': 'application/json' }).end(req.method === 'PUT' ? '{"id":"x","sha256":"x","size":1}' : '{"state":"complete"}')
      })
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    try {
      const port = (srv.address() as { port: number }).port
      const { answerEvidence } = await import('./answer.js')
      const done = await answerEvidence(
        { type: 'evidence-request', requestId: 'r1', hours: 1, items: ['processes'], maxItemBytes: 1 << 20 },
        { server: `http://127.0.0.1:${port}`, agentId: 'a', secret: 's', tls: {} }, () => {}, 10,
      )
      expect(done.results).toEqual([{ item: 'processes', ok: true, error: null }])
      expect(seen).toEqual(['PUT /api/v1/evidence/r1/items/processes', 'PUT /api/v1/evidence/r1/items/processes', 'PUT /api/v1/evidence/r1/items/processes', 'POST /api/v1/evidence/r1/done'])
    } finally {
      srv.close()
    }
  })
})

describe('on this machine', () => {
  it('a long output is cut at the limit and said so; the program is stopped', async () => {
    const r = await capture('seq', ['1', '10000000'], { maxBytes: 1000, timeoutMs: 20_000 })
    expect(r.truncated).toBe(true)
    expect(r.data.length).toBe(1000)
    expect(r.data.toString().startsWith('1\n2\n3\n')).toBe(true)
  })
  it('a log file is read from its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lagebild-ev-'))
    try {
      writeFileSync(join(dir, 'log'), 'old line\nnew line\n')
      expect((await readTail(join(dir, 'log'), 9))!).toEqual({ data: Buffer.from('new line\n'), truncated: true })
      expect(await readTail(join(dir, 'missing'), 9)).toBeNull()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('an item says what it read, and what it could not; it fails only when nothing could be read', async () => {
    const r = await collectItem('processes', [{ kind: 'file', path: '/nonexistent/log' }, { kind: 'exec', file: 'ps', args: ['-eo', 'pid,args'] }], 1 << 20)
    expect(r.error).toBeNull()
    const text = r.data!.toString()
    expect(text).toContain('## ps -eo pid,args')
    expect(text).toMatch(/## \(exit 0\)/)
    const none = await collectItem('autostarts', [{ kind: 'file', path: '/nonexistent/a' }, { kind: 'exec', file: 'no-such-tool-lagebild', args: [] }], 1 << 20)
    expect(none.data).toBeNull()
    expect(none.error).toContain('/nonexistent/a: not present')
    expect(none.error).toContain('command-missing')
  })
})
