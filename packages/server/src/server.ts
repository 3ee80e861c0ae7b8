// Only listens: the app itself is built in build.ts / app.ts. Every way a start can fail ends in one ConfigError line
// that names the setting to change (cli.ts prints it and exits non-zero); nothing is left running behind it.
import { isIP } from 'node:net'
import type { ServerConfig } from './config.js'
import { ConfigError } from './config.js'
import { buildServer } from './build.js'
import { watchEventLoop } from './loop-watch.js'
import { openDataDir } from './db/index.js'
import { checkPassword, ensureFirstAdmin, userCount } from './services/people.js'

const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code ?? ''

/** Why listening failed, as the setting to change. */
export function listenError(err: unknown, config: ServerConfig): ConfigError {
  const c = code(err)
  const where = `${config.host}:${config.port}`
  if (c === 'EADDRINUSE')
    return new ConfigError(`port ${config.port} is already in use (${c}); set LAGEBILD_PORT to a free port or stop the other program`, `Port ${config.port} ist schon belegt; LAGEBILD_PORT auf einen freien Port setzen oder das andere Programm beenden`)
  if (c === 'EACCES')
    return new ConfigError(`port ${config.port} needs administrator rights (${c}); set LAGEBILD_PORT to 1024 or higher (e.g. 8420)`, `Port ${config.port} braucht Administratorrechte; LAGEBILD_PORT auf 1024 oder höher setzen (z. B. 8420)`)
  if (c === 'EADDRNOTAVAIL')
    return new ConfigError(`LAGEBILD_HOST=${config.host}: this machine has no such address (${c}); use one of its addresses, 127.0.0.1 or 0.0.0.0`, 'diese Adresse hat der Rechner nicht; eine seiner Adressen, 127.0.0.1 oder 0.0.0.0 verwenden')
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME')
    return new ConfigError(`LAGEBILD_HOST=${config.host}: this name cannot be resolved (${c}); use an IP address, 127.0.0.1 or 0.0.0.0`, 'Name nicht auflösbar; eine IP-Adresse, 127.0.0.1 oder 0.0.0.0 verwenden')
  return new ConfigError(`cannot listen on ${where} (${c || (err as Error).message}); check LAGEBILD_HOST and LAGEBILD_PORT`, 'Lauschen nicht möglich; LAGEBILD_HOST und LAGEBILD_PORT prüfen')
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))

/** The lines a person must see, framed so they stand out of the log noise; npm start shows the frame again at the end. */
export function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => [...l].length))
  const bar = '─'.repeat(width + 2)
  return [`┌${bar}┐`, ...lines.map((l) => `│ ${l}${' '.repeat(width - [...l].length)} │`), `└${bar}┘`].join('\n') + '\n'
}

export const LISTEN_BACKLOG = 4096

export async function start(config: ServerConfig) {
  const db = openDataDir(config.dataDir)
  const envPassword = config.adminPassword
  try {
    if (envPassword && userCount(db) === 0) checkPassword(envPassword)
  } catch (err) {
    db.$client.close()
    throw new ConfigError(`LAGEBILD_ADMIN_PASSWORD: ${(err as Error).message}`, 'mindestens 8, höchstens 128 Zeichen')
  }
  const fastify = await buildServer({ config, db })
  fastify.addHook('onClose', async () => db.$client.close())
  const unwatch = watchEventLoop(fastify.log)
  fastify.addHook('onClose', async () => unwatch())
  let address: string
  let first: Awaited<ReturnType<typeof ensureFirstAdmin>>
  try {
    // A long accept queue (Node's default is 511; the kernel caps it at net.core.somaxconn): under a connection flood a
    // real client's connection waits in the queue instead of being dropped and retried after 1, 3, 7 s.
    address = await fastify.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG }).catch((err: unknown) => {
      throw listenError(err, config)
    })
    // Only now, with the server listening, is the first admin made: a failed start never uses up the one moment its
    // generated password is shown (it is stored only as a scrypt hash).
    first = await ensureFirstAdmin(db, envPassword)
  } catch (err) {
    // The app is ready (jobs scheduled, sender started): close it, or the process would hang without serving.
    await fastify.close().catch(() => undefined)
    throw err
  }
  const url = config.publicUrl ?? address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://[::1]')
  const lines = [`Lagebild board / Statusboard: ${url}/`]
  if (first && !first.neverLoggedIn) {
    lines.push(`First admin / Erster Admin: ${first.username}`)
    lines.push(first.password ? `Password (shown once) / Passwort (nur jetzt sichtbar): ${first.password}` : 'Password / Passwort: from LAGEBILD_ADMIN_PASSWORD')
  } else if (first) {
    lines.push(`${first.username} has not logged in yet. Password lost? / hat sich noch nie angemeldet. Passwort verloren?`)
    lines.push(`  lagebild-server user password --username ${first.username}   (npm run server -- user password --username ${first.username})`)
  }
  if (!config.tls && !isLoopback(config.host))
    lines.push(
      `WARNING: listening on ${config.host} without TLS: passwords and agent secrets cross the network in clear text.`,
      '  Set LAGEBILD_TLS_CERT + LAGEBILD_TLS_KEY, or put a TLS proxy in front (LAGEBILD_TRUST_PROXY=1, LAGEBILD_HOST=127.0.0.1).',
      `WARNUNG: lauscht auf ${config.host} ohne TLS: Passwörter und Agent-Geheimnisse gehen im Klartext durchs Netz.`,
      '  LAGEBILD_TLS_CERT + LAGEBILD_TLS_KEY setzen oder einen TLS-Proxy davorstellen.',
    )
  process.stdout.write(box(lines))
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      fastify.close().then(() => process.exit(0), () => process.exit(1))
    })
  return fastify
}
