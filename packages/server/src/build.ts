// Builds the Fastify instance with our settings; used by server.ts and tests.
import Fastify from 'fastify'
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
  await fastify.register(app, opts)
  return fastify
}
