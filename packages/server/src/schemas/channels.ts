// Alert channels: create (one variant per registered type, so the OpenAPI document shows each type's config),
// change, what is shown of a channel, the types the board can offer.
import Type, { type Static, type TLiteral, type TObject, type TUnion } from 'typebox'
import { LanguageSchema, oneOf, TextSchema } from '@lagebild/shared'
import { CHANNEL_LIST, CHANNEL_TYPES, type AnyChannel } from '../channels/index.js'
import { Nullable } from './common.js'

const ChannelCommon = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  escalation: Type.Optional(Type.Boolean({ description: 'Only used for escalations (and their resolve)', default: false })),
  language: Type.Optional(LanguageSchema),
}

type Variant<P extends AnyChannel> = TObject<typeof ChannelCommon & { type: TLiteral<P['type']>; config: P['configSchema'] }>
type Variants<L extends readonly AnyChannel[]> = { -readonly [K in keyof L]: L[K] extends AnyChannel ? Variant<L[K]> : never }

const variant = (p: AnyChannel) =>
  Type.Object({ ...ChannelCommon, type: Type.Literal(p.type), config: p.configSchema }, { additionalProperties: false, description: p.title.en })
export const ChannelCreateSchema = Type.Union(CHANNEL_LIST.map(variant), {
  description: 'A new channel: its type and that type\'s config',
}) as unknown as TUnion<Variants<typeof CHANNEL_LIST>>
export type ChannelCreate = Static<typeof ChannelCreateSchema>

export const ChannelUpdateSchema = Type.Object(
  {
    name: Type.Optional(ChannelCommon.name),
    enabled: Type.Optional(Type.Boolean()),
    escalation: Type.Optional(Type.Boolean()),
    language: Type.Optional(LanguageSchema),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The whole config of the channel's type; secrets left out or sent masked keep their value" })),
  },
  { additionalProperties: false },
)
export type ChannelUpdate = Static<typeof ChannelUpdateSchema>

export const ChannelTypeSchema = oneOf(CHANNEL_TYPES, { description: 'The kind of channel' })

export const ChannelOutSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: ChannelTypeSchema,
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'Secrets shown as ********' }),
  target: Type.String({ description: 'Where it sends to, in a few words (no secrets)' }),
  enabled: Type.Boolean(),
  escalation: Type.Boolean(),
  language: LanguageSchema,
  createdAt: Type.String(),
  delivery: Type.Object({
    pending: Type.Integer({ description: 'Notifications waiting to be sent' }),
    lastSentAt: Nullable(Type.String()),
    lastError: Nullable(Type.String({ description: 'Why the oldest waiting notification failed last time' })),
  }),
})
export type ChannelOut = Static<typeof ChannelOutSchema>

export const ChannelListSchema = Type.Object({ channels: Type.Array(ChannelOutSchema) })

export const TestResultSchema = Type.Object({ ok: Type.Boolean(), error: Nullable(Type.String()) })
export type TestResult = Static<typeof TestResultSchema>

export const ChannelTypeOutSchema = Type.Object({
  type: ChannelTypeSchema,
  title: TextSchema,
  secretFields: Type.Array(Type.String(), { description: 'Config fields never shown again after saving' }),
  configSchema: Type.Unknown({ description: "JSON Schema of the type's config; x-label on a field or choice is its label in German and English" }),
})
export const ChannelTypesSchema = Type.Object({ types: Type.Array(ChannelTypeOutSchema) })
export type ChannelTypeOut = Static<typeof ChannelTypeOutSchema>

/** The config schema as the board reads it (a JSON Schema object, narrowed to what the form uses). */
export interface ConfigField {
  type?: 'string' | 'integer' | 'boolean' | 'array'
  anyOf?: { const: string; 'x-label'?: { de: string; en: string } }[]
  'x-label'?: { de: string; en: string }
  description?: string
  default?: unknown
  examples?: unknown[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  writeOnly?: boolean
}
export interface ConfigSchema {
  properties: Record<string, ConfigField>
  required?: string[]
}
