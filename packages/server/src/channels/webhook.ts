// Generic webhook: a JSON body, signed with the channel secret (X-Lagebild-Signature: sha256=<hex HMAC-SHA256 of the raw body>).
import { createHmac } from 'node:crypto'
import Type from 'typebox'
import { postOnce } from './http.js'
import { defineChannel, label, type Message } from './types.js'

export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`

/** The JSON a webhook receives (documented in docs/alerts.md). */
export function webhookBody(msg: Message) {
  return {
    v: 1,
    deliveryId: msg.deliveryId,
    event: msg.event,
    subject: msg.subject,
    text: msg.text,
    language: msg.language,
    alert: msg.payload,
    sentAt: new Date().toISOString(),
  }
}

export default defineChannel({
  type: 'webhook',
  title: { de: 'Webhook (JSON, signiert)', en: 'Webhook (JSON, signed)' },
  configSchema: Type.Object(
    {
      url: Type.String({ pattern: '^https?://\\S+$', maxLength: 2000, description: 'Receiver URL', ...label('URL', 'URL'), examples: ['https://example.com/lagebild-hook'] }),
      secret: Type.String({
        minLength: 16,
        maxLength: 500,
        writeOnly: true,
        description: 'Shared secret for the HMAC signature (never shown again); e.g. openssl rand -hex 32',
        ...label('Geheimnis (mindestens 16 Zeichen)', 'Secret (at least 16 characters)'),
      }),
    },
    { additionalProperties: false },
  ),
  target: (c) => c.url,
  async send(c, msg) {
    const body = JSON.stringify(webhookBody(msg))
    await postOnce(c.url, body, {
      'content-type': 'application/json',
      'user-agent': 'Lagebild',
      'x-lagebild-event': msg.event,
      'x-lagebild-delivery': msg.deliveryId,
      'x-lagebild-signature': signature(c.secret, body),
    })
  },
})
