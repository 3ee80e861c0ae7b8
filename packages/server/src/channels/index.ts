// The channel registry: one line per channel type.
import type { ChannelProvider, ChannelType } from './types.js'
import email from './email.js'
import webhook from './webhook.js'
import slack from './slack.js'
import teams from './teams.js'
import ntfy from './ntfy.js'

// Each provider's `send` takes its own config type; the registry erases it because configs are only handed over
// after being checked against that provider's configSchema (services/channels.ts).
const erase = <P>(p: P) => p as unknown as ChannelProvider

export const CHANNELS: Record<ChannelType, ChannelProvider> = {
  email: erase(email),
  webhook: erase(webhook),
  slack: erase(slack),
  teams: erase(teams),
  ntfy: erase(ntfy),
}

export * from './types.js'
