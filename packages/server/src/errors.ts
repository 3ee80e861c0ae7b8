import { AGENT_REFUSAL_TEXT, type AgentRefusal } from '@lagebild/shared'

// Errors the domain raises (services, plugins, the CLI) say what went wrong in its own terms: a kind and a message
// meant for the person who caused it. Only the error handler (app.ts) turns a kind into an HTTP status; the CLI turns
// it into exit code 2. Anything that is no DomainError is an internal failure whose message nobody outside sees.

/** The kinds of refusal, each with the HTTP status the error handler answers with. */
export const ERROR_STATUS = {
  /** The input is wrong (a value out of range, a malformed duration …). */
  invalid: 400,
  /** Who is asking is not known (no or wrong credentials, unknown token). */
  unauthenticated: 401,
  /** Known, but not allowed (role, CSRF token, origin). */
  forbidden: 403,
  'not-found': 404,
  /** The request contradicts the current state (exists already, already resolved, another machine). */
  conflict: 409,
  /** Too many attempts from this caller (failed logins of an account): wait, the answer says how long. */
  'too-many': 429,
  /** The server is at its limit for this kind of work (password hashes at once): try again shortly. */
  busy: 503,
  /** An upload over its limit (the network plan). */
  'too-large': 413,
} as const
export type ErrorKind = keyof typeof ERROR_STATUS

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** A short, stable code for clients (defaults to the kind). */
    readonly code: string = kind,
  ) {
    super(message)
    this.name = 'DomainError'
  }
  /** The HTTP status of this kind (read by the error handler and the agent channel). */
  get statusCode(): number {
    return ERROR_STATUS[this.kind]
  }
}

export const invalid = (msg: string, code = 'bad-request') => new DomainError('invalid', msg, code)
export const unauthorized = (msg = 'authentication required', code = 'unauthorized') => new DomainError('unauthenticated', msg, code)
export const forbidden = (msg = 'not allowed for your role', code = 'forbidden') => new DomainError('forbidden', msg, code)
export const notFound = (msg = 'not found') => new DomainError('not-found', msg)
export const conflict = (msg: string, code = 'conflict') => new DomainError('conflict', msg, code)
export const tooMany = (msg: string, code = 'too-many') => new DomainError('too-many', msg, code)
export const busy = (msg: string, code = 'busy') => new DomainError('busy', msg, code)

/**
 * Input that fits the schema but not the rest of the records (an end before a start, an unknown contact): the reason in
 * both languages and the path of the field, so the board can show it as it is.
 */
export class InputError extends DomainError {
  constructor(
    readonly text: { de: string; en: string },
    readonly path = '/',
    kind: ErrorKind = 'invalid',
  ) {
    super(kind, text.en, kind === 'invalid' ? 'invalid-input' : kind === 'conflict' ? 'in-use' : kind)
  }
}

const KIND_OF_STATUS = new Map<number, ErrorKind>(Object.entries(ERROR_STATUS).map(([k, s]) => [s, k as ErrorKind]))

/**
 * @deprecated Throw a DomainError (invalid, conflict …) instead. Kept for plugins/ingest.ts until its owner moves it;
 * it is a DomainError of the kind its status names, so the one error handler treats both alike.
 */
export class HttpError extends DomainError {
  constructor(status: number, message: string, code = 'error') {
    super(KIND_OF_STATUS.get(status) ?? 'invalid', message, code)
  }
}

/** An agent's credentials are refused: 401 with the shared refusal code, which the agent turns into a plain explanation. */
export const agentRefused = (refusal: AgentRefusal) => unauthorized(`${refusal}: ${AGENT_REFUSAL_TEXT[refusal].en}`, refusal)

/**
 * SQLite's own failures that are not the server's fault and pass: the disk is full, the database is locked by another
 * program (a backup tool, a second server on the same folder). The client is told to come back (503; an agent keeps the
 * report in its spool), the operator reads in the log what to do. Anything else stays an internal error.
 */
export function storageFault(err: unknown): DomainError | null {
  const code = (err as { code?: unknown })?.code
  if (typeof code !== 'string') return null
  // The file system's own words, from an fsync the server runs itself (the WAL's, in the thread pool: db/durability.ts).
  const full = code === 'ENOSPC' || code === 'EDQUOT'
  if (!full && !code.startsWith('SQLITE_')) return null
  if (full || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC')
    return busy('the server cannot store anything right now: its disk is full; nothing was stored — try again later', 'storage-full')
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return busy('the database is locked by another program; nothing was stored — try again later', 'storage-locked')
  return null
}
