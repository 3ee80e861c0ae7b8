// Text that comes from agents and reaches people: what the report schema accepts, and how it is shown.
// An agent is not trusted: a host name with a line break, a right-to-left override (U+202E shows "gnp.exe" as
// "exe.png") or 10 kB of text must neither break a notification's markup nor mislead the person reading it.
import Type, { type TString, type TSchemaOptions } from 'typebox'

/**
 * Characters that have no business in a name: controls (C0, DEL, C1 — CR, LF, NUL …), format characters (bidi
 * embeddings, overrides and isolates, zero-width joiners and spaces, soft hyphen, BOM), lone surrogate halves,
 * private-use code points, and the line and paragraph separators. The regex runs with the `u` flag (TypeBox compiles
 * every pattern so), where \p{Cs} matches only a surrogate half that is not part of a pair.
 */
const NOT_IN_NAMES = '\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Zl}\\p{Zp}'

/**
 * A name as an operating system reports it (host name, OS version, kernel, product): one line of visible text, no
 * characters from NOT_IN_NAMES (nor from `forbid`, a regex character-class body), at most `maxLength` characters.
 * `required` (default): not empty or blank.
 */
export const NameSchema = (maxLength: number, options: TSchemaOptions & { minLength?: number } = {}, required = true, forbid = ''): TString =>
  Type.String({
    minLength: required ? 1 : 0,
    ...options,
    maxLength,
    pattern: required ? `^(?=.*\\S)[^${NOT_IN_NAMES}${forbid}]+$` : `^[^${NOT_IN_NAMES}${forbid}]*$`,
  })

/**
 * A host name: also none of \ / : * ? " < > | — Windows refuses them in computer names, DNS has none of them, and
 * without them a host name can never read as a URL, a path or chat markup (`<!channel>`, `<url|text>`).
 */
export const HostnameSchema = (options: TSchemaOptions = {}): TString => NameSchema(253, options, true, '\\\\/:*?"<>|')

/** Free text from an agent (an error message, a raw state): lines allowed, but no NUL and no lone surrogate halves. */
export const AgentTextSchema = (maxLength: number, options: TSchemaOptions = {}): TString =>
  Type.String({ ...options, maxLength, pattern: '^[^\\u0000\\p{Cs}]*$' })

// Everything NOT_IN_NAMES lists, found in a string that may hold lone surrogates.
const INVISIBLE = new RegExp(`[${NOT_IN_NAMES}]`, 'gu')
const INVISIBLE_KEEP_LINES = new RegExp(`(?![\\n\\t])[${NOT_IN_NAMES}]`, 'gu')

const codePoint = (c: string) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`

/**
 * Agent text as a person may see it, in one helper for the board and every notification channel: each invisible or
 * direction-changing character is shown as [U+XXXX] (so "gnp[U+202E]exe.png" shows what the file really is), and the
 * text is cut at `max` characters with "…". `multiline` keeps line breaks and tabs (reasons, notification bodies);
 * otherwise they are marked too (names, subjects, header fields).
 */
export function displayText(text: string, opts: { max?: number; multiline?: boolean } = {}): string {
  const max = opts.max ?? 200
  const marked = text.replace(opts.multiline ? INVISIBLE_KEEP_LINES : INVISIBLE, codePoint)
  const chars = Array.from(marked)
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : marked
}
