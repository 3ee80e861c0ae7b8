// E-mail over SMTP (nodemailer). STARTTLS is the default and required; "tls" is SMTPS (port 465); "none" only for a local relay.
import nodemailer from 'nodemailer'
import Type from 'typebox'
import { defineChannel } from './types.js'

const Address = Type.String({ pattern: '^[^\\s@<>]+@[^\\s@<>]+$', maxLength: 320 })

export default defineChannel({
  type: 'email',
  title: { de: 'E-Mail (SMTP)', en: 'E-mail (SMTP)' },
  secretFields: ['password'],
  configSchema: Type.Object(
    {
      host: Type.String({ minLength: 1, maxLength: 255, description: 'SMTP server' }),
      port: Type.Integer({ minimum: 1, maximum: 65535, description: 'Usually 587 (STARTTLS) or 465 (TLS)' }),
      security: Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')], {
        description: 'starttls: upgrade required (default choice); tls: TLS from the start (465); none: plain, only for a relay on the same machine or LAN',
      }),
      user: Type.Optional(Type.String({ maxLength: 320, description: 'SMTP user name' })),
      password: Type.Optional(Type.String({ maxLength: 1000, description: 'SMTP password (never shown again)' })),
      from: Type.String({ minLength: 3, maxLength: 400, description: 'Sender, e.g. "Lagebild <lagebild@example.com>"' }),
      to: Type.Array(Address, { minItems: 1, maxItems: 50, description: 'Recipients' }),
      rejectUnauthorized: Type.Optional(Type.Boolean({ description: 'false accepts a self-signed certificate (internal relay only); default true' })),
    },
    { additionalProperties: false },
  ),
  async send(c, msg) {
    const transport = nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.security === 'tls',
      requireTLS: c.security === 'starttls',
      ignoreTLS: c.security === 'none',
      auth: c.user ? { user: c.user, pass: c.password ?? '' } : undefined,
      tls: { rejectUnauthorized: c.rejectUnauthorized ?? true },
      // An unreachable server must fail fast: the outbox retries later.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    })
    try {
      await transport.sendMail({
        from: c.from,
        to: c.to,
        subject: msg.subject,
        text: msg.text,
        headers: { 'X-Lagebild-Delivery': msg.deliveryId, 'X-Lagebild-Event': msg.event },
      })
    } finally {
      transport.close()
    }
  },
})
