// The messages between the fleet simulator (bench/fleet/run.ts) and its client processes (bench/fleet/worker.ts).
import type { FleetAgent } from './seed.js'

export type WorkerCommand = { id: number } & (
  | { cmd: 'init'; url: string; agents: FleetAgent[]; changeRate: number }
  | { cmd: 'connect'; perSecond: number; timeoutMs: number }
  | { cmd: 'steady'; cycleMs: number; durationMs: number }
  | { cmd: 'saturate'; durationMs: number }
  | { cmd: 'storm'; windowMs: number; timeoutMs: number }
  | { cmd: 'recover'; since: number; timeoutMs: number }
  | { cmd: 'drain'; timeoutMs: number }
  | { cmd: 'stats' }
  | { cmd: 'count' }
  | { cmd: 'stop' }
)

/** A command without its id (the id is added when it is sent). */
export type WorkerRequest = WorkerCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never

export interface WorkerStats {
  /** Report sent → ack received, ms. */
  latencies: number[]
  /** When each ack arrived (epoch ms), for rates over a window. */
  ackTimes: number[]
  /** Every report id the server acknowledged: each must be in the database at the end. */
  ackedIds: string[]
  duplicates: number
  /** Error frames by status. */
  errors: Record<string, number>
  /** Sends that got no answer (not connected, no ack in time, closed before the ack), by message. */
  failures: Record<string, number>
  /** Closes of open connections not caused by the simulator, by close code (4000: replaced by another connection). */
  closes: Record<string, number>
  /** Connection attempts that never opened (handshake refused or timed out). */
  handshakeFailures: number
  connects: number
  slowDowns: number
  /** Reports dropped from a full simulated spool. */
  dropped: number
  /** Storm/restart: time from the cut to the first ack afterwards, per agent, ms. */
  reconnectToAck: number[]
  /** The client process's own longest event-loop delay: large values would make the client the bottleneck. */
  loopMaxMs: number
  sent: number
}
