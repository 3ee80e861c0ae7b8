// base.patches on macOS: `softwareupdate -l --no-scan` (the list cached by the last background scan, so no network
// and no 30–90 s wait) and the scan dates from /Library/Preferences/com.apple.SoftwareUpdate.
import type { PatchesFact } from '@lagebild/shared'
import { FactFailure, type ExecResult } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'

type Item = PatchesFact['items'][number]

export interface SoftwareUpdateItem {
  label: string
  title: string
  version: string | null
  recommended: boolean
  /** What installing it needs: restart, shut down, none … (null: not said). */
  action: string | null
}

/**
 * macOS does not flag security updates. These titles are security-only releases: "Security Update 2021-001",
 * Rapid Security Responses ("macOS Security Response 13.4.1 (a)", versions ending in "(a)") and their successor
 * "Background Security Improvement". A plain "macOS Sonoma 14.5" is not counted, though it usually carries fixes.
 */
const SECURITY_TITLE = /\bsecurity (update|response|improvement)\b|\brapid security response\b|\(\s*[a-z]\s*\)\s*$/i

export const isSecurityItem = (i: SoftwareUpdateItem): boolean =>
  i.recommended && (SECURITY_TITLE.test(i.title) || SECURITY_TITLE.test(i.label) || (i.version !== null && SECURITY_TITLE.test(i.version)))

const KNOWN_KEYS = ['Title', 'Version', 'Size', 'Recommended', 'Action', 'Deferred']

/** "Title: a, b, Version: 1, Size: 2K, Recommended: YES, Action: restart," → fields; a title may itself hold commas. */
export function parseItemFields(line: string): Record<string, string> {
  const out: Record<string, string> = {}
  const parts = line.trim().split(new RegExp(`,\\s*(?=(?:${KNOWN_KEYS.join('|')}):)`))
  for (const part of parts) {
    const m = /^([A-Za-z]+):\s*(.*?)\s*,?\s*$/.exec(part.trim())
    if (m) out[m[1]!] = m[2]!
  }
  return out
}

/**
 * Pure: the text of `softwareupdate -l` (stdout and stderr together: "No new software available." goes to stderr).
 * Catalina and later: `* Label: X` + `\tTitle: …, Version: …, Recommended: YES, Action: restart,`.
 * Mojave and older: `   * X` + `    Title (version), size [recommended] [restart]`.
 * Null-free: throws parse-error when the text is neither a list nor "no new software".
 */
export function parseSoftwareUpdateList(text: string): SoftwareUpdateItem[] {
  const lines = text.split(/\r?\n/)
  const none = lines.some((l) => /^\s*No new software available\.?\s*$/i.test(l))
  const found = lines.some((l) => /Software Update found the following new or updated software/i.test(l))
  if (!found) {
    if (none) return []
    throw new FactFailure('parse-error', `softwareupdate -l not understood: ${text.trim().slice(0, 200)}`)
  }
  const items: SoftwareUpdateItem[] = []
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*[*-]\s+(Label:\s*)?(.+?)\s*$/.exec(lines[i]!)
    if (!head) continue
    const label = head[2]!
    const detail = lines[i + 1] ?? ''
    if (head[1]) {
      const f = parseItemFields(detail)
      if (!f.Title) throw new FactFailure('parse-error', `softwareupdate -l: no Title line after "${label.slice(0, 100)}"`)
      items.push({
        label,
        title: f.Title,
        version: f.Version || null,
        recommended: /^yes$/i.test(f.Recommended ?? ''),
        action: f.Action ? f.Action : null,
      })
    } else {
      // Old form: "Name (1.2.3), 1234K [recommended] [restart]".
      const m = /^\s*(.+?),?\s*\(([^)]*)\),\s*\S+(.*)$/.exec(detail)
      if (!m) throw new FactFailure('parse-error', `softwareupdate -l: detail line not understood after "${label.slice(0, 100)}"`)
      const flags = m[3]!
      items.push({
        label,
        title: m[1]!.replace(/,$/, ''),
        version: m[2]!.trim() || null,
        recommended: /\[recommended\]/i.test(flags),
        action: /\[restart\]/i.test(flags) ? 'restart' : /\[shut down\]/i.test(flags) ? 'shut down' : null,
      })
    }
    i++
  }
  if (items.length === 0) throw new FactFailure('parse-error', 'softwareupdate -l announced updates but listed none')
  return items
}

