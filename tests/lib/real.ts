// Starts the real server CLI and runs the real agent CLI, as a user would. Loopback only; everything stops by itself.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SERVER_BIN = join(ROOT, 'packages/server/bin/lagebild-server.mjs')
export const AGENT_BIN = join(ROOT, 'packages/agent/bin/lagebild-agent.mjs')

export interface RealServer {
  url: string
  dataDir: string
  env: NodeJS.ProcessEnv
  output: () => string
  /** Runs a server CLI subcommand on the same data directory. */
  cli(args: string[]): Promise<string>
  stop(): Promise<void>
  /** Kills the server process at once (SIGKILL: no shutdown, as a power cut or the OOM killer would); resolves when it is gone. */
  kill(): Promise<void>
}

export function run(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0
      resolve({ stdout, stderr, code })
    })
  })
}

export async function startServer(extraEnv: NodeJS.ProcessEnv = {}, dataDir = mkdtempSync(join(tmpdir(), 'lagebild-srv-'))): Promise<RealServer> {
  const env = { ...process.env, LAGEBILD_DATA_DIR: dataDir, LAGEBILD_PORT: '0', LAGEBILD_HOST: '127.0.0.1', LAGEBILD_LOG_LEVEL: 'warn', ...extraEnv }
  const child: ChildProcess = spawn(process.execPath, [SERVER_BIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000)
    const check = () => {
      const m = /Statusboard: (https?:\/\/[^\s]+?)\/?\s/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${out}`))
    })
  })
  return {
    url,
    dataDir,
    env,
    output: () => out,
    async cli(args) {
      const r = await run(SERVER_BIN, args, env)
      if (r.code !== 0) throw new Error(`lagebild-server ${args.join(' ')} failed (${r.code}): ${r.stderr}`)
      return r.stdout
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
    },
  }
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true })
}

export function tempDir(prefix: string) {
  return mkdtempSync(join(tmpdir(), prefix))
}
