// `lagebild-agent doctor`: checks config, file permissions, reachability, TLS trust, enrollment, clock skew, the
// service and the last report, and says in plain words (de/en) what is wrong and what to do.
import { execFile } from 'node:child_process'
import { readdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { AGENT_REFUSAL_TEXT, agentRefusalOf, compareVersions, type InstallOs, type Language, type Text } from '@lagebild/shared'
import { agentEnv, ConfigError, installLayout, installOs, loadConfigFile, readCaFile, type AgentConfig, type AgentPaths } from './config.js'
import { certificateProblem, getJson, TransportError, type TlsOptions } from './transport/http.js'
import { readServiceState, type ServiceState } from './service-state.js'
import { installedProgram } from './update.js'
import { AGENT_VERSION } from './version.js'

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'unknown'
export interface Check {
  id: 'config' | 'permissions' | 'server' | 'tls' | 'enrollment' | 'clock' | 'service' | 'last-report' | 'version'
  status: CheckStatus
  text: Text
  fix?: Text
}

const t = (en: string, de: string): Text => ({ en, de })

interface AgentSelf {
  hostname: string
  lastReportAt: string | null
  serverTime: string
  offeredVersion: string | null
}

/** Allowed principals of the config on Windows: SYSTEM and Administrators (by SID, the names are translated). */
const WINDOWS_PRIVATE_SIDS = new Set(['S-1-5-18', 'S-1-5-32-544'])

/** Lines "SID<TAB>Allow|Deny<TAB>rights" (see windowsAcl): the SIDs that may read besides SYSTEM and Administrators. */
export function parseAclLines(text: string): { others: string[]; entries: number } {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => l.split('\t'))
  const others = rows.filter((r) => r[1] === 'Allow' && !WINDOWS_PRIVATE_SIDS.has(r[0]!)).map((r) => r[0]!)
  return { others: [...new Set(others)], entries: rows.length }
}

function windowsAcl(file: string): Promise<string> {
  const ps = `(Get-Acl -LiteralPath '${file.replace(/'/g, "''")}').Access | ForEach-Object { $_.IdentityReference.Translate([Security.Principal.SecurityIdentifier]).Value + "\`t" + $_.AccessControlType + "\`t" + $_.FileSystemRights }`
  return new Promise((resolve, reject) =>
    execFile('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', ps], { timeout: 30_000, windowsHide: true }, (err, out) => (err ? reject(err) : resolve(out))),
  )
}

async function permissions(paths: AgentPaths, os: InstallOs | null): Promise<Check> {
  const id = 'permissions'
  if (os === 'windows') {
    try {
      const acl = parseAclLines(await windowsAcl(paths.configFile))
      if (!acl.entries) return { id, status: 'unknown', text: t(`${paths.configFile}: no access list could be read`, `${paths.configFile}: Zugriffsliste nicht lesbar`) }
      if (acl.others.length)
        return {
          id, status: 'fail',
          text: t(`${paths.configFile} (holds the agent secret) is readable by ${acl.others.join(', ')}`, `${paths.configFile} (enthält das Agenten-Geheimnis) ist lesbar für ${acl.others.join(', ')}`),
          fix: t(`as administrator: icacls "${dirname(paths.configFile)}" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F /T`, `als Administrator: icacls "${dirname(paths.configFile)}" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F /T`),
        }
      return { id, status: 'ok', text: t(`${paths.configFile}: SYSTEM and Administrators only`, `${paths.configFile}: nur SYSTEM und Administratoren`) }
    } catch (err) {
      return { id, status: 'unknown', text: t(`cannot read the access list of ${paths.configFile} (${(err as Error).message})`, `Zugriffsliste von ${paths.configFile} nicht lesbar`) }
    }
  }
  const s = await stat(paths.configFile)
  const problems: string[] = []
  if (s.mode & 0o077) problems.push(`${paths.configFile} mode ${(s.mode & 0o777).toString(8)}`)
  if (s.uid !== (process.getuid?.() ?? s.uid)) problems.push(`${paths.configFile} belongs to uid ${s.uid}`)
  const d = await stat(dirname(paths.configFile))
  if (d.mode & 0o022) problems.push(`${dirname(paths.configFile)} is writable by others`)
  if (problems.length)
    return {
      id, status: 'fail',
      text: t(`the agent secret is not private: ${problems.join('; ')}`, `das Agenten-Geheimnis ist nicht geschützt: ${problems.join('; ')}`),
      fix: t(`chmod 600 ${paths.configFile}; chmod 700 ${dirname(paths.configFile)}`, `chmod 600 ${paths.configFile}; chmod 700 ${dirname(paths.configFile)}`),
    }
  return { id, status: 'ok', text: t(`${paths.configFile}: readable by its owner only (${(s.mode & 0o777).toString(8)})`, `${paths.configFile}: nur für den Eigentümer lesbar (${(s.mode & 0o777).toString(8)})`) }
}

