// Every admin action ends up in the audit log. Services that know the state before and after write a detailed entry
// inside their own transaction (`fastify.audit.record(req, …)`); every other successful state-changing request of a
// person or API key gets a generic entry after the response (route, target, body without secrets), so an action
// added later can never slip past the log unrecorded.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Db } from '../db/index.js'
import { recordAudit, requestActor, type AuditEntry } from '../services/audit.js'

declare module 'fastify' {
  interface FastifyInstance {
    audit: ReturnType<typeof createAudit>
  }
  interface FastifyRequest {
    /** A detailed audit entry was written for this request. */
    audited?: boolean
  }
  interface FastifyContextConfig {
    /** Name of the action in the audit log (default: method and route), e.g. `alert.acknowledge`. */
    audit?: string
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Field names whose values never go into the log (passwords, channel secrets such as webhook URLs, tokens). */
const SECRET_KEY = /pass|secret|token|key|url|auth|cookie/i

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]'
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null && v !== '' ? '[redacted]' : redact(v, depth + 1)]))
  return value
}

export function createAudit(fastify: FastifyInstance) {
  return {
    /** A detailed entry for this request; pass the transaction that makes the change. */
    record(req: FastifyRequest, entry: AuditEntry, tx: Pick<Db, 'select' | 'insert'> = fastify.db) {
      recordAudit(tx, requestActor(req), entry)
      req.audited = true
    },
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('audit', createAudit(fastify))
    fastify.addHook('onResponse', async (req, reply) => {
      if (!req.person || req.audited || SAFE.has(req.method) || reply.statusCode >= 400) return
      const route = req.routeOptions.url ?? req.url.split('?')[0]!
      const params = (req.params ?? {}) as Record<string, unknown>
      // /api/v1/hosts/:id/… → host:ID
      const kind = /^\/api\/v1\/([a-z-]+?)s?\//.exec(route)?.[1]
      const target = typeof params.id === 'string' && kind ? `${kind}:${params.id}` : null
      try {
        recordAudit(fastify.db, requestActor(req), {
          action: req.routeOptions.config?.audit ?? `${req.method.toLowerCase()} ${route}`,
          target,
          after: { params: redact(params), body: redact(req.body ?? null) },
        })
      } catch (err) {
        // The change itself is done and answered; a failed log write must be seen by the operator, never hidden.
        req.log.error({ err }, 'audit log entry could not be written')
      }
    })
  },
  { name: 'audit', dependencies: ['db', 'auth'] })
