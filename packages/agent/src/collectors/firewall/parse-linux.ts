// Pure parsers for the Linux firewall tools. No I/O here: linux.ts feeds them, tests feed recorded outputs.
import type { FirewallFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'

type Inbound = FirewallFact['profiles'][number]['defaultInbound']

export interface UfwStatus {
  active: boolean
  defaultInbound: Inbound
}

/** `ufw status verbose` (root only). "Status: active|inactive"; "Default: deny (incoming), …" only when active. */
export function parseUfwStatus(text: string): UfwStatus {
  const status = /^Status:\s*(\S+)/m.exec(text)?.[1]
  if (status !== 'active' && status !== 'inactive') throw new FactFailure('parse-error', `ufw status not understood: ${text.slice(0, 200)}`)
  const incoming = /^Default:.*?\b(deny|reject|allow)\s*\(incoming\)/m.exec(text)?.[1]
  const defaultInbound: Inbound = incoming === 'allow' ? 'allow' : incoming === 'deny' || incoming === 'reject' ? 'block' : 'unknown'
  return { active: status === 'active', defaultInbound }
}

export interface NftInputChain {
  family: string
  table: string
  name: string
  policy: 'accept' | 'drop' | 'unknown'
  /** The chain ends in a rule that drops/rejects everything left (no match before the verdict). */
  finalDrop: boolean
  rules: number
}

interface NftChain { family: string; table: string; name: string; hook?: string; type?: string; policy?: string }
interface NftRule { family: string; table: string; chain: string; expr?: Record<string, unknown>[] }

/** `nft -j list ruleset`: every base chain on the input hook (families ip, ip6, inet), with its policy. */
export function parseNftRuleset(json: string): NftInputChain[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    throw new FactFailure('parse-error', 'nft -j list ruleset did not print JSON')
  }
  const items = (doc as { nftables?: unknown }).nftables
  if (!Array.isArray(items)) throw new FactFailure('parse-error', 'nft JSON has no "nftables" array')
  const chains: NftChain[] = []
  const rules: NftRule[] = []
  for (const item of items as Record<string, unknown>[]) {
    if (item.chain) chains.push(item.chain as NftChain)
    if (item.rule) rules.push(item.rule as NftRule)
  }
  return chains
    .filter((c) => c.hook === 'input' && c.type === 'filter' && ['ip', 'ip6', 'inet'].includes(c.family))
    .map((c) => {
      const own = rules.filter((r) => r.family === c.family && r.table === c.table && r.chain === c.name)
      const last = own.at(-1)?.expr ?? []
      const finalDrop = last.length === 1 && ('drop' in last[0]! || 'reject' in last[0]!)
      const policy = c.policy === 'drop' ? 'drop' : c.policy === 'accept' ? 'accept' : 'unknown'
      return { family: c.family, table: c.table, name: c.name, policy, finalDrop, rules: own.length }
    })
}

export interface IptablesInput {
  policy: 'ACCEPT' | 'DROP' | 'unknown'
  rules: number
  finalDrop: boolean
}

/** `iptables -S INPUT`: "-P INPUT DROP" and "-A INPUT …" lines. */
export function parseIptablesInput(text: string): IptablesInput {
  const p = /^-P INPUT (\S+)/m.exec(text)?.[1]
  if (!p) throw new FactFailure('parse-error', `iptables -S INPUT not understood: ${text.slice(0, 200)}`)
  const rules = text.split('\n').filter((l) => l.startsWith('-A INPUT '))
  const finalDrop = /^-A INPUT -j (DROP|REJECT)\b/.test(rules.at(-1) ?? '')
  return { policy: p === 'DROP' ? 'DROP' : p === 'ACCEPT' ? 'ACCEPT' : 'unknown', rules: rules.length, finalDrop }
}

export interface FirewalldZone {
  name: string
  active: boolean
  isDefault: boolean
  target: string | null
}

/** `firewall-cmd --list-all-zones`: zone headers at column 0 ("public (default, active)"), "  target: …" below. */
export function parseFirewalldZones(text: string): FirewalldZone[] {
  const zones: FirewalldZone[] = []
  let current: FirewalldZone | null = null
  for (const line of text.split('\n')) {
    const head = /^([A-Za-z0-9_.-]+)(?:\s+\(([^)]*)\))?\s*$/.exec(line)
    if (head) {
      const flags = (head[2] ?? '').split(',').map((s) => s.trim())
      current = { name: head[1]!, active: flags.includes('active'), isDefault: flags.includes('default'), target: null }
      zones.push(current)
      continue
    }
    const target = /^\s+target:\s*(\S+)/.exec(line)
    if (target && current) current.target = target[1]!
  }
  if (zones.length === 0) throw new FactFailure('parse-error', `firewall-cmd --list-all-zones not understood: ${text.slice(0, 200)}`)
  return zones
}

/**
 * The target a zone's XML file sets (`<zone target="%%REJECT%%">`); a zone without the attribute has firewalld's
 * "default" target. Null when the text is no zone file.
 */
export function firewalldZoneXmlTarget(xml: string): string | null {
  const zone = /<zone\b([^>]*)>/.exec(xml)
  if (!zone) return null
  return /\btarget\s*=\s*"([^"]*)"/.exec(zone[1]!)?.[1] ?? 'default'
}

/**
 * The firewalld zones that matter (active or default) as profiles. Older firewalld (0.3, RHEL 7.0) prints no
 * "target:" line: the zone's own configuration then tells its target — `zoneXml` holds its XML file by zone name
 * (/etc/firewalld/zones over /usr/lib/firewalld/zones). Without either the target stays unknown.
 */
export function firewalldProfiles(zonesText: string, defaultZone: string | null, zoneXml: ReadonlyMap<string, string>): FirewallFact['profiles'] {
  return parseFirewalldZones(zonesText)
    .filter((z) => z.active || z.isDefault || z.name === defaultZone)
    .map((z) => {
      const xml = zoneXml.get(z.name)
      const target = z.target ?? (xml !== undefined ? firewalldZoneXmlTarget(xml) : null)
      return { name: `firewalld zone ${z.name}`, enabled: true, defaultInbound: firewalldTargetInbound(target) }
    })
}

/** A zone's target: "default" and %%REJECT%% reject what no rule allows; ACCEPT (e.g. the trusted zone) lets it in. */
export function firewalldTargetInbound(target: string | null): Inbound {
  if (target === null) return 'unknown'
  if (target === 'ACCEPT') return 'allow'
  if (['default', 'DROP', 'REJECT', '%%REJECT%%'].includes(target)) return 'block'
  return 'unknown'
}

export const nftChainInbound = (c: NftInputChain): Inbound =>
  c.policy === 'drop' || c.finalDrop ? 'block' : c.policy === 'accept' ? 'allow' : 'unknown'

export const iptablesInbound = (i: IptablesInput): Inbound =>
  i.policy === 'DROP' || i.finalDrop ? 'block' : i.policy === 'ACCEPT' ? 'allow' : 'unknown'
