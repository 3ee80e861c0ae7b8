// README command 1: install everything, start the server on the embedded SQLite and an agent for this machine,
// enrolled automatically, and print where to open the board. Ctrl+C stops both.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
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
const SERVER = join(ROOT, 'packages/server/bin/lagebild-server.mjs')
const AGENT = join(ROOT, 'packages/agent/bin/lagebild-agent.mjs')

install()
if (sh('npm', ['run', 'build']) !== 0) process.exit(1)
mkdirSync(DATA, { recursive: true })

const server = spawn(process.execPath, [SERVER, 'start'], { env: serverEnv, stdio: ['ignore', 'pipe', 'inherit'] })
const url = await new Promise((resolve, reject) => {
  let out = ''
  server.stdout.on('data', (d) => {
    process.stdout.write(d)
    out += d.toString()
    const m = /Statusboard: (http\S+?)\/?\s/.exec(out)
    if (m) resolve(m[1])
  })
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
}).catch((err) => {
  console.error(`Lagebild server did not start / Server startet nicht: ${err.message}`)
  process.exit(1)
})

if (!existsSync(join(agentDir, 'config.json'))) {
  const t = spawnSync(process.execPath, [SERVER, 'token', 'create', '--expires', '1h', '--uses', '1', '--json'], { env: serverEnv, encoding: 'utf8' })
  if (t.status !== 0) {
    console.error(t.stderr)
    process.exit(1)
  }
  const { token } = JSON.parse(t.stdout)
  const e = spawnSync(process.execPath, [AGENT, 'enroll', '--server', url, '--token', token, '--dir', agentDir], { stdio: 'inherit' })
  if (e.status !== 0) process.exit(1)
}
const agent = spawn(process.execPath, [AGENT, 'run', '--dir', agentDir], { stdio: ['ignore', 'ignore', 'inherit'] })

const rootNote = process.getuid?.() === 0 ? '' : '\n  Note / Hinweis: the agent runs without root rights; facts that need them are shown as unknown.\n  Der Agent läuft ohne Root-Rechte; Fakten, die sie brauchen, erscheinen als unbekannt.'
console.log(`
  Lagebild is running / Lagebild läuft.
  Open the board / Statusboard öffnen:  ${url}/
  Log in as admin with the password printed above at the first start (or LAGEBILD_ADMIN_PASSWORD).
  Anmeldung als admin mit dem oben beim ersten Start ausgegebenen Passwort (oder LAGEBILD_ADMIN_PASSWORD).
  Forgot it? / Vergessen?  npm run server -- user password --username admin${rootNote}
  Stop with Ctrl+C / Beenden mit Strg+C.
`)

const stop = () => {
  agent.kill('SIGTERM')
  server.kill('SIGTERM')
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
server.once('exit', (code) => {
  agent.kill('SIGTERM')
  process.exit(code ?? 0)
})