/** Pure: top-level keys of `defaults read` (old-style plist text): `    Key = value;` / `    Key = "quoted";`. */
export function parseDefaultsTopLevel(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const m = /^ {4}("?)([A-Za-z0-9_ ]+)\1 = (.*);$/.exec(line)
    if (m) out[m[2]!] = m[3]!.replace(/^"(.*)"$/, '$1')
  }
  return out
}

/** "2021-02-23 07:52:51 +0000" (how `defaults` prints an NSDate) → ISO UTC; null for anything else. */
export function defaultsDate(v: string | undefined): string | null {
  const m = v ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-])(\d{2})(\d{2})$/.exec(v.trim()) : null
  if (!m) return null
  const t = Date.parse(`${m[1]}T${m[2]}${m[3]}${m[4]}:${m[5]}`)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/**
 * Pure: list + preferences → PatchesFact.
 * - lastCheck: LastFullSuccessfulDate (a full scan), else LastSuccessfulDate. The cached list is as fresh as that.
 * - lastInstall: null. Both dates are *scans*, not installations (LastFullSuccessfulDate moves with every background
 *   check); nothing in this plist tells when updates were installed.
 * - rebootRequired: false. macOS has no "installed, waiting for a restart" state: an update that needs a restart is
 *   installed during that restart and stays in `softwareupdate -l` (with "Action: restart") until then, so it is
 *   counted — and judged — as pending. Null here would leave every Mac's updates unknown for a state that cannot occur.
 */
export function parseDarwinPatches(listText: string, prefsText: string | null): PatchesFact {
  const list = parseSoftwareUpdateList(listText)
  const prefs = prefsText ? parseDefaultsTopLevel(prefsText) : {}
  const items: Item[] = list.slice(0, 2000).map((i) => ({
    name: i.title.slice(0, 500),
    ...(i.version ? { version: i.version.slice(0, 500) } : {}),
    security: isSecurityItem(i),
    source: ['softwareupdate', i.recommended ? 'recommended' : null, i.action ? `action: ${i.action}` : null].filter(Boolean).join(', '),
  }))
  return {
    manager: 'softwareupdate',
    pending: list.length,
    security: items.filter((i) => i.security).length,
    items,
    oldestPendingSince: null,
    lastInstall: null,
    lastCheck: defaultsDate(prefs.LastFullSuccessfulDate) ?? defaultsDate(prefs.LastSuccessfulDate),
    rebootRequired: false,
  }
}

const combined = (r: ExecResult) => `${r.stdout}\n${r.stderr}`

export async function collectDarwinPatches(): Promise<PatchesFact> {
  const list = await execIfPresent('/usr/sbin/softwareupdate', ['-l', '--no-scan'], { timeoutMs: 120_000 })
  if (!list) throw new FactFailure('command-missing', '/usr/sbin/softwareupdate is not installed')
  const text = combined(list)
  if (list.code !== 0 && !/No new software available|Software Update found/i.test(text))
    throw new FactFailure(/not permitted|must be run as root|permission/i.test(text) ? 'permission-denied' : 'failed', `softwareupdate -l exited ${list.code}: ${firstLines(list)}`)
  // A missing preferences domain only means "never scanned": lastCheck stays null.
  const prefs = await execIfPresent('/usr/bin/defaults', ['read', '/Library/Preferences/com.apple.SoftwareUpdate'])
  return parseDarwinPatches(text, prefs && prefs.code === 0 ? prefs.stdout : null)
}

export const collector: Collector<'base.patches'> = { id: 'base.patches', collect: () => collectDarwinPatches() }
