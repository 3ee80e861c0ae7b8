// Small helpers for running a host tool from any OS's collectors (Linux, macOS, and the OS-neutral backup tools):
// "run it if it is installed" and a short message from its output.
import { exec, FactFailure, type ExecOptions, type ExecResult } from '../system.js'

/** Runs a tool; null when it is not installed (so the caller can try the next source). Other failures are thrown. */
export async function execIfPresent(file: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult | null> {
  try {
    return await exec(file, args, opts)
  } catch (err) {
    if (err instanceof FactFailure && err.code === 'command-missing') return null
    throw err
  }
}

/** A message fit for a FactFailure: the first lines of stderr (or stdout). */
export const firstLines = (r: ExecResult, n = 3) =>
  (r.stderr.trim() || r.stdout.trim()).split('\n').slice(0, n).join(' | ').slice(0, 500)
