// Agent text that reaches people (issue #11 item 9): names the report schema refuses, and what each notification channel
// makes of hostile text an agent may still send (a firewall profile, a product or an account name is free text).
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import type { Report } from '@lagebild/shared'
import { hosts, reports } from '../src/db/schema.js'
import { harness, host, report, type Harness } from './helper.js'
import { httpSink, smtpSink } from './sinks.js'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

const HOSTILE_NAMES = [
  ['CR LF', 'pc\r\nBcc: everyone@example.com'],
  ['NUL', 'pc\u0000'],
  ['a right-to-left override', 'invoice-\u202Egnp.exe'],
  ['a lone surrogate half', 'pc\uD800'],
  ['10 kB', 'x'.repeat(10_000)],
  ['Slack markup', 'pc-<!channel>'],
]

describe('names the report refuses', () => {
  it.each(HOSTILE_NAMES)('a host name with %s: enrollment and reports are refused (400), nothing stored', async (_what, name) => {
    const enrollRes = await h.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { token: 'lbe_whatever-token', host: { ...host(), hostname: name } } })
    expect(enrollRes.statusCode).toBe(400)
    expect(enrollRes.json().path).toBe('/host/hostname')
    const a = h.enroll()
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: a.bearer }, payload: report({ ...a.identity, hostname: name }) })
    expect(res.statusCode).toBe(400)
    expect(res.json().path).toBe('/host/hostname')
    expect(h.db.select({ n: count() }).from(reports).get()!.n).toBe(0)
    expect(h.db.select({ hostname: hosts.hostname }).from(hosts).all().map((x) => x.hostname)).toEqual(['pc-buchhaltung'])
  })
})

// Free text inside a fact: quoted in the firewall reason of every notification.
const EVIL_PROFILE = 'Public <!channel> <https://evil.example/login|Click to fix> [Fix now](https://evil.example/x) invoice-\u202Egnp.exe'
const evilFirewall: Report['facts'] = {
  'base.firewall': { backend: 'windows', profiles: [{ name: EVIL_PROFILE, enabled: false, defaultInbound: 'block' }] },
}

describe('hostile agent text in every notification channel', () => {
  it('Slack, Teams, ntfy and the webhook show it as text: no mention, no link, the override made visible', async () => {
    const sink = await httpSink()
    try {
      const mk = (type: string, config: object) => h.api('POST', '/api/v1/channels', { name: type, type, language: 'en', config })
      expect((await mk('slack', { url: `${sink.url}/slack` })).status).toBe(201)
      expect((await mk('teams', { url: `${sink.url}/teams` })).status).toBe(201)
      expect((await mk('ntfy', { server: `${sink.url}/ntfy`, topic: 'lagebild-it' })).status).toBe(201)
      expect((await mk('webhook', { url: `${sink.url}/hook`, secret: 'a-long-shared-webhook-secret-0123456789' })).status).toBe(201)
      h.store(h.enroll(), evilFirewall)
      await h.app.alerts.sender.deliver()
      const body = (p: string) => sink.hits.find((x) => x.url === p)!.body
      const json = (p: string) => JSON.parse(body(p)) as Record<string, unknown>

      const slack = String(json('/slack').text)
      expect(slack).toContain('&lt;!channel&gt;')
      expect(slack).toContain('&lt;https://evil.example/login|Click to fix&gt;')
      expect(slack).not.toMatch(/<!channel>|<https?:/)
      expect(slack).toContain('[Fix now] (https://evil.example/x)')
      expect(slack).toContain('invoice-[U+202E]gnp.exe')
      expect(slack).not.toContain('\u202E')

      // Teams: no TextBlock (it renders Markdown); TextRuns show text as it is.
      const card = (json('/teams') as { attachments: { content: { body: { type: string; inlines: { type: string; text: string }[] }[] } }[] }).attachments[0]!.content
      expect(card.body.map((b) => b.type)).toEqual(['RichTextBlock', 'RichTextBlock'])
      expect(card.body.flatMap((b) => b.inlines.map((i) => i.type))).toEqual(['TextRun', 'TextRun'])
      expect(card.body[1]!.inlines[0]!.text).toContain('[Fix now](https://evil.example/x) invoice-[U+202E]gnp.exe')

      const ntfy = json('/ntfy/')
      expect(ntfy.markdown).toBe(false)
      expect(String(ntfy.message)).toContain('invoice-[U+202E]gnp.exe')
      expect(body('/ntfy/')).not.toContain('\\u202e')

      // The webhook's texts are for people; its alert object is data, as the schema accepted it.
      const hook = json('/hook') as { text: string; alert: { reason: { en: string } } }
      expect(hook.text).toContain('invoice-[U+202E]gnp.exe')
      expect(hook.alert.reason.en).toContain('\u202E')
    } finally {
      await sink.close()
    }
  })

  it('e-mail: one subject line, the override made visible in the text', async () => {
    const smtp = await smtpSink()
    try {
      const res = await h.api('POST', '/api/v1/channels', {
        name: 'Mail', type: 'email', language: 'en',
        config: { host: '127.0.0.1', port: smtp.port, security: 'starttls', rejectUnauthorized: false, from: 'Lagebild <lagebild@example.com>', to: ['it@example.com'] },
      })
      expect(res.status).toBe(201)
      h.store(h.enroll(), evilFirewall)
      await h.app.alerts.sender.deliver()
      const mail = await smtp.waitFor(() => true)
      expect(mail.text).toContain('invoice-[U+202E]gnp.exe')
      expect(mail.text).not.toContain('\u202E')
      expect(mail.headers['bcc']).toBeUndefined()
      expect(mail.to).toEqual(['it@example.com'])
    } finally {
      await smtp.close()
    }
  })
})

