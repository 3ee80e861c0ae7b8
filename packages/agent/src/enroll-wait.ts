// `lagebild-agent enroll` on a PC that is enrolled already (a reinstall, the install line pasted on the server's own PC
// after `npm start`): the server records a request and an admin allows or refuses it on the host page. The agent says
// where, asks again every few seconds, and enrolls as soon as it is allowed (docs/architecture.md, the re-enroll rule).
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ENROLL_EXIT_PENDING, ENROLL_POLL_SECONDS, ENROLL_WAIT_MINUTES, EnrollApprovalSchema, type EnrollApproval, type EnrollResponse, type HostIdentity,
  type Language,
} from '@lagebild/shared'
import { Compile } from 'typebox/compile'
import { enroll, TransportError, type TlsOptions } from './transport/http.js'

/** Not decided yet: `--no-wait`, or the wait ran out. The request stays on the board; the same command continues it. */
export class ApprovalPending extends Error {
  constructor(
    message: string,
    /** 3; 130 after Ctrl-C, as a shell reports an interrupted command. */
    readonly exitCode: number = ENROLL_EXIT_PENDING,
  ) {
    super(message)
  }
}
/** An admin refused on the board. */
export class ApprovalRefused extends Error {}

/** wait: ask on the board and wait; no-wait: ask, then stop (exit code 3); no-ask: refused at once, nothing recorded. */
export type ApprovalMode = 'wait' | 'no-wait' | 'no-ask'

export interface EnrollOptions {
  server: string
  token: string
  identity: HostIdentity
  tls: TlsOptions
  /** The agent's data folder: the key of a request waiting for approval is kept there until the enrollment succeeds. */
  dir: string
  mode: ApprovalMode
  lang: Language
  /** Where the lines for the person at the PC go (stderr). */
  say: (line: string) => void
  pollMs?: number
  waitMs?: number
  /** Ctrl-C: stop waiting (the request stays on the board). */
  signal?: AbortSignal
}

const KEY_FILE = 'enroll-request.json'
const KEY = /^[A-Za-z0-9_-]{32,100}$/

/**
 * The key of this PC's attempt with this server and token. Kept (0600, in the agent's data folder) until it is used, so
 * that running the same command again — after the wait ran out, after `--no-wait`, after Ctrl-C — continues the same
 * request on the board, and a decision already made applies. Only the sender of this key can use an approval.
 */
async function attemptKey(dir: string, server: string, token: string) {
  const file = join(dir, KEY_FILE)
  const forTarget = createHash('sha256').update(`${server}\n${token}`).digest('hex')
  const forget = () => rm(file, { force: true })
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { for?: unknown; key?: unknown }
    if (saved.for === forTarget && typeof saved.key === 'string' && KEY.test(saved.key)) return { key: saved.key, forget }
  } catch {
    // none yet, or unreadable: a new key (a new request)
  }
  const key = randomBytes(32).toString('base64url')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await writeFile(file, JSON.stringify({ for: forTarget, key }) + '\n', { mode: 0o600 })
  return { key, forget }
}

let checkApproval: ReturnType<typeof Compile<typeof EnrollApprovalSchema>> | undefined
/** The request's state from a 409 machine-enrolled; null for any other error (or a server that records no requests). */
export function approvalOf(err: unknown): EnrollApproval | null {
  if (!(err instanceof TransportError) || err.code !== 'machine-enrolled') return null
  const a = (err.body as { approval?: unknown } | undefined)?.approval
  checkApproval ??= Compile(EnrollApprovalSchema)
  return checkApproval.Check(a) ? a : null
}

const time = (iso: string, lang: Language) => new Date(iso).toLocaleTimeString(lang === 'de' ? 'de-DE' : 'en-GB', { hour: '2-digit', minute: '2-digit' })

