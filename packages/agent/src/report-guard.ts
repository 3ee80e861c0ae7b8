// What the agent sends must pass the server's schema, or the server refuses the whole report. A file name on Windows may
// hold a lone surrogate half, a process may call itself anything, a host name may carry a control character: such text
// must not cost the report. Each fact is checked on its own; one that does not fit becomes a parse-error entry (its
// measure shows unknown, with the reason) and every other fact still arrives.
import { Compile } from 'typebox/compile'
import { displayText, FACT_SCHEMAS, type FactError, type FactId, type HostIdentity } from '@lagebild/shared'

// A lone surrogate half (\p{Cs} under the u flag) or NUL: the schema's AgentTextSchema refuses both.
// eslint-disable-next-line no-control-regex -- NUL is exactly what is to be found
const UNSENDABLE = /[\u0000\p{Cs}]/gu

/** Every string in a collected value with lone surrogate halves replaced by U+FFFD and NUL removed. */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSENDABLE, (c) => (c === '\u0000' ? '' : '\uFFFD')) as T
  if (Array.isArray(value)) return value.map(wellFormed) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v)])) as T
  return value
}

const checks = new Map<FactId, ReturnType<typeof Compile>>()

/** The fact as collected if it fits its schema; otherwise a parse-error naming the first field that does not fit. */
export function checkedFact(id: FactId, value: unknown): unknown {
  const clean = wellFormed(value)
  let check = checks.get(id)
  if (!check) checks.set(id, (check = Compile(FACT_SCHEMAS[id])))
  // An error entry the collector made itself is already in its final shape.
  if (clean && typeof clean === 'object' && 'error' in clean) return clean
  if (check.Check(clean)) return clean
  const first = [...check.Errors(clean)][0]
  const error: FactError = {
    error: { code: 'parse-error', message: `collected value does not fit the report schema at ${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`.slice(0, 2000) },
  }
  return error
}

/** Names as the schema accepts them: an invisible or direction-changing character is shown as [U+XXXX], the length cut. */
export function safeIdentity(h: HostIdentity): HostIdentity {
  const name = (s: string, max: number) => displayText(s, { max })
  return {
    ...h,
    machineId: name(h.machineId, 200),
    // The host-name schema also refuses \ / : * ? " < > | (never in a Windows computer name or DNS): '_' stands in.
    hostname: name(h.hostname.replace(/[\\/:*?"<>|]/g, '_'), 253),
    os: { ...h.os, distribution: name(h.os.distribution, 200), version: name(h.os.version, 100), build: h.os.build === null ? null : name(h.os.build, 100) },
    kernel: name(h.kernel, 200),
    arch: name(h.arch, 50),
    agentVersion: name(h.agentVersion, 50),
  }
}
