// Enrollment tokens, created by an admin for agents.
import Type, { type Static } from 'typebox'
import { MAX_TAGS } from '@lagebild/shared'
import { Nullable, TagSchema } from './common.js'

export const EnrollTokenBodySchema = Type.Object(
  {
    expires: Type.Optional(Type.String({ pattern: '^\\d{1,6}\\s?[mhdw]$', maxLength: 8, description: 'Lifetime, e.g. 7d; default 7d; at most 1 year (366d)' })),
    uses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'How many agents may use it; default unlimited' })),
    tags: Type.Optional(Type.Array(TagSchema, { maxItems: MAX_TAGS, description: 'Tags for the hosts enrolled with it' })),
  },
  { additionalProperties: false },
)

export const EnrollTokenOutSchema = Type.Object({ id: Type.String(), token: Type.String(), expiresAt: Nullable(Type.String()), maxUses: Nullable(Type.Integer()) })
export type EnrollTokenOut = Static<typeof EnrollTokenOutSchema>

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
