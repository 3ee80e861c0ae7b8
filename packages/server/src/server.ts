// Only listens: the app itself is built in build.ts / app.ts.
import type { ServerConfig } from './config.js'
import { buildServer } from './build.js'
import { openDb } from './db/index.js'
import { ensureFirstAdmin } from './services/people.js'

export async function start(config: ServerConfig) {
  const db = openDb(config.dataDir)
  const first = await ensureFirstAdmin(db, config.adminPassword)
  const fastify = await buildServer({ config, db })
  fastify.addHook('onClose', async () => db.$client.close())
  const address = await fastify.listen({ host: config.host, port: config.port })
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
