// Slack-compatible incoming webhook ({"text": …}); Mattermost and Rocket.Chat accept the same body.
import Type from 'typebox'
import { postOnce } from './http.js'
import { defineChannel, label } from './types.js'
import { escapeSlack } from './message.js'

export default defineChannel({
  type: 'slack',
  title: { de: 'Slack (Incoming Webhook)', en: 'Slack (incoming webhook)' },
  configSchema: Type.Object(
    {
      // The webhook URL itself is the credential.
      url: Type.String({ pattern: '^https?://\\S+$', maxLength: 2000, writeOnly: true, description: 'Incoming webhook URL (never shown again)', ...label('Webhook-URL', 'Webhook URL') }),
    },
    { additionalProperties: false },
  ),
  target: (c) => new URL(c.url).host,
  async send(c, msg) {
    // Only the bold markers are ours; every character of the texts is escaped (see escapeSlack).
    await postOnce(c.url, JSON.stringify({ text: `*${escapeSlack(msg.subject)}*\n${escapeSlack(msg.text)}` }), { 'content-type': 'application/json' })
  },
})
