// The channel registry: one line per channel type.
import type { ChannelProvider, ChannelType } from './types.js'
import email from './email.js'
import webhook from './webhook.js'
import slack from './slack.js'
import teams from './teams.js'
import ntfy from './ntfy.js'

export const CHANNELS: Record<ChannelType, ChannelProvider> = {
  email: email as unknown as ChannelProvider,
  webhook: webhook as unknown as ChannelProvider,
  slack: slack as unknown as ChannelProvider,
  teams: teams as unknown as ChannelProvider,
  ntfy: ntfy as unknown as ChannelProvider,
}

export * from './types.js'
