// What the agent reads for each item of the evidence set, per OS: read-only commands and files, nothing that changes the
// host. The same item ids on every OS (shared EVIDENCE_ITEMS); how each is read is the OS's own business. Windows reads
// everything through ONE read-only PowerShell script (evidence.ps1), like the posture script.
import type { EvidenceItem } from '@lagebild/shared'

export type Source =
  /** A program and its arguments (never through a shell). */
  | { kind: 'exec'; file: string; args: string[] }
  /** The end of a file (logs grow at their end). */
  | { kind: 'file'; path: string }
  /** Every file in a folder: names, and the content of small ones (crontabs, autostart entries). */
  | { kind: 'dir'; path: string; contents: boolean }

export type Plan = Record<EvidenceItem, Source[]>

const exec = (file: string, ...args: string[]): Source => ({ kind: 'exec', file, args })
const file = (path: string): Source => ({ kind: 'file', path })
const dir = (path: string, contents = true): Source => ({ kind: 'dir', path, contents })

/** Linux: the journal first (systemd), the classic log files where they exist. */
export function linuxPlan(hours: number): Plan {
  const since = `-${hours}h`
  const journal = ['--no-pager', '--utc', '-o', 'short-iso-precise', '--since', since]
  return {
    'system-log': [exec('journalctl', ...journal), file('/var/log/syslog'), file('/var/log/messages')],
    // Facility 4 (auth) and 10 (authpriv): sshd, sudo, su, login, PAM.
    'auth-log': [exec('journalctl', ...journal, 'SYSLOG_FACILITY=4', 'SYSLOG_FACILITY=10'), file('/var/log/auth.log'), file('/var/log/secure')],
    processes: [exec('ps', '-eww', '-o', 'pid,ppid,user,lstart,etime,stat,args', '--sort=pid')],
    'listening-sockets': [exec('ss', '-tulpnH'), exec('ss', '-tanpH', 'state', 'established')],
    'scheduled-tasks': [file('/etc/crontab'), dir('/etc/cron.d'), dir('/var/spool/cron/crontabs'), dir('/var/spool/cron'), exec('systemctl', 'list-timers', '--all', '--no-pager')],
    autostarts: [
      exec('systemctl', 'list-unit-files', '--state=enabled', '--no-pager'), file('/etc/rc.local'), dir('/etc/xdg/autostart'), dir('/etc/profile.d'), dir('/etc/init.d', false),
    ],
    'recent-logins': [exec('last', '-F', '-w', '-x', '-n', '500'), exec('lastb', '-F', '-w', '-n', '200'), exec('who', '-a')],
  }
}

/** macOS: the unified log, launchd, lsof. */
export function darwinPlan(hours: number): Plan {
  const last = ['show', '--style', 'syslog', '--last', `${hours}h`]
  return {
    'system-log': [exec('log', ...last), file('/var/log/system.log')],
    'auth-log': [exec('log', ...last, '--predicate', 'process == "sshd" OR process == "sudo" OR process == "loginwindow" OR process == "authd" OR subsystem == "com.apple.Authorization"')],
    processes: [exec('ps', '-axww', '-o', 'pid,ppid,user,lstart,etime,stat,command')],
    'listening-sockets': [exec('lsof', '-nP', '-iTCP', '-sTCP:LISTEN'), exec('lsof', '-nP', '-iUDP')],
    'scheduled-tasks': [file('/etc/crontab'), dir('/usr/lib/cron/tabs'), exec('launchctl', 'list')],
    autostarts: [dir('/Library/LaunchDaemons'), dir('/Library/LaunchAgents'), exec('sfltool', 'dumpbtm')],
    'recent-logins': [exec('last', '-500')],
  }
}
