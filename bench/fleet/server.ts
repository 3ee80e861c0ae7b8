// The real server CLI as its own process, for the fleet simulator: started on a seeded data directory, with the probe
// preloaded (event-loop delay, RSS, CPU once a second) and optionally under `node --cpu-prof`; stopped with SIGTERM or
// killed with SIGKILL and started again on the same port (fault runs).
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SERVER_BIN = join(ROOT, 'packages/server/bin/lagebild-server.mjs')
const PROBE = new URL('./probe.mjs', import.meta.url).href

export interface ProbeLine {
  t: number
  maxMs: number
  p99Ms: number
  meanMs: number
  gapMs: number
  rss: number
  heapUsed: number
  external: number
  cpuMs: number
}

/** Reads the probe lines of a file (one JSON object a line). */
export function readProbe(file: string, since = 0): ProbeLine[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ProbeLine)
    .filter((l) => l.t >= since)
}

/**
 * An idle Node process with the same probe: on a shared machine the OS alone delays timers (measured here: 100–300 ms
 * while others compile and test). What the canary sees, the server's own figure cannot be blamed for.
 */
export function startCanary(runDir: string) {
  const file = join(runDir, 'canary.jsonl')
  const child = spawn(process.execPath, ['--import', PROBE, '-e', 'setInterval(() => {}, 60_000)'], {
    env: { ...process.env, LAGEBILD_PROBE_FILE: file },
    stdio: 'ignore',
  })
  return { probe: (since = 0) => readProbe(file, since), stop: () => void child.kill('SIGTERM') }
}

export interface FleetServerOptions {
  dataDir: string
  /** Where the probe lines, the server's log and CPU profiles go. */
  runDir: string
  port?: number
  /** Write a CPU profile (.cpuprofile) into runDir/profiles when the process ends. */
  cpuProf?: boolean
  env?: NodeJS.ProcessEnv
}

export interface FleetServer {
  url: string
  port: number
  pid: number
  /** Probe lines written since `since` (epoch ms). */
  probe(since?: number): ProbeLine[]
  stop(): Promise<number | null>
  kill9(): Promise<void>
  /** Starts again on the same port and data directory (after stop or kill9). */
  restart(): Promise<void>
}

export async function startFleetServer(opts: FleetServerOptions): Promise<FleetServer> {
  const probeFile = join(opts.runDir, 'probe.jsonl')
  let child!: ChildProcess
  let port = opts.port ?? 0
  let url = ''

  async function boot() {
    const args = ['--import', PROBE, ...(opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(opts.runDir, 'profiles')] : []), SERVER_BIN, 'start']
    // The server writes its log straight into the file: through a pipe to this process a slow reader would make the
    // server's own (synchronous) log writes wait.
    const logFile = join(opts.runDir, 'server.log')
    const from = existsSync(logFile) ? statSync(logFile).size : 0
    const fd = openSync(logFile, 'a')
    child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        LAGEBILD_DATA_DIR: opts.dataDir,
        LAGEBILD_HOST: '127.0.0.1',
        LAGEBILD_PORT: String(port),
        LAGEBILD_ADMIN_PASSWORD: 'fleet bench password',
        LAGEBILD_LOG_LEVEL: 'info',
        LAGEBILD_PROBE_FILE: probeFile,
        ...opts.env,
      },
      stdio: ['ignore', fd, fd],
    })
    closeSync(fd)
    let exit: number | null | undefined
    child.once('exit', (code) => (exit = code))
    const t0 = Date.now()
    for (;;) {
      const out = readFileSync(logFile, 'utf8').slice(from)
      const m = /Statusboard: (https?:\/\/[^\s]+?)\/?\s/.exec(out)
      if (m) {
        url = m[1]!
        break
      }
      if (exit !== undefined) throw new Error(`server exited with ${exit}:\n${out}`)
      if (Date.now() - t0 > 120_000) throw new Error(`server did not start within 120 s:\n${out}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    port = Number(new URL(url).port)
  }

  const exited = () => new Promise<number | null>((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))))

  await boot()
  return {
    get url() {
      return url
    },
    get port() {
      return port
    },
    get pid() {
      return child.pid!
    },
    probe: (since = 0) => readProbe(probeFile, since),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      const done = exited()
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      const code = await done
      clearTimeout(timer)
      return code
    },
    async kill9() {
      const done = exited()
      child.kill('SIGKILL')
      await done
    },
    restart: boot,
  }
}
