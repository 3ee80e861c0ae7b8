// base.passwords on Linux: accounts without a password (/etc/shadow, root only), guest accounts/sessions,
// the minimum password length (pwquality minlen, else login.defs PASS_MIN_LEN). Screen lock is per desktop
// session and cannot be read reliably by a root service: null, never a guess.
import type { PasswordsFact } from '@lagebild/shared'
import { FactFailure, readTextIfExists } from '../../system.js'
import type { Collector } from '../types.js'
import { isLoginShell, parsePasswd } from '../user-rights/parse-linux.js'
import { accountsWithoutPassword, isLocked, lightdmAllowsGuest, parseShadow, readSetting } from './parse-linux.js'

export async function collectPasswords(): Promise<PasswordsFact> {
  const passwd = parsePasswd((await readTextIfExists('/etc/passwd')) ?? '')
  if (passwd.length === 0) throw new FactFailure('failed', '/etc/passwd is missing or empty')
  let shadowText: string | null = null
  try {
    shadowText = await readTextIfExists('/etc/shadow')
  } catch (err) {
    if (!(err instanceof FactFailure && err.code === 'permission-denied')) throw err
  }
  const shadow = shadowText === null ? null : parseShadow(shadowText)
  const hashOf = (name: string) => shadow?.find((s) => s.name === name)?.hash

  // An account that can be used: a login shell and, where shadow is readable, not locked.
  const usable = (name: string): boolean | null => {
    const p = passwd.find((u) => u.name === name)
    if (!p || !isLoginShell(p.shell)) return false
    const hash = hashOf(name)
    if (shadow === null) return null
    return hash !== undefined && !isLocked(hash)
  }

  const lightdm = [await readTextIfExists('/etc/lightdm/lightdm.conf'), await readTextIfExists('/usr/share/lightdm/lightdm.conf.d/50-guest-wrapper.conf')]
    .map((t) => (t ? lightdmAllowsGuest(t) : null))
  const guestAccount = usable('guest')
  const guestEnabled = lightdm.includes(true) || guestAccount === true ? true : guestAccount === null ? null : false

  const nobody = usable('nobody')
  const pwquality = (await readTextIfExists('/etc/security/pwquality.conf')) ?? ''
  const loginDefs = (await readTextIfExists('/etc/login.defs')) ?? ''
  const usableWithoutPassword = shadow === null ? null : accountsWithoutPassword(shadow).filter((n) => {
    const p = passwd.find((u) => u.name === n)
    return p !== undefined && isLoginShell(p.shell)
  })

  return {
    guestEnabled,
    defaultAccountsEnabled: nobody === true ? ['nobody'] : [],
    accountsWithoutPassword: usableWithoutPassword,
    minPasswordLength: readSetting(pwquality, 'minlen') ?? readSetting(loginDefs, 'PASS_MIN_LEN'),
    screenLockSeconds: null,
  }
}

export const collector: Collector<'base.passwords'> = { id: 'base.passwords', collect: () => collectPasswords() }
