// Microsoft Teams: a "Workflows" webhook (the successor of the retired Office 365 connectors) takes an Adaptive Card in a message.
import Type from 'typebox'
import { postOnce } from './http.js'
import { defineChannel, label } from './types.js'

export default defineChannel({
  type: 'teams',
  title: { de: 'Microsoft Teams (Workflows-Webhook)', en: 'Microsoft Teams (Workflows webhook)' },
  configSchema: Type.Object(
    {
      // The webhook URL itself is the credential.
      url: Type.String({ pattern: '^https?://\\S+$', maxLength: 2000, writeOnly: true, description: 'Workflows webhook URL (never shown again)', ...label('Webhook-URL', 'Webhook URL') }),
    },
    { additionalProperties: false },
  ),
  target: (c) => new URL(c.url).host,
  async send(c, msg) {
    // TextBlock renders Markdown ([text](url) would be a link); a TextRun inside a RichTextBlock never does, so agent
    // text in the subject and the body is shown exactly as written.
    const plain = (text: string, style: object = {}) => ({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...style }] })
    const card = {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      body: [plain(msg.subject, { weight: 'Bolder', size: 'Medium' }), plain(msg.text)],
    }
    const body = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] }
    await postOnce(c.url, JSON.stringify(body), { 'content-type': 'application/json' })
  },
})
