// The only code that touches the host: child processes, files, systeminformation.
// Everything else in the agent is pure and fed from here, so tests can use recorded outputs.
import { execFile, spawn } from 'node:child_process'
import { access, lstat, open, readFile, readlink, stat, readdir } from 'node:fs/promises'
import { appendFileSync, constants, type Dirent } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { agentEnv } from './config.js'
import type { FactErrorCode } from '@lagebild/shared'

/** A collector's way of saying "I could not read this": becomes `{ error: { code, message } }` in the report. */
export class FactFailure extends Error {
  constructor(
    readonly code: FactErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'FactFailure'
  }
}

export interface ExecResult {
  stdout: string
  stderr: string
  /** Exit code; null when killed by a signal. */
  code: number | null
}

export interface ExecOptions {
  /** Hard limit; the child is killed after it. Default 30 s. */
  timeoutMs?: number
  /** Extra environment. LC_ALL=C and LANG=C are always set so localized tools print English. */
  env?: Record<string, string>
  /** Largest output accepted. Default 16 MiB. */
  maxBuffer?: number
  /** Input for the child's standard input. */
  input?: string
}

/**
 * Where tools live on Linux and macOS besides PATH. A service, a cron job or `sudo` may hand the agent a PATH without
 * the sbin folders (ufw, nft, iptables, clamd live there), so they are always searched too.
 */
export const TOOL_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']

export type ToolLookup = { path: string } | { notExecutable: string } | null

/**
 * Finds a program by name in PATH and then in TOOL_DIRS, the way the shell would, but judged per file: a folder in PATH
 * the agent may not enter (root's ~/.cargo/bin for a non-root agent) is skipped, not taken as "permission denied" for a
 * tool that is not installed at all — that is what execvp reports when the last folder it tried refused it.
 */
export async function findTool(name: string, pathEnv = process.env.PATH ?? ''): Promise<ToolLookup> {
  let notExecutable: string | null = null
  const dirs = [...new Set([...pathEnv.split(delimiter).filter((d) => isAbsolute(d)), ...TOOL_DIRS])]
  for (const dir of dirs) {
    const file = join(dir, name)
    try {
      if (!(await stat(file)).isFile()) continue
    } catch {
      continue // not there, or the folder cannot be entered
    }
    try {
      await access(file, constants.X_OK)
      return { path: file }
    } catch {
      notExecutable ??= file
    }
  }
  return notExecutable ? { notExecutable } : null
}

/** A program name → the file to run. Windows keeps its own lookup (PATHEXT); a path is used as given. */
async function resolveTool(file: string): Promise<string> {
  if (process.platform === 'win32' || file.includes('/')) return file
  const found = await findTool(file)
  if (found === null) throw new FactFailure('command-missing', `${file} is not installed`)
  if ('notExecutable' in found) throw new FactFailure('permission-denied', `${found.notExecutable}: permission denied`)
  return found.path
}

/**
 * Runs a program (never through a shell) with a timeout. A non-zero exit code is NOT an error here:
 * many tools use exit codes as data (dnf check-update 100, zypper 100-103). Throws FactFailure for
 * a missing program, a timeout or a permission problem.
 */
export function exec(file: string, args: readonly string[] = [], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeout = opts.timeoutMs ?? 30_000
  const started = performance.now()
  // For bench/agent.ts: which commands a collection runs, to time them directly for comparison.
  const trace = agentEnv().traceExec
  const done = <T>(v: T) => {
    if (trace) appendFileSync(trace, JSON.stringify({ pid: process.pid, file, args, env: opts.env ?? {}, input: opts.input, ms: performance.now() - started }) + '\n')
    return v
  }
  return resolveTool(file).then((path) => run(path, file, args, opts, timeout)).then(done, (err: unknown) => {
    throw done(err)
  })
}

function run(path: string, file: string, args: readonly string[], opts: ExecOptions, timeout: number): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const child = execFile(
      path,
      args,
      {
        timeout,
        killSignal: 'SIGKILL',
        maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: 'C', ...opts.env },
        windowsHide: true,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: unknown }
          if (e.code === 'ENOENT') return reject(new FactFailure('command-missing', `${file} is not installed`))
          if (e.code === 'EACCES') return reject(new FactFailure('permission-denied', `${file}: permission denied`))
          if (e.killed || e.signal === 'SIGKILL')
            return reject(new FactFailure('timeout', `${file} ${args.join(' ')} took longer than ${timeout} ms`))
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
            return reject(new FactFailure('failed', `${file} printed more than the output limit`))
          if (typeof e.code === 'number') return resolve({ stdout, stderr, code: e.code })
          return reject(new FactFailure('failed', `${file}: ${e.message}`))
        }
        resolve({ stdout, stderr, code: 0 })
      },
    )
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

/** Reads a text file; FactFailure for a missing file (command-missing is wrong here, so: failed) or no permission. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') throw new FactFailure('permission-denied', `${path}: permission denied`)
    throw new FactFailure('failed', `${path}: ${(err as Error).message}`)
  }
}

/** Reads a text file, or null when it does not exist (other errors are thrown as FactFailure). */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    return readText(path)
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

export async function mtime(path: string): Promise<Date | null> {
  try {
    return (await stat(path)).mtime
  } catch {
    return null
  }
}

export async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path)
  } catch {
    return []
  }
}

/**
 * The newest modification time of a file or of anything below a folder, walking at most `maxDepth` levels
 * and `maxEntries` entries (a backup target can be huge). Symlinks are not followed. Null: nothing found.
 * Throws FactFailure when the path itself cannot be read.
 */
