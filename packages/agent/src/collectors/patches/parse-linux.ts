// Pure parsers for the Linux package managers (apt, dnf, zypper). No I/O.
import type { PatchesFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import { wallTimeReader } from '../local-time.js'

type Item = PatchesFact['items'][number]

// ── apt ─────────────────────────────────────────────────────────────────────────
/** An origin marks a security update: Debian's "Debian-Security:12/…" or any suite ending in -security (Ubuntu). */
const aptOriginIsSecurity = (origin: string) => /^Debian-Security:/.test(origin) || /\/[^/\s]*-security$/.test(origin)

/**
 * `apt-get -s upgrade`: one "Inst" line per package that would be installed, e.g.
 * `Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])`.
 */
export function parseAptSimulate(text: string): Item[] {
  const items: Item[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('Inst ')) continue
    const m = /^Inst (\S+)(?: \[[^\]]*\])? \((\S+) ([^)]*?)(?: \[[^\]]+\])?\)/.exec(line)
    if (!m) throw new FactFailure('parse-error', `apt-get -s line not understood: ${line.slice(0, 200)}`)
    const origins = m[3]!.split(', ').map((s) => s.trim()).filter(Boolean)
    items.push({ name: m[1]!, version: m[2]!, security: origins.some(aptOriginIsSecurity), source: origins.join(', ').slice(0, 500) })
  }
  return items
}

/** `apt list --upgradable`: `name/suite[,suite2] version arch [upgradable from: old]`. */
export function parseAptListUpgradable(text: string): Item[] {
  const items: Item[] = []
  for (const line of text.split('\n')) {
    const m = /^([^\s/]+)\/(\S+) (\S+) \S+ \[upgradable from: [^\]]+\]/.exec(line)
    if (!m) continue
    const suites = m[2]!.split(',')
    items.push({ name: m[1]!, version: m[3]!, security: suites.some((s) => s.endsWith('-security')), source: suites.join(',') })
  }
  return items
}

/**
 * /var/log/apt/history.log: the newest End-Date of a block that installed or upgraded something. apt writes it in the
 * system's local time (`zone`; null: unknown, then reading a date fails).
 */
export function parseAptHistoryLastInstall(text: string, zone: string | null): string | null {
  const read = wallTimeReader(zone, '/var/log/apt/history.log')
  let newest: string | null = null
  for (const block of text.split(/\n\s*\n/)) {
    if (!/^(Upgrade|Install): /m.test(block)) continue
    const end = /^End-Date: (.+)$/m.exec(block)?.[1]
    const iso = end ? read(end) : null
    if (iso && (!newest || iso > newest)) newest = iso
  }
  return newest
}

// ── dnf ─────────────────────────────────────────────────────────────────────────
/** Name of an RPM from "name-version-release.arch" (an epoch "1:" may sit in the version). */
export function rpmName(nevra: string): string {
  const noArch = nevra.replace(/\.[A-Za-z0-9_]+$/, '')
  return noArch.replace(/-[^-]+-[^-]+$/, '')
}

/**
 * `dnf check-update` (dnf4) / `dnf check-upgrade` (dnf5, Fedora 41+; check-update is its alias) — exit 100: updates;
 * 0: none; 1: error. Rows `name.arch  version  repo`; a row may wrap when the name is long. dnf5 puts a section title
 * "Upgrades" above them. Both end the upgrades with an obsoletes section ("Obsoleting Packages" in dnf4, "Obsoleting
 * packages" in dnf5): the obsoleting packages there are already listed above, the indented rows under them are removals.
 */
