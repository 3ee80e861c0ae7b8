// How the agent finds and runs a tool: what a missing, a hidden and a non-executable tool look like in a report.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec, FactFailure, findTool } from './system.js'
import { isLinux, isRoot, runUnprivileged } from './collectors/test-helpers.js'

let dir = ''
let blocked = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lagebild-tools-'))
  // A PATH folder the (unprivileged) agent may not enter, like root's ~/.cargo/bin in an inherited PATH.
  blocked = await mkdtemp(join(tmpdir(), 'lagebild-blocked-'))
  await chmod(blocked, isRoot ? 0o700 : 0o000)
  await writeFile(join(dir, 'lagebild-not-executable'), '#!/bin/sh\necho hi\n', { mode: 0o644 })
})
afterAll(async () => {
  await chmod(blocked, 0o700).catch(() => undefined)
  await rm(blocked, { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
})

const failure = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(FactFailure)
    return { code: (err as FactFailure).code, message: (err as FactFailure).message }
  }
  throw new Error('expected a FactFailure')
}

describe.runIf(isLinux)('finding tools', () => {
  it('a tool in /usr/sbin is found with a PATH that lacks it (a service or sudo may start the agent so)', async () => {
    const found = await findTool('iptables', '/usr/bin:/bin')
    expect(found).toEqual({ path: expect.stringMatching(/^\/(usr\/)?sbin\/iptables$/) })
    const before = process.env.PATH
    process.env.PATH = '/usr/bin:/bin'
    try {
      expect((await exec('iptables', ['--version'])).stdout).toMatch(/^iptables v\d/)
    } finally {
      process.env.PATH = before
    }
  })

  it('a tool that is nowhere is command-missing', async () => {
    expect(await failure(exec('lagebild-no-such-tool', []))).toEqual({ code: 'command-missing', message: 'lagebild-no-such-tool is not installed' })
  })

  it('a file that may not be run is permission-denied, naming the file', async () => {
    expect(await findTool('lagebild-not-executable', dir)).toEqual({ notExecutable: join(dir, 'lagebild-not-executable') })
    const before = process.env.PATH
    process.env.PATH = `${dir}:/usr/bin:/bin`
    try {
      expect(await failure(exec('lagebild-not-executable', []))).toMatchObject({ code: 'permission-denied', message: `${join(dir, 'lagebild-not-executable')}: permission denied` })
    } finally {
      process.env.PATH = before
    }
  })

  it('as a non-root agent, a PATH folder it may not enter does not turn a missing tool into "permission denied"', async () => {
    const system = new URL('./system.ts', import.meta.url).href
    const r = await runUnprivileged(
      `const { exec } = await import(${JSON.stringify(system)})
       try { await exec('mdatp', ['health']); print('ran') } catch (e) { print({ code: e.code, message: e.message }) }`,
      { PATH: `${blocked}:/usr/bin:/bin` },
    )
    expect(r).toEqual({ code: 'command-missing', message: 'mdatp is not installed' })
  })
})
