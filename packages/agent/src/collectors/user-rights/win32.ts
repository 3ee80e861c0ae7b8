// base.user-rights on Windows: members of the local Administrators group by its well-known SID S-1-5-32-544
// (never by its localized name "Administratoren"), read by windows/posture.ps1. Get-LocalGroupMember fails with
// "Failed to compare two elements in the array." when Azure AD or orphaned SIDs are members; the script then
// reads the group through ADSI.
import type { UserRightsFact } from '@lagebild/shared'
import { FactFailure } from '../../system.js'
import type { Collector } from '../types.js'
import { posture, unwrap } from '../windows/posture.js'
import { asArray, isObject, rid, sid as sidOf, str } from '../windows/values.js'

type Member = UserRightsFact['members'][number]

export const ADMINISTRATORS_SID = 'S-1-5-32-544'

/** Built in: the built-in Administrator (RID 500), Domain Admins (512), Enterprise Admins (519). */
const isBuiltin = (s: string | null) => s !== null && /^S-1-5-21-/.test(s) && [500, 512, 519].includes(rid(s) ?? -1)

function kindOf(objectClass: string | null): Member['kind'] {
  const c = objectClass?.toLowerCase()
  if (c === 'user') return 'user'
  if (c === 'group') return 'group'
  return 'unknown'
}

/**
 * Pure: the userRights section → fact. dailyUse: the account has a user profile on this PC (it has logged on
 * interactively); without the profile list it is null.
 */
export function parseWin32UserRights(section: unknown): UserRightsFact {
  const data = unwrap(section, `members of ${ADMINISTRATORS_SID}`)
  if (!isObject(data)) throw new FactFailure('parse-error', 'Administrators: no result object')
  const profiles = data.ProfileSids === null || data.ProfileSids === undefined ? null : new Set(asArray(data.ProfileSids).map(sidOf).filter((s): s is string => !!s))
  const members = asArray(data.Members).map((m): Member => {
    if (!isObject(m)) throw new FactFailure('parse-error', 'Administrators: a member is not an object')
    const s = sidOf(m.SID)
    const name = str(m.Name) ?? s ?? '?'
    const kind = kindOf(str(m.ObjectClass))
    return {
      name: name.slice(0, 500),
      ...(s ? { sid: s } : {}),
      kind,
      builtin: isBuiltin(s),
      dailyUse: kind === 'group' || profiles === null || s === null ? null : profiles.has(s),
    }
  })
  return { group: ADMINISTRATORS_SID, members: members.slice(0, 500) }
}

export const collector: Collector<'base.user-rights'> = {
  id: 'base.user-rights',
  async collect(ctx) {
    return parseWin32UserRights((await posture(ctx)).sections.userRights)
  },
}
