// Only listens: the app itself is built in build.ts / app.ts.
import type { ServerConfig } from './config.js'
import { buildServer } from './build.js'
import { openDb } from './db/index.js'
import { ensureFirstAdmin } from './services/people.js'

export const LISTEN_BACKLOG = 4096

export async function start(config: ServerConfig) {
  const db = openDb(config.dataDir)
  const first = await ensureFirstAdmin(db, config.adminPassword)
  const fastify = await buildServer({ config, db })
  fastify.addHook('onClose', async () => db.$client.close())
  // A long accept queue (Node's default is 511; the kernel caps it at net.core.somaxconn): under a connection flood a
  // real client's connection waits in the queue instead of being dropped and retried after 1, 3, 7 s.
  const address = await fastify.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG })
  const url = config.publicUrl ?? address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://[::1]')
  const lines = [`Lagebild board / Statusboard: ${url}/`]
  if (first) {
    lines.push(`First admin / Erster Admin: ${first.username}`)
    lines.push(first.password ? `Password (shown once) / Passwort (nur jetzt sichtbar): ${first.password}` : 'Password / Passwort: from LAGEBILD_ADMIN_PASSWORD')
  }
  process.stdout.write(lines.join('\n') + '\n')
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      fastify.close().then(() => process.exit(0), () => process.exit(1))
    })
  return fastify
}
