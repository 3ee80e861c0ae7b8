// The install scripts and the one-line install commands: the server's real address, its TLS pin (private CA) and
// the install layout from @lagebild/shared filled into the templates in src/install/.
import { readFileSync } from 'node:fs'
import { createHash, X509Certificate } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { ENROLL_EXIT_PENDING, INSTALL_EXIT_PENDING, INSTALL_LAYOUTS, PROGRAM_FILES, ROLLBACK_AFTER_STARTS, type InstallOs } from '@lagebild/shared'
import type { ServerConfig } from '../config.js'
import { invalid } from '../errors.js'

const template = (name: string) => readFileSync(fileURLToPath(new URL(`../install/${name}`, import.meta.url)), 'utf8')

/** How the server's certificate is pinned by the install lines when agents must trust a private CA. */
export interface TlsPin {
  /** curl --pinnedpubkey: sha256// + base64 of the SHA-256 of the certificate's public key (SPKI). */
  spki: string
  /** SHA-256 of the certificate (hex), for the PowerShell check. */
  certSha256: string
}

/** Only when the server speaks TLS itself with a certificate from LAGEBILD_AGENT_CA: otherwise there is nothing to pin. */
export function tlsPin(config: ServerConfig): TlsPin | null {
  if (!config.tls || !config.agentCa) return null
  const leaf = new X509Certificate(config.tls.cert)
  const spki = leaf.publicKey.export({ type: 'spki', format: 'der' })
  return { spki: `sha256//${createHash('sha256').update(spki).digest('base64')}`, certSha256: createHash('sha256').update(leaf.raw).digest('hex') }
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\]|::1)$/i
const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/

export interface ServerAddress {
  url: string
  /** public-url: LAGEBILD_PUBLIC_URL; request: the address the asking browser or PC used. */
  source: 'public-url' | 'request'
  /** Only this machine can reach the address (loopback): other PCs cannot use the install lines. */
  loopback: boolean
}

/** The address agents are to use: LAGEBILD_PUBLIC_URL, else the one this request came in on (checked, not echoed blindly). */
export function serverAddress(config: ServerConfig, req: { protocol: string; host: string }): ServerAddress {
  let url: string
  let source: ServerAddress['source']
  if (config.publicUrl) {
    url = new URL(config.publicUrl).origin
    source = 'public-url'
  } else {
    if (!HOST.test(req.host)) throw invalid('Host header is not a host name or address')
    url = `${req.protocol === 'https' ? 'https' : 'http'}://${req.host}`
    source = 'request'
  }
  return { url, source, loopback: LOOPBACK.test(new URL(url).hostname) }
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/__([A-Z0-9_]+)__/g, (m, key: string) => {
    const v = values[key]
    if (v === undefined) throw new Error(`install template: no value for ${m}`)
    return v
  })
}

function layoutValues(): Record<string, string> {
  const v: Record<string, string> = {
    ROLLBACK_AFTER: String(ROLLBACK_AFTER_STARTS), ENROLL_PENDING: String(ENROLL_EXIT_PENDING), INSTALL_PENDING: String(INSTALL_EXIT_PENDING),
    VERSIONS: PROGRAM_FILES.versions, CURRENT: PROGRAM_FILES.current, PREVIOUS: PROGRAM_FILES.previous,
    PENDING: PROGRAM_FILES.pending, ROLLED_BACK: PROGRAM_FILES.rolledBack,
  }
  for (const os of Object.keys(INSTALL_LAYOUTS) as InstallOs[]) {
    const l = INSTALL_LAYOUTS[os]
    const P = os.toUpperCase()
    Object.assign(v, {
      [`${P}_PROGRAM`]: l.program, [`${P}_CONFIG`]: l.configFile, [`${P}_CA`]: l.caFile, [`${P}_STATE`]: l.state,
      [`${P}_SERVICE`]: l.service, [`${P}_SERVICE_FILE`]: l.serviceFile ?? '', [`${P}_BINLINK`]: l.binLink ?? '', [`${P}_LOG`]: l.log ?? '',
    })
  }
  return v
}

export function renderInstallSh(server: string, pin: TlsPin | null): string {
  return fill(template('install.sh'), { ...layoutValues(), SERVER: server, PIN: pin?.spki ?? '' })
}

/**
 * Windows PowerShell 5.1 reads a script without BOM in the ANSI code page: the served script is pure ASCII, every
 * other character (the German texts) written as $([char]0x…) inside its double-quoted strings.
 */
export function renderInstallPs1(server: string, pin: TlsPin | null): string {
  const values = layoutValues()
  const service = fill(template('LagebildAgentService.cs'), values)
  const ps1 = fill(template('install.ps1'), { ...values, SERVER: server, PIN_CERT: pin?.certSha256 ?? '', SERVICE_SOURCE: service })
  return ps1.replace(/[^\t\n\r\x20-\x7e]/g, (c) => `$([char]0x${c.charCodeAt(0).toString(16).padStart(4, '0')})`)
}

/** The lines shown on the enroll page; TOKEN stands where the board puts the token it just created. */
export interface InstallLines {
  linux: string
  macos: string
  windows: string
  windowsSilent: string
}

export const TOKEN_PLACEHOLDER = 'TOKEN'

export function installLines(server: string, pin: TlsPin | null): InstallLines {
  const curl = pin ? `curl -fsSL --insecure --pinnedpubkey '${pin.spki}'` : 'curl -fsSL'
  const unix = `${curl} ${server}/install.sh | sudo sh -s -- --token ${TOKEN_PLACEHOLDER}`
  // With a private CA, PowerShell must check the pinned certificate before it runs anything it downloaded.
  const trust = pin
    ? `[Net.ServicePointManager]::ServerCertificateValidationCallback = { param($s, $c) (-join ([Security.Cryptography.SHA256]::Create().ComputeHash($c.GetRawCertData()) | ForEach-Object { $_.ToString('x2') })) -eq '${pin.certSha256}' }; `
    : ''
  return {
    linux: unix,
    macos: unix,
    windows: `${trust}[Net.ServicePointManager]::SecurityProtocol = 'Tls12'; & ([scriptblock]::Create((New-Object Net.WebClient).DownloadString('${server}/install.ps1'))) -Token ${TOKEN_PLACEHOLDER}`,
    windowsSilent: `powershell.exe -NoProfile -ExecutionPolicy Bypass -File lagebild-install.ps1 -Token ${TOKEN_PLACEHOLDER} -Server ${server}`,
  }
}
