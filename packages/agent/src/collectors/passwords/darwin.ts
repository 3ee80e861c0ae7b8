// base.passwords on macOS.
// - guestEnabled: `defaults read /Library/Preferences/com.apple.loginwindow GuestEnabled` (1/0); when the key is not
//   set, `sysadminctl -guestAccount status` (prints to stderr with a log prefix).
// - accountsWithoutPassword: null. Whether an account has an empty password cannot be read without trying a logon.
// - minPasswordLength: null. `pwpolicy getaccountpolicies` is usually empty without MDM and no real sample of a
//   length rule was found to parse against; guessing its XML would be a made-up reader.
// - screenLockSeconds: `sysadminctl -screenLock status` gives the delay *after* the screen saver / display sleep
//   starts ("screenLock delay is 300 seconds", "… immediate", "screenLock is off"). The moment that starts is the
//   display sleep from `pmset -g` (minutes; the per-user screen saver can only start earlier). So the screen locks
//   at the latest after displaysleep·60 + delay: that upper bound is reported. "off" → 0 (never locks).
import type { PasswordsFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import { execIfPresent } from '../tools.js'
import type { Collector } from '../types.js'

/** Pure: `defaults read … GuestEnabled` → 1/0; null when unset or anything else. */
export function parseGuestEnabledDefault(text: string): boolean | null {
  const v = text.trim()
  return v === '1' ? true : v === '0' ? false : null
}

/** Pure: `sysadminctl -guestAccount status` (stderr, "… sysadminctl[pid:tid] Guest account disabled."). */
export function parseGuestAccountStatus(text: string): boolean | null {
  const m = /Guest account (enabled|disabled)/i.exec(text)
  return m ? m[1]!.toLowerCase() === 'enabled' : null
}

export type ScreenLockDelay = { off: true } | { seconds: number }

/** Pure: `sysadminctl -screenLock status` (stderr, with or without the log prefix). Null when not understood. */
export function parseScreenLockStatus(text: string): ScreenLockDelay | null {
  if (/screenLock is off/i.test(text)) return { off: true }
  if (/screenLock delay is immediate/i.test(text)) return { seconds: 0 }
  const m = /screenLock delay is (-?\d+)(?:\.\d+|\(\.\d+\))? seconds?/i.exec(text)
  if (!m) return null
  const n = Number(m[1])
  return n < 0 ? { off: true } : { seconds: n } // -1 seconds: disabled
}

/** Pure: `pmset -g` → display sleep in minutes (0 = never); null when absent. */
export function parseDisplaySleepMinutes(text: string): number | null {
  const m = /^\s*displaysleep\s+(\d+)/m.exec(text)
  return m ? Number(m[1]) : null
}

/** Pure: the two answers → screenLockSeconds (see the file comment). */
export function screenLockSeconds(lock: ScreenLockDelay | null, displaySleepMinutes: number | null): number | null {
  if (lock === null) return null
  if ('off' in lock) return 0
  if (displaySleepMinutes === null || displaySleepMinutes === 0) return null // the screen saver alone decides: per user, not read
  return displaySleepMinutes * 60 + lock.seconds
}

export function parseDarwinPasswords(input: { guestDefault: string | null; guestStatus: string | null; screenLock: string | null; pmset: string | null }): PasswordsFact {
  const fromDefaults = input.guestDefault === null ? null : parseGuestEnabledDefault(input.guestDefault)
  const guestEnabled = fromDefaults ?? (input.guestStatus === null ? null : parseGuestAccountStatus(input.guestStatus))
  const lock = input.screenLock === null ? null : parseScreenLockStatus(input.screenLock)
  const pmset = input.pmset === null ? null : parseDisplaySleepMinutes(input.pmset)
  return {
    guestEnabled,
    accountsWithoutPassword: null,
    minPasswordLength: null,
    screenLockSeconds: screenLockSeconds(lock, pmset),
  }
}

const both = (r: { stdout: string; stderr: string } | null) => (r ? `${r.stdout}\n${r.stderr}` : null)

export async function collectDarwinPasswords(): Promise<PasswordsFact> {
  const guestDefault = await execIfPresent('/usr/bin/defaults', ['read', '/Library/Preferences/com.apple.loginwindow', 'GuestEnabled'], { timeoutMs: 15_000 })
  if (!guestDefault) throw new FactFailure('command-missing', '/usr/bin/defaults is not installed')
  const guestStatus = await execIfPresent('/usr/sbin/sysadminctl', ['-guestAccount', 'status'], { timeoutMs: 15_000 })
  const screenLock = await execIfPresent('/usr/sbin/sysadminctl', ['-screenLock', 'status'], { timeoutMs: 15_000 })
  const pmset = await execIfPresent('/usr/bin/pmset', ['-g'], { timeoutMs: 15_000 })
  return parseDarwinPasswords({
    guestDefault: guestDefault.code === 0 ? guestDefault.stdout : null,
    guestStatus: both(guestStatus),
    screenLock: both(screenLock),
    pmset: pmset && pmset.code === 0 ? pmset.stdout : null,
  })
}

export const collector: Collector<'base.passwords'> = { id: 'base.passwords', collect: () => collectDarwinPasswords() }
