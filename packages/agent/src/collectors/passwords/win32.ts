// base.passwords on Windows: local accounts (Get-LocalUser, by RID not by the localized names "Gast"/"Guest"),
// the password policy from `secedit /export` (language-neutral keys, unlike `net accounts`) and the screen lock
// from the registry, read by windows/posture.ps1.
import type { PasswordsFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, tryUnwrap } from '../windows/posture.js'
import { asArray, bool, int, isObject, rid, sid as sidOf, str } from '../windows/values.js'

/** Pure: the [System Access] keys of a secedit INF export (UTF-16 text already decoded). */
export function parseSeceditSystemAccess(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  let inSection = false
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '').trim()
    const section = /^\[(.+)\]$/.exec(line)
    if (section) {
      inSection = section[1]!.toLowerCase() === 'system access'
      continue
    }
    if (!inSection) continue
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line)
    if (kv) out[kv[1]!] = kv[2]!.replace(/^"(.*)"$/, '$1')
  }
  return out
}

interface LocalUser { name: string; sid: string | null; enabled: boolean | null; passwordRequired: boolean | null }

export function parseLocalUsers(raw: unknown): LocalUser[] {
  return asArray(raw).map((u) => {
    if (!isObject(u)) throw new FactFailure('parse-error', 'Get-LocalUser: an entry is not an object')
    const name = str(u.Name)
    if (!name) throw new FactFailure('parse-error', 'Get-LocalUser: an account without a name')
    return { name, sid: sidOf(u.SID), enabled: bool(u.Enabled), passwordRequired: bool(u.PasswordRequired) }
  })
}

/**
 * Pure: screen lock seconds. The machine policy InactivityTimeoutSecs (> 0) wins. Otherwise every loaded user
 * hive must have a secure screen saver (policy values before user values); then the longest timeout counts.
 * A user without one may still lock through power settings, which are not read: null, not 0.
 */
export function parseScreenLock(raw: unknown): number | null {
  if (!isObject(raw)) return null
  const machine = int(raw.InactivityTimeoutSecs)
  if (machine !== null && machine > 0) return machine
  const users = asArray(raw.Users).filter(isObject)
  if (users.length === 0) return null
  let longest = 0
  for (const u of users) {
    const active = bool(u.PolicyScreenSaveActive ?? u.ScreenSaveActive)
    const secure = bool(u.PolicyScreenSaverIsSecure ?? u.ScreenSaverIsSecure)
    const timeout = int(u.PolicyScreenSaveTimeOut ?? u.ScreenSaveTimeOut)
    if (active !== true || secure !== true || timeout === null || timeout === 0) return null
    longest = Math.max(longest, timeout)
  }
  return longest
}

export function parseWin32Passwords(section: unknown): PasswordsFact {
  if (!isObject(section)) throw new FactFailure('parse-error', 'passwords: section missing from the posture output')
  const users = tryUnwrap(section.users, 'Get-LocalUser')
  const policy = tryUnwrap(section.policy, 'secedit /export')
  const lock = tryUnwrap(section.screenLock, 'screen lock')
  if ('failure' in users && 'failure' in policy) throw users.failure

  let guestEnabled: boolean | null = null
  let passwordNotRequired: string[] | null = null
  const defaultAccountsEnabled: string[] = []
  if ('ok' in users) {
    const list = parseLocalUsers(users.ok)
    const guest = list.find((u) => rid(u.sid) === 501)
    guestEnabled = guest ? guest.enabled : null
    const admin = list.find((u) => rid(u.sid) === 500)
    if (admin?.enabled) defaultAccountsEnabled.push(admin.name)
    // PasswordRequired = false: Windows *allows* this account an empty password; whether it has one cannot be
    // read without trying a logon, so accountsWithoutPassword stays null on Windows.
    passwordNotRequired = list.filter((u) => u.enabled === true && u.passwordRequired === false).map((u) => u.name).slice(0, 500)
  }
  let minPasswordLength: number | null = null
  if ('ok' in policy && typeof policy.ok === 'string') {
    const access = parseSeceditSystemAccess(policy.ok)
    minPasswordLength = int(access.MinimumPasswordLength)
    if (guestEnabled === null && access.EnableGuestAccount !== undefined) guestEnabled = bool(access.EnableGuestAccount)
  }
  return {
    guestEnabled,
    ...('ok' in users ? { defaultAccountsEnabled } : {}),
    accountsWithoutPassword: null,
    ...(passwordNotRequired !== null ? { passwordNotRequired } : {}),
    minPasswordLength: minPasswordLength !== null && minPasswordLength <= 1000 ? minPasswordLength : null,
    screenLockSeconds: 'ok' in lock ? parseScreenLock(lock.ok) : null,
  }
}

export const collector: Collector<'base.passwords'> = {
  id: 'base.passwords',
  async collect(ctx) {
    return parseWin32Passwords((await posture(ctx)).sections.passwords)
  },
}
