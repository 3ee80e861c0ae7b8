// The self-contained agent packages, their SHA-256, and what the enroll page needs to show install lines.
// Packages and checksums need no login: the install scripts fetch them before the PC has credentials, and they
// hold nothing secret (the open-source agent and a Node.js runtime).
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AGENT_PLATFORMS, AgentPackageSchema, type AgentPlatform } from '@lagebild/shared'
import { ErrorSchema } from '../../../schemas/common.js'
import { InstallInfoSchema } from '../../../schemas/enrollment.js'
import { installLines, serverAddress, TOKEN_PLACEHOLDER } from '../../../services/install.js'
import { HttpError } from '../../../errors.js'

export const AgentPackageListSchema = Type.Object({
  version: Type.String({ description: 'The agent version this server ships; agents update themselves to it' }),
  packages: Type.Array(AgentPackageSchema),
})

const Platform = Type.Object({ platform: Type.String({ maxLength: 40, description: AGENT_PLATFORMS.join(', ') }) })
const notBuilt = (problem: string | null) => new HttpError(503, problem ?? 'no agent packages', 'no-packages')
const unknownPlatform = (p: string) =>
  new HttpError(404, `no agent package for "${p.slice(0, 40)}": one of ${AGENT_PLATFORMS.join(', ')} (Apple silicon: darwin-x64 under Rosetta 2)`, 'not-found')

const routes: FastifyPluginAsyncTypebox = async (fastify) => {
  const packages = fastify.agentPackages
  const { pin, config } = packages
  const rateLimit = { max: 120, timeWindow: '1 minute' }
  const find = (platform: string) => {
    if (!(AGENT_PLATFORMS as readonly string[]).includes(platform)) throw unknownPlatform(platform)
    const p = packages.find(platform as AgentPlatform)
    if (!p) throw packages.manifest() ? unknownPlatform(platform) : notBuilt(packages.problem())
    return p
  }

  fastify.get(
    '/agent-packages',
    {
      config: { rateLimit },
      schema: {
        tags: ['agent'], summary: 'The agent version this server ships and its packages per platform (size, SHA-256)',
        response: { 200: AgentPackageListSchema, 503: ErrorSchema },
      },
    },
    async () => {
      const m = packages.manifest()
      if (!m) throw notBuilt(packages.problem())
      return { version: m.version, packages: m.packages }
    },
  )

  fastify.get(
    '/agent-packages/:platform',
    {
      config: { rateLimit },
      schema: {
        tags: ['agent'], summary: 'Download the agent package of a platform (.tar.gz; Windows: .zip)', params: Platform,
        response: {
          200: {
            description: 'The package; its SHA-256 is in the X-Checksum-SHA256 header and at …/sha256',
            content: { 'application/gzip': { schema: Type.String({ format: 'binary' }) }, 'application/zip': { schema: Type.String({ format: 'binary' }) } },
          },
          404: ErrorSchema, 503: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const p = find(req.params.platform)
      // A stream: the 200 "schema" above only documents the file, nothing is serialised.
      return reply
        .type(p.file.endsWith('.zip') ? 'application/zip' : 'application/gzip')
        .header('content-disposition', `attachment; filename="${p.file}"`)
        .header('content-length', String(p.size))
        .header('x-checksum-sha256', p.sha256)
        .send(createReadStream(p.path) as never)
    },
  )

  fastify.get(
    '/agent-packages/:platform/sha256',
    {
      config: { rateLimit },
      schema: {
        tags: ['agent'], summary: 'SHA-256 of a platform\'s package, as `sha256sum` prints it ("<hex>  <file>")', params: Platform,
        response: { 200: { description: 'One line', content: { 'text/plain': { schema: Type.String({ pattern: '^[0-9a-f]{64}  \\S+\\n$' }) } } }, 404: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (req, reply) => {
      const p = find(req.params.platform)
      return reply.type('text/plain; charset=utf-8').send(`${p.sha256}  ${p.file}\n`)
    },
  )

  fastify.get(
    '/install-info',
    {
      onRequest: fastify.auth.requirePerson('admin'),
      schema: {
        tags: ['agent'], summary: 'The server address, its trust setting and the install line per OS for the enroll page',
        security: [{ session: [] }, { apiKey: [] }],
        response: { 200: InstallInfoSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async (req) => {
      const addr = serverAddress(config, req)
      return {
        server: addr.url, source: addr.source, loopback: addr.loopback,
        listensOnLoopback: /^(127\.|::1$|localhost$)/.test(config.host),
        tls: addr.url.startsWith('https:'), privateCa: pin !== null,
        tokenPlaceholder: TOKEN_PLACEHOLDER, lines: installLines(addr.url, pin),
        version: packages.manifest()?.version ?? null, problem: packages.problem(),
      }
    },
  )
}
export default routes
