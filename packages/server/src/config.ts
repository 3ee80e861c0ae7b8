// Server configuration from the environment — every LAGEBILD_* variable the server reads is read here. Odd values stop
// the start with one clear line (English / German) that names the setting to change.
import { isIP } from 'node:net'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { defaultMaxConnections } from './plugins/connection-guard.js'
import { DEFAULT_RETENTION, type RetentionPolicy } from './services/retention.js'
import type { BudgetLimits } from './services/agent-budget.js'

export interface ServerConfig {
  dataDir: string
  host: string
  port: number
  /** Largest accepted HTTP body (bytes). */
  bodyLimit: number
  /** Connections at once: in total (below the open-file limit) and per client address (LAGEBILD_MAX_CONNECTIONS*). */
  connections: { max: number; perAddress: number }
  /** How long report history is kept (LAGEBILD_RETENTION_DAYS, LAGEBILD_RETENTION_FULL_DAYS; services/retention.ts). */
  retention: RetentionPolicy
  /** Reports and bytes per agent (services/agent-budget.ts); default DEFAULT_BUDGET. */
  agentBudget?: BudgetLimits
  /** Public URL printed in install commands and messages, e.g. https://lagebild.example */
  publicUrl: string | null
  logLevel: string
  /**
   * Reverse proxies whose X-Forwarded-* headers are believed (LAGEBILD_TRUST_PROXY: addresses, CIDRs; then cookies are
   * Secure and __Host- prefixed when the proxy says https); false: none, the client is the TCP peer.
   */
  trustProxy: string[] | false
  /** The first admin's password, used on the very first start only; null: generate one and print it once. */
  adminPassword: string | null
  /** Serve HTTPS directly (LAGEBILD_TLS_CERT / LAGEBILD_TLS_KEY); null: plain HTTP (e.g. behind a TLS proxy). */
  tls?: TlsConfig | null
  /** Folder with the agent packages and their manifest.json (LAGEBILD_AGENT_PACKAGES; built by `npm run build`). */
  agentPackagesDir?: string
  /** PEM of the private CA the agents are to trust (LAGEBILD_AGENT_CA); handed out by the install scripts. */
  agentCa?: Buffer | null
  /** TrueType fonts of the card and report PDFs (LAGEBILD_PDF_FONT / _BOLD, else a system font); null: built-in Helvetica. */
  pdfFont?: PdfFont | null
}

export interface PdfFont {
  regular: string
  bold: string
}

/**
 * pdfkit's built-in Helvetica covers Latin-1 only; names like "Łukasz" need a TrueType font. DejaVu Sans (Debian
 * fonts-dejavu-core, also Chromium's dependency), else Arial (Windows, macOS).
 */
