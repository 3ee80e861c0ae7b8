// Slack-compatible incoming webhook ({"text": …}); Mattermost and Rocket.Chat accept the same body.
import Type from 'typebox'
import { postOnce } from './http.js'
import { defineChannel } from './types.js'

export default defineChannel({
  type: 'slack',
  title: { de: 'Slack (Incoming Webhook)', en: 'Slack (incoming webhook)' },
  // The webhook URL itself is the credential.
  secretFields: ['url'],
  configSchema: Type.Object(
    { url: Type.String({ pattern: '^https?://\\S+$', maxLength: 2000, description: 'Incoming webhook URL (never shown again)' }) },
    { additionalProperties: false },
  ),
  async send(c, msg) {
    await postOnce(c.url, JSON.stringify({ text: `*${msg.subject}*\n${msg.text}` }), { 'content-type': 'application/json' })
  },
})
