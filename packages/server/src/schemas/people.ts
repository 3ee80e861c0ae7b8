// People: logging in and who is logged in; who holds access (people, API keys) and its revocation.
import Type, { type Static } from 'typebox'
import { RoleSchema } from '@lagebild/shared'
import { Nullable } from './common.js'

export const LoginBodySchema = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)

export const MeSchema = Type.Object({
  user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema }),
  csrfToken: Type.String({ description: 'Send it as X-CSRF-Token with every state-changing request' }),
})
export type Me = Static<typeof MeSchema>

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  createdAt: Type.String(),
  lastLoginAt: Nullable(Type.String(), 'null: never logged in'),
  disabledAt: Nullable(Type.String(), 'Revoked: cannot log in'),
})
export type User = Static<typeof UserSchema>
export const UserListSchema = Type.Object({ users: Type.Array(UserSchema) })
export type UserList = Static<typeof UserListSchema>

const PasswordSchema = Type.String({ minLength: 8, maxLength: 128, description: 'At least 8 characters; leave out to have one generated' })
export const UserCreateSchema = Type.Object(
  { username: Type.String({ pattern: '^[A-Za-z0-9._@-]{1,64}$', maxLength: 64, description: '1–64 letters, digits or . _ @ -' }), role: RoleSchema, password: Type.Optional(PasswordSchema) },
  { additionalProperties: false },
)
export type UserCreate = Static<typeof UserCreateSchema>
export const PasswordSetSchema = Type.Object({ password: Type.Optional(PasswordSchema) }, { additionalProperties: false })
export const PasswordOutSchema = Type.Object({
  password: Type.Optional(Type.String({ description: 'The generated password, shown once (absent when one was given)' })),
})
export type PasswordOut = Static<typeof PasswordOutSchema>
export const UserCreatedSchema = Type.Intersect([UserSchema, PasswordOutSchema])
export type UserCreated = Static<typeof UserCreatedSchema>
export const UserRevokedSchema = Type.Object({ id: Type.String(), disabledAt: Type.String() })

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String(), 'Who created it'),
  lastUsedAt: Nullable(Type.String(), 'Last request made with it'),
  revokedAt: Nullable(Type.String()),
})
export type ApiKey = Static<typeof ApiKeySchema>
export const ApiKeyListSchema = Type.Object({ apiKeys: Type.Array(ApiKeySchema) })
export type ApiKeyList = Static<typeof ApiKeyListSchema>
export const ApiKeyCreateSchema = Type.Object({ name: Type.String({ pattern: '^[\\w .-]{1,64}$', maxLength: 64, description: 'What it is for, e.g. monitoring' }) }, { additionalProperties: false })
export const ApiKeyCreatedSchema = Type.Object({ id: Type.String(), name: Type.String(), key: Type.String({ description: 'Shown once' }) })
export type ApiKeyCreated = Static<typeof ApiKeyCreatedSchema>

/** An enrollment token or API key after its revocation (revoking twice answers the first time). */
export const RevokedSchema = Type.Object({ id: Type.String(), revokedAt: Type.String() })