const PDF_FONT_CANDIDATES: PdfFont[] = [
  { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' },
  { regular: '/usr/share/fonts/TTF/DejaVuSans.ttf', bold: '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf' },
  { regular: 'C:\\Windows\\Fonts\\arial.ttf', bold: 'C:\\Windows\\Fonts\\arialbd.ttf' },
  { regular: '/System/Library/Fonts/Supplemental/Arial.ttf', bold: '/System/Library/Fonts/Supplemental/Arial Bold.ttf' },
]

export function pdfFontFromEnv(env: NodeJS.ProcessEnv = process.env): PdfFont | null {
  const regular = env.LAGEBILD_PDF_FONT || ''
  const bold = env.LAGEBILD_PDF_FONT_BOLD || ''
  if (bold && !regular) throw new ConfigError('LAGEBILD_PDF_FONT_BOLD is set but LAGEBILD_PDF_FONT is not')
  for (const [name, file] of [['LAGEBILD_PDF_FONT', regular], ['LAGEBILD_PDF_FONT_BOLD', bold]] as const)
    if (file && !existsSync(file)) throw new ConfigError(`${name}=${file}: no such file (a TrueType font, .ttf)`)
  if (regular) return { regular, bold: bold || regular }
  return PDF_FONT_CANDIDATES.find((f) => existsSync(f.regular) && existsSync(f.bold)) ?? null
}

/** Where `npm run build` puts the agent packages in this repository. */
export const DEFAULT_AGENT_PACKAGES_DIR = fileURLToPath(new URL('../../agent-dist/out', import.meta.url))

export interface TlsConfig {
  /** PEM: the server certificate, optionally followed by intermediates. */
  cert: Buffer
  /** PEM: the certificate's private key. */
  key: Buffer
}

/** A setting that stops the start (or a CLI command): one line, English / German, naming what to change. */
export class ConfigError extends Error {
  constructor(en: string, de?: string) {
    super(de ? `${en} / ${de}` : en)
  }
}

/** The variables, for `lagebild-server help` (the README's table says more). */
export const ENV_HELP = {
  de: [
    '  LAGEBILD_DATA_DIR (./data)  LAGEBILD_HOST (127.0.0.1)  LAGEBILD_PORT (8420)  LAGEBILD_PUBLIC_URL',
    '  LAGEBILD_ADMIN_PASSWORD (Passwort des ersten Admins beim ersten Start)  LAGEBILD_BODY_LIMIT (1048576)',
    '  LAGEBILD_TLS_CERT + LAGEBILD_TLS_KEY (PEM-Dateien: HTTPS, TLS 1.2+; beide oder keine)',
    '  LAGEBILD_TRUST_PROXY (Adressen/CIDR des Proxys, z. B. 127.0.0.1; 1 = loopback)  LAGEBILD_LOG_LEVEL (info; fatal error warn info debug trace silent)',
    '  LAGEBILD_MAX_CONNECTIONS (Grenze offener Dateien − 512)  LAGEBILD_MAX_CONNECTIONS_PER_ADDRESS (1000; Proxys ausgenommen)',
    '  LAGEBILD_RETENTION_DAYS (365: Tagesstände, Verlauf, erledigte Alarme)  LAGEBILD_RETENTION_FULL_DAYS (2: jeder Bericht)',
    '  LAGEBILD_PDF_FONT + LAGEBILD_PDF_FONT_BOLD (TrueType-Schriften der PDFs; Standard: DejaVu Sans bzw. Arial)',
  ].join('\n'),
  en: [
    '  LAGEBILD_DATA_DIR (./data)  LAGEBILD_HOST (127.0.0.1)  LAGEBILD_PORT (8420)  LAGEBILD_PUBLIC_URL',
    "  LAGEBILD_ADMIN_PASSWORD (first admin's password on first start)  LAGEBILD_BODY_LIMIT (1048576)",
    '  LAGEBILD_TLS_CERT + LAGEBILD_TLS_KEY (PEM files: serve HTTPS, TLS 1.2+; both or neither)',
    '  LAGEBILD_TRUST_PROXY (the proxy\'s addresses/CIDRs, e.g. 127.0.0.1; 1 = loopback)  LAGEBILD_LOG_LEVEL (info; fatal error warn info debug trace silent)',
    '  LAGEBILD_MAX_CONNECTIONS (open-file limit − 512)  LAGEBILD_MAX_CONNECTIONS_PER_ADDRESS (1000; proxies exempt)',
    '  LAGEBILD_RETENTION_DAYS (365: daily snapshots, history, resolved alerts)  LAGEBILD_RETENTION_FULL_DAYS (2: every report)',
    '  LAGEBILD_PDF_FONT + LAGEBILD_PDF_FONT_BOLD (TrueType fonts of the PDFs; default DejaVu Sans or Arial)',
  ].join('\n'),
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

function oneOfEnv<T extends string>(name: string, def: T, allowed: readonly T[]): T {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return def
  if (!(allowed as readonly string[]).includes(raw))
    throw new ConfigError(`${name}=${raw}: expected one of ${allowed.join(', ')}`, `erwartet eines von ${allowed.join(', ')}`)
  return raw as T
}

function int(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return def
  const v = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(v) || v < min || v > max)
    throw new ConfigError(`${name}=${raw}: expected a whole number from ${min} to ${max}`, `erwartet eine ganze Zahl von ${min} bis ${max}`)
  return v
}

function readPem(name: string, file: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new ConfigError(`${name}=${file}: cannot read the file (${code})`, `Datei nicht lesbar (${code})`)
  }
}

/** A host name or an IP address to listen on (not a URL, no port). */
function listenHost(raw: string | undefined): string {
  const host = raw || '127.0.0.1'
  if (isIP(host) || /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(host)) return host
  throw new ConfigError(
    `LAGEBILD_HOST=${host}: expected an IP address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0 (no http://, no port)`,
    'erwartet eine IP-Adresse oder einen Rechnernamen, z. B. 127.0.0.1 oder 0.0.0.0 (ohne http://, ohne Port)',
  )
}

