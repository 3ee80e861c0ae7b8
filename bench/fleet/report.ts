// Realistic reports for the fleet simulator: the facts of tests/lib/demo.ts, grown to the ~17 KB an office PC sends
// (a few dozen pending updates with long titles, the listening ports of a Windows PC, a few admin-group members).
// Facts change now and then as on a real PC (update check, signatures, a firewall switched off and on again).
import { randomUUID } from 'node:crypto'
import type { Facts, HostIdentity, Report } from '../../packages/shared/src/index.js'
import { goodFacts, identity, problems, type OsFamily } from '../../tests/lib/demo.js'

const OSES: OsFamily[] = ['windows', 'windows', 'windows', 'macos', 'linux']
const HOUR = 3_600_000
const ago = (h: number, now: number) => new Date(now - h * HOUR).toISOString()

export const fleetIdentity = (i: number): HostIdentity => {
  const os = OSES[i % OSES.length]!
  return identity(`${['pc', 'nb', 'mac', 'srv'][i % 4]}-${String(i).padStart(5, '0')}`, os, `fleet${String(i).padStart(8, '0')}${randomUUID().slice(0, 8)}`)
}

/** The facts host number `i` reports; `variant` moves the values that change between two collections. */
export function fleetFacts(i: number, family: OsFamily, now: number, variant = 0): Facts {
  const base = goodFacts(family, now)
  const patches = base['base.patches'] as Extract<Facts['base.patches'], { items: unknown }>
  const items = Array.from({ length: 24 }, (_, k) => ({
    name: `2026-${String((k % 12) + 1).padStart(2, '0')} Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB50${String(46000 + k * 37)})`,
    version: `10.0.22631.${4460 + k}`,
    security: false,
    source: 'Microsoft Update (Windows 11 Feature and Quality Updates)',
    since: ago(10 + k, now),
  }))
  const facts: Facts = {
    ...base,
    'base.patches': { ...patches, pending: items.length, items, lastCheck: ago(1 + (variant % 5), now) },
    'base.segmentation': {
      listening: Array.from({ length: 125 }, (_, k) => ({
        protocol: k % 3 ? ('tcp' as const) : ('udp' as const),
        address: k % 4 ? '0.0.0.0' : '::',
        port: 49664 + k * 7,
        process: ['svchost.exe', 'lsass.exe', 'services.exe', 'spoolsv.exe', 'wininit.exe', 'OneDrive.exe'][k % 6]!,
      })),
    },
  }
  // The same mix as bench/board.ts: one in seven with a stale backup, one in eleven Windows PCs with the firewall off,
  // one in thirteen with unreadable anti-malware.
  if (i % 7 === 0) Object.assign(facts, problems.staleBackup(now))
  if (i % 11 === 0 && family === 'windows') Object.assign(facts, problems.firewallOff())
  if (i % 13 === 0) Object.assign(facts, problems.avUnreadable())
  // Now and then a firewall switched off for a while: opens an alert, resolved by the next change.
  if (variant % 10 === 5) Object.assign(facts, problems.firewallOff())
  return facts
}

/** One simulated PC: its identity and its facts, rebuilt only when they change (the simulator's own CPU is precious). */
export class FleetHost {
  private variant = 0
  private facts: Facts
  readonly identity: HostIdentity
  constructor(readonly index: number, identity: HostIdentity) {
    this.identity = identity
    this.facts = fleetFacts(index, identity.os.family, Date.now())
  }

  /** A full report; with probability `changeRate` something changed since the last one. */
  next(changeRate: number, now = Date.now()): Report {
    if (Math.random() < changeRate) {
      this.variant++
      this.facts = fleetFacts(this.index, this.identity.os.family, now, this.variant)
    }
    return { v: 1, id: randomUUID(), kind: 'full', collectedAt: new Date(now).toISOString(), host: this.identity, facts: this.facts }
  }
}

/** Bytes of one report frame as it goes over the WebSocket. */
export const frameBytes = (r: Report) => Buffer.byteLength(JSON.stringify({ type: 'report', report: r }))
