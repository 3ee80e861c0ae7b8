// E-mail over SMTP (nodemailer). STARTTLS is the default and required; "tls" is SMTPS (port 465); "none" only for a local relay.
import nodemailer from 'nodemailer'
import Type from 'typebox'
import { defineChannel, label } from './types.js'

const Address = Type.String({ pattern: '^[^\\s@<>]+@[^\\s@<>]+$', maxLength: 320 })

export default defineChannel({
  type: 'email',
  title: { de: 'E-Mail (SMTP)', en: 'E-mail (SMTP)' },
  configSchema: Type.Object(
    {
      host: Type.String({ minLength: 1, maxLength: 255, description: 'SMTP server', ...label('SMTP-Server', 'SMTP server'), examples: ['smtp.example.com'] }),
      port: Type.Integer({ minimum: 1, maximum: 65535, default: 587, description: 'Usually 587 (STARTTLS) or 465 (TLS)', ...label('Port', 'Port') }),
      security: Type.Union(
        [
          Type.Literal('starttls', label('STARTTLS (Port 587)', 'STARTTLS (port 587)')),
          Type.Literal('tls', label('TLS (Port 465)', 'TLS (port 465)')),
          Type.Literal('none', label('keine (nur Relay im eigenen Netz)', 'none (only a relay in your own network)')),
        ],
        {
          default: 'starttls',
          description: 'starttls: upgrade required (default choice); tls: TLS from the start (465); none: plain, only for a relay on the same machine or LAN',
          ...label('Verschlüsselung', 'Encryption'),
        },
      ),
      user: Type.Optional(Type.String({ maxLength: 320, description: 'SMTP user name', ...label('SMTP-Benutzer', 'SMTP user') })),
      password: Type.Optional(Type.String({ maxLength: 1000, writeOnly: true, description: 'SMTP password (never shown again)', ...label('SMTP-Passwort', 'SMTP password') })),
      from: Type.String({ minLength: 3, maxLength: 400, description: 'Sender, e.g. "Lagebild <lagebild@example.com>"', ...label('Absender', 'Sender'), examples: ['Lagebild <lagebild@example.com>'] }),
      to: Type.Array(Address, { minItems: 1, maxItems: 50, description: 'Recipients', ...label('Empfänger (mit Komma getrennt)', 'Recipients (comma-separated)'), examples: ['it@example.com'] }),
      rejectUnauthorized: Type.Optional(
        Type.Boolean({
          default: true,
          description: 'false accepts a self-signed certificate (internal relay only); default true',
          ...label('Zertifikat des Servers prüfen (aus nur für ein internes Relay)', "Check the server's certificate (off only for an internal relay)"),
        }),
      ),
    },
    { additionalProperties: false },
  ),
  target: (c) => c.to.join(', '),
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