function serviceCheck(state: ServiceState, os: InstallOs | null, installed: boolean): Check {
  const id = 'service'
  if (!installed) return { id, status: 'warn', text: t('not running from an installed package (started by hand?)', 'läuft nicht aus einem installierten Paket (von Hand gestartet?)') }
  if (state.installed === null) return { id, status: 'unknown', text: t(`service state not known: ${state.detail.en}`, `Dienststatus unbekannt: ${state.detail.de}`) }
  const start = os === 'linux' ? 'sudo systemctl enable --now lagebild-agent' : os === 'macos' ? 'sudo launchctl bootstrap system /Library/LaunchDaemons/de.lagebild.agent.plist' : 'Start-Service LagebildAgent'
  if (!state.installed) return { id, status: 'fail', text: t('the agent service is not installed', 'der Agenten-Dienst ist nicht installiert'), fix: t('run the install line from the board again', 'die Installationszeile aus dem Statusboard erneut ausführen') }
  if (!state.running) return { id, status: 'fail', text: t(`the agent service is not running (${state.detail.en})`, `der Agenten-Dienst läuft nicht (${state.detail.de})`), fix: t(start, start) }
  if (state.atBoot === false) return { id, status: 'warn', text: t(`running, but not started at boot (${state.detail.en})`, `läuft, startet aber nicht beim Booten (${state.detail.de})`), fix: t(start, start) }
  return { id, status: 'ok', text: t(`service running (${state.detail.en})`, `Dienst läuft (${state.detail.de})`) }
}

function ago(ms: number, lang: Language) {
  const min = Math.round(ms / 60_000)
  if (min < 120) return lang === 'de' ? `vor ${min} min` : `${min} min ago`
  const h = Math.round(min / 60)
  return lang === 'de' ? `vor ${h} h` : `${h} h ago`
}

