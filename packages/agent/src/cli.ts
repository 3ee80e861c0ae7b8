// lagebild-agent: collect, enroll, run, status.
import { parseArgs } from 'node:util'
import { DEFAULT_THRESHOLDS, evaluateFacts, MEASURE_BY_ID, type Language, type Report } from '@lagebild/shared'
import { resolve } from 'node:path'
import { agentPaths, ConfigError, loadConfigFile, readCaFile, saveConfigFile } from './config.js'
import { collectReport } from './run.js'
import { readIdentity } from './identity.js'
import { enroll, TransportError } from './transport/http.js'
import { Agent } from './agent.js'
import { cardCommand } from './card.js'
import { doctorCommand } from './doctor.js'
import { uninstallCommand } from './uninstall.js'
import { autoUpdate, updateCommand, UpdateError } from './update.js'
import { AGENT_VERSION } from './version.js'
import { EXIT_RESTART_FOR_UPDATE } from '@lagebild/shared'

const HELP = `lagebild-agent — Lagebild agent

Usage:
  lagebild-agent collect [--json]                     collect this machine now and print it
  lagebild-agent status [--lang de|en]                this PC's measures with verdict and reason
  lagebild-agent enroll --server URL --token TOKEN [--ca FILE]
                                                      enroll with a Lagebild server; --ca: PEM file of the (private) CA
                                                      that signed the server's certificate, kept for every later connection
  lagebild-agent card [--lang de|en]                  print the IT emergency card (the copy kept on this PC; works without the server)
  lagebild-agent run [--once]                         report on a schedule (full every interval, quick checks every minute);
                                                      --once: one full report now, then exit (exit code 1 if not delivered)
  lagebild-agent doctor [--lang de|en]                check config, permissions, server, TLS, enrollment, clock, service,
                                                      last report; exit code 0 fine, 1 problem found, 3 not all checkable
  lagebild-agent update [--check]                     install the agent version the server offers now (installed agents
                                                      also do this by themselves); --check: only say whether there is one
  lagebild-agent uninstall --yes                      stop and remove the service, the program, config and spool
  lagebild-agent version                              print the agent version

Options: --dir DIR      data directory: spool, and config.json unless --config (default $LAGEBILD_AGENT_DIR; as administrator
                        /var/lib/lagebild-agent, C:\\ProgramData\\Lagebild\\state, /Library/Application Support/Lagebild/state;
                        otherwise ~/.lagebild-agent)
         --config FILE  the config file (as administrator: /etc/lagebild/agent.json, C:\\ProgramData\\Lagebild\\agent.json,
                        /Library/Application Support/Lagebild/agent.json)
`

export function languageFromEnv(env: NodeJS.ProcessEnv = process.env): Language {
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || ''
  return l.toLowerCase().startsWith('de') ? 'de' : 'en'
}

const LABEL = {
  de: { ok: 'OK', deviation: 'ABWEICHUNG', unknown: 'UNBEKANNT', 'not-applicable': 'n. a.', measure: 'Maßnahme', verdict: 'Bewertung', reason: 'Begründung', fix: 'Abhilfe' },
  en: { ok: 'OK', deviation: 'DEVIATION', unknown: 'UNKNOWN', 'not-applicable': 'n/a', measure: 'Measure', verdict: 'Verdict', reason: 'Reason', fix: 'Fix' },
} as const

