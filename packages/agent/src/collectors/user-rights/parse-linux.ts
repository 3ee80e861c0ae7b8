// Pure parsers for the Linux account databases (getent group/passwd output, lastlog). No I/O.

export interface GroupEntry { name: string; gid: number; members: string[] }
export interface PasswdEntry { name: string; uid: number; gid: number; home: string; shell: string }

/** `getent group …` / /etc/group: `name:x:gid:member1,member2`. */
export function parseGroups(text: string): GroupEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4 && f[0])
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: f[3]!.split(',').map((s) => s.trim()).filter(Boolean) }))
}

/** `getent passwd` / /etc/passwd: `name:x:uid:gid:gecos:home:shell`. */
export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7 && f[0])
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]!.trim() }))
}

/** A shell one can log in with: not nologin/false/sync/halt/shutdown. */
export const isLoginShell = (shell: string) => shell !== '' && !/(nologin|\/false|\/sync|\/halt|\/shutdown)$/.test(shell)

/**
 * `lastlog -u NAME`: a header, then `name  port  from  latest` or `name  **Never logged in**`.
 * true: has logged in; false: never; null: not understood.
 */
export function parseLastlog(text: string, name: string): boolean | null {
  const line = text.split('\n').find((l) => l.split(/\s+/)[0] === name)
  if (!line) return null
  if (/\*\*Never logged in\*\*/.test(line)) return false
  return /\b\d{4}\b/.test(line) ? true : null
}
