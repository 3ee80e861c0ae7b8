// The real stack for alert tests and bench/alerts.ts: the server CLI, an e-mail channel to a loopback SMTP sink,
// the agent CLI running (`lagebild-agent run`), and the machine's own ufw. Everything on 127.0.0.1; everything stops.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { hostname } from 'node:os'
import { smtpSink } from '../../packages/server/test/sinks.js'
import { AGENT_BIN, removeDir, run, startServer, tempDir, type RealServer } from './real.js'

export const ufwActive = () => /Status: active/.test(execFileSync('ufw', ['status'], { encoding: 'utf8' }))
export const ufw = (on: boolean) => execFileSync('ufw', on ? ['--force', 'enable'] : ['disable'], { encoding: 'utf8', timeout: 60_000 })

export interface AgentProcess {
  child: ChildProcess
  output: () => string
  stop(): Promise<void>
}

export function startAgent(dir: string, env: NodeJS.ProcessEnv = {}): AgentProcess {
  const child = spawn(process.execPath, [AGENT_BIN, 'run', '--dir', dir], { env: { ...process.env, LAGEBILD_AGENT_DIR: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}

export type Stack = Awaited<ReturnType<typeof alertStack>>

/** Server + SMTP sink + e-mail channel + an enrolled, running agent whose firewall is judged ok. */
export async function alertStack(opts: { agentEnv?: NodeJS.ProcessEnv; log?: (m: string) => void } = {}) {
  const log = opts.log ?? (() => undefined)
  const smtp = await smtpSink()
  let server: RealServer | null = null
  let agent: AgentProcess | null = null
  const agentDir = tempDir('lagebild-agent-')
  const cleanup = async () => {
    await agent?.stop()
    await server?.stop()
    await smtp.close()
    removeDir(agentDir)
    if (server) removeDir(server.dataDir)
  }
  try {
    server = await startServer({ LAGEBILD_ADMIN_PASSWORD: 'correct horse battery' })
    const s = server
    const apiKey = (JSON.parse(await s.cli(['api-key', 'create', '--name', 'alerts', '--json'])) as { key: string }).key
    const api = async <T>(method: string, path: string, body?: object): Promise<T> => {
      const res = await fetch(s.url + path, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as T
    }
    await api('POST', '/api/v1/channels', {
      name: 'IT per Mail', type: 'email', language: 'de',
      config: { host: '127.0.0.1', port: smtp.port, security: 'starttls', rejectUnauthorized: false, from: 'Lagebild <lagebild@example.com>', to: ['it@example.com'] },
    })
    const { token } = JSON.parse(await s.cli(['token', 'create', '--expires', '1h', '--json'])) as { token: string }
    const enrolled = await run(AGENT_BIN, ['enroll', '--server', s.url, '--token', token, '--dir', agentDir], process.env)
    if (enrolled.code !== 0) throw new Error(`enroll failed: ${enrolled.stderr}`)
    agent = startAgent(agentDir, opts.agentEnv)
    const a = agent
    // Ready when the server has judged this machine's firewall from the agent's first report.
    const firewallOk = async () => {
      const { hosts } = await api<{ hosts: { id: string; hostname: string; measures: Record<string, string> }[] }>('GET', '/api/v1/hosts')
      return hosts.find((x) => x.hostname === hostname())?.measures['base.firewall']
    }
    const end = Date.now() + 120_000
    for (let st = await firewallOk(); st !== 'ok'; st = await firewallOk()) {
      if (Date.now() > end) throw new Error(`the firewall of this machine was not judged ok (${st}); agent output:\n${a.output()}`)
      await new Promise((r) => setTimeout(r, 250))
    }
    log('agent reported, firewall ok')
    return {
      server: s, smtp, agent: a, api, cleanup,
      subject: (status: 'ABWEICHUNG' | 'BEHOBEN') => `[Lagebild] Firewall: ${status} auf ${hostname()}`,
    }
  } catch (err) {
    await cleanup()
    throw err
  }
}
