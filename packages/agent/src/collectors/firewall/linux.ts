// base.firewall on Linux: the front-ends (ufw, firewalld) first, then the kernel's own tables (nftables, iptables).
import type { FirewallFact } from '@lagebild/shared'
import { FactFailure, readTextIfExists } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'
import {
  firewalldProfiles,
  iptablesInbound,
  nftChainInbound,
  parseFirewalldZones,
  parseIptablesInput,
  parseNftRuleset,
  parseUfwStatus,
  type NftInputChain,
} from './parse-linux.js'

type Profile = FirewallFact['profiles'][number]

const notRoot = (text: string) => /need to be root|permission denied|operation not permitted|not authorized/i.test(text)

async function readUfw() {
  const r = await execIfPresent('ufw', ['status', 'verbose'])
  if (!r) return null
  if (r.code !== 0) {
    if (notRoot(r.stderr + r.stdout)) throw new FactFailure('permission-denied', `ufw status needs root: ${firstLines(r)}`)
    throw new FactFailure('failed', `ufw status exited ${r.code}: ${firstLines(r)}`)
  }
  return parseUfwStatus(r.stdout)
}

async function readFirewalld(): Promise<{ running: boolean; profiles: Profile[] } | null> {
  const state = await execIfPresent('firewall-cmd', ['--state'])
  if (!state) return null
  // "running" (exit 0) or "not running" (exit 252); anything else, e.g. no D-Bus permission, is not a "no".
  if (state.stdout.trim() !== 'running') {
    if (/not running/i.test(state.stdout + state.stderr)) return { running: false, profiles: [] }
    if (notRoot(state.stderr)) throw new FactFailure('permission-denied', `firewall-cmd --state: ${firstLines(state)}`)
    throw new FactFailure('failed', `firewall-cmd --state: ${firstLines(state)}`)
  }
  const zones = await execIfPresent('firewall-cmd', ['--list-all-zones'])
  if (!zones || zones.code !== 0) throw new FactFailure('failed', `firewall-cmd --list-all-zones: ${zones ? firstLines(zones) : 'missing'}`)
  const def = await execIfPresent('firewall-cmd', ['--get-default-zone'])
  const defaultZone = def?.code === 0 ? def.stdout.trim() : null
  // Older firewalld prints no target: read it from the zone's file, the admin's copy before the shipped one.
  const zoneXml = new Map<string, string>()
  for (const z of parseFirewalldZones(zones.stdout).filter((x) => x.target === null && /^[\w.-]+$/.test(x.name))) {
    const xml = (await readTextIfExists(`/etc/firewalld/zones/${z.name}.xml`)) ?? (await readTextIfExists(`/usr/lib/firewalld/zones/${z.name}.xml`))
    if (xml !== null) zoneXml.set(z.name, xml)
  }
  return { running: true, profiles: firewalldProfiles(zones.stdout, defaultZone, zoneXml) }
}

async function readNft(): Promise<NftInputChain[] | null> {
  const r = await execIfPresent('nft', ['-j', 'list', 'ruleset'])
  if (!r) return null
  if (r.code !== 0) {
    if (notRoot(r.stderr)) throw new FactFailure('permission-denied', `nft list ruleset needs root: ${firstLines(r)}`)
    throw new FactFailure('failed', `nft list ruleset exited ${r.code}: ${firstLines(r)}`)
  }
  return parseNftRuleset(r.stdout)
}

async function readIptables() {
  const r = await execIfPresent('iptables', ['-S', 'INPUT'])
  if (!r) return null
  if (r.code !== 0) {
    if (notRoot(r.stderr)) throw new FactFailure('permission-denied', `iptables -S needs root: ${firstLines(r)}`)
    throw new FactFailure('failed', `iptables -S INPUT exited ${r.code}: ${firstLines(r)}`)
  }
  return parseIptablesInput(r.stdout)
}

const nftProfile = (c: NftInputChain): Profile => ({
  name: `nftables ${c.family} ${c.table} ${c.name}`,
  enabled: true,
  defaultInbound: nftChainInbound(c),
})

/**
 * Order of trust: an active front-end is what the admin manages; a blocking kernel table without a front-end
 * still is a firewall; an installed but inactive front-end is a firewall that is off; accept-only tables filter nothing.
 */
export async function collectFirewall(): Promise<FirewallFact> {
  const ufw = await readUfw()
  const firewalld = await readFirewalld()
  const active: Profile[] = []
  const backends: string[] = []
  if (ufw?.active) {
    backends.push('ufw')
    active.push({ name: 'ufw', enabled: true, defaultInbound: ufw.defaultInbound })
  }
  if (firewalld?.running) {
    backends.push('firewalld')
    active.push(...(firewalld.profiles.length ? firewalld.profiles : [{ name: 'firewalld', enabled: true, defaultInbound: 'unknown' as const }]))
  }
  if (active.length) return { backend: backends.join('+'), profiles: active }

  const nft = await readNft()
  const chains = nft ?? []
  if (chains.some((c) => nftChainInbound(c) === 'block')) return { backend: 'nftables', profiles: chains.map(nftProfile) }

  // Without nft (or with an empty nft view, as with iptables-legacy) the iptables INPUT chain is the kernel's answer.
  const ipt = chains.length === 0 ? await readIptables() : null
  if (ipt && iptablesInbound(ipt) === 'block') return { backend: 'iptables', profiles: [{ name: 'iptables INPUT', enabled: true, defaultInbound: 'block' }] }

  const off: Profile[] = []
  if (ufw && !ufw.active) off.push({ name: 'ufw', enabled: false, defaultInbound: ufw.defaultInbound })
  if (firewalld && !firewalld.running) off.push({ name: 'firewalld', enabled: false, defaultInbound: 'unknown' })
  if (off.length) return { backend: off.map((p) => p.name).join('+'), profiles: off }

  const filtering = chains.filter((c) => c.rules > 0 || c.policy !== 'accept')
  if (filtering.length) return { backend: 'nftables', profiles: filtering.map(nftProfile) }
  if (ipt && ipt.rules > 0) return { backend: 'iptables', profiles: [{ name: 'iptables INPUT', enabled: true, defaultInbound: iptablesInbound(ipt) }] }
  if (nft === null && ipt === null) throw new FactFailure('command-missing', 'none of ufw, firewall-cmd, nft, iptables is installed')
  return { backend: 'none', profiles: [] }
}

export const collector: Collector<'base.firewall'> = { id: 'base.firewall', collect: () => collectFirewall() }
