// The agent packages this server hands out (built by `npm run build` into packages/agent-dist/out, or
// LAGEBILD_AGENT_PACKAGES): read from their manifest.json, checked, re-read when the file changes.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Compile } from 'typebox/compile'
import { AgentPackageManifestSchema, type AgentPackage, type AgentPackageManifest, type AgentPlatform } from '@lagebild/shared'

const check = Compile(AgentPackageManifestSchema)

export interface AgentPackages {
  /** The manifest, or null when no packages were built (the reason in `problem`). */
  manifest(): AgentPackageManifest | null
  problem(): string | null
  find(platform: AgentPlatform): (AgentPackage & { path: string }) | null
}

export function agentPackages(dir: string): AgentPackages {
  const file = join(dir, 'manifest.json')
  let cached: { mtimeMs: number; manifest: AgentPackageManifest | null; problem: string | null } | null = null
  const load = () => {
    let mtimeMs: number
    try {
      mtimeMs = statSync(file).mtimeMs
    } catch {
      return (cached = { mtimeMs: -1, manifest: null, problem: `no agent packages in ${dir}: run npm run build (or set LAGEBILD_AGENT_PACKAGES)` })
    }
    if (cached?.mtimeMs === mtimeMs) return cached
    try {
      const m: unknown = JSON.parse(readFileSync(file, 'utf8'))
      if (!check.Check(m)) throw new Error('does not match the manifest schema')
      // A file name is joined to a path: only plain names.
      if (m.packages.some((p) => p.file.includes('/') || p.file.includes('\\') || p.file.startsWith('.'))) throw new Error('a package file name is not a plain name')
      cached = { mtimeMs, manifest: m, problem: null }
    } catch (err) {
      cached = { mtimeMs, manifest: null, problem: `${file}: ${(err as Error).message}` }
    }
    return cached
  }
  return {
    manifest: () => load().manifest,
    problem: () => load().problem,
    find(platform) {
      const p = load().manifest?.packages.find((x) => x.platform === platform)
      return p ? { ...p, path: join(dir, p.file) } : null
    },
  }
}
