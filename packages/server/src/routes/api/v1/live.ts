// The board's live channel: a WebSocket for logged-in people that says "something changed, refetch".
// Only events after commit reach it (fastify.events); frames are LiveEvent and carry no data beyond ids.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { eq } from 'drizzle-orm'
import type { LiveEvent } from '@lagebild/shared'
import { sessions } from '../../../db/schema.js'
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../../plugins/auth.js'
import { forbidden } from '../../../errors.js'

/** Events are coalesced per socket and sent at most this often: 10,000 agents reporting must not flood a browser. */
const FLUSH_MS = 250
/** How often an open socket re-checks that its session still exists (logout, timeouts). */
const SESSION_CHECK_MS = 60_000
const PING_MS = 30_000
/** A browser that cannot keep up gets no more frames until it has read these bytes. */
const MAX_BUFFERED = 256 * 1024

/** Browsers always send Origin on a WebSocket; it must be this server (cross-site WebSocket hijacking). */
function checkOrigin(req: FastifyRequest) {
  const origin = req.headers.origin
  if (origin === undefined) {
    // Automation with an API key does not send Origin; a browser session always does.
    if (req.person?.via === 'api-key') return
    throw forbidden('Origin header required')
  }
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    throw forbidden('bad Origin header')
  }
  if (host !== req.headers.host) throw forbidden('cross-origin WebSocket refused')
}

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const viewer = fastify.auth.requirePerson()

  /** Without refreshing the idle clock: an open tab must not keep a session alive by itself. */
  const sessionAlive = (idHash: string | undefined) => {
    if (!idHash) return true
    const s = fastify.db.select().from(sessions).where(eq(sessions.idHash, idHash)).get()
    if (!s) return false
    const now = Date.now()
    return now - Date.parse(s.lastSeenAt) <= SESSION_IDLE_MS && now - Date.parse(s.createdAt) <= SESSION_ABSOLUTE_MS
  }

  fastify.get(
    '/live',
    {
      websocket: true,
      onRequest: async (req) => {
        await viewer(req)
        checkOrigin(req)
      },
      schema: {
        tags: ['board'],
        summary: 'WebSocket: live events (host-updated, alert-changed) for the board; session cookie and same Origin required',
        security: [{ session: [] }, { apiKey: [] }],
      },
    },
    (socket, req) => {
      const idHash = req.person?.sessionIdHash
      const pending = new Map<string, LiveEvent>()
      let timer: NodeJS.Timeout | null = null

      const flush = () => {
        timer = null
        if (socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED) return pending.clear()
        for (const [key] of pending) socket.send(key)
        pending.clear()
      }
      const off = fastify.events.on((e) => {
        pending.set(JSON.stringify(e), e)
        timer ??= setTimeout(flush, FLUSH_MS)
      })
      const ping = setInterval(() => socket.ping(), PING_MS)
      const check = setInterval(() => {
        if (!sessionAlive(idHash)) socket.close(4401, 'session ended')
      }, SESSION_CHECK_MS)
      const cleanup = () => {
        off()
        clearInterval(ping)
        clearInterval(check)
        if (timer) clearTimeout(timer)
      }
      socket.on('close', cleanup)
      socket.on('error', cleanup)
      // The browser only listens; anything it sends is ignored.
      socket.on('message', () => {})
    },
  )
}
export default routes
