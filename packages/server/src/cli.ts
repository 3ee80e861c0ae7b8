// lagebild-server: start the server, create enrollment tokens, API keys and people.
import { parseArgs } from 'node:util'
import { configFromEnv, ConfigError } from './config.js'
import { openDb } from './db/index.js'
import { createEnrollToken, parseDuration } from './services/enrollment.js'
import { createApiKey, createUser, setPassword } from './services/people.js'
import { HttpError } from './errors.js'
import { randomToken } from './crypto.js'
import { cliActor } from './services/audit.js'

const HELP = `lagebild-server — Lagebild server

Usage:
  lagebild-server [start]                          start the server (default)
  lagebild-server token create [--expires 7d] [--uses 1] [--tag T ...] [--replace]
                                                   create an enrollment token for agents: by default for ONE PC,
                                                   7 days; --replace: may take over a PC enrolled already (reinstall),
                                                   expires within 24 h (default 1 h)
  lagebild-server api-key create --name NAME       create an admin API key for automation
  lagebild-server user create --username U [--role admin|viewer] [--password P]
  lagebild-server user password --username U [--password P]   set a new password (ends all sessions)

Options: --data-dir DIR (default $LAGEBILD_DATA_DIR or ./data)
Environment: LAGEBILD_DATA_DIR, LAGEBILD_HOST (127.0.0.1), LAGEBILD_PORT (8420), LAGEBILD_PUBLIC_URL,
             LAGEBILD_ADMIN_PASSWORD (first admin's password on first start), LAGEBILD_BODY_LIMIT (1048576),
             LAGEBILD_TLS_CERT + LAGEBILD_TLS_KEY (PEM files: serve HTTPS, TLS 1.2+; both or neither)
`

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      expires: { type: 'string' },
      uses: { type: 'string' },
      tag: { type: 'string', multiple: true },
      replace: { type: 'boolean' },
      name: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return void process.stdout.write(HELP)
  const config = configFromEnv(values['data-dir'] ? { dataDir: values['data-dir'] } : {})
  const [cmd = 'start', sub] = positionals
  const out = (obj: Record<string, unknown>, text: string) => process.stdout.write(values.json ? JSON.stringify(obj) + '\n' : text + '\n')

  if (cmd === 'start') {
    const { start } = await import('./server.js')
    await start(config)
    return
  }
  const db = openDb(config.dataDir)
  try {
    if (cmd === 'token' && sub === 'create') {
      const uses = values.uses === undefined ? undefined : Number(values.uses)
      if (uses !== undefined && (!Number.isInteger(uses) || uses < 1)) throw new HttpError(400, '--uses: expected a whole number of at least 1')
      const t = createEnrollToken(db, { expiresInMs: values.expires ? parseDuration(values.expires) : null, maxUses: uses, tags: values.tag ?? [], mayReplace: values.replace }, cliActor())
      const defaulted = uses === undefined ? ' (default; more with --uses N / Standard; mehr mit --uses N)' : ''
      out(
        t,
        `Enrollment token (shown once / wird nur einmal angezeigt):\n  ${t.token}\n` +
          `Enrolls / meldet an: ${t.maxUses} PC${t.maxUses === 1 ? '' : 's'}${defaulted}\nExpires / läuft ab: ${t.expiresAt}` +
          (t.mayReplace ? '\nMay replace the agent of a PC enrolled already (reinstall) / darf den Agenten eines schon angemeldeten PCs ersetzen' : ''),
      )
    } else if (cmd === 'api-key' && sub === 'create') {
      if (!values.name) throw new HttpError(400, '--name is required')
      const k = createApiKey(db, values.name, cliActor())
      out(k, `API key "${k.name}" (shown once / wird nur einmal angezeigt):\n  ${k.key}\nUse as / Verwendung: Authorization: Bearer ${k.key}`)
    } else if (cmd === 'user' && sub === 'create') {
      if (!values.username) throw new HttpError(400, '--username is required')
      const role = values.role ?? 'viewer'
      if (role !== 'admin' && role !== 'viewer') throw new HttpError(400, '--role must be admin or viewer')
      const password = values.password ?? randomToken(12)
      const u = await createUser(db, values.username, password, role, cliActor())
      out({ ...u, password: values.password ? undefined : password }, `User ${u.username} (${u.role}) created.${values.password ? '' : `\nPassword / Passwort: ${password}`}`)
    } else if (cmd === 'user' && sub === 'password') {
      if (!values.username) throw new HttpError(400, '--username is required')
      const password = values.password ?? randomToken(12)
      await setPassword(db, values.username, password, cliActor())
      out({ username: values.username, password: values.password ? undefined : password },
        `New password for / Neues Passwort für ${values.username}${values.password ? ' set / gesetzt' : `: ${password}`}. All sessions ended / Alle Sitzungen beendet.`)
    } else {
      process.stderr.write(HELP)
      process.exitCode = 2
    }
  } finally {
    db.$client.close()
  }
}

// One line, never a stack trace (unless LAGEBILD_LOG_LEVEL=debug asks for it), and a real exit: a failed start must not
// leave the process hanging.
main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof HttpError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')
  const debug = /^(debug|trace)$/.test(process.env.LAGEBILD_LOG_LEVEL ?? '')
  const line = known ? (err as Error).message : `could not run / Ausführung nicht möglich: ${(err as Error)?.message ?? err}`
  process.stderr.write(`lagebild-server: ${line.replace(/\s*\n\s*/g, ' ')}\n${!known && debug ? `${(err as Error)?.stack}\n` : ''}`)
  process.exit(known ? 2 : 1)
})
