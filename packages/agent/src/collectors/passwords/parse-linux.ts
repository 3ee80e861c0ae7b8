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
