// The WAL checkpointer of the running server, in its own thread with its own connection (see durability.ts): copying the
// WAL into the database file and the fsyncs that go with it never block the server's event loop. PASSIVE checkpoints
// never wait for the writer and never make it wait. Plain JavaScript: worker threads do not inherit the tsx loader.
//
// Messages: → 'now' (checkpoint at once, answer { now: true, … }, then wait for 'resume'), 'resume', 'stop';
// ← { log, checkpointed } after every checkpoint (frames in the WAL, frames copied), { error }.
import { parentPort, workerData } from 'node:worker_threads'
import { clearTimeout, setTimeout } from 'node:timers'
import Database from 'better-sqlite3'

const { file, everyMs } = workerData
const db = new Database(file)
db.pragma('busy_timeout = 1000')
// A checkpoint syncs the WAL before it copies and the database file after it.
db.pragma('synchronous = FULL')
db.pragma('wal_autocheckpoint = 0')

let stopped = false
let asked = false
/** After a 'now' checkpoint the main thread may truncate the WAL: no checkpoint of ours may hold a lock meanwhile. */
let held = false
let wake = () => {}
parentPort.on('message', (m) => {
  if (m === 'stop') stopped = true
  else if (m === 'now') asked = true
  else if (m === 'resume') held = false
  wake()
})
while (!stopped) {
  const now = asked
  asked = false
  if (!held || now) {
    try {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)')
      parentPort.postMessage({ now, log: r.log, checkpointed: r.checkpointed })
    } catch (err) {
      parentPort.postMessage({ now, error: String(err && err.message ? err.message : err) })
    }
    if (now) held = true
  }
  if (asked || stopped) continue
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, everyMs)
    wake = () => {
      clearTimeout(timer)
      resolve()
    }
  })
}
db.close()
parentPort.close()