async function serverChecks(config: AgentConfig, tls: TlsOptions, now: () => number): Promise<Check[]> {
  const out: Check[] = []
  const server = config.server!
  try {
    await getJson(server, '/healthz', tls)
    out.push({ id: 'server', status: 'ok', text: t(`${server} answers`, `${server} antwortet`) })
    if (server.startsWith('https:')) out.push({ id: 'tls', status: 'ok', text: t(`certificate trusted (${config.caFile ? `CA ${config.caFile}` : 'public CAs and the system store'})`, `Zertifikat vertrauenswürdig (${config.caFile ? `CA ${config.caFile}` : 'öffentliche CAs und Systemspeicher'})`) })
    else out.push({ id: 'tls', status: 'warn', text: t('plain HTTP: the agent secret travels unencrypted', 'unverschlüsseltes HTTP: das Agenten-Geheimnis geht im Klartext'), fix: t('serve the server over HTTPS (docs/deploy.md) and enroll again with https://', 'Server per HTTPS betreiben (docs/deploy.md) und mit https:// neu anmelden') })
  } catch (err) {
    const cert = certificateProblem((err as { cause?: unknown }).cause ?? err, server) ?? (/certificate|Zertifikat/.test((err as Error).message) ? (err as Error).message : null)
    if (cert) {
      out.push({ id: 'server', status: 'ok', text: t(`${server} reachable`, `${server} erreichbar`) })
      out.push({ id: 'tls', status: 'fail', text: t(cert, cert), fix: t('enroll again with --ca FILE (the CA that signed the server certificate)', 'erneut anmelden mit --ca DATEI (die CA des Serverzertifikats)') })
    } else {
      out.push({
        id: 'server', status: 'fail', text: t(`${server} not reachable: ${(err as Error).message}`, `${server} nicht erreichbar: ${(err as Error).message}`),
        fix: t('check the address, the network and a firewall between this PC and the server (LAGEBILD_HOST must not be 127.0.0.1)', 'Adresse, Netz und Firewall zwischen PC und Server prüfen (LAGEBILD_HOST darf nicht 127.0.0.1 sein)'),
      })
    }
    return out
  }
  const before = now()
  let me: AgentSelf
  try {
    me = await getJson<AgentSelf>(server, '/api/v1/agents/me', tls, { agentId: config.agentId!, secret: config.secret! })
  } catch (err) {
    const refused = err instanceof TransportError && err.status === 401
    // The server says why (shared code): revoked, host retired, or this PC enrolled again elsewhere.
    const why = refused ? agentRefusalOf(err.code) : null
    out.push({
      id: 'enrollment', status: 'fail',
      text: why
        ? AGENT_REFUSAL_TEXT[why]
        : refused
        ? t('the server refuses this agent\'s credentials: the PC was removed on the board or enrolled again elsewhere', 'der Server lehnt die Zugangsdaten ab: der PC wurde im Statusboard entfernt oder anderswo neu angemeldet')
        : t(`cannot ask the server about this agent: ${(err as Error).message}`, `Server kann nicht zu diesem Agenten befragt werden: ${(err as Error).message}`),
      fix: refused ? t('enroll again with a new token from the board (install line with --reenroll)', 'mit einem neuen Token aus dem Statusboard neu anmelden (Installationszeile mit --reenroll)') : undefined,
    })
    return out
  }
  const after = now()
  out.push({ id: 'enrollment', status: 'ok', text: t(`enrolled as ${me.hostname}`, `angemeldet als ${me.hostname}`) })
  // The server's time was read about halfway through the request.
  const skew = Math.round((before + after) / 2 - Date.parse(me.serverTime))
  const skewText = `${Math.abs(Math.round(skew / 1000))} s ${skew > 0 ? 'ahead' : 'behind'}`
  const skewDe = `${Math.abs(Math.round(skew / 1000))} s ${skew > 0 ? 'vor' : 'nach'}`
  const timeFix = t('turn on time synchronisation (Linux: timedatectl set-ntp true; Windows: w32tm /resync; macOS: System Settings → Date & Time)', 'Zeitsynchronisation einschalten (Linux: timedatectl set-ntp true; Windows: w32tm /resync; macOS: Systemeinstellungen → Datum & Uhrzeit)')
  if (Math.abs(skew) > 5 * 60_000) out.push({ id: 'clock', status: 'fail', text: t(`this PC's clock is ${skewText} of the server`, `die Uhr dieses PCs geht ${skewDe} gegenüber dem Server`), fix: timeFix })
  else if (Math.abs(skew) > 60_000) out.push({ id: 'clock', status: 'warn', text: t(`this PC's clock is ${skewText} of the server`, `die Uhr dieses PCs geht ${skewDe} gegenüber dem Server`), fix: timeFix })
  else out.push({ id: 'clock', status: 'ok', text: t(`clock within ${Math.max(1, Math.abs(Math.round(skew / 1000)))} s of the server`, `Uhr weicht höchstens ${Math.max(1, Math.abs(Math.round(skew / 1000)))} s vom Server ab`) })
  const limit = (2 * config.intervalMinutes + 5) * 60_000
  if (!me.lastReportAt)
    out.push({ id: 'last-report', status: 'fail', text: t('the server has no report from this PC yet', 'der Server hat noch keinen Bericht dieses PCs'), fix: t('start the agent service (see above) and wait a minute', 'Agenten-Dienst starten (siehe oben) und eine Minute warten') })
  else {
    const age = after - Date.parse(me.lastReportAt)
    const text = { en: `last report ${ago(age, 'en')}`, de: `letzter Bericht ${ago(age, 'de')}` }
    out.push(age > limit ? { id: 'last-report', status: 'fail', text, fix: t('is the service running? its log: journalctl -u lagebild-agent / the log file', 'läuft der Dienst? sein Protokoll: journalctl -u lagebild-agent / die Protokolldatei') } : { id: 'last-report', status: 'ok', text })
  }
  if (me.offeredVersion && compareVersions(me.offeredVersion, AGENT_VERSION) > 0)
    out.push({ id: 'version', status: 'warn', text: t(`version ${AGENT_VERSION}; the server offers ${me.offeredVersion}`, `Version ${AGENT_VERSION}; der Server bietet ${me.offeredVersion}`), fix: t('the installed agent updates itself within 7 hours, or now: lagebild-agent update', 'der installierte Agent aktualisiert sich binnen 7 Stunden, oder sofort: lagebild-agent update') })
  else out.push({ id: 'version', status: 'ok', text: t(`version ${AGENT_VERSION} (current)`, `Version ${AGENT_VERSION} (aktuell)`) })
  return out
}