export async function newestMtimeBelow(
  path: string,
  limits: { maxDepth?: number; maxEntries?: number } = {},
): Promise<{ newest: Date | null; entries: number; truncated: boolean }> {
  const maxDepth = limits.maxDepth ?? 4
  const maxEntries = limits.maxEntries ?? 20_000
  let top
  try {
    top = await lstat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') throw new FactFailure('permission-denied', `${path}: permission denied`)
    throw new FactFailure('failed', `${path}: ${(err as Error).message}`)
  }
  if (!top.isDirectory()) return { newest: top.mtime, entries: 1, truncated: false }
  let newest: number | null = null
  let entries = 0
  let truncated = false
  const queue: { dir: string; depth: number }[] = [{ dir: path, depth: 0 }]
  while (queue.length) {
    const { dir, depth } = queue.shift()!
    let names: Dirent[]
    try {
      names = await readdir(dir, { withFileTypes: true })
    } catch {
      continue // an unreadable subfolder must not hide the rest
    }
    for (const d of names) {
      if (++entries > maxEntries) {
        truncated = true
        break
      }
      const full = `${dir}/${d.name}`
      if (d.isDirectory()) {
        if (depth + 1 < maxDepth) queue.push({ dir: full, depth: depth + 1 })
        continue
      }
      try {
        const t = (await lstat(full)).mtimeMs
        if (newest === null || t > newest) newest = t
      } catch {
        // vanished while walking
      }
    }
    if (truncated) break
  }
  return { newest: newest === null ? null : new Date(newest), entries, truncated }
}

/** True for a time zone name this runtime knows (IANA, e.g. Europe/Berlin). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/**
 * The IANA zone the system writes its local times in (Linux, macOS). Not this process's zone: TZ may be set for the
 * agent's service or a shell. In order: /etc/localtime, a link into a zoneinfo folder on both OSes
 * (/usr/share/zoneinfo/Europe/Berlin, /var/db/timezone/zoneinfo/Europe/Berlin); /etc/timezone (Debian);
 * `timedatectl`; and without TZ the runtime's own zone, which ICU reads from /etc/localtime too (also a copied file).
 * Null when nothing tells.
 */
export async function systemTimeZone(): Promise<string | null> {
  try {
    const m = /\/zoneinfo\/(?:posix\/|right\/)?(.+)$/.exec(await readlink('/etc/localtime'))
    if (m && isTimeZone(m[1]!)) return m[1]!
  } catch {
    // not a link (a copied file) or missing: the next source
  }
  const etc = (await readTextIfExists('/etc/timezone').catch(() => null))?.trim()
  if (etc && isTimeZone(etc)) return etc
  if (process.platform === 'linux') {
    const r = await exec('timedatectl', ['show', '-p', 'Timezone', '--value'], { timeoutMs: 5_000 }).catch(() => null)
    const zone = r?.code === 0 ? r.stdout.trim() : ''
    if (zone && isTimeZone(zone)) return zone
  }
  if (!process.env.TZ) return Intl.DateTimeFormat().resolvedOptions().timeZone || null
  return null
}

export interface Captured {
  /** What the program printed (stdout, then stderr marked as such), cut at the limit. */
  data: Buffer
  truncated: boolean
  code: number | null
}

/**
 * Runs a program and keeps its output as bytes up to `maxBytes` — more is cut, not an error (evidence must not be lost
 * because a log is long): the child is stopped once the limit is reached and the result says `truncated`. Never through
 * a shell; the same tool lookup and C locale as exec.
 */
export async function capture(file: string, args: readonly string[], opts: { timeoutMs?: number; maxBytes: number; env?: Record<string, string> }): Promise<Captured> {
  const path = await resolveTool(file)
  return new Promise<Captured>((resolve, reject) => {
    const child = spawn(path, args, { env: { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: 'C', ...opts.env }, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    const errs: Buffer[] = []
    let size = 0
    let truncated = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new FactFailure('timeout', `${file} ${args.join(' ')} took longer than ${opts.timeoutMs} ms`))
    }, opts.timeoutMs ?? 120_000)
    child.stdout.on('data', (c: Buffer) => {
      if (truncated) return
      const room = opts.maxBytes - size
      if (c.length >= room) {
        chunks.push(c.subarray(0, room))
        size += room
        truncated = true
        child.kill('SIGKILL')
      } else {
        chunks.push(c)
        size += c.length
      }
    })
    child.stderr.on('data', (c: Buffer) => errs.length < 64 && errs.push(c))
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(err.code === 'ENOENT' ? new FactFailure('command-missing', `${file} is not installed`) : new FactFailure('failed', `${file}: ${err.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      const err = Buffer.concat(errs).toString('utf8').trim()
      const tail = err && !truncated ? Buffer.from(`\n--- stderr ---\n${err.slice(0, 4000)}\n`) : Buffer.alloc(0)
      resolve({ data: Buffer.concat([...chunks, tail]), truncated, code: truncated ? null : code })
    })
  })
}

/** The last `maxBytes` of a file (a log grows at its end); null when it does not exist. */
export async function readTail(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean } | null> {
  let fh
  try {
    fh = await open(path, 'r')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    if (code === 'EACCES' || code === 'EPERM') throw new FactFailure('permission-denied', `${path}: permission denied`)
    throw new FactFailure('failed', `${path}: ${(err as Error).message}`)
  }
  try {
    const { size } = await fh.stat()
    const start = Math.max(0, size - maxBytes)
    const data = Buffer.alloc(size - start)
    await fh.read(data, 0, data.length, start)
    return { data, truncated: start > 0 }
  } finally {
    await fh.close()
  }
}
