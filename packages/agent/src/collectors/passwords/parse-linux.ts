// Pure parsers for /etc/shadow, /etc/login.defs, pwquality.conf and LightDM's guest switch. No I/O.

export interface ShadowEntry { name: string; hash: string }

/** /etc/shadow: `name:hash:…`. An empty hash logs in without a password; `!`/`*` prefixes lock the account. */
export function parseShadow(text: string): ShadowEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 2 && f[0])
    .map((f) => ({ name: f[0]!, hash: f[1]! }))
}

export const isLocked = (hash: string) => hash.startsWith('!') || hash.startsWith('*')

/** Accounts whose password field is empty: they log in with no password at all. */
export const accountsWithoutPassword = (entries: ShadowEntry[]) => entries.filter((e) => e.hash === '').map((e) => e.name)

/** `KEY value` (login.defs) or `key = value` (pwquality.conf); comments and unset keys: null. */
export function readSetting(text: string, key: string): number | null {
  const m = new RegExp(`^\\s*${key}\\s*(?:=\\s*|\\s+)(\\d+)\\s*$`, 'm').exec(text)
  return m ? Number(m[1]) : null
}

/** LightDM: `allow-guest=true` in a [Seat…] section turns the guest session on. */
export const lightdmAllowsGuest = (text: string): boolean | null => {
  const m = /^\s*allow-guest\s*=\s*(true|false)\s*$/m.exec(text)
  return m ? m[1] === 'true' : null
}

// ── What PAM enforces ───────────────────────────────────────────────────────────
/** One `password` line of a PAM stack: `[-]password control module [args…]`; control may be a bracket `[a=b c=d]`. */
export interface PamModule {
  control: string
  module: string
  args: string[]
}

/**
 * Pure: the `password` stack of a PAM service (`passwd`, the service that changes passwords), with its includes resolved:
 * Debian's `@include common-password`, Red Hat's and SUSE's `password include|substack system-auth`. `files` maps a
 * name in /etc/pam.d to its text (missing: absent). Null when the service itself is missing.
 */
