// base.passwords on Linux: accounts without a password (/etc/shadow, root only), guest accounts/sessions,
// the minimum password length (what the PAM stack of `passwd` enforces; login.defs only where there is no PAM).
// Screen lock is per desktop session and cannot be read reliably by a root service: null, never a guess — but a
// machine without any desktop says so (localDesktop: false), and there the screen lock does not apply.
import type { PasswordsFact } from '@lagebild/shared'
import { exists, FactFailure, listDir, readTextIfExists } from '../../system.js'
import { execIfPresent } from '../tools.js'
import type { Collector } from '../types.js'
import { isLoginShell, parsePasswd } from '../user-rights/parse-linux.js'
import { accountsWithoutPassword, isLocked, lightdmAllowsGuest, localDesktopFrom, minPasswordLength, pamPasswordStack, parseShadow } from './parse-linux.js'

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
  const usableWithoutPassword = shadow === null ? null : accountsWithoutPassword(shadow).filter((n) => {
    const p = passwd.find((u) => u.name === n)
    return p !== undefined && isLoginShell(p.shell)
  })

  return {
    guestEnabled,
    defaultAccountsEnabled: nobody === true ? ['nobody'] : [],
    accountsWithoutPassword: usableWithoutPassword,
    minPasswordLength: await readMinPasswordLength(),
    screenLockSeconds: null,
    localDesktop: await readLocalDesktop(),
  }
}

export async function readLocalDesktop(): Promise<boolean | null> {
  return localDesktopFrom({
    displayManagerEnabled: await exists('/etc/systemd/system/display-manager.service'),
    sessionFiles: [...(await listDir('/usr/share/xsessions')), ...(await listDir('/usr/share/wayland-sessions'))],
  })
}

/** Every readable file of a configuration folder, by name (small folders: /etc/pam.d, pwquality.conf.d). */
async function readFolder(dir: string, match: (name: string) => boolean = () => true): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const name of (await listDir(dir)).filter(match).sort()) {
    const text = await readTextIfExists(`${dir}/${name}`).catch(() => null)
    if (text !== null) files.set(name, text)
  }
  return files
}

/** The installed libpwquality's version, from the package database (its defaults depend on it). */
async function pwqualityVersion(): Promise<string | null> {
  const deb = await execIfPresent('dpkg-query', ['-W', '-f', '${Version}\n', 'libpwquality1'])
  const rpm = deb?.code === 0 ? null : await execIfPresent('rpm', ['-q', '--qf', '%{VERSION}\n', 'libpwquality', 'libpwquality1'])
  const out = deb?.code === 0 ? deb.stdout : (rpm?.stdout ?? '')
  return out.split('\n').map((l) => l.trim()).find((l) => /^(\d+:)?\d+\.\d+/.test(l)) ?? null
}

export async function readMinPasswordLength(): Promise<number | null> {
  const pam = (await exists('/etc/pam.d')) ? await readFolder('/etc/pam.d') : null
  // PAM runs `other` for a service without its own file.
  const stack = pam ? (pamPasswordStack(pam, pam.has('passwd') ? 'passwd' : 'other') ?? []) : null
  const usesPwquality = stack?.some((m) => m.module === 'pam_pwquality.so') ?? false
  return minPasswordLength({
    stack,
    pwqualityConf: usesPwquality
      ? [(await readTextIfExists('/etc/security/pwquality.conf')) ?? '', ...(await readFolder('/etc/security/pwquality.conf.d', (n) => n.endsWith('.conf'))).values()]
      : [],
    pwqualityVersion: usesPwquality ? await pwqualityVersion() : null,
    loginDefs: (await readTextIfExists('/etc/login.defs')) ?? '',
  })
}

export const collector: Collector<'base.passwords'> = { id: 'base.passwords', collect: () => collectPasswords() }
