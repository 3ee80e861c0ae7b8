// Request validation: TypeBox for everything, plus a strict reading of numbers in the query string and path.
// TypeBox converts query text to numbers loosely ("0x10" → 16, "1.5" → 1, " " → 0, "1e20" → 1e20), so a parameter
// could mean something else than it says. Here a number parameter must be written as plain decimal digits.
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { TSchema } from 'typebox'

const INTEGER = /^-?\d{1,16}$/
const NUMBER = /^-?\d{1,16}(\.\d{1,16})?$/

/** The top-level properties of an object schema that are numbers (also inside Optional / a union with null). */
function numberProperties(schema: TSchema): Map<string, RegExp> {
  const out = new Map<string, RegExp>()
  const props = (schema as { properties?: Record<string, TSchema> }).properties ?? {}
  for (const [key, prop] of Object.entries(props)) {
    const variants = ((prop as { anyOf?: TSchema[] }).anyOf ?? [prop]) as { type?: unknown }[]
    if (variants.some((v) => v.type === 'integer')) out.set(key, INTEGER)
    else if (variants.some((v) => v.type === 'number')) out.set(key, NUMBER)
  }
  return out
}

const notDecimal = (key: string, integer: boolean): FastifySchemaValidationError => ({
  keyword: 'type',
  instancePath: `/${key}`,
  schemaPath: `#/properties/${key}/type`,
  params: {},
  message: integer ? 'must be a whole number written in decimal digits' : 'must be a number written in decimal digits',
})

export const strictValidatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const inner = TypeBoxValidatorCompiler(route)
  if (route.httpPart === 'body') return inner
  const numbers = numberProperties(route.schema)
  if (!numbers.size) return inner
  return (value: unknown) => {
    if (value && typeof value === 'object')
      for (const [key, re] of numbers) {
        const raw = (value as Record<string, unknown>)[key]
        if (typeof raw === 'string' && !re.test(raw)) return { error: [notDecimal(key, re === INTEGER)] }
      }
    return inner(value)
  }
}