/** The lines the person at the PC reads, in their language. */
export const APPROVAL_TEXT = {
  waiting: (a: EnrollApproval, lang: Language) =>
    lang === 'de'
      ? `Dieser PC ist schon als ${a.hostname} angemeldet. Ein Admin muss im Statusboard bestätigen: ${a.url} — warte …\n` +
        `(Frage alle ${ENROLL_POLL_SECONDS} s nach, höchstens ${ENROLL_WAIT_MINUTES} Minuten; Strg+C bricht ab, die Anfrage bleibt bis ${time(a.expiresAt, lang)} Uhr stehen.)`
      : `This PC is already enrolled as ${a.hostname}. An admin must confirm on the board: ${a.url} — waiting …\n` +
        `(Asking every ${ENROLL_POLL_SECONDS} s for up to ${ENROLL_WAIT_MINUTES} minutes; Ctrl-C aborts, the request stays until ${time(a.expiresAt, lang)}.)`,
  noWait: (a: EnrollApproval, lang: Language) =>
    lang === 'de'
      ? `Dieser PC ist schon als ${a.hostname} angemeldet. Ein Admin muss im Statusboard bestätigen: ${a.url} — danach denselben Befehl erneut ausführen (die Anfrage gilt bis ${time(a.expiresAt, lang)} Uhr).`
      : `This PC is already enrolled as ${a.hostname}. An admin must confirm on the board: ${a.url} — then run the same command again (the request holds until ${time(a.expiresAt, lang)}).`,
  timeout: (a: EnrollApproval, lang: Language) =>
    lang === 'de'
      ? `Nicht innerhalb von ${ENROLL_WAIT_MINUTES} Minuten bestätigt. Sobald ein Admin es auf ${a.url} erlaubt hat, denselben Befehl erneut ausführen (die Anfrage gilt bis ${time(a.expiresAt, lang)} Uhr).`
      : `Not confirmed within ${ENROLL_WAIT_MINUTES} minutes. Once an admin allowed it on ${a.url}, run the same command again (the request holds until ${time(a.expiresAt, lang)}).`,
  aborted: (a: EnrollApproval, lang: Language) =>
    lang === 'de'
      ? `Abgebrochen. Die Anfrage bleibt bis ${time(a.expiresAt, lang)} Uhr im Statusboard; denselben Befehl erneut ausführen, um weiter zu warten.`
      : `Aborted. The request stays on the board until ${time(a.expiresAt, lang)}; run the same command again to go on waiting.`,
  refused: (a: EnrollApproval, lang: Language) =>
    lang === 'de'
      ? `Ein Admin hat im Statusboard abgelehnt, diesen PC (${a.hostname}) neu anzumelden. Nichts wurde geändert; der angemeldete Agent meldet weiter.`
      : `An admin refused on the board to enroll this PC (${a.hostname}) again. Nothing changed; the enrolled agent keeps reporting.`,
  allowed: (lang: Language) =>
    lang === 'de'
      ? 'Ein Admin hat es erlaubt: Der bisherige Agent dieses PCs wird ab jetzt abgelehnt.'
      : 'An admin allowed it: the previous agent of this PC is refused from now on.',
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', stop)
      resolve()
    }, ms)
    const stop = () => {
      clearTimeout(t)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', stop, { once: true })
  })

/**
 * Enrolls; on a PC that is enrolled already asks an admin on the board and (mode `wait`) waits for the decision. A server
 * that cannot be reached for a moment while waiting is asked again; any other refusal ends the wait with its message.
 */
export async function enrollWithApproval(o: EnrollOptions): Promise<EnrollResponse & { approved: boolean }> {
  const attempt = o.mode === 'no-ask' ? null : await attemptKey(o.dir, o.server, o.token)
  const deadline = Date.now() + (o.waitMs ?? ENROLL_WAIT_MINUTES * 60_000)
  let seen: EnrollApproval | null = null
  for (;;) {
    try {
      const creds = await enroll(o.server, o.token, o.identity, o.tls, attempt?.key)
      await attempt?.forget()
      if (seen) o.say(APPROVAL_TEXT.allowed(o.lang))
      return { ...creds, approved: seen !== null }
    } catch (err) {
      const a = approvalOf(err)
      if (!a && !(seen && err instanceof TransportError && err.retryable)) throw err
      if (a?.state === 'refused') {
        await attempt?.forget()
        throw new ApprovalRefused(APPROVAL_TEXT.refused(a, o.lang))
      }
      if (a && !seen) {
        if (o.mode !== 'wait') throw new ApprovalPending(APPROVAL_TEXT.noWait(a, o.lang))
        o.say(APPROVAL_TEXT.waiting(a, o.lang))
      }
      seen = a ?? seen!
      if (Date.now() >= deadline) throw new ApprovalPending(APPROVAL_TEXT.timeout(seen, o.lang))
      try {
        await sleep(Math.min(o.pollMs ?? ENROLL_POLL_SECONDS * 1000, Math.max(0, deadline - Date.now())), o.signal)
      } catch {
        throw new ApprovalPending(APPROVAL_TEXT.aborted(seen, o.lang), 130)
      }
    }
  }
}
