// A full collection runs in a short-lived child process (`lagebild-agent collect --json`): the resident agent
// never loads systeminformation and every collector's memory is returned to the OS when the child exits.
import { execFile } from 'node:child_process'
import type { Report } from '@lagebild/shared'

export const WORKER_TIMEOUT_MS = 15 * 60_000

export function collectInWorker(dir: string, timeoutMs = WORKER_TIMEOUT_MS, configFile?: string): Promise<Report> {
  const entry = process.argv[1]
  if (!entry) return Promise.reject(new Error('cannot find the agent entry point to start a collection'))
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...process.execArgv, entry, 'collect', '--json', '--dir', dir, ...(configFile ? ['--config', configFile] : [])],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`collection process failed: ${(stderr || err.message).trim().slice(0, 1000)}`))
        let report: unknown
        try {
          report = JSON.parse(stdout)
        } catch {
          return reject(new Error('collection process printed no JSON report'))
        }
        // The child is this very program; the server validates every report against the schema anyway.
        // (Compiling the report schema here would cost the resident process several MiB.)
        if (typeof report !== 'object' || report === null || (report as { v?: unknown }).v !== 1)
          return reject(new Error('collection process printed something that is not a report'))
        resolve(report as Report)
      },
    )
  })
}
