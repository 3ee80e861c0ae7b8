import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openDb, type Db } from '../db/index.js'
import { createDurability } from '../db/durability.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** Resolves when everything committed so far is on disk (see db/durability.ts); acknowledgements wait for it. */
    durable: () => Promise<void>
    /** Bulk writers ask before each batch whether to wait for a WAL checkpoint (see db/durability.ts). */
    beforeBulkWrite: ReturnType<typeof createDurability>['beforeBulkWrite']
  }
}

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS'])

export default fp(
  async (fastify: FastifyInstance, opts: { dataDir: string; db?: Db }) => {
    const db = opts.db ?? openDb(opts.dataDir)
    const durability = createDurability(db, fastify.log)
    fastify.decorate('db', db)
    fastify.decorate('durable', durability.durable)
    fastify.decorate('beforeBulkWrite', durability.beforeBulkWrite)
    // What a person changed is answered once it is on disk, as when every COMMIT synced by itself.
    fastify.addHook('onSend', async (req, _reply, payload) => {
      if (!READ_ONLY.has(req.method)) await durability.durable()
      return payload
    })
    fastify.addHook('onClose', async () => {
      await durability.close()
      // Close only what we opened.
      if (!opts.db) db.$client.close()
    })
  },
  { name: 'db' },
)
