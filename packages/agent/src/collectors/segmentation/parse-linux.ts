// Pure parser for `ss -H -tulnp`. No I/O. Risky ports are named from the table shared by every OS.
import type { SegmentationFact } from '@lagebild/shared'
import { isLoopbackAddress, riskyTcpService } from './risky-ports.js'

/** The risky service on this port (the same table for TCP and UDP; none of its ports is a common UDP service). */
export const riskyService = riskyTcpService

type Listening = SegmentationFact['listening'][number]

/** 127.0.0.0/8, ::1, IPv4-mapped loopback, or anything bound to the lo interface ("%lo"). */
export function isLoopback(address: string, iface: string | null): boolean {
  return iface === 'lo' || isLoopbackAddress(address)
}

/**
 * `ss -H -tulnp`: `netid state recv-q send-q local:port peer:port [users:(("name",pid=…,fd=…))]`.
 * Local forms: 0.0.0.0:22, *:6379 (dual stack), [::]:22, 127.0.0.53%lo:53, [fe80::1]%eth0:546.
 */
export function parseSsListening(text: string): Listening[] {
  const out: Listening[] = []
  const seen = new Set<string>()
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 5) continue
    const protocol = cols[0] === 'tcp' ? 'tcp' : cols[0] === 'udp' ? 'udp' : null
    if (!protocol) continue
    const m = /^(\[[^\]]+\]|[^%\s]*?)(?:%([^:\s]+))?:(\d+|\*)$/.exec(cols[4]!)
    if (!m || m[3] === '*') continue
    const address = m[1]!.replace(/^\[|\]$/g, '') || '*'
    const iface = m[2] ?? null
    if (isLoopback(address, iface)) continue
    const port = Number(m[3])
    const key = `${protocol} ${address} ${port}`
    if (seen.has(key)) continue
    seen.add(key)
    const process = /users:\(\("([^"]+)"/.exec(line)?.[1]
    const risky = riskyService(port)
    out.push({ protocol, address, port, ...(process ? { process } : {}), ...(risky ? { risky } : {}) })
  }
  return out.slice(0, 1000)
}
