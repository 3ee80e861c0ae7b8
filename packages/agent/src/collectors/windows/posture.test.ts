import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FactFailure } from '../../system.js'
import { classifyPsError, parsePostureOutput, posture, powershellArgs, resetPosture, SCRIPT_URL, type ExecFn } from './posture.js'
import { expectFailure } from '../test-helpers.js'

const ctx = (now: Date) => ({ config: {} as never, now })
const doc = (sections: object) => JSON.stringify({ v: 1, sections })

describe('posture runner', () => {
  it('runs powershell.exe read-only flags, script via stdin, once per collection', async () => {
    resetPosture()
    const calls: { file: string; args: readonly string[]; input?: string; timeoutMs?: number }[] = []
    const run: ExecFn = async (file, args, opts) => {
      calls.push({ file, args, input: opts.input, timeoutMs: opts.timeoutMs })
      return { stdout: doc({ firewall: { ok: [] } }), stderr: '', code: 0 }
    }
    const now = new Date('2024-01-15T08:00:00Z')
    const [a, b] = await Promise.all([posture(ctx(now), run), posture(ctx(now), run)])
    expect(a).toBe(b)
    expect(calls).toHaveLength(1)
    await posture(ctx(new Date('2024-01-15T12:00:00Z')), run)
    expect(calls).toHaveLength(2)
    expect(calls[0]!.file).toMatch(/powershell\.exe$/i)
    expect(calls[0]!.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'])
    expect(calls[0]!.input).toContain('Get-NetFirewallProfile -PolicyStore ActiveStore')
    expect(calls[0]!.timeoutMs).toBeLessThan(120_000)
  })

  it('the bootstrap decodes to a command that reads the script from stdin', () => {
    const encoded = powershellArgs().at(-1)!
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toContain('[Console]::In.ReadToEnd()')
  })

  it('the script is ASCII only (it goes through the console input encoding)', () => {
    const text = readFileSync(SCRIPT_URL, 'utf8')
    expect([...text].filter((c) => c.charCodeAt(0) > 127)).toEqual([])
  })

  it('powershell.exe missing and timeout are passed on as FactFailure', async () => {
    for (const code of ['command-missing', 'timeout'] as const) {
      resetPosture()
      const run: ExecFn = async () => {
        throw new FactFailure(code, 'x')
      }
      await expectFailure(() => posture(ctx(new Date()), run), code)
    }
  })
})

describe('parsePostureOutput', () => {
  it('keeps umlauts (UTF-8 output) and strips a BOM', () => {
    const p = parsePostureOutput({ stdout: '\uFEFF' + doc({ userRights: { ok: { Members: [{ Name: 'NT-AUTORITÄT\\SYSTEM' }] } } }), stderr: '', code: 0 })
    expect(JSON.stringify(p.sections)).toContain('NT-AUTORITÄT')
  })
  it('no output → failed with stderr', async () => {
    const e = await expectFailure(() => parsePostureOutput({ stdout: '', stderr: 'Program blocked by group policy', code: 1 }), 'failed')
    expect(e.message).toContain('blocked by group policy')
  })
  it('not JSON / wrong document → parse-error', async () => {
    await expectFailure(() => parsePostureOutput({ stdout: 'Zugriff verweigert', stderr: '', code: 0 }), 'parse-error')
    await expectFailure(() => parsePostureOutput({ stdout: '{"v":2}', stderr: '', code: 0 }), 'parse-error')
  })
})

describe('classifyPsError', () => {
  it.each([
    [{ type: 'System.Management.Automation.CommandNotFoundException', category: 'ObjectNotFound', id: 'CommandNotFoundException' }, 'command-missing'],
    [{ type: 'System.UnauthorizedAccessException', hresult: -2147024891, message: 'Access is denied.' }, 'permission-denied'],
    [{ type: 'Microsoft.Management.Infrastructure.CimException', hresult: -2147217405, message: 'Access denied ' }, 'permission-denied'],
    [{ type: 'System.Exception', message: 'Zugriff verweigert' }, 'permission-denied'],
    [{ type: 'System.InvalidOperationException', category: 'NotSpecified', message: 'Failed to compare two elements in the array.' }, 'failed'],
    ['garbage', 'failed'],
  ] as const)('%j → %s', (err, want) => expect(classifyPsError(err)).toBe(want))
})
