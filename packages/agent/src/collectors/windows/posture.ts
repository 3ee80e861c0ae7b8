// Runs windows/posture.ps1 once per collection and hands each fact collector its section.
// One PowerShell start per cycle: every start costs CPU and seconds (docs/collection.md, "One PowerShell start").
import { fileURLToPath } from 'node:url'
import type { FactErrorCode } from '@lagebild/shared'
import { exec, FactFailure, readText, type ExecOptions, type ExecResult } from '../../system.js'
import type { CollectContext } from '../types.js'
import { isObject, str, type JsonObject } from './values.js'

/** Below run.ts's 120 s per collector, so the script's own timeout is what the report shows. */
export const POSTURE_TIMEOUT_MS = 110_000

export interface Posture {
  sections: JsonObject
}

export type ExecFn = (file: string, args: readonly string[], opts: ExecOptions) => Promise<ExecResult>

// The script comes through stdin: no command-line length limit, no temporary file. The bootstrap fixes the
// output encoding first, so names with umlauts ("Administratoren", "NT-AUTORITÄT") arrive intact.
const BOOTSTRAP =
  "$ErrorActionPreference='Stop';[Console]::OutputEncoding=New-Object System.Text.UTF8Encoding($false);" +
  '$s=[Console]::In.ReadToEnd();& ([scriptblock]::Create($s))'

export function powershellArgs(): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(BOOTSTRAP, 'utf16le').toString('base64')]
}

export function powershellPath(): string {
  const root = process.env.SystemRoot
  return root ? `${root}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe` : 'powershell.exe'
}

export const SCRIPT_URL = new URL('./posture.ps1', import.meta.url)

/** Pure: the script's output → sections, or a FactFailure that says why not. */
export function parsePostureOutput(r: ExecResult): Posture {
  const out = r.stdout.replace(/^\uFEFF/, '').trim()
  if (!out) {
    const why = r.stderr.trim().split(/\r?\n/).slice(0, 5).join(' ').slice(0, 500)
    throw new FactFailure('failed', `powershell.exe exited with ${r.code ?? 'a signal'} and printed nothing${why ? `: ${why}` : ''}`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(out)
  } catch {
    throw new FactFailure('parse-error', `posture script output is not JSON: ${out.slice(0, 200)}`)
  }
  if (!isObject(doc) || doc.v !== 1 || !isObject(doc.sections))
    throw new FactFailure('parse-error', 'posture script output has no { v: 1, sections } document')
  return { sections: doc.sections }
}

export async function runPosture(run: ExecFn = exec): Promise<Posture> {
  const script = await readText(fileURLToPath(SCRIPT_URL))
  const r = await run(powershellPath(), powershellArgs(), { timeoutMs: POSTURE_TIMEOUT_MS, input: script })
  return parsePostureOutput(r)
}

let last: { at: number; result: Promise<Posture> } | undefined

/** The posture of this collection cycle: the script runs once per ctx.now, every collector shares the result. */
export function posture(ctx: CollectContext, run: ExecFn = exec): Promise<Posture> {
  const at = ctx.now.getTime()
  if (!last || last.at !== at) last = { at, result: runPosture(run) }
  return last.result
}

/** For tests: forget the memoized run. */
export function resetPosture(): void {
  last = undefined
}

/**
 * Pure: which FactErrorCode a PowerShell error record means. Judged by exception type, HRESULT and the
 * invariant error id — the message is localized and only a last resort.
 */
export function classifyPsError(err: unknown): FactErrorCode {
  if (!isObject(err)) return 'failed'
  const type = str(err.type) ?? ''
  const category = str(err.category) ?? ''
  const id = str(err.id) ?? ''
  const hresult = typeof err.hresult === 'number' ? err.hresult >>> 0 : null
  const message = str(err.message) ?? ''
  if (/CommandNotFoundException/.test(type) || /^CommandNotFoundException/.test(id) || (category === 'ObjectNotFound' && /CommandNotFound/.test(id)))
    return 'command-missing'
  if (
    /UnauthorizedAccessException/.test(type) ||
    category === 'PermissionDenied' ||
    hresult === 0x80070005 || // E_ACCESSDENIED
    hresult === 0x80041003 || // WBEM_E_ACCESS_DENIED
    /access (is )?denied|zugriff verweigert/i.test(message)
  )
    return 'permission-denied'
  if (/TimeoutException/.test(type)) return 'timeout'
  return 'failed'
}

/** `{ ok }` → its payload; `{ error }` → FactFailure with the classified code; anything else → parse-error. */
export function unwrap(v: unknown, what: string): unknown {
  if (isObject(v) && 'ok' in v) return v.ok
  if (isObject(v) && isObject(v.error)) {
    const message = str(v.error.message) ?? 'unknown error'
    throw new FactFailure(classifyPsError(v.error), `${what}: ${message}`.slice(0, 2000))
  }
  throw new FactFailure('parse-error', `${what}: section missing from the posture output`)
}

/** Like unwrap, but a failure is returned instead of thrown (for optional sub-sections). */
export function tryUnwrap(v: unknown, what: string): { ok: unknown } | { failure: FactFailure } {
  try {
    return { ok: unwrap(v, what) }
  } catch (err) {
    if (err instanceof FactFailure) return { failure: err }
    throw err
  }
}
