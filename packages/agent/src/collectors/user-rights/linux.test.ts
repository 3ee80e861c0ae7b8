import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec } from '../../system.js'
import { collector } from './linux.js'
import { isLoginShell, parseGroups, parseLastlog, parsePasswd } from './parse-linux.js'
import { describeLive, expectValid, fixtures, judge } from '../test-helpers.js'

const fixture = fixtures(import.meta.url, 'linux').text

describe('parsers', () => {
  it.each([
    ['getent-group-sudo-wheel-admin.txt', [{ name: 'sudo', gid: 27, members: [] }]],
    ['getent-group-sudo-with-member.txt', [{ name: 'sudo', gid: 27, members: ['lagebildrec'] }]],
  ])('groups %s', (file, want) => expect(parseGroups(fixture(file))).toEqual(want))

  it('passwd and login shells', () => {
    const users = parsePasswd(fixture('passwd-head.txt'))
    expect(users.map((u) => [u.name, u.uid, u.home, isLoginShell(u.shell)])).toEqual([
      ['root', 0, '/root', true],
      ['daemon', 1, '/usr/sbin', false],
      ['bin', 2, '/bin', false],
    ])
  })

  it.each([
    ['lastlog-u-root-never.txt', 'root', false],
    ['lastlog-u-user-logged-in.txt', 'lagebildrec', true],
    ['lastlog-u-root-never.txt', 'someone-else', null],
  ])('lastlog %s for %s', (file, name, want) => expect(parseLastlog(fixture(file), name)).toBe(want))
})

// Live: a real account in the sudo group, first never logged in, then after a login on a pseudo terminal.
describeLive('live on this machine (root, creates a sudo account)', { root: true, tools: ['useradd', 'userdel', 'lastlog', 'login', 'script'] }, () => {
  const user = 'lagebildtest'
  const ok = async (file: string, args: string[]) => {
    const r = await exec(file, args, { timeoutMs: 20_000 })
    if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`)
  }
  beforeAll(async () => {
    await exec('userdel', ['-r', user])
    await ok('useradd', ['-m', '-s', '/bin/bash', '-G', 'sudo', user])
    await ok('lastlog', ['-C', '-u', user]) // a recycled UID must not inherit an old login
  })
  afterAll(async () => {
    await exec('lastlog', ['-C', '-u', user])
    await exec('userdel', ['-r', user])
  })

  it('a sudo member who never logged in is not a daily account; after a login it is', async () => {
    const ctx = { config: { intervalMinutes: 15, backups: [] }, now: new Date() }
    const before = await collector.collect(ctx)
    expectValid('base.user-rights', before)
    expect(before.group).toContain('sudo')
    expect(before.members[0]).toMatchObject({ name: 'root', builtin: true })
    expect(before.members.find((m) => m.name === user)).toEqual({ name: user, kind: 'user', builtin: false, dailyUse: false })

    await exec('script', ['-qc', `login -f ${user}`, '/dev/null'], { input: 'exit\n', timeoutMs: 20_000 })
    const after = await collector.collect(ctx)
    expect(after.members.find((m) => m.name === user)?.dailyUse).toBe(true)
    expect(judge('base.user-rights', after).status).toBe('deviation')
  })
})