// A user report (the web form needs no account; `lagebild-agent report` is typed by whoever sits at the PC) becomes
// the text of incident messages: the answers, and the title of the incident opened from it.
describe('hostile text of a user report in incident messages', () => {
  const answers = {
    reporter: 'Mallory <!channel>', phone: '', system: 'invoice-\u202Egnp.exe', when: 'now',
    observed: 'Click <https://evil.example/login|here> or [Fix now](https://evil.example/x)\u202E', where: '',
  }
  const slackText = async (send: () => Promise<void>) => {
    const sink = await httpSink()
    try {
      expect((await h.api('POST', '/api/v1/channels', { name: 'chat', type: 'slack', language: 'en', config: { url: `${sink.url}/slack` } })).status).toBe(201)
      await send()
      await h.app.alerts.sender.deliver()
      return sink.hits.filter((x) => x.url === '/slack').map((x) => String((JSON.parse(x.body) as { text: string }).text))
    } finally {
      await sink.close()
    }
  }
  const harmless = (text: string) => {
    expect(text).not.toMatch(/<!channel>|<https?:|\]\(/)
    expect(text).not.toContain('\u202E')
  }

  it('from the web form: the message announcing it shows the answers as text', async () => {
    const texts = await slackText(async () => {
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/user-reports', payload: { answers, lang: 'en' } })).statusCode).toBe(200)
    })
    expect(texts).toHaveLength(1)
    harmless(texts[0]!)
    expect(texts[0]).toContain('invoice-[U+202E]gnp.exe')
    expect(texts[0]).toContain('Mallory &lt;!channel&gt;')
    expect(texts[0]).toContain('[U+202E]')
  })

  it('from a PC: the incident it opens alerts with its title and description as text', async () => {
    const pc = h.enroll()
    const texts = await slackText(async () => {
      const res = await h.app.inject({
        method: 'POST', url: '/api/v1/agent/user-reports', headers: { authorization: pc.bearer },
        payload: { id: randomUUID(), reportedAt: new Date().toISOString(), lang: 'en', answers, host: pc.identity, snapshot: null, snapshotError: null },
      })
      expect(res.statusCode, res.body).toBe(200)
    })
    expect(texts.length).toBeGreaterThan(0)
    for (const text of texts) harmless(text)
    expect(texts.join('\n')).toContain('Mallory &lt;!channel&gt;: invoice-[U+202E]gnp.exe')
  })
})
