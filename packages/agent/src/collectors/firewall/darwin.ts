// base.firewall on macOS: the Application Firewall, asked through socketfilterfw.
//
// What "default inbound" means here: the application firewall filters per app, not per port.
// - block all incoming (--getblockall enabled, or global State = 2): 'block'.
// - otherwise, with "Automatically allow downloaded signed software" ENABLED (the macOS default), every signed
//   app that listens is let in without asking: 'allow'. That is an honest "allowed by default".
// - otherwise (only Apple's own software allowed, others prompt or are blocked by rule): 'unknown' — the outcome
//   depends on per-app rules and on what a user answered, which we do not judge.
// - firewall off: nothing filters, 'allow'.
import type { FirewallFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'

export const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw'

/** `--getglobalstate`: 0 off, 1 on, 2 on and blocking all; null when not understood. */
export function parseGlobalState(text: string): 0 | 1 | 2 | null {
  const state = /\(State = (\d)\)/.exec(text)
  if (state) {
    const n = Number(state[1])
    return n === 0 || n === 1 || n === 2 ? n : null
  }
  if (/Firewall is enabled/i.test(text)) return 1
  if (/Firewall is disabled/i.test(text)) return 0
  return null
}

/** `--getblockall`: "Firewall has block all state set to enabled." (current) or "Block all ENABLED!" (older). */
export function parseBlockAll(text: string): boolean | null {
  const m = /block all state set to (enabled|disabled)|Block all (ENABLED|DISABLED)/i.exec(text)
  if (!m) return null
  return (m[1] ?? m[2]!).toLowerCase() === 'enabled'
}

/** `--getallowsigned`: whether downloaded signed software is let in automatically (older: one "signed software" line). */
export function parseAllowDownloadedSigned(text: string): boolean | null {
  const m = /Automatically allow downloaded signed software (ENABLED|DISABLED)/i.exec(text) ?? /Automatically allow signed software (ENABLED|DISABLED)/i.exec(text)
  return m ? m[1]!.toUpperCase() === 'ENABLED' : null
}

/** Pure: the three answers → FirewallFact. The global state must be understood; the others may be null (unread). */
export function parseDarwinFirewall(global: string, blockAll: string | null, allowSigned: string | null): FirewallFact {
  const state = parseGlobalState(global)
  if (state === null) throw new FactFailure('parse-error', `socketfilterfw --getglobalstate not understood: ${global.trim().slice(0, 200)}`)
  let defaultInbound: FirewallFact['profiles'][number]['defaultInbound']
  if (state === 0) defaultInbound = 'allow'
  else if (state === 2 || (blockAll !== null && parseBlockAll(blockAll) === true)) defaultInbound = 'block'
  else if (blockAll !== null && parseBlockAll(blockAll) === false && allowSigned !== null && parseAllowDownloadedSigned(allowSigned) === true)
    defaultInbound = 'allow'
  else defaultInbound = 'unknown'
  return { backend: 'socketfilterfw', profiles: [{ name: 'Application Firewall', enabled: state !== 0, defaultInbound }] }
}

async function ask(flag: string): Promise<string | null> {
  const r = await execIfPresent(SOCKETFILTERFW, [flag], { timeoutMs: 15_000 })
  if (!r) throw new FactFailure('command-missing', `${SOCKETFILTERFW} is not installed`)
  if (r.code !== 0) return null
  return `${r.stdout}\n${r.stderr}`
}

export async function collectDarwinFirewall(): Promise<FirewallFact> {
  const r = await execIfPresent(SOCKETFILTERFW, ['--getglobalstate'], { timeoutMs: 15_000 })
  if (!r) throw new FactFailure('command-missing', `${SOCKETFILTERFW} is not installed`)
  if (r.code !== 0) throw new FactFailure(/not permitted|permission/i.test(r.stderr) ? 'permission-denied' : 'failed', `socketfilterfw exited ${r.code}: ${firstLines(r)}`)
  return parseDarwinFirewall(`${r.stdout}\n${r.stderr}`, await ask('--getblockall'), await ask('--getallowsigned'))
}

export const collector: Collector<'base.firewall'> = { id: 'base.firewall', collect: () => collectDarwinFirewall() }
