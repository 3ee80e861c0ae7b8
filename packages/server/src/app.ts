// The app is itself a plugin: tests build it and call inject; server.ts only listens.
// Order: external plugins, then ours (one capability per file), then routes.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fastifyWebsocket from '@fastify/websocket'
import { boardPageOf } from '@lagebild/shared'
import type { ServerConfig } from './config.js'
import { errorHandler } from './error-handler.js'
import type { Db } from './db/index.js'
import dbPlugin from './plugins/db.js'
import connectionGuardPlugin from './plugins/connection-guard.js'
import retentionPlugin from './plugins/retention.js'
import agentBudgetPlugin from './plugins/agent-budget.js'
import eventsPlugin from './plugins/events.js'
import authPlugin from './plugins/auth.js'
import auditPlugin from './plugins/audit.js'
import loginGuardPlugin from './plugins/login-guard.js'
import ingestPlugin from './plugins/ingest.js'
import alertsPlugin from './plugins/alerts.js'
import agentChannelPlugin from './plugins/agent-channel.js'
import readinessPlugin from './plugins/readiness.js'
import incidentsPlugin from './plugins/incidents.js'
import agentPackagesPlugin from './plugins/agent-packages.js'
import healthz from './routes/healthz.js'
import agentHttp from './routes/api/v1/agent-http.js'
import authRoutes from './routes/api/v1/auth.js'
import hostRoutes from './routes/api/v1/hosts.js'
import catalogueRoutes from './routes/api/v1/catalogue.js'
import agentWsRoutes from './routes/api/v1/agent-ws.js'
import alertRoutes from './routes/api/v1/alerts.js'
import channelRoutes from './routes/api/v1/channels.js'
import thresholdRoutes from './routes/api/v1/thresholds.js'
import hostAdminRoutes from './routes/api/v1/host-admin.js'
import overviewRoutes from './routes/api/v1/overview.js'
import historyRoutes from './routes/api/v1/history.js'
import liveRoutes from './routes/api/v1/live.js'
import auditRoutes from './routes/api/v1/audit.js'
import readinessRoutes from './routes/api/v1/readiness.js'
import readinessFileRoutes from './routes/api/v1/readiness-files.js'
import agentPackageRoutes from './routes/api/v1/agent-packages.js'
import incidentRoutes from './routes/api/v1/incidents.js'
import incidentPublicRoutes from './routes/api/v1/incident-public.js'
import installRoutes from './routes/install.js'
import accessRoutes from './routes/api/v1/access.js'

export const WEB_DIST = fileURLToPath(new URL('../web-dist', import.meta.url))

export interface AppOptions {
  config: ServerConfig
  /** An open database (tests); otherwise the one under config.dataDir. */
  db?: Db
  /** Run the cron jobs (silent agents, reminders, re-judging); tests turn them off and drive the clock themselves. */
  jobs?: boolean
}

export default async function app(fastify: FastifyInstance, opts: AppOptions) {
  const { config } = opts

  // ── external ──
  await fastify.register(fastifyCookie)
  await fastify.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only means something over HTTPS (behind a TLS proxy it is set by the proxy or here when trusted).
    hsts: { maxAge: 31536000, includeSubDomains: true },
  })
  await fastify.register(fastifyRateLimit, { global: false })
  await fastify.register(fastifyWebsocket, {
    options: { maxPayload: 1024 * 1024 },
    // On shutdown say "going away" (1001) with a reason, so agents and browsers know to reconnect (the default sends no code).
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down')
      this.websocketServer.close()
      done()
    },
  })
  await fastify.register(fastifySwagger, {
    openapi: {
      info: { title: 'Lagebild API', version: '1', description: 'Security status and IT emergency readiness (BSI guide for SMEs)' },
      components: {
        securitySchemes: {
          agent: { type: 'http', scheme: 'bearer', description: 'agentId.secret from enrollment' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key lbk_… (lagebild-server api-key create)' },
          session: { type: 'apiKey', in: 'cookie', name: 'lagebild_session' },
        },
      },
    },
  })
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true })

  // ── ours ──
  await fastify.register(connectionGuardPlugin, { limits: config.connections, trustProxy: config.trustProxy })
  await fastify.register(dbPlugin, { dataDir: config.dataDir, db: opts.db })
  await fastify.register(eventsPlugin)
  await fastify.register(retentionPlugin, { policy: config.retention, jobs: opts.jobs })
  await fastify.register(authPlugin)
  await fastify.register(auditPlugin)
  await fastify.register(loginGuardPlugin)
  await fastify.register(ingestPlugin)
  await fastify.register(alertsPlugin, { publicUrl: config.publicUrl, jobs: opts.jobs })
  await fastify.register(agentBudgetPlugin, { limits: config.agentBudget })
  await fastify.register(agentChannelPlugin)
  await fastify.register(readinessPlugin, { publicUrl: config.publicUrl, jobs: opts.jobs, pdfFont: config.pdfFont })
  await fastify.register(incidentsPlugin, { publicUrl: config.publicUrl, jobs: opts.jobs })
  await fastify.register(agentPackagesPlugin, { config })

  fastify.setErrorHandler(errorHandler)
  fastify.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!
    // The board is a single page: its own pages get index.html, so a reload or a shared link works. Anything else —
    // /api/…, /metrics, /openapi.json, a missing asset — is a plain 404, never the board with 200.
    if (req.method === 'GET' && existsSync(WEB_DIST) && boardPageOf(path)) return reply.type('text/html').sendFile('index.html')
    return reply.code(404).send({ error: 'not-found', message: `${req.method} ${path}: no such page or API route (the API is described at /docs)` })
  })

  // ── routes ──
  await fastify.register(healthz)
  await fastify.register(installRoutes)
  await fastify.register(
    async (api) => {
      await api.register(agentHttp)
      await api.register(authRoutes)
      await api.register(hostRoutes)
      await api.register(catalogueRoutes)
      await api.register(agentWsRoutes)
      await api.register(alertRoutes)
      await api.register(channelRoutes)
      await api.register(thresholdRoutes)
      await api.register(hostAdminRoutes)
      await api.register(overviewRoutes)
      await api.register(historyRoutes)
      await api.register(liveRoutes)
      await api.register(auditRoutes)
      await api.register(readinessRoutes)
      await api.register(readinessFileRoutes)
      await api.register(agentPackageRoutes)
      await api.register(incidentRoutes)
      await api.register(incidentPublicRoutes)
      await api.register(accessRoutes)
    },
    { prefix: '/api/v1' },
  )
  if (existsSync(WEB_DIST)) await fastify.register(fastifyStatic, { root: WEB_DIST, prefix: '/', index: 'index.html' })
}
