// Is the agent's service installed, set to start at boot, and running? One reader per OS over the service
// manager's own tool, with pure parsers for their outputs.
import { existsSync } from 'node:fs'
import { execFile } from 'node:child_process'
import type { InstallLayout, InstallOs, Text } from '@lagebild/shared'

export interface ServiceState {
  /** null: could not be determined (no service manager running, tool missing). */
  installed: boolean | null
  running: boolean | null
  atBoot: boolean | null
  detail: Text
}

/** Command output and state names are the same in both languages. */
const both = (s: string): Text => ({ en: s, de: s })
const unknown = (detail: Text): ServiceState => ({ installed: null, running: null, atBoot: null, detail })

/** `sc.exe query NAME` (and `sc.exe qc NAME` for the start type). The field names are not translated by Windows. */
export function parseScQuery(query: string, qc = ''): ServiceState {
  if (/FAILED 1060/.test(query)) return { installed: false, running: false, atBoot: false, detail: { en: 'service not installed', de: 'Dienst nicht installiert' } }
  const state = /^\s*STATE\s*:\s*(\d+)\s+(\w+)/m.exec(query)
  if (!state) return unknown(both(`sc.exe query: unexpected output / unerwartete Ausgabe: ${query.trim().slice(0, 200)}`))
  const start = /^\s*START_TYPE\s*:\s*(\d+)\s+(\w+)/m.exec(qc)
  return {
    installed: true,
    running: state[1] === '4',
    atBoot: start ? start[1] === '2' : null,
    detail: both(`${state[2]}${start ? `, ${start[2]}` : ''}`),
  }
}

/** `launchctl print system/LABEL`: exit code 113 when not loaded; "state = running" while it runs. */
export function parseLaunchctlPrint(text: string, exitCode: number): ServiceState {
  if (exitCode === 113 || /Could not find service/.test(text)) return { installed: false, running: false, atBoot: false, detail: { en: 'not loaded in launchd', de: 'nicht in launchd geladen' } }
  const state = /^\s*state = (\S+)/m.exec(text)
  if (!state) return unknown(both(`launchctl print: unexpected output / unerwartete Ausgabe: ${text.trim().slice(0, 200)}`))
  // A daemon in the system domain with RunAtLoad starts at boot when its plist is in /Library/LaunchDaemons.
  return { installed: true, running: state[1] === 'running', atBoot: null, detail: both(`state = ${state[1]}`) }
}

/** `systemctl is-active` and `systemctl is-enabled` answers. */
export function parseSystemctl(active: string, enabled: string): ServiceState {
  const a = active.trim().split('\n')[0] ?? ''
  const e = enabled.trim().split('\n')[0] ?? ''
  if (e === 'not-found' || /could not be found|No such file/.test(enabled)) return { installed: false, running: false, atBoot: false, detail: { en: 'unit not found', de: 'Unit nicht gefunden' } }
  return { installed: true, running: a === 'active', atBoot: e === 'enabled', detail: both(`${a || '?'}, ${e || '?'}`) }
}

function sh(cmd: string, args: string[]): Promise<{ out: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 15_000, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0
      resolve({ out: `${stdout}${stderr}`, code })
    })
  })
}

export async function readServiceState(os: InstallOs, layout: InstallLayout, withRoot: boolean): Promise<ServiceState> {
  // Installed below a test root: no service manager was told about it.
  if (withRoot) return unknown({ en: 'installed below a test root (LAGEBILD_INSTALL_ROOT): no service manager involved', de: 'unter einem Test-Wurzelordner installiert (LAGEBILD_INSTALL_ROOT): kein Dienstverwalter beteiligt' })
  if (os === 'linux') {
    if (!existsSync('/run/systemd/system')) return unknown({ en: 'systemd is not running on this system', de: 'systemd läuft auf diesem System nicht' })
    const [a, e] = await Promise.all([sh('systemctl', ['is-active', layout.service]), sh('systemctl', ['is-enabled', layout.service])])
    return parseSystemctl(a.out, e.out)
  }
  if (os === 'macos') {
    const r = await sh('launchctl', ['print', `system/${layout.service}`])
    return parseLaunchctlPrint(r.out, r.code)
  }
  const [q, c] = await Promise.all([sh('sc.exe', ['query', layout.service]), sh('sc.exe', ['qc', layout.service])])
  return parseScQuery(q.out, c.out)
}
