// Builds the Fastify instance with our settings; used by server.ts and tests.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app, { type AppOptions } from './app.js'
import { strictValidatorCompiler } from './validation.js'

const HTTP_LIMITS = { headersTimeout: 10_000, connectionsCheckingInterval: 1_000 }

export async function buildServer(opts: AppOptions & { logger?: boolean; logStream?: NodeJS.WritableStream }) {
  const { tls } = opts.config
  const options: FastifyServerOptions = {
    logger: opts.logger === false ? false : { level: opts.config.logLevel, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: opts.config.bodyLimit,
    trustProxy: opts.config.trustProxy,
    // Random request ids: the id a 5xx answer names must point at one log line, also across restarts.
    genReqId: () => randomUUID(),
    ajv: undefined,
    // Slow clients (issue #11 item 8): the headers within 10 s, the whole request within 60 s (1 MiB on a slow uplink),
    // 10 s idle between keep-alive requests, 2 min of silence on any socket; checked every second, not every 30 s.
    // WebSockets are not affected: ws takes the socket out of the HTTP timeouts on upgrade.
    connectionTimeout: 120_000,
    keepAliveTimeout: 10_000,
    requestTimeout: 60_000,
  }
  // With a certificate the server speaks TLS itself (TLS 1.2 at least). The instance is typed as the plain-HTTP one:
  // routes and plugins only see requests (req.protocol is 'https' then), never the node server underneath.
  // Node's own server options (header timeout, how often it checks) go to http.createServer / https.createServer.
  const server = tls ? { https: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', handshakeTimeout: 10_000, ...HTTP_LIMITS } } : { http: HTTP_LIMITS }
  const fastify = Fastify({ ...options, ...server } as FastifyServerOptions).withTypeProvider<TypeBoxTypeProvider>()
  fastify.setValidatorCompiler(strictValidatorCompiler)
  // fastify-plugin exposes the app's decorators (db, ingest, alerts …) on the returned instance, as fastify/demo does.
  await fastify.register(fp(app), opts)
  return fastify
}
