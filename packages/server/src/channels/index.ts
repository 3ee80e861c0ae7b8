// The channel registry: one line per channel type. Everything else — the database column's type, the API's create
// schema (one variant per type), the board's form (from each config schema), the secrets to mask — is derived here.
import type { Static } from 'typebox'
import { secretFieldsOf, type ChannelProvider } from './types.js'
import email from './email.js'
import webhook from './webhook.js'
import slack from './slack.js'
import teams from './teams.js'
import ntfy from './ntfy.js'

/** In the order the board offers them. */
export const CHANNEL_LIST = [webhook, email, slack, teams, ntfy] as const

export type AnyChannel = (typeof CHANNEL_LIST)[number]
export type ChannelType = AnyChannel['type']
export const CHANNEL_TYPES = CHANNEL_LIST.map((p) => p.type) as [ChannelType, ...ChannelType[]]
/** The config of one channel type. */
export type ChannelConfig<T extends ChannelType> = Static<Extract<AnyChannel, { type: T }>['configSchema']>

/** A registered channel with the facts derived from it. */
export interface RegisteredChannel extends ChannelProvider {
  secretFields: readonly string[]
}

// Each provider's `send` and `target` take its own config type; the registry erases it because configs are only handed
// over after being checked against that provider's configSchema (services/channels.ts).
export const CHANNELS = Object.fromEntries(
  CHANNEL_LIST.map((p) => [p.type, { ...(p as unknown as ChannelProvider), secretFields: secretFieldsOf(p.configSchema) }]),
) as unknown as Record<ChannelType, RegisteredChannel>

export * from './types.js'
