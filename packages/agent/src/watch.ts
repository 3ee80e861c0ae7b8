// Event triggers: instead of polling, listen for changes and collect only then.
// Linux: `nft monitor` prints every ruleset change (ufw, firewalld and nftables all end up there), so a firewall switched
// off is seen within seconds at no idle cost. A long-running child, therefore here and not in system.ts (exec with timeout).
import { spawn, type ChildProcess } from 'node:child_process'
import { platform } from 'node:os'

export interface Watcher {
  stop(): void
}

export interface NftWatchOptions {
  debounceMs?: number
  log?: (msg: string) => void
  /** For tests: the command to run instead of `nft monitor`. */
  command?: [string, ...string[]]
}

/** Calls `onChange` once the ruleset has been quiet for debounceMs after a change. Null when not on Linux. */
export function watchNftables(onChange: () => void, opts: NftWatchOptions = {}): Watcher | null {
  if (platform() !== 'linux' && !opts.command) return null
  const [cmd, ...args] = opts.command ?? ['nft', 'monitor']
  const debounceMs = opts.debounceMs ?? 1_000
  let stopped = false
  let child: ChildProcess | null = null
  let debounce: NodeJS.Timeout | null = null
  let restart: NodeJS.Timeout | null = null

  const start = () => {
    const startedAt = Date.now()
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] })
    child = c
    // nft missing (ENOENT) or not allowed: the minute tick still sees every change, only later.
    c.on('error', () => undefined)
    c.stdout?.on('data', () => {
      if (debounce) clearTimeout(debounce)
      debounce = setTimeout(() => {
        debounce = null
        if (!stopped) onChange()
      }, debounceMs)
    })
    c.on('exit', (code) => {
      child = null
      if (stopped) return
      // It ran for a while and then ended (nft upgraded, netlink hiccup): start it again. One that fails at once
      // (not root, no nftables in the kernel) stays off — silently, the minute tick covers it.
      if (Date.now() - startedAt > 60_000) {
        opts.log?.(`nft monitor ended (${code}); starting it again`)
        restart = setTimeout(start, 5_000)
      }
    })
  }
  start()

  return {
    stop() {
      stopped = true
      if (debounce) clearTimeout(debounce)
      if (restart) clearTimeout(restart)
      child?.kill()
      child = null
    },
  }
}