/** Both files or neither; each must be readable PEM, and the key must belong to the certificate. */
export function tlsFromEnv(env: NodeJS.ProcessEnv = process.env): TlsConfig | null {
  const certFile = env.LAGEBILD_TLS_CERT || ''
  const keyFile = env.LAGEBILD_TLS_KEY || ''
  if (!certFile && !keyFile) return null
  if (!certFile)
    throw new ConfigError('LAGEBILD_TLS_KEY is set but LAGEBILD_TLS_CERT is not: set both (PEM files) or neither', 'LAGEBILD_TLS_CERT fehlt: beide (PEM-Dateien) setzen oder keine')
  if (!keyFile)
    throw new ConfigError('LAGEBILD_TLS_CERT is set but LAGEBILD_TLS_KEY is not: set both (PEM files) or neither', 'LAGEBILD_TLS_KEY fehlt: beide (PEM-Dateien) setzen oder keine')
  const cert = readPem('LAGEBILD_TLS_CERT', certFile)
  const key = readPem('LAGEBILD_TLS_KEY', keyFile)
  let x509: X509Certificate
  try {
    if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no "BEGIN CERTIFICATE" block')
    x509 = new X509Certificate(cert)
  } catch (err) {
    throw new ConfigError(`LAGEBILD_TLS_CERT=${certFile}: not a PEM certificate (${(err as Error).message})`, 'kein PEM-Zertifikat')
  }
  let privateKey: KeyObject
  try {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) throw new Error('no "BEGIN … PRIVATE KEY" block')
    privateKey = createPrivateKey(key)
  } catch (err) {
    throw new ConfigError(`LAGEBILD_TLS_KEY=${keyFile}: not a PEM private key without passphrase (${(err as Error).message})`, 'kein privater PEM-Schlüssel ohne Passphrase')
  }
  if (!x509.checkPrivateKey(privateKey))
    throw new ConfigError(`LAGEBILD_TLS_KEY=${keyFile}: does not belong to the certificate in LAGEBILD_TLS_CERT=${certFile}`, 'Schlüssel gehört nicht zum Zertifikat')
  if (Date.parse(x509.validTo) < Date.now())
    throw new ConfigError(`LAGEBILD_TLS_CERT=${certFile}: the certificate expired on ${x509.validTo}`, `Zertifikat abgelaufen am ${x509.validTo}`)
  return { cert, key }
}

/** The private CA handed to agents: a readable PEM certificate that can sign (basicConstraints CA:TRUE). */
export function agentCaFromEnv(env: NodeJS.ProcessEnv = process.env, tls: TlsConfig | null = null): Buffer | null {
  const file = env.LAGEBILD_AGENT_CA || ''
  if (!file) return null
  const pem = readPem('LAGEBILD_AGENT_CA', file)
  let ca: X509Certificate
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no "BEGIN CERTIFICATE" block')
    ca = new X509Certificate(pem)
  } catch (err) {
    throw new ConfigError(`LAGEBILD_AGENT_CA=${file}: not a PEM certificate (${(err as Error).message})`, 'kein PEM-Zertifikat')
  }
  if (!ca.ca)
    throw new ConfigError(
      `LAGEBILD_AGENT_CA=${file}: this is not a CA certificate (basicConstraints CA:TRUE); name the CA that signed the server certificate, not the server certificate`,
      'kein CA-Zertifikat; die CA angeben, die das Serverzertifikat signiert hat',
    )
  // With the server's own certificate at hand, check the CA is the one that signed it (directly or via intermediates).
  if (tls) {
    const chain = tls.cert.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    const issued = chain.some((c) => {
      const x = new X509Certificate(c)
      return x.checkIssued(ca) && x.verify(ca.publicKey)
    })
    if (!issued)
      throw new ConfigError(`LAGEBILD_AGENT_CA=${file}: did not sign the certificate in LAGEBILD_TLS_CERT (nor one of its intermediates)`, 'hat das Serverzertifikat nicht signiert')
  }
  return pem
}

