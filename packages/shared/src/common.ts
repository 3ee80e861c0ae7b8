import Type, { type Static, type TLiteral, type TSchemaOptions, type TUnion } from 'typebox'
import { Format } from 'typebox/format'
import { AgentTextSchema } from './text.js'

/** The literal schemas of a tuple of strings, element by element. */
export type LiteralsOf<T extends readonly string[]> = { -readonly [K in keyof T]: T[K] extends string ? TLiteral<T[K]> : never }

/**
 * A schema allowing exactly the values of a const tuple. The tuple is the one list (drizzle `enum:`, forms, CLI help
 * take it as it is); the schema is derived from it, so the two cannot drift apart.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, options?: TSchemaOptions): TUnion<LiteralsOf<T>> {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as unknown as TUnion<LiteralsOf<T>>
}

/** Whether `v` is one of the values of a list (narrows the type). */
export const isOneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v)

/**
 * True when the text is an RFC 3339 date-time that is also a real instant: upper-case `T` and `Z`, a real day of its
 * month, seconds 00–59, and JavaScript's Date reads it as a finite time. RFC 3339 itself allows a leap second
 * (`23:59:60`), lower-case `t`/`z` and zone suffixes; Date.parse turns the first into NaN, and text comparison of the
 * others sorts them wrongly — such a date once passed validation and was judged "NaN h old", i.e. ok.
 */
export function isInstant(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/.test(text)) return false
  return Format.IsDateTime(text) && Number.isFinite(Date.parse(text))
}

// One meaning of "date-time" in every schema of the process (report, facts, the server's routes): a real instant.
// Set here, where IsoDateSchema is defined, so it holds before any schema that uses the format is compiled.
Format.Set('date-time', isInstant)

/** A date-time as ISO 8601 text, always with a zone (the agent writes UTC). Only real instants pass (see isInstant). */
export const IsoDateSchema = Type.String({
  format: 'date-time',
  // The longest real instant: 2026-11-28T08:00:00.123456789+01:00.
  maxLength: 35,
  description: 'Date and time in ISO 8601 with zone and upper-case T/Z, seconds 00–59, e.g. 2026-11-28T08:00:00.000Z',
})

/** Text a person reads, in both languages the product speaks. */
export const TextSchema = Type.Object(
  {
    de: Type.String({ description: 'German text' }),
    en: Type.String({ description: 'English text' }),
  },
  { description: 'A text in German and English', additionalProperties: false },
)
export type Text = Static<typeof TextSchema>

export const LANGUAGES = ['de', 'en'] as const
export const LanguageSchema = oneOf(LANGUAGES, { description: 'Language: de (German) or en (English)' })
export type Language = Static<typeof LanguageSchema>

/**
 * "1 Mitglied", "3 Mitglieder": a count with the form the language's own plural rules pick (Intl.PluralRules),
 * never "Mitglied(er)". `forms` are [one, other], the two categories German and English know.
 */
export function countOf(lang: Language, n: number, [one, other]: readonly [string, string]): string {
  return `${new Intl.NumberFormat(lang).format(n)} ${new Intl.PluralRules(lang).select(n) === 'one' ? one : other}`
}

export const FactErrorCodeSchema = Type.Union(
  [
    Type.Literal('not-implemented'),
    Type.Literal('not-supported'),
    Type.Literal('command-missing'),
    Type.Literal('permission-denied'),
    Type.Literal('timeout'),
    Type.Literal('parse-error'),
    Type.Literal('failed'),
  ],
  {
    description:
      'Why a fact could not be read: not-implemented (no collector yet for this OS), not-supported (the OS has no such thing), ' +
      'command-missing (the tool is not installed), permission-denied, timeout, parse-error (output not understood), failed (anything else)',
  },
)
export type FactErrorCode = Static<typeof FactErrorCodeSchema>

export const FactErrorSchema = Type.Object(
  {
    error: Type.Object(
      {
        code: FactErrorCodeSchema,
        message: AgentTextSchema(2000, { description: 'What went wrong, for the admin (English, technical)' }),
      },
      { additionalProperties: false },
    ),
  },
  { description: 'The fact could not be read. Never replaced by a made-up default.', additionalProperties: false },
)
export type FactError = Static<typeof FactErrorSchema>

export function isFactError(v: unknown): v is FactError {
  return typeof v === 'object' && v !== null && 'error' in v
}