export function parseDnfCheckUpdate(text: string, code: number | null): Item[] {
  if (code === 0) return []
  if (code !== 100) throw new FactFailure('failed', `dnf check-update exited ${code}: ${text.slice(0, 300)}`)
  const items: Item[] = []
  const tokens: string[] = []
  for (const line of text.split('\n')) {
    if (/^Obsoleting packages/i.test(line)) break
    if (/^(Last metadata expiration|Security:|Loaded plugins|Updating|Repositor|Waiting|Dependencies|Upgrades\s*$)/i.test(line)) continue
    tokens.push(...line.trim().split(/\s+/).filter(Boolean))
    while (tokens.length >= 3) {
      const [pkg, version, repo] = tokens.splice(0, 3) as [string, string, string]
      if (!/\.[A-Za-z0-9_]+$/.test(pkg)) throw new FactFailure('parse-error', `dnf check-update row not understood: ${pkg} ${version} ${repo}`)
      items.push({ name: pkg.replace(/\.[A-Za-z0-9_]+$/, ''), version, security: false, source: repo })
    }
  }
  return items
}

/**
 * `dnf updateinfo list --security` — dnf4: `[i ]ADVISORY  Severity/Sec.  NEVRA`;
 * dnf5: a header `Name Type Severity Package Issued`, then `ADVISORY security Severity NEVRA date time`.
 * Returns the package names that a security advisory updates (one package, many advisories: once).
 */
export function parseDnfUpdateinfoSecurity(text: string): Set<string> {
  const names = new Set<string>()
  for (const line of text.split('\n')) {
    const t = line.trim().split(/\s+/)
    if (t.length < 3 || t[0] === 'Name') continue
    const isSec = t.some((x) => /\/Sec\.$/.test(x) || x === 'security')
    if (!isSec) continue
    const nevra = t.find((x, i) => i > 0 && /^[^\s/]+-[^-\s]+-[^-\s]+\.[A-Za-z0-9_]+$/.test(x))
    if (nevra) names.add(rpmName(nevra))
  }
  return names
}

/** `needs-restarting -r`: the text decides, because exit 1 also means "unknown command". */
export function parseNeedsRestarting(text: string, code: number | null): boolean | null {
  if (/Reboot is required/i.test(text) && code === 1) return true
  if (/Reboot should not be necessary/i.test(text) && code === 0) return false
  return null
}

// ── zypper ──────────────────────────────────────────────────────────────────────
/**
 * `zypper --non-interactive list-patches`: a `|` table with a header naming the columns
 * (Repository | Name | Category | Severity | Interactive | Status | [Since |] Summary).
 */
export function parseZypperListPatches(text: string): Item[] {
  const lines = text.split('\n')
  const headerAt = lines.findIndex((l) => /^\s*Repository\s*\|.*\bName\b.*\|.*\bCategory\b/.test(l))
  if (headerAt < 0) {
    if (/No updates found|0 patches needed/i.test(text)) return []
    throw new FactFailure('parse-error', `zypper list-patches table not found: ${text.slice(0, 200)}`)
  }
  const header = lines[headerAt]!.split('|').map((s) => s.trim())
  const col = (name: string) => header.indexOf(name)
  const items: Item[] = []
  for (const line of lines.slice(headerAt + 1)) {
    if (!line.includes('|') || /^[-+]+$/.test(line.trim())) continue
    const cells = line.split('|').map((s) => s.trim())
    const status = cells[col('Status')]
    if (status && status !== 'needed') continue
    const name = cells[col('Name')]
    if (!name) continue
    const summary = col('Summary') >= 0 ? cells[col('Summary')] : undefined
    items.push({ name: summary ? `${name}: ${summary}`.slice(0, 500) : name, security: cells[col('Category')] === 'security', source: cells[col('Repository')] })
  }
  return items
}

/** `zypper patch-check`: "N patches needed (M security patches)"; exit 100/101 = patches / security patches. */
export function parseZypperPatchCheck(text: string): { pending: number; security: number } {
  const m = /(\d+) patch(?:es)? needed \((\d+) security patch(?:es)?\)/.exec(text)
  if (!m) throw new FactFailure('parse-error', `zypper patch-check not understood: ${text.slice(0, 200)}`)
  return { pending: Number(m[1]), security: Number(m[2]) }
}

/** `rpm -qa --qf '%{INSTALLTIME}\n'`: the newest install time (epoch seconds) as ISO. */
export function parseRpmInstallTimes(text: string): string | null {
  const max = Math.max(0, ...text.split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 0))
  return max > 0 ? new Date(max * 1000).toISOString() : null
}