export async function doctor(paths: AgentPaths, now: () => number = Date.now): Promise<Check[]> {
  const checks: Check[] = []
  let config: AgentConfig
  try {
    config = await loadConfigFile(paths.configFile)
  } catch (err) {
    return [{ id: 'config', status: 'fail', text: t((err as Error).message, (err as Error).message), fix: t('fix the file or enroll again (install line from the board)', 'Datei korrigieren oder neu anmelden (Installationszeile aus dem Statusboard)') }]
  }
  if (!config.server || !config.agentId || !config.secret)
    return [{ id: 'config', status: 'fail', text: t(`${paths.configFile}: not enrolled`, `${paths.configFile}: nicht angemeldet`), fix: t('run the install line from the board, or: lagebild-agent enroll --server URL --token TOKEN', 'Installationszeile aus dem Statusboard ausführen, oder: lagebild-agent enroll --server URL --token TOKEN') }]
  checks.push({ id: 'config', status: 'ok', text: t(`${paths.configFile}: enrolled with ${config.server}`, `${paths.configFile}: angemeldet bei ${config.server}`) })
  const os = installOs()
  checks.push(await permissions(paths, os))
  let tls: TlsOptions = {}
  try {
    if (config.caFile) tls = { ca: readCaFile(config.caFile) }
  } catch (err) {
    checks.push({ id: 'tls', status: 'fail', text: t((err as ConfigError).message, (err as ConfigError).message), fix: t('put the CA file back or enroll again with --ca FILE', 'CA-Datei wiederherstellen oder mit --ca DATEI neu anmelden') })
    return checks
  }
  checks.push(...(await serverChecks(config, tls, now)))
  const spooled = await readdir(join(paths.dir, 'spool')).then((f) => f.filter((x) => x.endsWith('.json')).length, () => 0)
  if (spooled) {
    const last = checks.find((c) => c.id === 'last-report')
    checks.push({ id: 'last-report', status: last?.status === 'fail' ? 'fail' : 'warn', text: t(`${spooled} report(s) wait in the spool for delivery`, `${spooled} Bericht(e) warten im Zwischenspeicher auf Zustellung`) })
  }
  const layout = installLayout(os)
  const program = installedProgram()
  checks.push(serviceCheck(os && layout ? await readServiceState(os, layout, Boolean(agentEnv().installRoot)) : { installed: null, running: null, atBoot: null, detail: t('unsupported OS', 'nicht unterstütztes Betriebssystem') }, os, program !== null))
  return checks
}

const LABEL: Record<CheckStatus, Text> = {
  ok: t(' OK ', ' OK '),
  warn: t('WARN', 'WARN'),
  fail: t('FAIL', 'FEHLER'),
  unknown: t(' ?? ', ' ?? '),
}

export function formatChecks(checks: Check[], lang: Language): string {
  const lines = checks.map((c) => `[${LABEL[c.status][lang]}] ${c.text[lang]}${c.fix ? `\n       → ${c.fix[lang]}` : ''}`)
  const fails = checks.filter((c) => c.status === 'fail').length
  const unknowns = checks.filter((c) => c.status === 'unknown').length
  const summary = fails
    ? lang === 'de' ? `${fails} Problem(e) gefunden.` : `${fails} problem(s) found.`
    : unknowns
      ? lang === 'de' ? 'Keine Probleme gefunden, aber nicht alles ließ sich prüfen.' : 'No problems found, but not everything could be checked.'
      : lang === 'de' ? 'Alles in Ordnung.' : 'All is well.'
  return `${lines.join('\n')}\n${summary}\n`
}

/** 0 all is well (warnings allowed), 1 a problem was found, 3 nothing failed but something could not be checked. */
export const doctorExitCode = (checks: Check[]) => (checks.some((c) => c.status === 'fail') ? 1 : checks.some((c) => c.status === 'unknown') ? 3 : 0)

export async function doctorCommand(paths: AgentPaths, lang: Language) {
  const checks = await doctor(paths)
  process.stdout.write(formatChecks(checks, lang))
  process.exitCode = doctorExitCode(checks)
}
