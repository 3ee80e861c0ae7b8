// Builds the Fastify instance with our settings; used by server.ts and tests.
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app, { type AppOptions } from './app.js'

export async function buildServer(opts: AppOptions & { logger?: boolean }) {
  const fastify = Fastify({
    logger: opts.logger === false ? false : { level: opts.config.logLevel },
    bodyLimit: opts.config.bodyLimit,
    trustProxy: process.env.LAGEBILD_TRUST_PROXY === '1',
    ajv: undefined,
  }).withTypeProvider<TypeBoxTypeProvider>()
  fastify.setValidatorCompiler(TypeBoxValidatorCompiler)
  // fastify-plugin exposes the app's decorators (db, ingest, alerts …) on the returned instance, as fastify/demo does.
  await fastify.register(fp(app), opts)
  return fastify
}
