// Runs the retention job (services/retention.ts) an hour after start and then every hour, never two at once.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { runRetention, type RetentionPolicy, type RetentionStats } from '../services/retention.js'

declare module 'fastify' {
  interface FastifyInstance {
    retention: { policy: RetentionPolicy; run(now?: Date): Promise<RetentionStats | null> }
  }
}

const HOUR = 3_600_000

export default fp(
  async (fastify: FastifyInstance, opts: { policy: RetentionPolicy; jobs?: boolean }) => {
    let running: Promise<RetentionStats | null> | null = null
    const run = (now = new Date()) => {
      running ??= runRetention(fastify.db, opts.policy, now)
        .then((stats) => {
          fastify.log.info({ retention: stats }, 'retention: old report history pruned')
          return stats
        })
        .catch((err: unknown) => {
          // The next hour tries again; a failed pass deletes nothing it should have kept (each batch is its own statement).
          fastify.log.error({ err }, 'retention: pass failed')
          return null
        })
        .finally(() => (running = null))
      return running
    }
    fastify.decorate('retention', { policy: opts.policy, run })
    if (opts.jobs === false) return
    const timer = setInterval(() => void run(), HOUR)
    timer.unref()
    fastify.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'retention', dependencies: ['db'] },
)
