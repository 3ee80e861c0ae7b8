// People: logging in and who is logged in.
import Type, { type Static } from 'typebox'
import { RoleSchema } from '@lagebild/shared'

export const LoginBodySchema = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)

export const MeSchema = Type.Object({
  user: Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema }),
  csrfToken: Type.String({ description: 'Send it as X-CSRF-Token with every state-changing request' }),
})
export type Me = Static<typeof MeSchema>
