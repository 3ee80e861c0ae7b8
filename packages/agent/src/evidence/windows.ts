// Windows: the whole evidence set through ONE read-only PowerShell script (evidence.ps1), started like the posture
// script (script through standard input, output as UTF-8 JSON); each item is stored as pretty JSON, cut at the limit.
import { fileURLToPath } from 'node:url'
import { EVIDENCE_ITEMS, isOneOf, type EvidenceItem } from '@lagebild/shared'
import { exec, FactFailure, readText } from '../system.js'
import { powershellArgs, powershellPath } from '../collectors/windows/posture.js'
import type { Collected } from './collect.js'

export const EVIDENCE_SCRIPT_URL = new URL('./evidence.ps1', import.meta.url)
/** Reading a day of event logs can take minutes on a busy PC. */
export const EVIDENCE_TIMEOUT_MS = 10 * 60_000

/** Pure: the script's output → one result per requested item. */
export function parseEvidenceOutput(stdout: string, items: readonly EvidenceItem[], maxBytes: number, collectedAt: string): Collected[] {
  let doc: unknown
  try {
    doc = JSON.parse(stdout.replace(/^\uFEFF/, '').trim())
  } catch {
    throw new FactFailure('parse-error', `evidence script output is not JSON: ${stdout.slice(0, 200)}`)
  }
  const all = (doc as { v?: unknown; items?: unknown })?.items
  if ((doc as { v?: unknown })?.v !== 1 || typeof all !== 'object' || all === null) throw new FactFailure('parse-error', 'evidence script output has no { v: 1, items } document')
  return items.map((item) => {
    const slot = (all as Record<string, { ok?: unknown; error?: { message?: string } }>)[item]
    const source = `powershell.exe evidence.ps1 (${item})`
    if (!slot) return { item, data: null, truncated: false, source, error: 'missing from the script output', collectedAt }
    if (slot.error || slot.ok === undefined) return { item, data: null, truncated: false, source, error: String(slot.error?.message ?? 'failed').slice(0, 2000), collectedAt }
    const text = Buffer.from(`${JSON.stringify(slot.ok, null, 1)}\n`)
    return { item, data: text.subarray(0, maxBytes), truncated: text.length > maxBytes, source, error: null, collectedAt }
  })
}

export async function* windowsEvidence(items: readonly EvidenceItem[], hours: number, maxBytes: number): AsyncGenerator<Collected> {
  const collectedAt = new Date().toISOString()
  const wanted = items.filter((i) => isOneOf(EVIDENCE_ITEMS, i))
  try {
    const script = `$Hours = ${Math.trunc(hours)}\n${await readText(fileURLToPath(EVIDENCE_SCRIPT_URL))}`
    const r = await exec(powershellPath(), powershellArgs(), { timeoutMs: EVIDENCE_TIMEOUT_MS, input: script, maxBuffer: 8 * maxBytes })
    yield* parseEvidenceOutput(r.stdout, wanted, maxBytes, collectedAt)
  } catch (err) {
    for (const item of wanted) yield { item, data: null, truncated: false, source: 'powershell.exe evidence.ps1', error: (err as Error).message.slice(0, 2000), collectedAt }
  }
}
