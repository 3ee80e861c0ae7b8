// ntfy (self-hosted or ntfy.sh): JSON publishing to the server root, so German umlauts in the title need no header encoding.
import Type from 'typebox'
import type { Severity } from '@lagebild/shared'
import { postOnce } from './http.js'
import { defineChannel, label } from './types.js'

const PRIORITY: Record<Severity, number> = { info: 2, low: 3, medium: 3, high: 4, critical: 5 }

export default defineChannel({
  type: 'ntfy',
  title: { de: 'ntfy (Push)', en: 'ntfy (push)' },
  configSchema: Type.Object(
    {
      server: Type.String({ pattern: '^https?://[^\\s/]+(/\\S*)?$', maxLength: 500, default: 'https://ntfy.sh', description: 'ntfy server, e.g. https://ntfy.sh', ...label('Server', 'Server') }),
      topic: Type.String({
        pattern: '^[-_A-Za-z0-9]{1,64}$',
        maxLength: 64,
        description: 'Topic name (on ntfy.sh anyone who knows it can read it: choose a long random one)',
        ...label('Thema (Topic)', 'Topic'),
      }),
      token: Type.Optional(Type.String({ maxLength: 500, writeOnly: true, description: 'Access token (never shown again)', ...label('Zugangstoken', 'Access token') })),
    },
    { additionalProperties: false },
  ),
  target: (c) => `${c.server.replace(/\/+$/, '')}/${c.topic}`,
  async send(c, msg) {
    const resolved = msg.event === 'resolved'
    const body = {
      topic: c.topic,
      title: msg.subject,
      message: msg.text,
      // Plain text (ntfy's default, said explicitly): agent text in the message never becomes a link or formatting.
      markdown: false,
      priority: resolved || !msg.payload ? 3 : PRIORITY[msg.payload.severity],
      tags: [resolved ? 'white_check_mark' : msg.event === 'test' || !msg.payload ? 'information_source' : 'warning'],
      ...(msg.payload?.url ? { click: msg.payload.url } : {}),
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (c.token) headers.authorization = `Bearer ${c.token}`
    await postOnce(c.server.replace(/\/+$/, '') + '/', JSON.stringify(body), headers)
  },
})
