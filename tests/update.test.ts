// The updater against the real server serving a package folder: a SHA-256 mismatch is refused and changes nothing;
// a package that does not start is refused; a good one is switched to with the old version kept for a rollback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageFileName, PROGRAM_FILES, type AgentPackageManifest } from '@lagebild/shared'
import { buildServer } from '../packages/server/src/build.js'
import { configFromEnv } from '../packages/server/src/config.js'
import { openDb } from '../packages/server/src/db/index.js'
import { update, UpdateError } from '../packages/agent/src/update.js'

/** A package whose "node" is a shell script answering `version` like the real agent would. */
function fakePackage(dir: string, version: string, answers: string, exitCode = 0) {
  const stage = join(dir, 'stage', 'lagebild-agent')
  mkdirSync(join(stage, 'bin'), { recursive: true })
  mkdirSync(join(stage, 'agent'), { recursive: true })
  writeFileSync(join(stage, 'VERSION'), `${version}\n`)
  writeFileSync(join(stage, 'agent', 'lagebild-agent.mjs'), '')
  writeFileSync(join(stage, 'bin', 'node'), `#!/bin/sh\necho ${answers}\nexit ${exitCode}\n`, { mode: 0o755 })
  const file = join(dir, packageFileName(version, 'linux-x64'))
  execFileSync('tar', ['-czf', file, '-C', join(dir, 'stage'), 'lagebild-agent'])
  rmSync(join(dir, 'stage'), { recursive: true })
  return file
}

function manifest(dir: string, version: string, file: string, sha256?: string) {
  const body = readFileSync(file)
  const m: AgentPackageManifest = {
    version, builtAt: new Date().toISOString(),
    packages: [{ platform: 'linux-x64', file: packageFileName(version, 'linux-x64'), size: body.length, sha256: sha256 ?? createHash('sha256').update(body).digest('hex'), nodeVersion: '24.22.3' }],
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m))
}

describe('agent self-update', () => {
  let tmp: string
  let packages: string
  let program: string
  let url: string
  let close: () => Promise<void>

  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'lagebild-update-'))
    packages = join(tmp, 'packages')
    program = join(tmp, 'program')
    mkdirSync(packages)
    mkdirSync(join(program, PROGRAM_FILES.versions, '0.1.0'), { recursive: true })
    writeFileSync(join(program, PROGRAM_FILES.current), '0.1.0\n')
    const db = openDb(join(tmp, 'data'))
    const app = await buildServer({ config: configFromEnv({ dataDir: join(tmp, 'data'), logLevel: 'silent', agentPackagesDir: packages }), db, logger: false, jobs: false })
    url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('0.0.0.0', '127.0.0.1')
    close = async () => {
      await app.close()
      db.$client.close()
    }
  })
  afterEach(async () => {
    await close()
    rmSync(tmp, { recursive: true, force: true })
  })

  const state = () => ({
    current: readFileSync(join(program, PROGRAM_FILES.current), 'utf8').trim(),
    versions: existsSync(join(program, PROGRAM_FILES.versions, '0.2.0')),
    pending: existsSync(join(program, PROGRAM_FILES.pending)),
  })

  it('refuses a package whose SHA-256 does not match the server\'s list, and changes nothing', async () => {
    manifest(packages, '0.2.0', fakePackage(packages, '0.2.0', '0.2.0'), 'a'.repeat(64))
    const err = await update({ server: url, tls: {}, program, platform: 'linux-x64', version: '0.1.0' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UpdateError)
    expect((err as Error).message).toMatch(/SHA-256 of lagebild-agent-0\.2\.0-linux-x64\.tar\.gz is [0-9a-f]{64}, the server lists a{64}/)
    expect(state()).toEqual({ current: '0.1.0', versions: false, pending: false })
    expect(readdirNames(join(program, PROGRAM_FILES.versions))).toEqual(['0.1.0'])
  })

  it('refuses a version that does not start here', async () => {
    manifest(packages, '0.2.0', fakePackage(packages, '0.2.0', 'boom', 1))
    await expect(update({ server: url, tls: {}, program, platform: 'linux-x64', version: '0.1.0' })).rejects.toThrow(/does not start here/)
    expect(state()).toEqual({ current: '0.1.0', versions: false, pending: false })
  })

  it('switches to a good newer version and keeps the previous one for a rollback', async () => {
    manifest(packages, '0.2.0', fakePackage(packages, '0.2.0', '0.2.0'))
    const r = await update({ server: url, tls: {}, program, platform: 'linux-x64', version: '0.1.0' })
    expect(r).toEqual({ updated: true, from: '0.1.0', to: '0.2.0' })
    expect(state()).toEqual({ current: '0.2.0', versions: true, pending: true })
    expect(readFileSync(join(program, PROGRAM_FILES.previous), 'utf8').trim()).toBe('0.1.0')
    expect(existsSync(join(program, PROGRAM_FILES.versions, '0.1.0'))).toBe(true)
  })

  it('does not go back to a version that was rolled back, nor to an older or equal one', async () => {
    manifest(packages, '0.2.0', fakePackage(packages, '0.2.0', '0.2.0'))
    writeFileSync(join(program, PROGRAM_FILES.rolledBack), '0.2.0\n')
    expect(await update({ server: url, tls: {}, program, platform: 'linux-x64', version: '0.1.0' })).toMatchObject({ updated: false, reason: expect.stringMatching(/rolled back/) })
    expect(await update({ server: url, tls: {}, program, platform: 'linux-x64', version: '0.2.0' })).toMatchObject({ updated: false, reason: expect.stringMatching(/is current/) })
    expect(state().current).toBe('0.1.0')
  })
})

function readdirNames(dir: string) {
  return execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).split('\n').filter(Boolean)
}
