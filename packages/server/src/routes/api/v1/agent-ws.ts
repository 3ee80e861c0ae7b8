// GET /api/v1/agent — the agents' WebSocket (see plugins/agent-channel.ts for the rules of the channel).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/agent',
    {
      websocket: true,
      // Fastify's request lines only from warn: one upgrade per agent and reconnect is no news (refusals are logged).
      logLevel: 'warn',
      // Checked inside the connection, so a refusal arrives as a close frame with a reason (1008) the agent can log.
      schema: { tags: ['agent'], summary: 'Agent WebSocket: report → ack after commit; server → agent commands' },
    },
    (socket, req) => fastify.agentChannel.accept(socket, req),
  )
}
export default routes
