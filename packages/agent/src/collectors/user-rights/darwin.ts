// base.user-rights on macOS: members of the local admin group (`dscl . -read /Groups/admin GroupMembership`),
// each with its home from `dscl . -read /Users/<name> NFSHomeDirectory`. A person's account has its home under
// /Users: that is the "daily use" signal the schema names. Limitation: GroupMembership lists secondary members
// only; an account whose *primary* group is admin (gid 80, rare) is not seen.
import type { UserRightsFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import { execIfPresent, firstLines } from '../tools.js'
import type { Collector } from '../types.js'

type Member = UserRightsFact['members'][number]

/** Pure: the GroupMembership line of a dscl read (alone or within the whole record) → names; [] when absent. */
export function parseGroupMembership(text: string): string[] {
  if (/No such key: GroupMembership/i.test(text)) return []
  const line = /^GroupMembership:(.*)$/m.exec(text)
  if (!line) throw new FactFailure('parse-error', `dscl admin group not understood: ${text.trim().slice(0, 200)}`)
  return line[1]!.trim().split(/\s+/).filter(Boolean)
}

/** Pure: `dscl . -read /Users/<name> NFSHomeDirectory` → the home (may hold spaces), or null. */
export function parseHome(text: string): string | null {
  const m = /^NFSHomeDirectory:\s*(.+?)\s*$/m.exec(text)
  return m ? m[1]! : null
}

/** Pure: member name + its home (undefined: record not read) → member. */
export function adminMember(name: string, home: string | null | undefined): Member {
  const builtin = name === 'root'
  let dailyUse: boolean | null = null
  if (home) dailyUse = home.startsWith('/Users/') && !home.startsWith('/Users/Shared')
  return { name: name.slice(0, 500), kind: home === undefined ? 'unknown' : 'user', builtin, dailyUse }
}

export async function collectDarwinUserRights(): Promise<UserRightsFact> {
  const g = await execIfPresent('/usr/bin/dscl', ['.', '-read', '/Groups/admin', 'GroupMembership'], { timeoutMs: 15_000 })
  if (!g) throw new FactFailure('command-missing', '/usr/bin/dscl is not installed')
  if (g.code !== 0 && !/No such key/i.test(g.stdout + g.stderr)) throw new FactFailure('failed', `dscl admin group exited ${g.code}: ${firstLines(g)}`)
  const members: Member[] = []
  for (const name of parseGroupMembership(g.stdout + g.stderr).slice(0, 500)) {
    const u = await execIfPresent('/usr/bin/dscl', ['.', '-read', `/Users/${name}`, 'NFSHomeDirectory'], { timeoutMs: 15_000 })
    // A name without a local record (e.g. a directory account) stays kind unknown, dailyUse null.
    members.push(adminMember(name, u && u.code === 0 ? parseHome(u.stdout) : undefined))
  }
  return { group: 'admin', members }
}

export const collector: Collector<'base.user-rights'> = { id: 'base.user-rights', collect: () => collectDarwinUserRights() }
