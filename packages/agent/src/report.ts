// `lagebild-agent report`: a person at this PC reports an IT emergency by answering the questions of the emergency card
// (who reports, which system, what was observed, when, where), in German or English. The report carries this PC's
// identity and its current facts and goes to the server with the agent's credentials; when the server cannot be reached
// it waits in a spool of its own and is delivered later, in order (the running agent replays it).
// A person without the rights to read the agent's configuration (the normal case on an installed PC: it holds the
// agent's secret) drops the answers into a folder every user may write to; the running agent picks them up, adds the
// PC's identity and facts, and delivers them.
import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline/promises'
import { mkdir, readdir, readFile, rename, unlink, writeFile, chmod, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Compile } from 'typebox/compile'
import {
  CARD_RULES, USER_REPORT_FIELDS, UsageError, UserReportAnswersSchema, WEB_REPORT_MAX_BYTES,
  type AgentUserReport, type Language, type Report, type UserReportAnswers,
} from '@lagebild/shared'
import { agentEnv, defaultAgentDir, installLayout, readCaFile, type AgentConfig } from './config.js'
import { collectReport } from './run.js'
import { agentToken, call, TransportError } from './transport/http.js'
import { Spool } from './transport/spool.js'

/** The spool of user reports inside the agent's directory. */
export const userReportSpool = (dir: string) => new Spool<AgentUserReport>(join(dir, 'user-reports'), 200, (r) => r.reportedAt)

/**
 * The folder every user of the PC may drop a report into (sticky and writable by all, like /tmp): LAGEBILD_REPORT_DIR,
 * else the install layout's `reports` (/var/lib/lagebild-reports, C:\\ProgramData\\Lagebild\\reports, …).
 */
export const dropDir = (env: NodeJS.ProcessEnv = process.env): string | null => agentEnv(env).reportDir || installLayout()?.reports || null

/** The folder a running agent empties: only the installed agent's (or LAGEBILD_REPORT_DIR); a test or second agent has none. */
export const agentDropDir = (dir: string, env: NodeJS.ProcessEnv = process.env): string | null =>
  agentEnv(env).reportDir || (!agentEnv(env).dir && dir === defaultAgentDir()) ? dropDir(env) : null

const ASK: (keyof UserReportAnswers)[] = ['reporter', 'phone', 'system', 'observed', 'when', 'where']
const REQUIRED = new Set<keyof UserReportAnswers>(['reporter', 'system', 'observed', 'when'])
const T = {
  de: {
    intro: 'IT-Notfall melden – bitte die Fragen der Notfallkarte beantworten (leer lassen: überspringen, wo es geht).',
    required: 'Bitte beantworten.', collecting: 'Der Zustand dieses PCs wird erfasst …',
    sent: (r: string) => `Gemeldet. Ihre Meldungsnummer: ${r}. Die Zuständigen sind informiert.`,
    queued: 'Der Server ist gerade nicht erreichbar. Die Meldung ist auf diesem PC gespeichert und wird gesendet, sobald er erreichbar ist. Bitte rufen Sie zusätzlich den Erstkontakt an (lagebild-agent card).',
    dropped: 'Die Meldung ist gespeichert; der Lagebild-Dienst dieses PCs sendet sie mit dem Zustand des PCs an den Server. Bitte rufen Sie zusätzlich den Erstkontakt an (lagebild-agent card).',
    missing: (f: string) => `Angabe fehlt: ${f}`, rules: 'Bis dahin', noPlace: 'Kein Ort zum Speichern der Meldung (Agent nicht angemeldet und keine Ablage eingerichtet).',
  },
  en: {
    intro: 'Report an IT emergency – please answer the questions of the emergency card (leave empty to skip where possible).',
    required: 'Please answer.', collecting: "Collecting this PC's state …",
    sent: (r: string) => `Reported. Your report number: ${r}. The people in charge are informed.`,
    queued: 'The server cannot be reached right now. The report is kept on this PC and will be sent as soon as it can be. Please also call the first contact (lagebild-agent card).',
    dropped: "The report is saved; this PC's Lagebild service sends it to the server together with the PC's state. Please also call the first contact (lagebild-agent card).",
    missing: (f: string) => `Missing: ${f}`, rules: 'Until then', noPlace: 'Nowhere to keep the report (agent not enrolled and no drop folder set up).',
  },
} as const

