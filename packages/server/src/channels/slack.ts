// Slack-compatible incoming webhook ({"text": …}); Mattermost and Rocket.Chat accept the same body.
import Type from 'typebox'
import { postOnce } from './http.js'
import { defineChannel } from './types.js'
import { escapeSlack } from './message.js'

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
    // Only the bold markers are ours; every character of the texts is escaped (see escapeSlack).
    await postOnce(c.url, JSON.stringify({ text: `*${escapeSlack(msg.subject)}*\n${escapeSlack(msg.text)}` }), { 'content-type': 'application/json' })
  },
})
