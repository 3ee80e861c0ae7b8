// base.user-rights on Linux: members of sudo / wheel / admin (secondary and primary), root as the built-in.
// dailyUse: a login shell, a home under /home and a recorded login (lastlog); what cannot be told stays null.
import type { UserRightsFact } from '@lagebild/shared'
import { exec, exists, FactFailure } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'
import { isLoginShell, parseGroups, parseLastlog, parsePasswd, type PasswdEntry } from './parse-linux.js'

type Member = UserRightsFact['members'][number]

const ADMIN_GROUPS = ['sudo', 'wheel', 'admin']

async function hasLoggedIn(name: string): Promise<boolean | null> {
  if (await exists('/var/log/lastlog')) {
    const r = await execIfPresent('lastlog', ['-u', name])
    if (r && r.code === 0) return parseLastlog(r.stdout, name)
  }
  // util-linux lastlog2 (newer distros) keeps its own database.
  const r2 = await execIfPresent('lastlog2', ['-u', name])
  if (r2 && r2.code === 0) return parseLastlog(r2.stdout, name)
  return null
}

export async function dailyUse(p: PasswdEntry | undefined): Promise<boolean | null> {
  if (!p) return null
  if (!isLoginShell(p.shell) || !p.home.startsWith('/home/')) return false
  return hasLoggedIn(p.name)
}

export async function collectUserRights(): Promise<UserRightsFact> {
  // getent exits 2 when some of the keys do not exist; the found ones are still printed.
  const g = await exec('getent', ['group', ...ADMIN_GROUPS])
  if (g.code !== 0 && g.code !== 2) throw new FactFailure('failed', `getent group exited ${g.code}: ${firstLines(g)}`)
  const groups = parseGroups(g.stdout)
  const pw = await exec('getent', ['passwd'])
  if (pw.code !== 0) throw new FactFailure('failed', `getent passwd exited ${pw.code}: ${firstLines(pw)}`)
  const users = parsePasswd(pw.stdout)
  const byName = new Map(users.map((u) => [u.name, u]))
  const names = new Set<string>()
  for (const grp of groups) {
    for (const m of grp.members) names.add(m)
    for (const u of users) if (u.gid === grp.gid) names.add(u.name)
  }
  const members: Member[] = [{ name: 'root', kind: 'user', builtin: true, dailyUse: await dailyUse(byName.get('root')) }]
  for (const name of [...names].sort()) {
    if (name === 'root') continue
    const entry = byName.get(name)
    members.push({ name, kind: entry ? 'user' : 'unknown', builtin: false, dailyUse: await dailyUse(entry) })
  }
  return { group: groups.length ? groups.map((x) => x.name).join(',') : 'root', members: members.slice(0, 500) }
}

export const collector: Collector<'base.user-rights'> = { id: 'base.user-rights', collect: () => collectUserRights() }
