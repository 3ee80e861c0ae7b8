// base.patches on Linux: apt, dnf or zypper — whichever this host has. Never refreshes the package lists itself:
// the OS timer does that, and how long ago it last did is reported as lastCheck.
import { release } from 'node:os'
import type { PatchesFact } from '@lagebild/shared'
import { exec, exists, FactFailure, listDir, mtime, readTextIfExists, systemTimeZone } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'
import {
  parseAptHistoryLastInstall,
  parseAptSimulate,
  parseDnfCheckUpdate,
  parseDnfUpdateinfoSecurity,
  parseNeedsRestarting,
  parseRpmInstallTimes,
  parseZypperListPatches,
  parseZypperPatchCheck,
} from './parse-linux.js'

const MAX_ITEMS = 2000
const SLOW = { timeoutMs: 120_000 }

const newest = (dates: (Date | null)[]): string | null => {
  const ts = dates.filter((d): d is Date => d !== null).map((d) => d.getTime())
  return ts.length ? new Date(Math.max(...ts)).toISOString() : null
}

async function newestFileMtime(dir: string, match: (name: string) => boolean): Promise<Date | null> {
  const names = (await listDir(dir)).filter(match)
  const ms = await Promise.all(names.map((n) => mtime(`${dir}/${n}`)))
  const ts = ms.filter((d): d is Date => d !== null)
  return ts.length ? new Date(Math.max(...ts.map((d) => d.getTime()))) : null
}

// ── apt ─────────────────────────────────────────────────────────────────────────
/**
 * When the lists were last refreshed. Each candidate is a lower bound of the last successful `apt update`:
 * the periodic stamp (apt.systemd.daily), the lists directory (files are renamed into it on success) and the
 * newest Release file (apt keeps the server's date, so it can only be older). Nothing there: null, never "now".
 */
export async function aptLastCheck(): Promise<string | null> {
  const lists = '/var/lib/apt/lists'
  const release = await newestFileMtime(lists, (n) => n.endsWith('_InRelease') || n.endsWith('_Release'))
  if (!release) return null // no lists at all: apt never fetched anything
  return newest([await mtime('/var/lib/apt/periodic/update-success-stamp'), await mtime(lists), release])
}

/** The last installation from apt's history, read in the system's time zone; null when none is found or it cannot be placed. */
export async function aptLastInstall(): Promise<string | null> {
  const zone = await systemTimeZone()
  const parse = (text: string) => {
    try {
      return parseAptHistoryLastInstall(text, zone)
    } catch (err) {
      if (err instanceof FactFailure) return null // zone unknown: lastInstall is not judged, an unknown date is honest
      throw err
    }
  }
  const current = await readTextIfExists('/var/log/apt/history.log')
  const found = current ? parse(current) : null
  if (found) return found
  // Rotated at the start of a month: the last installation may sit in the previous file.
  if (await exists('/var/log/apt/history.log.1.gz')) {
    const r = await exec('zcat', ['/var/log/apt/history.log.1.gz'])
    if (r.code === 0) return parse(r.stdout)
  }
  const plain = await readTextIfExists('/var/log/apt/history.log.1')
  return plain ? parse(plain) : null
}

/**
 * /run/reboot-required is written by update-notifier / unattended-upgrades hooks. Without it, a newer kernel
 * image in /boot than the running one still means a reboot is due; when neither can tell: null.
 */
export async function rebootRequiredDebian(): Promise<boolean | null> {
  if ((await exists('/run/reboot-required')) || (await exists('/var/run/reboot-required'))) return true
  const running = await mtime(`/boot/vmlinuz-${release()}`)
  const newestKernel = await newestFileMtime('/boot', (n) => n.startsWith('vmlinuz-'))
  if (running && newestKernel) return newestKernel.getTime() > running.getTime()
  const hook = (await listDir('/etc/kernel/postinst.d')).some((n) => /unattended-upgrades|update-notifier/.test(n))
  return hook ? false : null
}

