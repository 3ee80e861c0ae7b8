// In-process events after commit: the board's live channel and the alert sender listen here.
import { EventEmitter } from 'node:events'
import fp from 'fastify-plugin'
import type { LiveEvent } from '@lagebild/shared'

export function createEvents() {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    emit(e: LiveEvent) {
      emitter.emit('live', e)
    },
    on(fn: (e: LiveEvent) => void) {
      emitter.on('live', fn)
      return () => emitter.off('live', fn)
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    events: ReturnType<typeof createEvents>
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('events', createEvents())
  },
  { name: 'events' })