let checkAnswers: ReturnType<typeof Compile<typeof UserReportAnswersSchema>> | undefined
function validAnswers(a: unknown): a is UserReportAnswers {
  checkAnswers ??= Compile(UserReportAnswersSchema)
  return checkAnswers.Check(a)
}

/**
 * Asks what was not given on the command line. A required answer left empty is asked again at a terminal; from a pipe
 * (a script) it is an error that names the field.
 */
export async function askAnswers(given: Partial<UserReportAnswers>, lang: Language, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<UserReportAnswers> {
  const t = T[lang]
  const out: Partial<UserReportAnswers> = { ...given }
  const missing = ASK.filter((k) => out[k] === undefined)
  if (missing.length) {
    output.write(`${t.intro}\n`)
    const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true })
    // Lines that arrive before a question is asked (a pipe) are kept, so none is lost.
    const lines: string[] = []
    let closed = false
    const waiters: ((l: string | null) => void)[] = []
    rl.on('line', (l) => (waiters.length ? waiters.shift()!(l) : lines.push(l)))
    rl.on('close', () => {
      closed = true
      while (waiters.length) waiters.shift()!(null)
    })
    const next = (): Promise<string | null> => (lines.length ? Promise.resolve(lines.shift()!) : closed ? Promise.resolve(null) : new Promise((r) => waiters.push(r)))
    try {
      for (const k of missing) {
        for (;;) {
          output.write(`${USER_REPORT_FIELDS[k][lang]} `)
          const a = await next()
          const v = (a ?? '').trim()
          if (v || !REQUIRED.has(k)) {
            out[k] = v
            break
          }
          if (a === null) throw new UsageError(t.missing(USER_REPORT_FIELDS[k][lang]))
          output.write(`${t.required}\n`)
        }
      }
    } finally {
      rl.close()
    }
  }
  const answers = Object.fromEntries(ASK.map((k) => [k, (out[k] ?? '').trim()])) as UserReportAnswers
  for (const k of REQUIRED) if (!answers[k]) throw new UsageError(t.missing(USER_REPORT_FIELDS[k][lang]))
  if (!validAnswers(answers)) throw new UsageError(t.missing('(too long)'))
  return answers
}

/** Sends one report with the agent's credentials; a refusal (4xx) is final, anything else is worth retrying. */
export async function sendUserReport(config: AgentConfig, report: AgentUserReport): Promise<{ receipt: string; duplicate: boolean }> {
  const tls = config.caFile ? { ca: readCaFile(config.caFile) } : {}
  return call('POST', new URL('/api/v1/agent/user-reports', config.server!).href, report, { authorization: `Bearer ${agentToken(config.agentId!, config.secret!)}` }, tls)
}

/** Delivers what waits in the spool, oldest first; stops at the first report the server cannot take now. */
export async function shipUserReports(dir: string, config: AgentConfig, log: (m: string) => void): Promise<number> {
  const spool = userReportSpool(dir)
  let sent = 0
  for await (const { name, report } of spool.entries()) {
    try {
      const r = await sendUserReport(config, report)
      await spool.remove(name)
      sent++
      log(`user report ${report.id} delivered (${r.receipt})`)
    } catch (err) {
      if (err instanceof TransportError && !err.retryable) {
        log(`user report ${report.id} refused by the server: ${err.message}`)
        await spool.remove(name)
        continue
      }
      break
    }
  }
  return sent
}

/** The report as it goes to the server: the answers, this PC, and its facts (an error instead when they could not be read). */
export async function buildUserReport(answers: UserReportAnswers, lang: Language, config: AgentConfig, snapshot?: Report): Promise<AgentUserReport> {
  let snap: Report | null = snapshot ?? null
  let snapshotError: string | null = null
  if (!snap)
    try {
      snap = await collectReport({ config })
    } catch (err) {
      snapshotError = String((err as Error).message).slice(0, 500)
    }
  const host = snap?.host ?? (await import('./identity.js')).readIdentity()
  return { id: randomUUID(), reportedAt: new Date().toISOString(), lang, answers, host: await host, snapshot: snap, snapshotError }
}