async function collectApt(): Promise<PatchesFact> {
  const r = await exec('apt-get', ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'], SLOW)
  if (r.code !== 0) throw new FactFailure('failed', `apt-get -s upgrade exited ${r.code}: ${firstLines(r)}`)
  const items = parseAptSimulate(r.stdout)
  return {
    manager: 'apt',
    pending: items.length,
    security: items.filter((i) => i.security).length,
    items: items.slice(0, MAX_ITEMS),
    oldestPendingSince: null, // apt does not say when an update appeared
    lastInstall: await aptLastInstall(),
    lastCheck: await aptLastCheck(),
    rebootRequired: await rebootRequiredDebian(),
  }
}

// ── rpm-based ───────────────────────────────────────────────────────────────────
async function rpmLastInstall(): Promise<string | null> {
  const r = await execIfPresent('rpm', ['-qa', '--qf', '%{INSTALLTIME}\\n'], SLOW)
  return r?.code === 0 ? parseRpmInstallTimes(r.stdout) : null
}

async function newestRepomd(cacheDirs: string[]): Promise<string | null> {
  const found: (Date | null)[] = []
  for (const base of cacheDirs) for (const repo of await listDir(base)) found.push(await mtime(`${base}/${repo}/repodata/repomd.xml`))
  return newest(found)
}

async function collectDnf(): Promise<PatchesFact> {
  // -C: from the cache only — the agent never refreshes metadata itself. dnf5 (Fedora 41+) names the command
  // check-upgrade; check-update is only an alias there that a site's alias config may lack.
  const dnf5 = await exists('/usr/bin/dnf5')
  const check = await exec('dnf', ['-q', '-C', dnf5 ? 'check-upgrade' : 'check-update'], SLOW)
  const items = parseDnfCheckUpdate(check.stdout, check.code)
  const sec = await exec('dnf', ['-q', '-C', 'updateinfo', 'list', '--security'], SLOW)
  if (sec.code !== 0) throw new FactFailure('failed', `dnf updateinfo list --security exited ${sec.code}: ${firstLines(sec)}`)
  const secNames = parseDnfUpdateinfoSecurity(sec.stdout)
  for (const i of items) i.security = secNames.has(i.name)
  const nr = (await execIfPresent('needs-restarting', ['-r'])) ?? (await exec('dnf', ['needs-restarting', '-r']))
  return {
    manager: 'dnf',
    pending: items.length,
    security: items.filter((i) => i.security).length,
    items: items.slice(0, MAX_ITEMS),
    oldestPendingSince: null,
    lastInstall: await rpmLastInstall(),
    lastCheck: await newestRepomd(['/var/cache/dnf', '/var/cache/libdnf5']),
    rebootRequired: parseNeedsRestarting(nr.stdout + nr.stderr, nr.code),
  }
}

async function collectZypper(): Promise<PatchesFact> {
  const pc = await exec('zypper', ['--non-interactive', '--no-refresh', 'patch-check'], SLOW)
  if (![0, 100, 101, 102, 103].includes(pc.code ?? -1)) throw new FactFailure('failed', `zypper patch-check exited ${pc.code}: ${firstLines(pc)}`)
  const counts = parseZypperPatchCheck(pc.stdout)
  const lp = await exec('zypper', ['--non-interactive', '--no-refresh', 'list-patches'], SLOW)
  if (![0, 100, 101, 102, 103].includes(lp.code ?? -1)) throw new FactFailure('failed', `zypper list-patches exited ${lp.code}: ${firstLines(lp)}`)
  const items = parseZypperListPatches(lp.stdout)
  const nr = await execIfPresent('zypper', ['needs-rebooting'])
  const rebootRequired = (await exists('/run/reboot-needed')) || nr?.code === 102 ? true : nr?.code === 0 ? false : null
  return {
    manager: 'zypper',
    pending: counts.pending,
    security: counts.security,
    items: items.slice(0, MAX_ITEMS),
    oldestPendingSince: null,
    lastInstall: await rpmLastInstall(),
    lastCheck: await newestRepomd(['/var/cache/zypp/raw']),
    rebootRequired,
  }
}

export async function collectPatches(): Promise<PatchesFact> {
  if (await exists('/usr/bin/apt-get')) return collectApt()
  if (await exists('/usr/bin/dnf')) return collectDnf()
  if (await exists('/usr/bin/zypper')) return collectZypper()
  throw new FactFailure('command-missing', 'no supported package manager (apt-get, dnf, zypper) found')
}

export const collector: Collector<'base.patches'> = { id: 'base.patches', collect: () => collectPatches() }
