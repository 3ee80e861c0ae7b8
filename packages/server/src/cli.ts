// lagebild-server: start the server; create, list and revoke enrollment tokens, API keys and people; retire hosts and
// revoke agents. One table of commands: dispatch, help and "did you mean" follow from it.
import { parseArgs } from 'node:util'
import {
  cliLanguage, helpText, isOneOf, REPLACE_TOKEN_MAX_HOURS, resolveCommand, ROLES, UsageError, type CliCommand, type Language, type Text,
} from '@lagebild/shared'
import { configFromEnv, ConfigError, ENV_HELP, type ServerConfig } from './config.js'
import { openDataDir, type Db } from './db/index.js'
import { createEnrollToken, listEnrollTokens, parseDuration, revokeEnrollToken, type TokenState } from './services/enrollment.js'
import { createApiKey, createUser, findUser, generatedPassword, listApiKeys, listUsers, revokeApiKey, revokeUser, setPassword } from './services/people.js'
import { retireHost, revokeAgents } from './services/lifecycle.js'
import { listHosts } from './services/board.js'
import { DomainError, invalid } from './errors.js'
import { cliActor } from './services/audit.js'

const PROGRAM = 'lagebild-server'
const OPTIONS = {
  'data-dir': { type: 'string' },
  expires: { type: 'string' },
  uses: { type: 'string' },
  tag: { type: 'string', multiple: true },
  replace: { type: 'boolean' },
  id: { type: 'string' },
  host: { type: 'string' },
  purge: { type: 'boolean' },
  retired: { type: 'boolean' },
  name: { type: 'string' },
  username: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']
interface Ctx {
  values: Values
  lang: Language
  config: () => ServerConfig
  /** The database under the data directory, opened on first use and closed after the command. */
  db: () => Db
  /** Prints `obj` as JSON with --json, else `text`. */
  out: (obj: Record<string, unknown>, text: string) => void
}
const t = (de: string, en: string): Text => ({ de, en })
const required = (v: string | undefined, flag: string) => {
  if (!v) throw invalid(`${flag} is required`)
  return v
}
/** Rows as aligned columns, the first row the header; `–` for what is empty. */
const table = (rows: (string | number | null | undefined)[][]) => {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '–' : String(c))))
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)))
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')
}
/** A time for the tables, in UTC (the headers say so). */
const day = (iso: string | null) => iso?.slice(0, 16).replace('T', ' ') ?? null
const TOKEN_STATE: Record<TokenState, Text> = {
  active: t('gültig', 'active'), expired: t('abgelaufen', 'expired'), 'used-up': t('aufgebraucht', 'used up'), revoked: t('gesperrt', 'revoked'),
}
const YES = t('ja', 'yes')
/** A revocation made here reaches the running server's open agent connections at their next check (ping, 30 s). */
const LIVE_NOTE = t(
  'Eine offene Verbindung des Agenten endet beim nächsten Abgleich (höchstens 30 s); jede weitere Meldung wird abgelehnt.',
  'An open connection of the agent ends at its next check (at most 30 s); every further report is refused.',
)

