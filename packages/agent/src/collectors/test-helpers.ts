// Test helpers for the collectors of every OS: recorded fixtures, schema checks, judging, expected failures, and the
// one policy for live tests on this machine.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Compile } from 'typebox/compile'
import type { TSchema } from 'typebox'
import { beforeAll, describe, expect } from 'vitest'
import { DEFAULT_THRESHOLDS, evaluateFact, FACT_SCHEMAS, type FactId, type FactValue, type Finding } from '@lagebild/shared'
import { FactFailure, findTool } from '../system.js'

export type FixtureOs = 'linux' | 'darwin' | 'win32'

/** The recorded outputs next to a test: `fixtures(import.meta.url, 'linux').text('ufw-status.txt')`. */
export function fixtures(testFileUrl: string, os: FixtureOs) {
  const path = (name: string) => fileURLToPath(new URL(`./fixtures/${os}/${name}`, testFileUrl))
  const text = (name: string) => readFileSync(path(name), 'utf8')
  return { path, text, json: (name: string): unknown => JSON.parse(text(name)) }
}

/** Asserts the value matches a fact's schema (by id) or any schema, showing the first errors when not. */
export function expectValid(schema: FactId | TSchema, value: unknown): void {
  const c = Compile(typeof schema === 'string' ? FACT_SCHEMAS[schema as FactId] : (schema as TSchema))
  const errors = c.Check(value) ? [] : [...c.Errors(value)].slice(0, 5).map((e) => `${e.instancePath} ${e.message}`)
  expect(errors, JSON.stringify(value).slice(0, 500)).toEqual([])
}

export const judge = <K extends FactId>(id: K, value: FactValue<K>, now = new Date()): Finding =>
  evaluateFact(id, value as never, DEFAULT_THRESHOLDS, now)

/** Asserts fn throws a FactFailure with this code (unknown, never ok). */
export async function expectFailure(fn: () => unknown, code: FactFailure['code']): Promise<FactFailure> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(FactFailure)
    expect((err as FactFailure).code).toBe(code)
    return err as FactFailure
  }
  throw new Error(`expected a FactFailure(${code})`)
}

export const isLinux = process.platform === 'linux'
export const isRoot = process.getuid?.() === 0

/** Read-only live tests need their tools: CI installs them from .ci/apt-packages.txt, so a missing one fails. */
export async function requireTool(name: string): Promise<void> {
  const found = await findTool(name)
  if (!found || !('path' in found)) throw new Error(`${name} is not installed; add its package to .ci/apt-packages.txt`)
}

/** On when LAGEBILD_LIVE=1 (.ci/run sets it): tests that change this machine may run. */
export const LIVE = process.env.LAGEBILD_LIVE === '1'

/**
 * Tests that change this machine (switch the firewall, create accounts) — one policy for all of them:
 * - without LAGEBILD_LIVE=1 they are skipped, and the reason is printed;
 * - with it they must run: not Linux, not root or a missing tool FAILS them, never skips them silently.
 */
export function describeLive(name: string, needs: { root?: boolean; tools?: string[] }, body: () => void): void {
  if (!LIVE) {
    console.info(`skipped "${name}": it changes this machine; set LAGEBILD_LIVE=1 to run it (.ci/run does)`)
    describe.skip(`${name} (skipped: needs LAGEBILD_LIVE=1)`, body)
    return
  }
  describe(name, () => {
    beforeAll(async () => {
      if (!isLinux) throw new Error(`LAGEBILD_LIVE=1, but "${name}" needs Linux`)
      if (needs.root && !isRoot) throw new Error(`LAGEBILD_LIVE=1, but "${name}" needs root`)
      for (const t of needs.tools ?? []) await requireTool(t)
    })
    body()
  })
}

/**
 * Runs `code` (an ES module body; `await` allowed, `print(value)` hands a JSON value back) in a fresh Node process with
 * the agent's TypeScript loader, as an unprivileged user when this test runs as root (uid/gid 65534, "nobody"), so
 * that what a non-root agent sees can be tested. Modules are imported by absolute URL, e.g. `new URL('./linux.ts', import.meta.url).href`.
 */
export function runUnprivileged(code: string, env: Record<string, string>): Promise<unknown> {
  const script = `const print = (v) => process.stdout.write('\\n@@' + JSON.stringify(v));\n${code}`
  const ids = isRoot ? { uid: 65534, gid: 65534 } : {}
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { ...ids, env, cwd: fileURLToPath(new URL('../../', import.meta.url)), timeout: 60_000 }, (err, stdout, stderr) => {
      const at = stdout.lastIndexOf('\n@@')
      if (at < 0) return reject(new Error(`no result: ${err?.message ?? ''} ${stderr.slice(0, 1000)}`))
      resolve(JSON.parse(stdout.slice(at + 3)))
    })
  })
}