interface DropFile {
  v: 1
  id: string
  reportedAt: string
  lang: Language
  answers: UserReportAnswers
  /** The operating-system user who dropped it. */
  user: string
}

/** Drops the answers for the running agent (written atomically, readable only by the agent and the writer). */
export async function dropReport(dir: string, answers: UserReportAnswers, lang: Language, user: string): Promise<string> {
  const f: DropFile = { v: 1, id: randomUUID(), reportedAt: new Date().toISOString(), lang, answers, user }
  const name = `${f.reportedAt.replace(/[:.]/g, '-')}_${f.id}.json`
  const tmp = join(dir, `.${name}.tmp`)
  await writeFile(tmp, JSON.stringify(f), { mode: 0o600 })
  await rename(tmp, join(dir, name))
  return f.id
}

/** Creates the drop folder: writable by everyone, sticky (nobody removes another's file), like /tmp. */
export async function ensureDropDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  if (process.platform !== 'win32') await chmod(dir, 0o1733).catch(() => undefined)
}

/** The reports waiting in the drop folder, oldest first; a broken or oversized file is moved aside, never sent. */
export async function takeDropped(dir: string, max = 50): Promise<{ file: string; report: DropFile }[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort().slice(0, max)
  } catch {
    return []
  }
  const out: { file: string; report: DropFile }[] = []
  for (const n of names) {
    const file = join(dir, n)
    try {
      if ((await stat(file)).size > WEB_REPORT_MAX_BYTES) throw new Error('too large')
      const f = JSON.parse(await readFile(file, 'utf8')) as DropFile
      if (f.v !== 1 || typeof f.id !== 'string' || !/^[0-9a-f-]{36}$/.test(f.id) || (f.lang !== 'de' && f.lang !== 'en') || !validAnswers(f.answers) || Number.isNaN(Date.parse(f.reportedAt)))
        throw new Error('not a report')
      out.push({ file, report: { ...f, user: String(f.user ?? '').slice(0, 100) } })
    } catch {
      await rename(file, `${file}.broken`).catch(() => unlink(file).catch(() => undefined))
    }
  }
  return out
}

export const messages = (lang: Language) => T[lang]
export const untilThen = (lang: Language) => `${T[lang].rules}: ${CARD_RULES.slice(2, 5).map((r) => r[lang]).join(' ')}`

export interface ReportCommandInput {
  given: Partial<UserReportAnswers>
  lang: Language
  dir: string
  /** The agent's configuration, or null when this user may not read it (or the PC is not enrolled). */
  config: AgentConfig | null
  user: string
}

/** What `lagebild-agent report` does; returns the exit code. */
export async function reportCommand(r: ReportCommandInput, write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<number> {
  const t = T[r.lang]
  const answers = await askAnswers(r.given, r.lang)
  const c = r.config
  if (c?.server && c.agentId && c.secret) {
    write(`${t.collecting}\n`)
    const report = await buildUserReport(answers, r.lang, c)
    // Older reports first: the order people reported in is kept.
    await shipUserReports(r.dir, c, () => {})
    if (await userReportSpool(r.dir).size()) {
      await userReportSpool(r.dir).add(report)
      write(`${t.queued}\n${untilThen(r.lang)}\n`)
      return 0
    }
    try {
      const res = await sendUserReport(c, report)
      write(`${t.sent(res.receipt)}\n${untilThen(r.lang)}\n`)
      return 0
    } catch (err) {
      if (err instanceof TransportError && !err.retryable) throw err
      await userReportSpool(r.dir).add(report)
      write(`${t.queued}\n${untilThen(r.lang)}\n`)
      return 0
    }
  }
  const drop = dropDir()
  if (!drop) throw new UsageError(t.noPlace)
  await dropReport(drop, answers, r.lang, r.user)
  write(`${t.dropped}\n${untilThen(r.lang)}\n`)
  return 0
}
