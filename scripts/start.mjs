// README command 1: install everything, start the server on the embedded SQLite and an agent for this machine,
// enrolled automatically, and print where to open the board. Ctrl+C stops both.
// What a newcomer must read (board address, first password) comes LAST, framed, after all the install noise: the
// server's framed lines are held back and shown at the end; the agent writes its log to a file.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, install, sh } from './lib.mjs'

const DATA = process.env.LAGEBILD_HOME ?? join(ROOT, '.data')
const serverEnv = {
  ...process.env,
  LAGEBILD_DATA_DIR: process.env.LAGEBILD_DATA_DIR ?? join(DATA, 'server'),
  LAGEBILD_PORT: process.env.LAGEBILD_PORT ?? '8420',
  LAGEBILD_LOG_LEVEL: process.env.LAGEBILD_LOG_LEVEL ?? 'warn',
}
const agentDir = process.env.LAGEBILD_AGENT_DIR ?? join(DATA, 'agent')
const agentLog = join(DATA, 'agent.log')
const SERVER = join(ROOT, 'packages/server/bin/lagebild-server.mjs')
const AGENT = join(ROOT, 'packages/agent/bin/lagebild-agent.mjs')

install()
if (sh('npm', ['run', 'build']) !== 0) process.exit(1)
mkdirSync(DATA, { recursive: true })

// The server's start-up failure is already one clear line on its stderr (inherited); its framed lines are kept for the end.
const server = spawn(process.execPath, [SERVER, 'start'], { env: serverEnv, stdio: ['ignore', 'pipe', 'inherit'] })
const frame = []
const url = await new Promise((resolve, reject) => {
  let pending = ''
  let inFrame = false
  server.stdout.on('data', (d) => {
    pending += d.toString()
    let nl
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl)
      pending = pending.slice(nl + 1)
      if (line.startsWith('┌')) inFrame = true
      if (!inFrame) process.stdout.write(line + '\n')
      else frame.push(line)
      if (inFrame && line.startsWith('└')) {
        inFrame = false
        const m = /Statusboard: (https?:\/\/\S+?)\/?\s/.exec(frame.join('\n'))
        if (m) resolve(m[1])
      }
    }
  })
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
}).catch(() => {
  console.error('Lagebild server did not start (see the line above) / Server startet nicht (siehe Zeile darüber)')
  process.exit(1)
})

let agentNote = `  Agent log / Agent-Protokoll: ${agentLog}`
if (!existsSync(join(agentDir, 'config.json'))) {
  const t = spawnSync(process.execPath, [SERVER, 'token', 'create', '--expires', '1h', '--uses', '1', '--json'], { env: serverEnv, encoding: 'utf8' })
  if (t.status !== 0) {
    console.error(t.stderr)
    process.exit(1)
  }
  const { token } = JSON.parse(t.stdout)
  // --no-ask: a second agent next to an installed service must not put a request to replace it on the board.
  const e = spawnSync(process.execPath, [AGENT, 'enroll', '--server', url, '--token', token, '--dir', agentDir, '--no-ask'], { encoding: 'utf8' })
  process.stdout.write(e.stdout)
  if (e.status !== 0) {
    // Most likely this PC is enrolled already (another agent, e.g. an installed service, reports for it): never take
    // it over silently. The board runs anyway; the message says how to let this agent report instead.
    process.stderr.write(e.stderr)
    agentNote = /machine-enrolled/.test(e.stderr)
      ? '  No agent started here: this PC is enrolled already. To let this one report, revoke the other agent on the host page\n' +
        '  (or delete the host), then npm start again. / Kein Agent gestartet: dieser PC ist schon angemeldet. Damit dieser\n' +
        '  meldet, den anderen Agenten auf der Rechnerseite sperren (oder den Rechner löschen), dann erneut npm start.'
      : '  No agent started here (enrollment failed, see above). / Kein Agent gestartet (Anmeldung fehlgeschlagen, siehe oben).'
  }
}
const agent = existsSync(join(agentDir, 'config.json'))
  ? spawn(process.execPath, [AGENT, 'run', '--dir', agentDir], { stdio: ['ignore', openSync(agentLog, 'a'), openSync(agentLog, 'a')] })
  : null

const rootNote = process.getuid?.() === 0 ? '' : '\n  Note / Hinweis: the agent runs without root rights; facts that need them are shown as unknown.\n  Der Agent läuft ohne Root-Rechte; Fakten, die sie brauchen, erscheinen als unbekannt.'
// Bold cyan on a terminal, so the frame stands out of the install output above it.
const paint = process.stdout.isTTY ? (s) => `\x1b[1;36m${s}\x1b[0m` : (s) => s
console.log(`
  Lagebild is running / Lagebild läuft.
${paint(frame.join('\n'))}
${agentNote}${rootNote}
  Stop with Ctrl+C / Beenden mit Strg+C.
`)

const stop = () => {
  agent?.kill('SIGTERM')
  server.kill('SIGTERM')
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
server.once('exit', (code) => {
  agent?.kill('SIGTERM')
  process.exit(code ?? 0)
})