/** Every subcommand, in the order the help lists them. Add one by adding an entry. */
export const COMMANDS: CliCommand<Ctx>[] = [
  {
    name: 'start',
    summary: t('den Server starten (Standard ohne Befehl)', 'start the server (the default without a command)'),
    run: async ({ config }) => {
      const { start } = await import('./server.js')
      await start(config())
    },
  },
  {
    name: 'token create',
    args: '[--expires 7d] [--uses 1] [--tag T ...] [--replace]',
    summary: t('einen Anmeldeschlüssel für Agenten erzeugen', 'create an enrollment token for agents'),
    more: t(
      `ohne --uses für EINEN PC, 7 Tage gültig; --replace: darf einen schon angemeldeten PC übernehmen (Neuinstallation),\nläuft nach höchstens ${REPLACE_TOKEN_MAX_HOURS} h ab (Standard 1 h)`,
      `without --uses for ONE PC, valid 7 days; --replace: may take over a PC enrolled already (reinstall),\nexpires within ${REPLACE_TOKEN_MAX_HOURS} h (default 1 h)`,
    ),
    run: ({ values, db, out }) => {
      const uses = values.uses === undefined ? undefined : Number(values.uses)
      if (uses !== undefined && (!Number.isInteger(uses) || uses < 1)) throw invalid('--uses: expected a whole number of at least 1')
      const tk = createEnrollToken(db(), { expiresInMs: values.expires ? parseDuration(values.expires) : null, maxUses: uses, tags: values.tag ?? [], mayReplace: values.replace }, cliActor())
      const defaulted = uses === undefined ? ' (default; more with --uses N / Standard; mehr mit --uses N)' : ''
      out(
        tk,
        `Enrollment token (shown once / wird nur einmal angezeigt):\n  ${tk.token}\n` +
          `Enrolls / meldet an: ${tk.maxUses} PC${tk.maxUses === 1 ? '' : 's'}${defaulted}\nExpires / läuft ab: ${tk.expiresAt}` +
          (tk.mayReplace ? '\nMay replace the agent of a PC enrolled already (reinstall) / darf den Agenten eines schon angemeldeten PCs ersetzen' : ''),
      )
    },
  },
  {
    name: 'token list',
    summary: t('Anmeldeschlüssel mit Zustand und Nutzungen (nie der Schlüssel selbst)', 'enrollment tokens with state and uses (never the token itself)'),
    run: ({ db, out, lang }) => {
      const tokens = listEnrollTokens(db())
      const head = lang === 'de' ? ['ID', 'Zustand', 'Nutzungen', 'läuft ab (UTC)', 'ersetzt', 'Tags', 'von'] : ['ID', 'state', 'uses', 'expires (UTC)', 'replace', 'tags', 'by']
      out({ tokens }, table([head, ...tokens.map((k) => [k.id, TOKEN_STATE[k.state][lang], `${k.uses}/${k.maxUses ?? '∞'}`, day(k.expiresAt), k.mayReplace ? YES[lang] : '', k.tags.join(','), k.createdBy])]))
    },
  },
  {
    name: 'token revoke',
    args: '--id ID',
    summary: t('einen Anmeldeschlüssel widerrufen: kein PC meldet sich mehr damit an', 'revoke an enrollment token: no further PC enrolls with it'),
    run: ({ values, db, out }) => {
      const r = revokeEnrollToken(db(), required(values.id, '--id'), cliActor())
      out(r, `Token ${r.id} revoked / widerrufen (${r.revokedAt}).`)
    },
  },
  {
    name: 'api-key create',
    args: '--name NAME',
    summary: t('einen Admin-API-Schlüssel für Automatisierung erzeugen', 'create an admin API key for automation'),
    run: ({ values, db, out }) => {
      const k = createApiKey(db(), required(values.name, '--name'), cliActor())
      out(k, `API key "${k.name}" (shown once / wird nur einmal angezeigt):\n  ${k.key}\nUse as / Verwendung: Authorization: Bearer ${k.key}`)
    },
  },
  {
    name: 'api-key list',
    summary: t('API-Schlüssel mit letzter Nutzung (nie der Schlüssel selbst)', 'API keys with their last use (never the key itself)'),
    run: ({ db, out, lang }) => {
      const apiKeys = listApiKeys(db())
      const head = lang === 'de' ? ['ID', 'Name', 'zuletzt benutzt (UTC)', 'gesperrt', 'von'] : ['ID', 'name', 'last used (UTC)', 'revoked', 'by']
      out({ apiKeys }, table([head, ...apiKeys.map((k) => [k.id, k.name, day(k.lastUsedAt), day(k.revokedAt), k.createdBy])]))
    },
  },
  {
    name: 'api-key revoke',
    args: '--id ID',
    summary: t('einen API-Schlüssel widerrufen: ab der nächsten Anfrage abgelehnt', 'revoke an API key: refused from the next request on'),
    run: ({ values, db, out }) => {
      const r = revokeApiKey(db(), required(values.id, '--id'), cliActor())
      out(r, `API key ${r.id} revoked / widerrufen (${r.revokedAt}).`)
    },
  },
  {
    name: 'user create',
    args: `--username U [--role ${ROLES.join('|')}] [--password P]`,
    summary: t('eine Person anlegen (Standardrolle viewer; ohne --password wird eines erzeugt)', 'create a person (role viewer by default; without --password one is generated)'),
    run: async ({ values, db, out }) => {
      const username = required(values.username, '--username')
      const role = values.role ?? 'viewer'
      if (!isOneOf(ROLES, role)) throw invalid(`--role must be one of: ${ROLES.join(', ')}`)
      const password = values.password ?? generatedPassword()
      const u = await createUser(db(), username, password, role, cliActor())
      out({ ...u, password: values.password ? undefined : password }, `User ${u.username} (${u.role}) created.${values.password ? '' : `\nPassword / Passwort: ${password}`}`)
    },
  },
  {
    name: 'user password',
    args: '--username U [--password P]',
    summary: t('ein neues Passwort setzen (beendet alle Sitzungen)', 'set a new password (ends all sessions)'),
    run: async ({ values, db, out }) => {
      const username = required(values.username, '--username')
      const password = values.password ?? generatedPassword()
      await setPassword(db(), username, password, cliActor())
      out({ username, password: values.password ? undefined : password },
        `New password for / Neues Passwort für ${username}${values.password ? ' set / gesetzt' : `: ${password}`}. All sessions ended / Alle Sitzungen beendet.`)
    },
  },
  {
    name: 'user list',
    summary: t('Personen mit Rolle und letzter Anmeldung', 'people with role and last login'),
    run: ({ db, out, lang }) => {
      const users = listUsers(db())
      const head = lang === 'de' ? ['Name', 'Rolle', 'letzte Anmeldung (UTC)', 'gesperrt', 'ID'] : ['name', 'role', 'last login (UTC)', 'revoked', 'ID']
      out({ users }, table([head, ...users.map((u) => [u.username, u.role, day(u.lastLoginAt), day(u.disabledAt), u.id])]))
    },
  },
  {
    name: 'user revoke',
    args: '--username U',
    summary: t('eine Person sperren: keine Anmeldung mehr, Sitzungen beendet', 'revoke a person: no more login, sessions ended'),
    run: ({ values, db, out }) => {
      const u = findUser(db(), { username: required(values.username, '--username') })
      const r = revokeUser(db(), u.id, cliActor())
      out({ ...r, username: u.username }, `${u.username} revoked / gesperrt (${r.disabledAt}). All sessions ended / Alle Sitzungen beendet.`)
    },
  },
  {
    name: 'host list',
    args: '[--retired]',
    summary: t('Rechner mit ID, Maschinen-ID und letzter Meldung (--retired: die stillgelegten)', 'hosts with id, machine id and last report (--retired: the retired ones)'),
    run: ({ values, db, out, lang }) => {
      const { hosts } = listHosts(db(), { retired: values.retired ?? false, sort: 'hostname', limit: 500 })
      const head = lang === 'de' ? ['ID', 'Name', 'Maschinen-ID', 'letzte Meldung (UTC)', 'Zustand'] : ['ID', 'name', 'machine id', 'last report (UTC)', 'status']
      const dup = lang === 'de' ? ' (Name doppelt)' : ' (duplicate name)'
      const retired = t('stillgelegt', 'retired')[lang]
      out({ hosts }, table([head, ...hosts.map((h) => [h.id, h.hostname + (h.duplicateName ? dup : ''), h.machineId, day(h.lastReportAt), h.retiredAt ? retired : h.status])]))
    },
  },
  {
    name: 'host retire',
    args: '--id ID [--purge]',
    summary: t('einen Rechner stilllegen: sein Agent wird sofort abgelehnt', 'retire a host: its agent is refused at once'),
    more: t('ohne --purge bleibt der Verlauf; mit --purge wird alles gelöscht', 'without --purge its history stays; with --purge all of it is deleted'),
    run: ({ values, db, out, lang }) => {
      const r = retireHost(db(), required(values.id, '--id'), { purge: values.purge ?? false }, cliActor())
      out({ ...r }, `Host ${r.hostId} ${values.purge ? 'purged / gelöscht' : 'retired / stillgelegt'}; ${r.revokedAgents.length} agent(s) revoked / Agent(en) gesperrt. ${LIVE_NOTE[lang]}`)
    },
  },
  {
    name: 'agent revoke',
    args: '--host ID',
    summary: t('den Agenten eines Rechners sperren; ein neuer darf sich anmelden', "revoke a host's agent; a new one may enroll"),
    run: ({ values, db, out, lang }) => {
      const r = revokeAgents(db(), required(values.host, '--host'), cliActor())
      out({ ...r }, `${r.revokedAgents.length} agent(s) of host ${r.hostId} revoked / Agent(en) gesperrt. ${LIVE_NOTE[lang]}`)
    },
  },
  { name: 'help', summary: t('diese Hilfe', 'this help'), run: ({ lang }) => void process.stdout.write(help(lang)) },
]