export function configFromEnv(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const publicUrl = process.env.LAGEBILD_PUBLIC_URL || null
  if (publicUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl))
    throw new ConfigError(`LAGEBILD_PUBLIC_URL=${publicUrl}: expected http(s)://host[:port]`, 'erwartet http(s)://rechner[:port]')
  return {
    dataDir: resolve(process.env.LAGEBILD_DATA_DIR || 'data'),
    host: listenHost(process.env.LAGEBILD_HOST),
    port: int('LAGEBILD_PORT', 8420, 0, 65535),
    bodyLimit: int('LAGEBILD_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    connections: {
      max: int('LAGEBILD_MAX_CONNECTIONS', defaultMaxConnections(), 16, 1_000_000),
      perAddress: int('LAGEBILD_MAX_CONNECTIONS_PER_ADDRESS', 1000, 1, 1_000_000),
    },
    retention: retentionFromEnv(),
    publicUrl,
    logLevel: oneOfEnv('LAGEBILD_LOG_LEVEL', 'info', LOG_LEVELS),
    trustProxy: trustProxyFromEnv(),
    adminPassword: process.env.LAGEBILD_ADMIN_PASSWORD || null,
    ...withTls(overrides),
  }
}

function withTls(overrides: Partial<ServerConfig>) {
  const tls = overrides.tls !== undefined ? overrides.tls : tlsFromEnv()
  return {
    tls,
    agentPackagesDir: resolve(process.env.LAGEBILD_AGENT_PACKAGES || DEFAULT_AGENT_PACKAGES_DIR),
    agentCa: agentCaFromEnv(process.env, tls),
    pdfFont: pdfFontFromEnv(),
    ...overrides,
  }
}

// ── LAGEBILD_TRUST_PROXY ──
// Which addresses may tell the server who the client is (X-Forwarded-For, -Proto, -Host). Trusting every hop (the old
// `1` → `trustProxy: true`) let anyone write their own X-Forwarded-For and so escape every per-address limit (login,
// enrollment). Now only named proxies are believed: addresses, CIDR ranges, or proxy-addr's names loopback, linklocal,
// uniquelocal — Fastify walks X-Forwarded-For from the right and stops at the first address that is not one of them.

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function cidr(entry: string): boolean {
  const [addr, bits, ...rest] = entry.split('/')
  if (rest.length || addr === undefined || !isIP(addr)) return false
  if (bits === undefined) return true
  const max = isIP(addr) === 4 ? 32 : 128
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max
}

/**
 * The trusted proxies, or false (none: X-Forwarded-* is ignored, the client is the TCP peer).
 * `1` (its meaning before) is read as `loopback`: a proxy on this machine, the common setup.
 */
export function trustProxyFromEnv(raw = process.env.LAGEBILD_TRUST_PROXY): string[] | false {
  const value = (raw ?? '').trim()
  if (value === '' || value === '0' || value.toLowerCase() === 'false') return false
  if (value === '1') return ['loopback']
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean)
  for (const e of entries) {
    if (/^\d+$/.test(e) || e === 'true' || e === '*')
      throw new ConfigError(
        `LAGEBILD_TRUST_PROXY=${value}: "${e}" would trust whatever stands in front; name the proxy's address, e.g. 127.0.0.1, 10.0.0.5 or 10.0.0.0/24 (1 means loopback)` +
          ' / die Adresse des Proxys angeben, z. B. 127.0.0.1, 10.0.0.5 oder 10.0.0.0/24 (1 heißt loopback)',
      )
    if (/^(0\.0\.0\.0|::)\/0$/.test(e))
      throw new ConfigError(`LAGEBILD_TRUST_PROXY=${value}: ${e} trusts every address, so anyone could forge X-Forwarded-For; name the proxy's address / vertraut jeder Adresse; die Adresse des Proxys angeben`)
    if (!NAMES.has(e) && !cidr(e))
      throw new ConfigError(
        `LAGEBILD_TRUST_PROXY=${value}: "${e}" is no IP address, CIDR range (10.0.0.0/24) or one of loopback, linklocal, uniquelocal` +
          ` / „${e}“ ist keine IP-Adresse, kein CIDR-Bereich und keiner der Namen loopback, linklocal, uniquelocal`,
      )
  }
  return entries
}

/** Days of report history; the full window must fit inside the snapshot window. */
function retentionFromEnv(): RetentionPolicy {
  const days = int('LAGEBILD_RETENTION_DAYS', DEFAULT_RETENTION.days, 1, 3650)
  const fullDays = int('LAGEBILD_RETENTION_FULL_DAYS', Math.min(DEFAULT_RETENTION.fullDays, days), 0, days)
  return { days, fullDays }
}