export function pamPasswordStack(files: ReadonlyMap<string, string>, service = 'passwd', depth = 0): PamModule[] | null {
  const text = files.get(service)
  if (text === undefined || depth > 8) return null
  const out: PamModule[] = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    const include = /^@include\s+(\S+)/.exec(line)
    if (include) {
      out.push(...(pamPasswordStack(files, include[1]!, depth + 1) ?? []))
      continue
    }
    const m = /^-?password\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/.exec(line)
    if (!m) continue
    const [, control, module, rest] = m as unknown as [string, string, string, string]
    if (control === 'include' || control === 'substack') out.push(...(pamPasswordStack(files, module, depth + 1) ?? []))
    else out.push({ control, module: module.replace(/^.*\//, ''), args: rest.split(/\s+/).filter(Boolean) })
  }
  return out
}

/** `key = value` lines of pwquality.conf (and its .d files, in order: later wins); a bare key is a flag. */
export function pwqualitySettings(texts: string[]): Map<string, string> {
  const settings = new Map<string, string>()
  for (const text of texts)
    for (const raw of text.split('\n')) {
      const m = /^\s*([a-z_]+)\s*(?:=\s*(\S*))?\s*$/.exec(raw.replace(/#.*/, ''))
      if (m) settings.set(m[1]!, m[2] ?? '')
    }
  return settings
}

/**
 * libpwquality's defaults by its version: 1.3.0 (2015) changed them from minlen 9 with one credit per character class
 * (so 5 characters of four classes passed) to minlen 8 without credits. Unknown version: null.
 */
export function pwqualityDefaults(version: string | null): Map<string, string> | null {
  const m = version ? /^(?:\d+:)?(\d+)\.(\d+)/.exec(version) : null
  if (!m) return null
  const modern = Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 3)
  const credit = modern ? '0' : '1'
  return new Map([['minlen', modern ? '8' : '9'], ['dcredit', credit], ['ucredit', credit], ['lcredit', credit], ['ocredit', credit]])
}

const int = (v: string | undefined) => (v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null)
const argsOf = (args: string[]) => new Map(args.map((a) => { const i = a.indexOf('='); return i < 0 ? [a, ''] : [a.slice(0, i), a.slice(i + 1)] }))

/**
 * The shortest password a credit-counting module (pam_pwquality, pam_cracklib) accepts: minlen (never below 6 in
 * either) minus the positive credits, since each character class used counts as one extra character. A negative credit
 * demands a class and shortens nothing. Null when a value is unknown.
 */
function creditedMinimum(get: (key: string) => string | undefined): number | null {
  const minlen = int(get('minlen'))
  if (minlen === null) return null
  let credit = 0
  for (const k of ['dcredit', 'ucredit', 'lcredit', 'ocredit']) {
    const c = int(get(k))
    if (c === null) return null
    credit += Math.max(0, c)
  }
  return Math.max(1, Math.max(6, minlen) - credit)
}

export interface PasswordPolicyInput {
  /** The `passwd` stack (pamPasswordStack); null: no PAM configuration for it. */
  stack: PamModule[] | null
  /** pwquality.conf followed by pwquality.conf.d/*.conf. */
  pwqualityConf: string[]
  /** Installed libpwquality version (for its defaults); null: unknown. */
  pwqualityVersion: string | null
  loginDefs: string
}

/**
 * Pure: the minimum password length the OS enforces, read from what PAM runs when a password is changed. Each
 * module of the stack that checks length (pam_unix minlen, default 6; pam_pwquality with its own settings; pam_cracklib;
 * pam_passwdqc min=) must pass unless it is optional, so the strictest one counts. Without PAM, shadow's passwd reads
 * /etc/login.defs PASS_MIN_LEN. Null when what applies cannot be told — never login.defs in place of PAM.
 */
export function minPasswordLength(p: PasswordPolicyInput): number | null {
  if (p.stack === null) return readSetting(p.loginDefs, 'PASS_MIN_LEN')
  const minimums: number[] = []
  for (const m of p.stack) {
    if (m.control === 'optional') continue
    const args = argsOf(m.args)
    if (m.module === 'pam_unix.so') minimums.push(int(args.get('minlen')) ?? 6)
    else if (m.module === 'pam_pwquality.so') {
      // Module arguments win over the files, the files over the library's defaults.
      const conf = pwqualitySettings(p.pwqualityConf)
      const defaults = pwqualityDefaults(p.pwqualityVersion)
      const n = creditedMinimum((k) => args.get(k) ?? conf.get(k) ?? defaults?.get(k))
      if (n === null) return null
      minimums.push(n)
    } else if (m.module === 'pam_cracklib.so') {
      const n = creditedMinimum((k) => args.get(k) ?? (k === 'minlen' ? '9' : '1'))
      if (n === null) return null
      minimums.push(n)
    } else if (m.module === 'pam_passwdqc.so') {
      // min=N0,N1,N2,N3,N4 (default disabled,24,11,8,7): the shortest length any class combination may have.
      const values = (args.get('min') ?? 'disabled,24,11,8,7').split(',').map(int).filter((n): n is number => n !== null)
      if (!values.length) return null
      minimums.push(Math.min(...values))
    }
  }
  return minimums.length ? Math.max(...minimums) : null
}

/**
 * Whether this machine has a local graphical login, from what is on disk:
 * - a display manager is enabled (systemd's display-manager.service link) → true;
 * - no desktop session is installed at all (no .desktop file in /usr/share/xsessions or wayland-sessions) → false:
 *   a server at a text console, where a screen lock does not apply;
 * - sessions installed but no display manager enabled (startx by hand) → null: cannot tell.
 */
export function localDesktopFrom(input: { displayManagerEnabled: boolean; sessionFiles: string[] }): boolean | null {
  if (input.displayManagerEnabled) return true
  if (!input.sessionFiles.some((f) => f.endsWith('.desktop'))) return false
  return null
}
