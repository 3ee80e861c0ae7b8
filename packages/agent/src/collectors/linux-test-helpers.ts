// Test helpers for the Linux collectors: schema check, judging, fixtures, and "this tool must be here".
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Compile } from 'typebox/compile'
import { DEFAULT_THRESHOLDS, evaluateFact, FACT_SCHEMAS, type FactId, type FactValue, type Finding } from '@lagebild/shared'

/** Throws with the first schema error, so a test shows what is wrong. */
export function assertValid<K extends FactId>(id: K, value: FactValue<K>): void {
  const c = Compile(FACT_SCHEMAS[id])
  if (!c.Check(value)) {
    const e = [...c.Errors(value)][0]
    throw new Error(`${id} does not match its schema: ${e?.instancePath ?? ''} ${e?.message ?? ''} in ${JSON.stringify(value).slice(0, 500)}`)
  }
}

export const judge = <K extends FactId>(id: K, value: FactValue<K>, now = new Date()): Finding =>
  evaluateFact(id, value as never, DEFAULT_THRESHOLDS, now)

export const fixtureReader = (testFileUrl: string) => (name: string) =>
  readFileSync(join(dirname(new URL(testFileUrl).pathname), 'fixtures', 'linux', name), 'utf8')

/** Live tests need their tools: CI installs them from .ci/apt-packages.txt, so a missing one is a failure, not a skip. */
export function requireTool(name: string): void {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])
  if (!dirs.some((d) => d && existsSync(join(d, name)))) throw new Error(`${name} is not installed; add its package to .ci/apt-packages.txt`)
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('this live test needs root (CI runs it as root)')
}

export const isLinux = process.platform === 'linux'
