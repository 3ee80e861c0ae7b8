// Real receivers on loopback for alert tests: an SMTP server (STARTTLS with smtp-server's built-in self-signed
// certificate) and an HTTP server. Ports come from the OS (port 0) unless a test needs a fixed one back.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { waitUntil } from './helper.js'

export interface Mail {
  from: string
  to: string[]
  subject: string
  text: string
  headers: Record<string, string>
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), as nodemailer writes non-ASCII subjects. */
function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_m, _cs: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  )
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable')
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
  return body
}

function parseMail(raw: string, from: string, to: string[]): Mail {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/)
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  const text = decodeBody(rest.join('\n\n'), headers['content-transfer-encoding']).replace(/\r\n/g, '\n').trim()
  return { from, to, subject: decodeWords(headers.subject ?? ''), text, headers }
}


export async function smtpSink(port = 0) {
  const mails: Mail[] = []
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), from, session.envelope.rcptTo.map((r) => r.address)))
        cb()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const addr = (server as unknown as { server: Server }).server.address() as AddressInfo
  return {
    port: addr.port,
    mails,
    /** Resolves with the first mail matching `pred`. */
    waitFor: (pred: (m: Mail) => boolean, timeoutMs = 10_000) => waitUntil(() => mails.find(pred), timeoutMs, 'a mail'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export interface Hit {
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** An HTTP receiver; `status` decides the answer (e.g. 500 to make a channel fail). */
export async function httpSink(status: (h: Hit) => number = () => 204) {
  const hits: Hit[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const hit = { url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      hits.push(hit)
      res.writeHead(status(hit)).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    waitFor: (pred: (h: Hit) => boolean, timeoutMs = 10_000) => waitUntil(() => hits.find(pred), timeoutMs, 'an HTTP request'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A port that was free a moment ago (for "the SMTP server is down, then comes back on the same port"). */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

