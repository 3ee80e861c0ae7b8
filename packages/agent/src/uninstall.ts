// `lagebild-agent uninstall`: stops and removes the service, then the program, the config (with the secret) and the
// state. Nothing is kept. The host stays on the board, with its history, until an admin removes it there.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { InstallLayout, InstallOs, Language } from '@lagebild/shared'
import { agentEnv, ConfigError, installLayout, installOs } from './config.js'

function sh(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => execFile(cmd, args, { timeout: 60_000, windowsHide: true }, (err) => resolve(err ? 1 : 0)))
}

/** What uninstall removes: the config's folder only where it is ours alone. */
export function uninstallTargets(os: InstallOs, l: InstallLayout): string[] {
  const configDir = dirname(l.configFile)
  const targets = [l.program, configDir, l.state, l.card, l.reports, l.serviceFile, l.binLink, l.log ? dirname(l.log) : null]
  // On macOS and Windows the program, state and log live inside the Lagebild folder that is removed anyway.
  return [...new Set(targets.filter((p): p is string => p !== null))].filter((p, _i, all) => !all.some((o) => o !== p && p.startsWith(o + (os === 'windows' ? '\\' : '/'))))
}

export async function uninstall(os: InstallOs, l: InstallLayout, opts: { withRoot: boolean; log: (msg: string) => void }): Promise<string[]> {
  const { log } = opts
  if (!opts.withRoot) {
    if (os === 'linux' && existsSync('/run/systemd/system')) {
      await sh('systemctl', ['disable', '--now', l.service])
    } else if (os === 'macos') {
      await sh('launchctl', ['bootout', `system/${l.service}`])
    } else if (os === 'windows') {
      await sh('sc.exe', ['stop', l.service])
      // The service host exits within 15 s of the stop; deleting earlier only marks the service for deletion.
      await new Promise((r) => setTimeout(r, 3_000))
      await sh('sc.exe', ['delete', l.service])
    }
  }
  const targets = uninstallTargets(os, l)
  const removed: string[] = []
  for (const p of targets) {
    if (!existsSync(p)) continue
    // This very program runs from the Windows program folder: a detached cmd removes it once we have exited.
    if (os === 'windows' && process.execPath.startsWith(l.program)) {
      if (p === l.program || l.program.startsWith(p + '\\')) {
        spawn('cmd.exe', ['/d', '/c', `ping -n 5 127.0.0.1 >nul & rmdir /s /q "${p}"`], { detached: true, stdio: 'ignore', windowsHide: true }).unref()
        removed.push(p)
        continue
      }
    }
    await rm(p, { recursive: true, force: true })
    removed.push(p)
  }
  if (os === 'linux' && !opts.withRoot && existsSync('/run/systemd/system')) await sh('systemctl', ['daemon-reload'])
  log(`removed: ${removed.join(', ') || 'nothing'}`)
  return removed
}

export async function uninstallCommand(yes: boolean, lang: Language) {
  const os = installOs()
  const layout = installLayout(os)
  if (!os || !layout) throw new ConfigError(`uninstall: not supported on ${process.platform}`)
  if (!existsSync(layout.program) && !existsSync(layout.configFile))
    throw new ConfigError(lang === 'de' ? `kein installierter Agent in ${layout.program}` : `no installed agent in ${layout.program}`)
  const targets = uninstallTargets(os, layout)
  if (!yes) {
    process.stdout.write(
      (lang === 'de'
        ? `Entfernt den Dienst ${layout.service} und löscht:\n`
        : `Removes the service ${layout.service} and deletes:\n`) +
        targets.map((t) => `  ${t}\n`).join('') +
        (lang === 'de' ? 'Zum Ausführen: lagebild-agent uninstall --yes\n' : 'To do it: lagebild-agent uninstall --yes\n'),
    )
    process.exitCode = 2
    return
  }
  await uninstall(os, layout, { withRoot: Boolean(agentEnv().installRoot), log: (m) => process.stdout.write(`${m}\n`) })
  process.stdout.write(
    lang === 'de'
      ? 'Lagebild-Agent entfernt. Der Rechner bleibt im Statusboard (mit Verlauf), bis ein Admin ihn dort entfernt.\n'
      : 'Lagebild agent removed. The host stays on the board (with its history) until an admin removes it there.\n',
  )
}
