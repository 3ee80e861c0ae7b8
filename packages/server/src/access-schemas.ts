// Request and response shapes of access management: enrollment tokens, API keys, people, a host's agents.
import Type, { type Static } from 'typebox'
import { ROLES, REVOKE_REASONS } from '@lagebild/shared'
import { MAX_TOKEN_USES } from './services/enrollment.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const When = (description: string) => Nullable(Type.String({ description }))

export const RoleSchema = Type.Enum(ROLES, { description: 'admin: may change everything; viewer: reads the board' })
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) })

export const TokenCreateSchema = Type.Object(
  {
    expires: Type.Optional(Type.String({ pattern: '^\\d{1,6}\\s*[mhdw]$', description: 'Lifetime, e.g. 7d; default 7d (1h for a token that may replace)' })),
    uses: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TOKEN_USES, description: 'How many PCs may enroll with it; default 1' })),
    tags: Type.Optional(Type.Array(Type.String({ pattern: '^[\\w.-]{1,50}$' }), { maxItems: 20, description: 'Tags for the hosts enrolled with it' })),
    mayReplace: Type.Optional(Type.Boolean({ description: 'May enroll a PC that is enrolled already, revoking its agent (reinstall); expires within 24 h' })),
  },
  { additionalProperties: false },
)
export const TokenCreatedSchema = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'Shown once' }),
  expiresAt: Type.String(),
  maxUses: Type.Integer(),
  mayReplace: Type.Boolean(),
})
export const TokenOutSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  createdBy: When('Who created it'),
  expiresAt: When('null: never (tokens made before expiry was required)'),
  maxUses: Nullable(Type.Integer({ description: 'null: unlimited (tokens made before a default existed)' })),
  uses: Type.Integer(),
  tags: Type.Array(Type.String()),
  mayReplace: Type.Boolean(),
  revokedAt: When('Revoked by an admin'),
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('used-up'), Type.Literal('revoked')]),
})
export type TokenOut = Static<typeof TokenOutSchema>

export const ApiKeyOutSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  createdBy: When('Who created it'),
  lastUsedAt: When('Last request made with it'),
  revokedAt: When('Revoked'),
})
export type ApiKeyOut = Static<typeof ApiKeyOutSchema>
export const ApiKeyCreateSchema = Type.Object({ name: Type.String({ pattern: '^[\\w .-]{1,64}$', description: 'What it is for, e.g. monitoring' }) }, { additionalProperties: false })
export const ApiKeyCreatedSchema = Type.Object({ id: Type.String(), name: Type.String(), key: Type.String({ description: 'Shown once' }) })

export const UserOutSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  createdAt: Type.String(),
  lastLoginAt: When('null: never logged in'),
  disabledAt: When('Revoked: cannot log in'),
})
export type UserOut = Static<typeof UserOutSchema>
const PasswordSchema = Type.String({ minLength: 8, maxLength: 128, description: 'At least 8 characters; leave out to have one generated' })
export const UserCreateSchema = Type.Object(
  { username: Type.String({ pattern: '^[A-Za-z0-9._@-]{1,64}$', description: '1–64 letters, digits or . _ @ -' }), role: RoleSchema, password: Type.Optional(PasswordSchema) },
  { additionalProperties: false },
)
export const PasswordSetSchema = Type.Object({ password: Type.Optional(PasswordSchema) }, { additionalProperties: false })
export const PasswordOutSchema = Type.Object({
  password: Type.Optional(Type.String({ description: 'The generated password, shown once (absent when one was given)' })),
})

export const RevokedSchema = Type.Object({ id: Type.String(), revokedAt: Type.String() })

export const AgentOutSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: When('Last report'),
  revokedAt: When('Revoked'),
  revokedReason: Nullable(Type.Enum(REVOKE_REASONS)),
})
export type AgentOut = Static<typeof AgentOutSchema>

export const RetireSchema = Type.Object(
  { purge: Type.Boolean({ description: 'true: delete the host with its reports, facts, history and alerts; false: keep them, the host is listed as retired' }) },
  { additionalProperties: false },
)
export const LifecycleOutSchema = Type.Object({
  hostId: Type.String(),
  revokedAgents: Type.Array(Type.String(), { description: 'Agents refused from now on (live connections closed)' }),
  closedAlerts: Type.Array(Type.String()),
})
