// The install scripts with this server's address filled in, and the private CA they hand to agents.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ErrorSchema } from '../schemas/common.js'
import { renderInstallPs1, renderInstallSh, serverAddress } from '../services/install.js'
import { notFound } from '../errors.js'

const text = (description: string) => ({ description, content: { 'text/plain': { schema: Type.String() } } })

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { config, pin } = fastify.agentPackages
  const rateLimit = { max: 120, timeWindow: '1 minute' }

  fastify.get(
    '/install.sh',
    {
      config: { rateLimit },
      schema: {
        tags: ['install'], summary: 'Installer for Linux (systemd) and macOS (launchd): curl -fsSL SERVER/install.sh | sudo sh -s -- --token TOKEN',
        response: { 200: text('POSIX shell script'), 400: ErrorSchema },
      },
    },
    async (req, reply) => reply.type('text/plain; charset=utf-8').send(renderInstallSh(serverAddress(config, req).url, pin)),
  )

  fastify.get(
    '/install.ps1',
    {
      config: { rateLimit },
      schema: {
        tags: ['install'], summary: 'Installer for Windows (service as LocalSystem); parameters -Token, -Server, -CaFile, -Reenroll, -NoStart, -Uninstall',
        response: { 200: text('Windows PowerShell 5.1 script, ASCII'), 400: ErrorSchema },
      },
    },
    async (req, reply) => reply.type('text/plain; charset=utf-8').send(renderInstallPs1(serverAddress(config, req).url, pin)),
  )

  fastify.get(
    '/ca.pem',
    {
      config: { rateLimit },
      schema: {
        tags: ['install'], summary: 'The private CA agents are to trust (LAGEBILD_AGENT_CA); 404 when the server certificate is from a public CA',
        response: { 200: { description: 'PEM', content: { 'application/x-pem-file': { schema: Type.String() } } }, 404: ErrorSchema },
      },
    },
    async (_req, reply) => {
      if (!config.agentCa) throw notFound('no private CA configured (LAGEBILD_AGENT_CA)')
      return reply.type('application/x-pem-file').send(config.agentCa.toString('utf8'))
    },
  )
}
export default routes