export function statusTable(report: Report, lang: Language, now = new Date()): string {
  const L = LABEL[lang]
  const rows = evaluateFacts(report.facts, DEFAULT_THRESHOLDS, now).map((f) => {
    const title = MEASURE_BY_ID.get(f.measureId)?.title[lang] ?? f.measureId
    return [title, L[f.status], f.reason[lang] + (f.status === 'deviation' && f.fix ? `  → ${L.fix}: ${f.fix[lang]}` : '')]
  })
  const w0 = Math.max(L.measure.length, ...rows.map((r) => r[0]!.length))
  const w1 = Math.max(L.verdict.length, ...rows.map((r) => r[1]!.length))
  const line = (r: string[]) => `${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`
  const h = report.host
  return [
    `${h.hostname} — ${h.os.distribution} ${h.os.version} (${h.arch})`,
    '',
    line([L.measure, L.verdict, L.reason]),
    line(['-'.repeat(w0), '-'.repeat(w1), '-'.repeat(L.reason.length)]),
    ...rows.map(line),
  ].join('\n')
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      json: { type: 'boolean' },
      server: { type: 'string' },
      token: { type: 'string' },
      ca: { type: 'string' },
      lang: { type: 'string' },
      once: { type: 'boolean' },
      config: { type: 'string' },
      yes: { type: 'boolean' },
      check: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const cmd = positionals[0]
  if (values.help || !cmd) return void process.stdout.write(HELP)
  const paths = agentPaths({ dir: values.dir, config: values.config })
  const { dir } = paths
  const config = await loadConfigFile(paths.configFile)
  const lang: Language = values.lang === 'de' || values.lang === 'en' ? values.lang : languageFromEnv()

  switch (cmd) {
    case 'collect': {
      const report = await collectReport({ config })
      process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : statusTable(report, lang) + '\n')
      return
    }
    case 'status': {
      process.stdout.write(statusTable(await collectReport({ config }), lang) + '\n')
      return
    }
    case 'card': {
      const r = await cardCommand(dir, lang)
      process.stdout.write(r.text + '\n')
      if (!r.found) process.exitCode = 1
      return
    }
    case 'enroll': {
      if (!values.server || !values.token) throw new ConfigError('enroll needs --server URL and --token TOKEN')
      let server: URL
      try {
        server = new URL(values.server)
      } catch {
        throw new ConfigError(`--server ${values.server}: not a URL`)
      }
      if (server.protocol !== 'https:' && server.protocol !== 'http:') throw new ConfigError(`--server ${values.server}: expected http(s)://host[:port]`)
      // A CA only means something for TLS: with http:// the user evidently expects encryption, so refuse rather than send in clear.
      if (values.ca !== undefined && server.protocol !== 'https:') throw new ConfigError(`--ca needs an https:// server (got ${server.origin})`)
      const caFile = values.ca !== undefined ? resolve(values.ca) : undefined
      const tls = caFile ? { ca: readCaFile(caFile) } : {}
      const creds = await enroll(server.origin, values.token, await readIdentity(), tls)
      // A new enrollment replaces the old trust setting too: without --ca, the public CAs again.
      const { caFile: _old, ...rest } = config
      await saveConfigFile(paths.configFile, { ...rest, server: server.origin, agentId: creds.agentId, secret: creds.secret, hostId: creds.hostId, ...(caFile ? { caFile } : {}) })
      process.stdout.write(
        lang === 'de'
          ? `Angemeldet bei ${server.origin} als Agent ${creds.agentId}. Zugangsdaten in ${paths.configFile}.\n`
          : `Enrolled with ${server.origin} as agent ${creds.agentId}. Credentials stored in ${paths.configFile}.\n`,
      )
      return
    }
    case 'run': {
      // LAGEBILD_AGENT_NO_WATCH=1 turns off the firewall change listener (diagnostics, bench/alerts.ts): the minute tick remains.
      const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`)
      const updater = autoUpdate({
        server: config.server!, tls: config.caFile ? { ca: readCaFile(config.caFile) } : {}, enabled: !values.once && config.autoUpdate !== false, log,
        // The service manager starts the launcher again, which runs the version now named in `current`.
        restart: () => {
          agent.stop()
          process.exit(EXIT_RESTART_FOR_UPDATE)
        },
      })
      const agent = new Agent({ dir, configFile: paths.configFile, config, worker: !values.once, watchFirewall: process.env.LAGEBILD_AGENT_NO_WATCH !== '1', onDelivered: updater.onDelivered })
      if (values.once) {
        const { report, result } = await agent.collectFull()
        if (result.refused) {
          process.stderr.write(`lagebild-agent: report ${report.id} refused by the server: ${result.refused}\n`)
          process.exitCode = 1
        } else if (result.spooled > 0) {
          process.stderr.write(`lagebild-agent: report ${report.id} not delivered, kept in the spool for the next run\n`)
          process.exitCode = 1
        }
        return
      }
      // Before the first collection, so that a stop during it still ends the live channel and the nft monitor child.
      const stop = () => {
        updater.stop()
        agent.stop()
        process.exit(0)
      }
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, stop)
      // The Windows service host has no SIGTERM for its windowless child: it closes our standard input instead.
      if (process.env.LAGEBILD_STOP_ON_STDIN_END === '1') process.stdin.on('end', stop).resume()
      await agent.start()
      process.stderr.write(`lagebild-agent: reporting to ${config.server} every ${config.intervalMinutes} min\n`)
      return
    }
    case 'doctor':
      return doctorCommand(paths, lang)
    case 'update':
      return updateCommand(config, Boolean(values.check), lang)
    case 'uninstall':
      return uninstallCommand(Boolean(values.yes), lang)
    case 'version':
      return void process.stdout.write(`${AGENT_VERSION}\n`)
    default:
      process.stderr.write(HELP)
      process.exitCode = 2
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof TransportError || err instanceof UpdateError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')
  process.stderr.write(`lagebild-agent: ${known ? (err as Error).message : ((err as Error)?.stack ?? String(err))}\n`)
  process.exitCode = known ? 2 : 1
})
