import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openDb, type Db } from '../db/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

export default fp(
  async (fastify: FastifyInstance, opts: { dataDir: string; db?: Db }) => {
    const db = opts.db ?? openDb(opts.dataDir)
    fastify.decorate('db', db)
    // Close only what we opened.
    if (!opts.db) fastify.addHook('onClose', async () => db.$client.close())
  },
  { name: 'db' },
)
