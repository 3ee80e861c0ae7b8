// Test-only helpers for the win32/darwin collectors: fixtures and schema checks.
import { readFileSync } from 'node:fs'
import { Compile } from 'typebox/compile'
import type { TSchema } from 'typebox'
import { expect } from 'vitest'
import { FactFailure } from '../../system.js'

export const fixtureText = (base: string, name: string): string => readFileSync(new URL(name, base), 'utf8')
export const fixtureJson = (base: string, name: string): unknown => JSON.parse(fixtureText(base, name))

/** Asserts the value matches the shared schema and prints the first errors when not. */
export function expectValid(schema: TSchema, value: unknown): void {
  const c = Compile(schema)
  const errors = c.Check(value) ? [] : [...c.Errors(value)].slice(0, 5).map((e) => `${e.instancePath} ${e.message}`)
  expect(errors).toEqual([])
}

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
