// The one error handler. 4xx say what is wrong (with the path of the first invalid field); a DomainError says it in
// its own words with the status of its kind. Anything else is a 5xx: logged in full with the request id, answered
// with nothing but that id — never a message, stack or SQL that would tell an attacker about the inside.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, InputError, storageFault } from './errors.js'

type RequestError = FastifyError & { validation?: { instancePath?: string; message?: string }[] }

export function errorHandler(err: RequestError, req: FastifyRequest, reply: FastifyReply) {
  if (err.validation?.length) {
    const first = err.validation[0]!
    const path = first.instancePath || '/'
    return reply.code(400).send({ error: 'invalid-input', message: `${err.validationContext ?? 'body'} ${path}: ${first.message ?? 'invalid'}`, path })
  }
  // An InputError also says why in both languages, and which field.
  if (err instanceof InputError) return reply.code(err.statusCode).send({ error: err.code, message: err.message, text: err.text, path: err.path })
  if (err instanceof DomainError) return reply.code(err.statusCode).send({ error: err.code, message: err.message })
  const fault = storageFault(err)
  if (fault) {
    // Said plainly in the log for the operator; the code tells a full disk from a lock.
    req.log.error({ code: (err as { code?: string }).code, method: req.method, url: req.url }, `storage: ${fault.message}`)
    return reply.code(fault.statusCode).header('retry-after', '60').send({ error: fault.code, message: fault.message })
  }
  // Fastify's own 4xx (body too large, bad JSON, unsupported media type …) carry a status and a message meant for the client.
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500
  if (status < 500) return reply.code(status).send({ error: typeof err.code === 'string' ? err.code : 'error', message: err.message })
  req.log.error({ err, method: req.method, url: req.url }, 'request failed')
  return reply.code(status).send({ error: 'internal', message: 'internal server error', requestId: String(req.id) })
}
