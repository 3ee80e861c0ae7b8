// lagebild-server: start the server, create enrollment tokens, API keys and people. One table of commands: dispatch,
// help and "did you mean" follow from it.
import { parseArgs } from 'node:util'
import { cliLanguage, helpText, isOneOf, resolveCommand, ROLES, UsageError, type CliCommand, type Language, type Text } from '@lagebild/shared'
import { configFromEnv, ConfigError, ENV_HELP, type ServerConfig } from './config.js'
import { openDb, type Db } from './db/index.js'
import { createEnrollToken, parseDuration } from './services/enrollment.js'
import { createApiKey, createUser, setPassword } from './services/people.js'
import { DomainError, invalid } from './errors.js'
import { randomToken } from './crypto.js'
import { cliActor } from './services/audit.js'

const PROGRAM = 'lagebild-server'
const OPTIONS = {
  'data-dir': { type: 'string' },
  expires: { type: 'string' },
  uses: { type: 'string' },
  tag: { type: 'string', multiple: true },
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
    args: '[--expires 7d] [--uses N] [--tag T ...]',
    summary: t('einen Anmeldeschlüssel für Agenten erzeugen', 'create an enrollment token for agents'),
    run: ({ values, db, out }) => {
      const uses = values.uses === undefined ? null : Number(values.uses)
      if (uses !== null && (!Number.isInteger(uses) || uses < 1)) throw invalid('--uses: expected a whole number of at least 1')
      const tk = createEnrollToken(db(), { expiresInMs: parseDuration(values.expires ?? '7d'), maxUses: uses, tags: values.tag ?? [] }, cliActor())
      out(tk, `Enrollment token (shown once / wird nur einmal angezeigt):\n  ${tk.token}\nExpires / läuft ab: ${tk.expiresAt ?? 'never'}; uses / Nutzungen: ${tk.maxUses ?? 'unlimited'}`)
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
    name: 'user create',
    args: `--username U [--role ${ROLES.join('|')}] [--password P]`,
    summary: t('eine Person anlegen (Standardrolle viewer; ohne --password wird eines erzeugt)', 'create a person (role viewer by default; without --password one is generated)'),
    run: async ({ values, db, out }) => {
      const username = required(values.username, '--username')
      const role = values.role ?? 'viewer'
      if (!isOneOf(ROLES, role)) throw invalid(`--role must be one of: ${ROLES.join(', ')}`)
      const password = values.password ?? randomToken(12)
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
      const password = values.password ?? randomToken(12)
      await setPassword(db(), username, password, cliActor())
      out({ username, password: values.password ? undefined : password },
        `New password for / Neues Passwort für ${username}${values.password ? ' set / gesetzt' : `: ${password}`}. All sessions ended / Alle Sitzungen beendet.`)
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
    db: () => (db ??= openDb(ctx.config().dataDir)),
    out: (obj, text) => void process.stdout.write(values.json ? JSON.stringify(obj) + '\n' : text + '\n'),
  }
  try {
    await command.run(ctx)
  } finally {
    // `start` keeps its own database open; only what a one-off command opened here is closed.
    ;(db as Db | null)?.$client.close()
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof DomainError || err instanceof ConfigError || err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
    process.stderr.write(`${PROGRAM}: ${(err as Error).message}\n`)
    process.exitCode = 2
  } else {
    process.stderr.write(`${PROGRAM}: ${(err as Error)?.stack ?? err}\n`)
    process.exitCode = 1
  }
})
