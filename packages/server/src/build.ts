// Builds the Fastify instance with our settings; used by server.ts and tests.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app, { type AppOptions } from './app.js'
import { strictValidatorCompiler } from './validation.js'

export async function buildServer(opts: AppOptions & { logger?: boolean; logStream?: NodeJS.WritableStream }) {
  const { tls } = opts.config
  const options: FastifyServerOptions = {
    logger: opts.logger === false ? false : { level: opts.config.logLevel, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: opts.config.bodyLimit,
    trustProxy: opts.config.trustProxy,
    // Random request ids: the id a 5xx answer names must point at one log line, also across restarts.
    genReqId: () => randomUUID(),
    ajv: undefined,
  }
  // With a certificate the server speaks TLS itself (TLS 1.2 at least). The instance is typed as the plain-HTTP one:
  // routes and plugins only see requests (req.protocol is 'https' then), never the node server underneath.
  const fastify = Fastify(
    (tls ? { ...options, https: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' } } : options) as FastifyServerOptions,
  ).withTypeProvider<TypeBoxTypeProvider>()
  fastify.setValidatorCompiler(strictValidatorCompiler)
  // fastify-plugin exposes the app's decorators (db, ingest, alerts …) on the returned instance, as fastify/demo does.
  await fastify.register(fp(app), opts)
  return fastify
}
