// Enrollment tokens, created by an admin for agents.
import Type, { type Static } from 'typebox'
import { MAX_TAGS } from '@lagebild/shared'
import { Nullable, TagSchema } from './common.js'

export const EnrollTokenBodySchema = Type.Object(
  {
    expires: Type.Optional(Type.String({ pattern: '^\\d+\\s*[mhdw]$', description: 'Lifetime, e.g. 7d; default 7d' })),
    uses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'How many agents may use it; default unlimited' })),
    tags: Type.Optional(Type.Array(TagSchema, { maxItems: MAX_TAGS, description: 'Tags for the hosts enrolled with it' })),
  },
  { additionalProperties: false },
)

export const EnrollTokenOutSchema = Type.Object({ id: Type.String(), token: Type.String(), expiresAt: Nullable(Type.String()), maxUses: Nullable(Type.Integer()) })
export type EnrollTokenOut = Static<typeof EnrollTokenOutSchema>
