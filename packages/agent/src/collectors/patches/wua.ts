// Pure mapping of Windows Update Agent (WUA) update fields, shared by the script's own JSON (win32.ts) and by
// the shapes real tools print for the same COM objects (PSWindowsUpdate Format-List/Format-Table text, Ansible
// win_updates JSON). Each shape keeps what it really tells: a field a shape does not carry is null, never a guess.
import { psDate, str } from '../windows/values.js'

/** WUA category "Security Updates". Matched by id: the category *name* is localized ("Sicherheitsupdates"). */
export const SECURITY_UPDATES_CATEGORY = '0fa1201d-4330-4fa8-8ae9-b877473b6441'
/** The English category name. Only a positive sign: on a localized host the name differs, so no match proves nothing. */
const SECURITY_UPDATES_NAME_EN = 'security updates'

/** How a PowerShell formatter prints a COM object it did not expand (Categories, KBArticleIDs in Format-List). */
const UNEXPANDED_COM = 'System.__ComObject'

export interface WuaSecurityInput {
  /** CategoryID values; null when the shape does not carry them. */
  categoryIds: readonly string[] | null
  /** Category names (localized); null when the shape does not carry them. */
  categoryNames: readonly string[] | null
  /** MsrcSeverity as printed; "" and null mean "not a rated security bulletin" or "not carried". */
  msrcSeverity: string | null
}

/**
 * Is the update a security update? true: Security Updates category id, any MSRC severity (set only for security
 * bulletins), or the English category name. false: only when the category ids are known, none is Security
 * Updates and there is no severity. null: the shape does not tell (ids missing, no severity, no English name).
 */
export function wuaSecurity(i: WuaSecurityInput): boolean | null {
  if (i.categoryIds?.some((id) => id.trim().toLowerCase() === SECURITY_UPDATES_CATEGORY)) return true
  if (str(i.msrcSeverity) !== null) return true
  if (i.categoryNames?.some((n) => n.trim().toLowerCase() === SECURITY_UPDATES_NAME_EN)) return true
  return i.categoryIds !== null ? false : null
}

/**
 * KB numbers as "KB<digits>", from an array (script, Ansible: ["4577586"]), a number, or text ("KB5032339",
 * "KB5034441,5034442"). [] when there is none; null when the value is not readable (an unexpanded COM object,
 * anything that is not a KB number).
 */
export function wuaKbs(v: unknown): string[] | null {
  if (v === null || v === undefined) return []
  const parts: unknown[] = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,;]+/) : [v]
  const out: string[] = []
  for (const p of parts) {
    const s = typeof p === 'number' && Number.isInteger(p) ? String(p) : str(p)
    if (s === null) continue
    if (s === UNEXPANDED_COM) return null
    const m = /^(?:KB)?(\d+)$/i.exec(s)
    if (!m) return null
    out.push(`KB${m[1]}`)
  }
  return out
}

/**
 * A WUA date as ISO 8601 UTC. Accepts what psDate accepts ("\/Date(ms)\/", ISO with zone) and, when the field is
 * UTC by definition (zone 'utc': LastDeploymentChangeTime, which the script also reads with -AssumeUtc), the
 * year-first text "2023-11-14 00:00:00". Culture-formatted text ("17.08.2019 08:20:09", "2/24/2022 12:24:28 PM",
 * "26-4-2023 13:41:50") has no stated zone and an order that depends on the culture: null.
 */
