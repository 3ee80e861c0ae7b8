// Shapes every area uses: the error body, an id in the path, a nullable value, who may call.
import Type, { type TSchema } from 'typebox'
import { MAX_TAGS, TAG_PATTERN, TextSchema } from '@lagebild/shared'

export const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'Short error code' }),
    message: Type.String({ description: 'What went wrong' }),
    path: Type.Optional(Type.String({ description: 'For invalid input: the path of the first error, e.g. /facts/base.patches/pending' })),
    requestId: Type.Optional(Type.String({ description: 'For a server error (5xx): the id under which the details are in the server log' })),
    text: Type.Optional(TextSchema),
  },
  { description: 'An error' },
)

export const IdParamsSchema = Type.Object({ id: Type.String({ maxLength: 100 }) })

export const Nullable = <T extends TSchema>(t: T, description?: string) =>
  Type.Union([t, Type.Null()], description === undefined ? {} : { description })

/** The admin API: a person's session cookie or an API key. */
export const PERSON_SECURITY: { [k: string]: string[] }[] = [{ session: [] }, { apiKey: [] }]

/** A tag on hosts and enrollment tokens. */
export const TagSchema = Type.String({ pattern: TAG_PATTERN, maxLength: 50, description: 'Letters, digits, . _ -; at most 50' })
export const TagsSchema = Type.Array(TagSchema, { maxItems: MAX_TAGS })

// ── Paging of every list ──
// Both ends bounded: ?offset=1e20 or 2^63 is a 400 with the allowed range, never a number SQLite cannot bind (500).

/** Rows per page. */
export const PageLimitSchema = (def: number) => Type.Integer({ minimum: 1, maximum: 500, default: def, description: `Rows per page (1–500, default ${def})` })
/** Rows skipped; a million is far beyond any list here (hosts, alerts) and still a plain 32-bit number. */
export const MAX_OFFSET = 1_000_000
export const PageOffsetSchema = Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0, description: `Rows skipped (0–${MAX_OFFSET})` })

/**
 * Text to search or filter by: no control characters. SQLite's LIKE reads its pattern only up to a NUL, so "%00" searched
 * for "%" — every host.
 */
export const SearchTextSchema = (maxLength: number, options: { minLength?: number; description?: string } = {}) =>
  Type.String({ ...options, maxLength, pattern: '^[^\\p{Cc}]*$' })
