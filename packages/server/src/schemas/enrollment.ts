// Enrollment tokens, created by an admin for agents.
import Type, { type Static } from 'typebox'
import { DEFAULT_TOKEN_USES, ENROLL_REQUEST_STATES, MAX_TAGS, MAX_TOKEN_USES, REPLACE_TOKEN_MAX_HOURS } from '@lagebild/shared'
import { Nullable, TagSchema } from './common.js'

export const EnrollTokenBodySchema = Type.Object(
  {
    expires: Type.Optional(Type.String({ pattern: '^\\d{1,6}\\s?[mhdw]$', maxLength: 8, description: 'Lifetime, e.g. 7d; default 7d (1h for a token that may replace); at most 1 year (366d)' })),
    uses: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_USES, description: `How many PCs may enroll with it; default ${DEFAULT_TOKEN_USES}` })),
    tags: Type.Optional(Type.Array(TagSchema, { maxItems: MAX_TAGS, description: 'Tags for the hosts enrolled with it' })),
    mayReplace: Type.Optional(
      Type.Boolean({ description: `May enroll a PC that is enrolled already, revoking its agent (reinstall); expires within ${REPLACE_TOKEN_MAX_HOURS} h` }),
    ),
  },
  { additionalProperties: false },
)

export const EnrollTokenOutSchema = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'Shown once' }),
  expiresAt: Type.String(),
  maxUses: Type.Integer(),
  mayReplace: Type.Boolean(),
})
export type EnrollTokenOut = Static<typeof EnrollTokenOutSchema>

export const TOKEN_STATES = ['active', 'expired', 'used-up', 'revoked'] as const

/** A token in the list: everything but the token itself (only its hash is kept). */
export const EnrollTokenSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String(), 'Who created it'),
  expiresAt: Nullable(Type.String(), 'null: never (tokens made before expiry was required)'),
  maxUses: Nullable(Type.Integer(), 'null: unlimited (tokens made before a default existed)'),
  uses: Type.Integer(),
  tags: Type.Array(Type.String()),
  mayReplace: Type.Boolean(),
  revokedAt: Nullable(Type.String(), 'Revoked by an admin'),
  state: Type.Enum(TOKEN_STATES),
})
export type EnrollToken = Static<typeof EnrollTokenSchema>
export const EnrollTokenListSchema = Type.Object({ tokens: Type.Array(EnrollTokenSchema) })
export type EnrollTokenList = Static<typeof EnrollTokenListSchema>

// ── The enroll page ──

export const InstallInfoSchema = Type.Object({
  server: Type.String({ description: 'The address filled into the install lines' }),
  source: Type.Union([Type.Literal('public-url'), Type.Literal('request')], { description: 'public-url: LAGEBILD_PUBLIC_URL; request: the address this browser used' }),
  loopback: Type.Boolean({ description: 'The address is this machine only: other PCs cannot reach it' }),
  listensOnLoopback: Type.Boolean({ description: 'The server listens on a loopback address only (LAGEBILD_HOST)' }),
  tls: Type.Boolean({ description: 'The address is https://' }),
  privateCa: Type.Boolean({ description: 'Agents get the private CA of LAGEBILD_AGENT_CA; the lines pin the server certificate' }),
  tokenPlaceholder: Type.String({ description: 'Stands for the token in the lines' }),
  lines: Type.Object({ linux: Type.String(), macos: Type.String(), windows: Type.String(), windowsSilent: Type.String() }),
  version: Nullable(Type.String(), 'Agent version offered; null: no packages built'),
  problem: Nullable(Type.String(), 'Why no packages are offered'),
})
export type InstallInfo = Static<typeof InstallInfoSchema>

// ── Requests of PCs that are enrolled already (allowed or refused on the host page) ──

export const EnrollRequestOutSchema = Type.Object({
  id: Type.String(),
  hostId: Type.String(),
  currentHostname: Type.String({ description: 'The name the host is listed under now' }),
  hostname: Type.String({ description: 'The name the asking PC reported' }),
  osName: Type.String({ description: 'The operating system the asking PC reported' }),
  ip: Nullable(Type.String(), 'The address the request came from'),
  tokenId: Type.String(),
  token: Type.Object({
    createdBy: Nullable(Type.String(), 'Who created the token the PC used'),
    createdAt: Type.String(),
    tags: Type.Array(Type.String()),
  }),
  replacesAgentId: Type.String({ description: 'The active agent that an approval replaces' }),
  createdAt: Type.String(),
  lastSeenAt: Type.String({ description: 'The asking agent\'s latest retry (it asks every few seconds while it waits)' }),
  expiresAt: Type.String({ description: 'Pending: a decision is due by then; approved: the PC must enroll by then' }),
  state: Type.Enum(ENROLL_REQUEST_STATES),
  decidedAt: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  usedAt: Nullable(Type.String()),
  agentId: Nullable(Type.String(), 'The agent enrolled with the approval'),
})
export type EnrollRequestOut = Static<typeof EnrollRequestOutSchema>
export const EnrollRequestListSchema = Type.Object({ requests: Type.Array(EnrollRequestOutSchema) })
export type EnrollRequestList = Static<typeof EnrollRequestListSchema>
export const EnrollRequestQuerySchema = Type.Object({ hostId: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false })
