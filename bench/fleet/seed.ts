// Seeds a data directory for the fleet simulator: N hosts enrolled through the enrollment service (the same code as
// POST /api/v1/enroll) and an admin API key for the board probes. Seeding runs with synchronous=OFF on its own
// connection: it prepares the bench and is not what the bench measures.
import type { HostIdentity } from '../../packages/shared/src/index.js'
import { openDb } from '../../packages/server/src/db/index.js'
import { MAX_TOKEN_USES } from '../../packages/shared/src/index.js'
import { createEnrollToken, enroll } from '../../packages/server/src/services/enrollment.js'
import { createApiKey } from '../../packages/server/src/services/people.js'
import { fleetIdentity } from './report.js'

export interface FleetAgent {
  index: number
  agentId: string
  secret: string
  hostId: string
  identity: HostIdentity
}

export interface Seeded {
  agents: FleetAgent[]
  apiKey: string
  token: string
}

export function seedFleet(dataDir: string, hosts: number): Seeded {
  const db = openDb(dataDir)
  try {
    db.$client.pragma('synchronous = OFF')
    // A token enrolls at most MAX_TOKEN_USES PCs: a fresh one for each such share of the fleet (the last one is also the
    // token of the HTTP enrollment scenario).
    const newToken = () => createEnrollToken(db, { maxUses: MAX_TOKEN_USES }).token
    let token = newToken()
    const agents: FleetAgent[] = []
    db.$client.transaction(() => {
      for (let i = 0; i < hosts; i++) {
        if (i > 0 && i % MAX_TOKEN_USES === 0) token = newToken()
        const identity = fleetIdentity(i)
        const c = enroll(db, token, identity)
        agents.push({ index: i, agentId: c.agentId, secret: c.secret, hostId: c.hostId, identity })
      }
    })()
    const apiKey = createApiKey(db, 'fleet-bench').key
    return { agents, apiKey, token }
  } finally {
    db.$client.close()
  }
}
