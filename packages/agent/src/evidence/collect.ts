// Collects the evidence set, read-only, each item cut at the size the server takes. An item is made of its sources in
// order, each under a header line saying what was read and how that went; a source that could not be read says why
// inside the item. An item fails only when none of its sources could be read.
import { platform } from 'node:os'
import { join } from 'node:path'
import { readdir, stat } from 'node:fs/promises'
import type { EvidenceItem } from '@lagebild/shared'
import { capture, FactFailure, readTail } from '../system.js'
import { darwinPlan, linuxPlan, type Plan, type Source } from './plan.js'
import { windowsEvidence } from './windows.js'

export interface Collected {
  item: EvidenceItem
  data: Buffer | null
  truncated: boolean
  /** What was read, in one line (the server keeps it beside the file). */
  source: string
  error: string | null
  collectedAt: string
}

const SOURCE_TIMEOUT_MS = 120_000
/** Files in a folder read whole up to this size (crontabs, .desktop files); bigger ones are named only. */
const SMALL_FILE = 64 * 1024

const describe = (s: Source) => (s.kind === 'exec' ? [s.file, ...s.args].join(' ') : s.path)
const why = (err: unknown) => (err instanceof FactFailure ? `${err.code}: ${err.message}` : (err as Error).message)

async function readSource(s: Source, budget: number): Promise<{ data: Buffer; truncated: boolean; note: string } | null> {
  if (s.kind === 'exec') {
    const r = await capture(s.file, s.args, { timeoutMs: SOURCE_TIMEOUT_MS, maxBytes: budget })
    return { data: r.data, truncated: r.truncated, note: r.truncated ? 'cut at the size limit' : `exit ${r.code}` }
  }
  if (s.kind === 'file') {
    const r = await readTail(s.path, budget)
    return r ? { ...r, note: r.truncated ? 'last part of the file (cut at the size limit)' : 'whole file' } : null
  }
  let names: string[]
  try {
    names = (await readdir(s.path)).sort()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw new FactFailure(code === 'EACCES' || code === 'EPERM' ? 'permission-denied' : 'failed', `${s.path}: ${(err as Error).message}`)
  }
  const parts: Buffer[] = []
  let size = 0
  for (const name of names) {
    const full = join(s.path, name)
    let head = `### ${full}`
    let body: Buffer | null = null
    try {
      const st = await stat(full)
      head += ` (${st.size} bytes, modified ${st.mtime.toISOString()})`
      if (s.contents && st.isFile() && st.size <= SMALL_FILE) body = (await readTail(full, SMALL_FILE))?.data ?? null
    } catch (err) {
      head += ` – ${why(err)}`
    }
    const part = Buffer.concat([Buffer.from(`${head}\n`), ...(body ? [body, Buffer.from('\n')] : [])])
    if (size + part.length > budget) return { data: Buffer.concat(parts), truncated: true, note: `${names.length} entries, cut at the size limit` }
    parts.push(part)
    size += part.length
  }
  return { data: Buffer.concat(parts), truncated: false, note: `${names.length} entries` }
}

/** One item from its sources on Linux or macOS. */
export async function collectItem(item: EvidenceItem, sources: Source[], maxBytes: number): Promise<Collected> {
  const collectedAt = new Date().toISOString()
  const parts: Buffer[] = [Buffer.from(`# Lagebild evidence: ${item}, collected ${collectedAt}, read-only\n`)]
  let size = parts[0]!.length
  let truncated = false
  let read = 0
  const problems: string[] = []
  for (const s of sources) {
    if (truncated) break
    const head = Buffer.from(`\n## ${describe(s)}\n`)
    try {
      const r = await readSource(s, Math.max(0, maxBytes - size - head.length - 200))
      if (!r) {
        problems.push(`${describe(s)}: not present`)
        continue
      }
      read++
      const note = Buffer.from(`## (${r.note})\n`)
      parts.push(head, r.data, Buffer.from(r.data.length && r.data[r.data.length - 1] !== 10 ? '\n' : ''), note)
      size += head.length + r.data.length + 1 + note.length
      truncated ||= r.truncated
    } catch (err) {
      problems.push(`${describe(s)}: ${why(err)}`)
      const line = Buffer.from(`\n## ${describe(s)}: ${why(err)}\n`)
      parts.push(line)
      size += line.length
    }
  }
  const source = sources.map(describe).join(' ; ').slice(0, 500)
  if (!read) return { item, data: null, truncated: false, source, error: problems.join('; ').slice(0, 2000) || 'nothing to read', collectedAt }
  return { item, data: Buffer.concat(parts).subarray(0, maxBytes), truncated, source, error: null, collectedAt }
}

export function planFor(os: NodeJS.Platform, hours: number): Plan | null {
  if (os === 'linux') return linuxPlan(hours)
  if (os === 'darwin') return darwinPlan(hours)
  return null
}

/** Collects the requested items one after another (the agent stays light; tools are not run against each other). */
export async function* collectEvidence(items: readonly EvidenceItem[], hours: number, maxBytes: number, os = platform()): AsyncGenerator<Collected> {
  if (os === 'win32') {
    yield* windowsEvidence(items, hours, maxBytes)
    return
  }
  const plan = planFor(os, hours)
  for (const item of items) {
    if (!plan) {
      yield { item, data: null, truncated: false, source: '', error: `not-supported: no evidence plan for ${os}`, collectedAt: new Date().toISOString() }
      continue
    }
    yield await collectItem(item, plan[item], maxBytes)
  }
}
