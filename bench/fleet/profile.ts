// Summarises a V8 CPU profile of the server (node --cpu-prof, written by `bench/fleet.ts --cpu-prof`): the functions and
// packages with the most time of their own, and the inclusive time of the ingest, judging and job entry points.
//   node_modules/.bin/tsx bench/fleet/profile.ts /tmp/lagebild-fleet-…/profiles/CPU….cpuprofile [top=25]
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface Profile {
  nodes: Node[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Where a frame's code lives: a package, our own source, Node itself, or V8's bookkeeping. */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)'
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  const ours = /packages\/([^/]+)\/src\/(.+)$/.exec(url)
  if (ours) return `@lagebild/${ours[1]}`
  if (url.startsWith('node:')) return 'node'
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/')
}

export function summarise(p: Profile, top = 25) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  // Time per sample from the deltas (sampling is not perfectly regular).
  const selfMs = new Map<number, number>()
  for (let i = 0; i < p.samples.length; i++) selfMs.set(p.samples[i]!, (selfMs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000)
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0)
  const idle = [...selfMs].filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName)).reduce((a, [, v]) => a + v, 0)
  const busy = total - idle

  const fnSelf = new Map<string, number>()
  const pkgSelf = new Map<string, number>()
  for (const [id, ms] of selfMs) {
    const n = byId.get(id)!
    const f = n.callFrame
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue
    const key = `${f.functionName || '(anonymous)'} ${owner(f.url, f.functionName)}${f.url && !f.url.includes('node_modules') ? `:${f.lineNumber + 1}` : ''}`
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + ms)
    const o = owner(f.url, f.functionName)
    pkgSelf.set(o, (pkgSelf.get(o) ?? 0) + ms)
  }

  // Inclusive time of named functions: every sample whose stack contains the name (counted once per sample).
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const inclusive = new Map<string, number>()
  const WATCH = /^(store|storeOne|flush|submit|judgeHost|judge|evaluateFacts|applyFindingChanges|rejudge|rejudgeAll|tick|checkSilent|followUps|carryPendingSince|overview|onFrame|accept|agentFromToken|prepare|run|get|all|transaction|sqliteTransaction|parse|stringify|Check|handleUpgrade|completeUpgrade|checkpoint)$/
  for (const [id, ms] of selfMs) {
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame
      if (!WATCH.test(f.functionName)) continue
      const key = `${f.functionName} ${owner(f.url, f.functionName)}`
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms)
    }
  }
  const pctOf = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)} %`
  const lines: string[] = []
  lines.push(`profile: ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %); shares below are of the busy time`)
  lines.push('\nself time by package:')
  for (const [k, v] of [...pkgSelf].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pctOf(v)}  ${k}`)
  lines.push('\nself time by function:')
  for (const [k, v] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pctOf(v)}  ${k}`)
  lines.push('\ninclusive time:')
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pctOf(v)}  ${k}`)
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2]
  if (!file) throw new Error('usage: profile.ts FILE.cpuprofile [top]')
  process.stdout.write(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)) + '\n')
}
