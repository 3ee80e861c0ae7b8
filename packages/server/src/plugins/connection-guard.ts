// Connection exhaustion (issue #11 item 8): ~20,000 sockets that never finish their headers took every file descriptor,
// and the board, /healthz and the agents stopped getting in. Three limits, besides the HTTP timeouts in build.ts:
// - in total: at most `max` connections (below the process's open-file limit; Node refuses the rest at accept);
// - per address: at most `perAddress` (a trusted proxy is exempt: every client comes through it);
// - the reserve: at most half of `max` may be connections that have not yet sent one complete request. When a new one
//   would exceed that, the OLDEST such connection is closed — a slow-header attacker loses its sockets, while a real
//   client's fresh connection sends its request within milliseconds and so becomes "proven" long before it is the
//   oldest. Proven connections (agents' WebSockets, the board's browsers) are never closed for others.
import { readFileSync } from 'node:fs'
import { BlockList, isIPv4, type Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    connections: ConnectionGuard
  }
}

export interface ConnectionLimits {
  /** Connections at once in total. */
  max: number
  /** Connections at once from one address (trusted proxies exempt). */
  perAddress: number
  /** Connections that have not completed a request yet; default: half of max. */
  unproven?: number
}

/** Kept for the files a server opens itself: SQLite and its WAL, logs, static files, SMTP and webhook connections. */
export const FD_MARGIN = 512

/** The soft limit of open files of this process (Linux); null where it cannot be read. */
export function openFileLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    if (!m) return null
    return m[1] === 'unlimited' ? null : Number(m[1])
  } catch {
    return null
  }
}

/** Default total: what the open-file limit allows (less FD_MARGIN), at least 64, at most 100,000. */
export function defaultMaxConnections(fdLimit = openFileLimit()): number {
  return Math.min(100_000, Math.max(64, (fdLimit ?? 4096) - FD_MARGIN))
}

/** The trusted-proxy list (LAGEBILD_TRUST_PROXY) as an address matcher. */
export function proxyMatcher(list: string[] | false): (addr: string) => boolean {
  if (!list || !list.length) return () => false
  const b = new BlockList()
  const subnet = (a: string, bits: number) => b.addSubnet(a, bits, isIPv4(a) ? 'ipv4' : 'ipv6')
  const NAMED: Record<string, [string, number][]> = {
    loopback: [['127.0.0.0', 8], ['::1', 128]],
    linklocal: [['169.254.0.0', 16], ['fe80::', 10]],
    uniquelocal: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]],
  }
  for (const e of list) {
    if (NAMED[e]) for (const [a, bits] of NAMED[e]) subnet(a, bits)
    else {
      const [a, bits] = e.split('/') as [string, string | undefined]
      subnet(a, bits === undefined ? (isIPv4(a) ? 32 : 128) : Number(bits))
    }
  }
  return (addr) => b.check(addr, isIPv4(addr) ? 'ipv4' : 'ipv6')
}

export class ConnectionGuard {
  readonly unprovenMax: number
  private total = 0
  private readonly perAddress = new Map<string, number>()
  /** Connections without a complete request yet, oldest first (Map keeps insertion order). */
  private readonly unproven = new Map<string, Socket>()
  /** What the guard did, for the log and the benchmark. */
  readonly stats = { refusedPerAddress: 0, evictedUnproven: 0 }

  constructor(
    readonly limits: ConnectionLimits,
    private readonly exempt: (addr: string) => boolean = () => false,
  ) {
    this.unprovenMax = limits.unproven ?? Math.max(1, Math.floor(limits.max / 2))
  }

  /** A new TCP connection (the server's 'connection' event). */
  accept(socket: Socket) {
    const addr = socket.remoteAddress ?? ''
    const key = `${addr}|${socket.remotePort}`
    const n = (this.perAddress.get(addr) ?? 0) + 1
    this.total++
    this.perAddress.set(addr, n)
    socket.once('close', () => {
      this.total--
      const left = (this.perAddress.get(addr) ?? 1) - 1
      if (left > 0) this.perAddress.set(addr, left)
      else this.perAddress.delete(addr)
      if (this.unproven.get(key) === socket) this.unproven.delete(key)
    })
    if (n > this.limits.perAddress && !this.exempt(addr)) {
      this.stats.refusedPerAddress++
      return void socket.destroy()
    }
    this.unproven.set(key, socket)
    while (this.unproven.size > this.unprovenMax) {
      const [oldKey, oldest] = this.unproven.entries().next().value!
      this.unproven.delete(oldKey)
      this.stats.evictedUnproven++
      oldest.destroy()
    }
  }

  /** The connection delivered a complete request: it is no longer at risk of being closed for others. */
  prove(socket: { remoteAddress?: string; remotePort?: number } | undefined) {
    if (socket) this.unproven.delete(`${socket.remoteAddress ?? ''}|${socket.remotePort}`)
  }

  get open() {
    return { total: this.total, unproven: this.unproven.size, addresses: this.perAddress.size }
  }
}

export default fp(
  async (fastify: FastifyInstance, opts: { limits: ConnectionLimits; trustProxy: string[] | false }) => {
    const guard = new ConnectionGuard(opts.limits, proxyMatcher(opts.trustProxy))
    fastify.decorate('connections', guard)
    // Node refuses connections beyond this at accept, before they cost more than a moment.
    fastify.server.maxConnections = opts.limits.max
    fastify.server.on('connection', (socket: Socket) => guard.accept(socket))
    fastify.addHook('onRequest', async (req) => guard.prove(req.raw.socket))
  },
  { name: 'connection-guard' },
)