export function wuaDate(v: unknown, zone: 'utc' | 'unknown'): string | null {
  const d = psDate(v)
  if (d !== null || zone !== 'utc' || typeof v !== 'string') return d
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v.trim())
  if (!m) return null
  return psDate(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`)
}

/** One update as far as a shape tells it. */
export interface WuaUpdate {
  title: string | null
  kbs: string[] | null
  msrcSeverity: string | null
  categoryIds: string[] | null
  categoryNames: string[] | null
  security: boolean | null
  lastDeploymentChange: string | null
}

function build(f: Omit<WuaUpdate, 'security'>): WuaUpdate {
  return { ...f, security: wuaSecurity(f) }
}

/** The script's JSON object (see windows/posture.ps1: Title, KBArticleIDs, Categories[{CategoryID, Name}], ...). */
export function wuaFromScript(u: Record<string, unknown>): WuaUpdate {
  const cats = Array.isArray(u.Categories) ? u.Categories : u.Categories === null || u.Categories === undefined ? [] : [u.Categories]
  const objs = cats.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && !Array.isArray(c))
  return build({
    title: str(u.Title),
    kbs: wuaKbs(u.KBArticleIDs),
    msrcSeverity: str(u.MsrcSeverity),
    categoryIds: objs.map((c) => str(c.CategoryID)).filter((x): x is string => x !== null),
    categoryNames: objs.map((c) => str(c.Name)).filter((x): x is string => x !== null),
    lastDeploymentChange: wuaDate(u.LastDeploymentChangeTime, 'utc'),
  })
}

/** "{Update Rollups - 28bc880e-…, Windows Server 2016 - 569e8e8f-…}" (the "Name - CategoryID" strings a script joined). */
function categoriesFromText(v: string | undefined): { ids: string[] | null; names: string[] | null } {
  const s = str(v)
  if (s === null) return { ids: null, names: null }
  if (s === UNEXPANDED_COM) return { ids: null, names: null }
  const items = s.replace(/^\{|\}$/g, '').split(/,\s*/).map((x) => x.trim()).filter(Boolean)
  const ids: string[] = []
  const names: string[] = []
  for (const it of items) {
    const m = /^(.*?)\s*-\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(it)
    if (m) {
      ids.push(m[2]!)
      if (m[1]) names.push(m[1])
    } else names.push(it)
  }
  return { ids: ids.length === items.length ? ids : null, names }
}

/**
 * One text record (Format-List or Format-Table of an IUpdate or of PSWindowsUpdate's WindowsUpdate object).
 * PSWindowsUpdate prints the KB as "KB" and leaves KBArticleIDs/Categories unexpanded ("System.__ComObject").
 */
export function wuaFromTextRecord(r: Readonly<Record<string, string>>): WuaUpdate {
  const kbField = r.KB ?? r.KBArticleIDs
  const cats = categoriesFromText(r.Categories)
  return build({
    title: str(r.Title),
    kbs: kbField === undefined ? null : wuaKbs(kbField),
    msrcSeverity: r.MsrcSeverity === undefined ? null : str(r.MsrcSeverity),
    categoryIds: cats.ids,
    categoryNames: cats.names,
    lastDeploymentChange: wuaDate(r.LastDeploymentChangeTime, 'utc'),
  })
}

/** One entry of Ansible win_updates' `updates`/`filtered_updates`: { title, kb: [..], categories: [names], ... }. */
export function wuaFromAnsible(e: Record<string, unknown>): WuaUpdate {
  const names = Array.isArray(e.categories) ? e.categories.map(str).filter((x): x is string => x !== null) : null
  return build({
    title: str(e.title),
    kbs: wuaKbs(e.kb),
    msrcSeverity: null, // win_updates does not return MsrcSeverity
    categoryIds: null, // nor category ids: only the (localized) names
    categoryNames: names,
    lastDeploymentChange: null,
  })
}

/**
 * Format-List text → records. "Name : value" lines (the name padded to a column); an indented line continues the
 * value before it; a blank line or a repeated name starts a new record. `prefix` is removed from each line first
 * (a recording kept as comments).
 */
export function parseFormatList(text: string, prefix: RegExp | null = null): Record<string, string>[] {
  const out: Record<string, string>[] = []
  let cur: Record<string, string> = {}
  let last: string | null = null
  const flush = () => {
    if (Object.keys(cur).length) out.push(cur)
    cur = {}
    last = null
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = prefix ? raw.replace(prefix, '') : raw
    if (line.trim() === '') {
      flush()
      continue
    }
    const m = /^([A-Za-z_][\w.]*)\s*: ?(.*)$/.exec(line)
    if (m) {
      const key = m[1]!
      if (key in cur) flush()
      cur[key] = m[2]!.trimEnd()
      last = key
    } else if (last !== null && /^\s/.test(line)) cur[last] = `${cur[last]} ${line.trim()}`
    else flush()
  }
  flush()
  return out
}

/**
 * Format-Table text → records. Columns are where the dashes under the header start; a cell runs to the next
 * column. Rows end at the first blank line. Cells cut by the table ("Curre...") stay as printed.
 */
export function parseFormatTable(text: string, prefix: RegExp | null = null): Record<string, string>[] {
  const lines = text.split(/\r?\n/).map((l) => (prefix ? l.replace(prefix, '') : l))
  const dash = lines.findIndex((l, i) => i > 0 && /^[\s-]*-[\s-]*$/.test(l))
  if (dash < 1) return []
  const starts = [...lines[dash]!.matchAll(/-+/g)].map((m) => m.index)
  const header = lines[dash - 1]!
  const cell = (l: string, i: number) => l.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()
  const names = starts.map((_, i) => cell(header, i))
  const out: Record<string, string>[] = []
  for (const l of lines.slice(dash + 1)) {
    if (l.trim() === '') break
    const rec: Record<string, string> = {}
    names.forEach((n, i) => (rec[n] = cell(l, i)))
    out.push(rec)
  }
  return out
}
