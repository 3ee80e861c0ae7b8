// base.firewall on Windows: Get-NetFirewallProfile -PolicyStore ActiveStore (the effective values), read by
// windows/posture.ps1. ActiveStore matters: the default store shows local settings, often NotConfigured.
import type { FirewallFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, unwrap } from '../windows/posture.js'
import { asArray, isObject, str } from '../windows/values.js'

type Profile = FirewallFact['profiles'][number]

/** GpoBoolean: False 0, True 1, NotConfigured 2; as a number, a JSON boolean or its invariant name. */
export function gpoBoolean(v: unknown): boolean | null {
  if (v === true || v === 1) return true
  if (v === false || v === 0) return false
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase()
    if (s === 'true') return true
    if (s === 'false') return false
  }
  return null // NotConfigured (2) or anything unseen
}

/** Action: NotConfigured 0, Allow 2, Block 4; as a number or its invariant name. */
export function inboundAction(v: unknown): Profile['defaultInbound'] {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : v
  if (s === 4 || s === 'block') return 'block'
  if (s === 2 || s === 'allow') return 'allow'
  return 'unknown'
}

/** Pure: Get-NetFirewallProfile objects (raw ConvertTo-Json or our selection) → FirewallFact. */
export function parseNetFirewallProfiles(raw: unknown): FirewallFact {
  const profiles = asArray(raw).map((p): Profile => {
    if (!isObject(p)) throw new FactFailure('parse-error', 'Get-NetFirewallProfile: a profile is not an object')
    const name = str(p.Name) ?? str(p.Profile)
    if (!name) throw new FactFailure('parse-error', 'Get-NetFirewallProfile: a profile without a name')
    return { name, enabled: gpoBoolean(p.Enabled), defaultInbound: inboundAction(p.DefaultInboundAction) }
  })
  // Windows always has the three profiles; none read means we read nothing, not "no firewall".
  if (profiles.length === 0) throw new FactFailure('failed', 'Get-NetFirewallProfile returned no profiles')
  return { backend: 'windows', profiles }
}

export function parseWin32Firewall(section: unknown): FirewallFact {
  return parseNetFirewallProfiles(unwrap(section, 'Get-NetFirewallProfile'))
}

export const collector: Collector<'base.firewall'> = {
  id: 'base.firewall',
  async collect(ctx) {
    return parseWin32Firewall((await posture(ctx)).sections.firewall)
  },
}
