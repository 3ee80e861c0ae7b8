// The agent packages this server ships (manifest from `npm run build`) and its TLS pin for the install lines.
import fp from 'fastify-plugin'
import type { ServerConfig } from '../config.js'
import { agentPackages, type AgentPackages } from '../services/agent-packages.js'
import { tlsPin, type TlsPin } from '../services/install.js'

declare module 'fastify' {
  interface FastifyInstance {
    agentPackages: AgentPackages & { pin: TlsPin | null; config: ServerConfig }
  }
}

export default fp<{ config: ServerConfig }>(
  async (fastify, { config }) => {
    fastify.decorate('agentPackages', { ...agentPackages(config.agentPackagesDir!), pin: tlsPin(config), config })
  },
  { name: 'agent-packages' },
)