const help = (lang: Language) =>
  helpText(
    PROGRAM,
    t('Lagebild-Server', 'Lagebild server'),
    COMMANDS,
    lang,
    t(
      `Optionen: --data-dir VERZEICHNIS (Standard $LAGEBILD_DATA_DIR oder ./data), --json (Ausgabe als JSON), --lang de|en\nUmgebung:\n${ENV_HELP.de}`,
      `Options: --data-dir DIR (default $LAGEBILD_DATA_DIR or ./data), --json (output as JSON), --lang de|en\nEnvironment:\n${ENV_HELP.en}`,
    ),
  )

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
  const lang = cliLanguage(values.lang, process.env)
  if (values.help) return void process.stdout.write(help(lang))
  const command = resolveCommand(PROGRAM, COMMANDS, positionals.length ? positionals : ['start'], lang)
  let db: Db | null = null
  let config: ServerConfig | null = null
  const ctx: Ctx = {
    values,
    lang,
    config: () => (config ??= configFromEnv(values['data-dir'] ? { dataDir: values['data-dir'] } : {})),
    db: () => (db ??= openDataDir(ctx.config().dataDir)),
    out: (obj, text) => void process.stdout.write(values.json ? JSON.stringify(obj) + '\n' : text + '\n'),
  }
  try {
    await command.run(ctx)
  } finally {
    // `start` keeps its own database open; only what a one-off command opened here is closed.
    ;(db as Db | null)?.$client.close()
  }
}

// One line, never a stack trace (unless LAGEBILD_LOG_LEVEL=debug asks for it), and a real exit: a failed start must not
// leave the process hanging.
main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof DomainError || err instanceof ConfigError || err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')
  const debug = /^(debug|trace)$/.test(process.env.LAGEBILD_LOG_LEVEL ?? '')
  const line = known ? (err as Error).message : `could not run / Ausführung nicht möglich: ${(err as Error)?.message ?? err}`
  process.stderr.write(`${PROGRAM}: ${line.replace(/\s*\n\s*/g, ' ')}\n${!known && debug ? `${(err as Error)?.stack}\n` : ''}`)
  process.exit(known ? 2 : 1)
})
