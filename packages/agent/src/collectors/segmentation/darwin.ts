// base.segmentation on macOS: TCP sockets in LISTEN state from `lsof -nP -iTCP -sTCP:LISTEN` (as root: every
// process), loopback dropped, risky well-known ports named from the shared table. UDP is not read: lsof shows no
// listening state for UDP, so "listening" and "talking" cannot be told apart there.
import type { SegmentationFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'
import { isLoopbackAddress, riskyTcpService } from './risky-ports.js'

type Listening = SegmentationFact['listening'][number]

/**
 * Pure: `lsof -nP -iTCP -sTCP:LISTEN`. Columns COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME; NAME is
 * `*:22 (LISTEN)`, `127.0.0.1:631 (LISTEN)` or `[fe80:5::1]:49154 (LISTEN)`. `*` is every interface of the family
 * in TYPE (IPv4 → 0.0.0.0, IPv6 → ::).
 */
export function parseLsofListen(text: string): Listening[] {
  const out: Listening[] = []
  const seen = new Set<string>()
  const lines = text.split(/\r?\n/).filter((l) => l.trim())
  if (lines.length && !/^COMMAND\s+PID\s/.test(lines[0]!)) throw new FactFailure('parse-error', `lsof output not understood: ${lines[0]!.slice(0, 200)}`)
  for (const line of lines.slice(1)) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 10) throw new FactFailure('parse-error', `lsof line not understood: ${line.slice(0, 200)}`)
    const [command, , , , type, , , node] = cols
    if (node !== 'TCP') continue
    const name = cols.slice(8).join(' ')
    const m = /^(\*|\[[^\]]+\]|[^\s:]+):(\d+)(?:\s+\(LISTEN\))?$/.exec(name)
    if (!m) throw new FactFailure('parse-error', `lsof address not understood: ${name.slice(0, 200)}`)
    const port = Number(m[2])
    if (port > 65535) throw new FactFailure('parse-error', `lsof port out of range: ${name.slice(0, 200)}`)
    const raw = m[1]!.replace(/^\[(.*)\]$/, '$1')
    const address = raw === '*' ? (type === 'IPv6' ? '::' : '0.0.0.0') : raw
    if (isLoopbackAddress(address)) continue
    const key = `${address}|${port}`
    if (seen.has(key)) continue
    seen.add(key)
    const risky = riskyTcpService(port)
    out.push({ protocol: 'tcp', address, port, process: command!.slice(0, 500), ...(risky ? { risky } : {}) })
  }
  return out.slice(0, 1000)
}

export async function collectDarwinSegmentation(): Promise<SegmentationFact> {
  const r = await execIfPresent('/usr/sbin/lsof', ['-nP', '-iTCP', '-sTCP:LISTEN'], { timeoutMs: 30_000 })
  if (!r) throw new FactFailure('command-missing', '/usr/sbin/lsof is not installed')
  // lsof exits 1 when nothing matched: with no output that is "no listener", with a message it is a failure.
  if (r.code !== 0 && !(r.code === 1 && r.stdout.trim() === '' && r.stderr.trim() === ''))
    throw new FactFailure(/permission|not permitted/i.test(r.stderr) ? 'permission-denied' : 'failed', `lsof exited ${r.code}: ${firstLines(r)}`)
  return { listening: parseLsofListen(r.stdout) }
}

export const collector: Collector<'base.segmentation'> = { id: 'base.segmentation', collect: () => collectDarwinSegmentation() }
