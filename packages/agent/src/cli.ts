// lagebild-agent: status, collect, enroll, card, report, run, doctor, update, uninstall. One table of commands: dispatch, help and "did you mean" follow from it.
import { parseArgs } from 'node:util'
import {
  cliLanguage, DEFAULT_THRESHOLDS, evaluateFacts, helpText, MEASURE_BY_ID, resolveCommand, UsageError, type CliCommand, type Language,
  type Report, type Text,
} from '@lagebild/shared'
import { resolve } from 'node:path'
import { agentEnv, agentPaths, ConfigError, loadConfigFile, readCaFile, saveConfigFile, type AgentConfig, type AgentPaths } from './config.js'
import { collectReport } from './run.js'
import { readIdentity } from './identity.js'
import { TransportError } from './transport/http.js'
import { ApprovalPending, ApprovalRefused, enrollWithApproval, type ApprovalMode } from './enroll-wait.js'
import { Agent } from './agent.js'
import { cardCommand } from './card.js'
import { reportCommand } from './report.js'
import { userInfo } from 'node:os'
import { doctorCommand } from './doctor.js'
import { uninstallCommand } from './uninstall.js'
import { autoUpdate, updateCommand, UpdateError } from './update.js'
import { AGENT_VERSION } from './version.js'
import { ENROLL_EXIT_PENDING, ENROLL_WAIT_MINUTES, EXIT_RESTART_FOR_UPDATE } from '@lagebild/shared'

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

const PROGRAM = 'lagebild-agent'
const OPTIONS = {
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
  'no-wait': { type: 'boolean' },
  'no-ask': { type: 'boolean' },
  reporter: { type: 'string' },
  phone: { type: 'string' },
  system: { type: 'string' },
  observed: { type: 'string' },
  when: { type: 'string' },
  where: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

interface Ctx {
  values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean }
  lang: Language
  paths: AgentPaths
  config: AgentConfig
}
const t = (de: string, en: string): Text => ({ de, en })

async function enrollCommand({ values, lang, paths, config }: Ctx) {
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
  const mode: ApprovalMode = values['no-ask'] ? 'no-ask' : values['no-wait'] ? 'no-wait' : 'wait'
  // Ctrl-C while waiting for an admin: say that the request stays, and stop.
  const abort = new AbortController()
  const onInt = () => abort.abort()
  process.once('SIGINT', onInt)
  const say = (line: string) => void process.stderr.write(line + '\n')
  const creds = await enrollWithApproval({ server: server.origin, token: values.token, identity: await readIdentity(), tls, dir: paths.dir, mode, lang, say, signal: abort.signal })
    .finally(() => process.off('SIGINT', onInt))
  // A new enrollment replaces the old trust setting too: without --ca, the public CAs again.
  const { caFile: _old, ...rest } = config
  await saveConfigFile(paths.configFile, { ...rest, server: server.origin, agentId: creds.agentId, secret: creds.secret, hostId: creds.hostId, ...(caFile ? { caFile } : {}) })
  process.stdout.write(
    lang === 'de'
      ? `Angemeldet bei ${server.origin} als Agent ${creds.agentId}. Zugangsdaten in ${paths.configFile}.\n`
      : `Enrolled with ${server.origin} as agent ${creds.agentId}. Credentials stored in ${paths.configFile}.\n`,
  )
}

async function runCommand({ values, paths, config }: Ctx) {
  const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`)
  const updater = autoUpdate({
    server: config.server!, tls: config.caFile ? { ca: readCaFile(config.caFile) } : {}, enabled: !values.once && config.autoUpdate !== false, log,
    // The service manager starts the launcher again, which runs the version now named in `current`.
    restart: () => {
      agent.stop()
      process.exit(EXIT_RESTART_FOR_UPDATE)
    },
  })
  // LAGEBILD_AGENT_NO_WATCH=1 turns off the firewall change listener (diagnostics, bench/alerts.ts): the minute tick remains.
  const agent = new Agent({ dir: paths.dir, configFile: paths.configFile, config, worker: !values.once, watchFirewall: agentEnv().watchFirewall, onDelivered: updater.onDelivered })
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
  if (agentEnv().stopOnStdinEnd) process.stdin.on('end', stop).resume()
  await agent.start()
  process.stderr.write(`lagebild-agent: reporting to ${config.server} every ${config.intervalMinutes} min\n`)
}

/** Every subcommand, in the order the help lists them. Add one by adding an entry. */
export const COMMANDS: CliCommand<Ctx>[] = [
  {
    name: 'status',
    args: '[--lang de|en]',
    summary: t('die Maßnahmen dieses PCs mit Bewertung und Begründung', "this PC's measures with verdict and reason"),
    run: async ({ lang, config }) => void process.stdout.write(statusTable(await collectReport({ config }), lang) + '\n'),
  },
  {
    name: 'collect',
    args: '[--json]',
    summary: t('diesen PC jetzt erfassen und ausgeben (--json: der Bericht, wie er gesendet würde)', 'collect this PC now and print it (--json: the report as it would be sent)'),
    more: t('über npm: npm run -s agent -- collect --json (ohne -s schreibt npm eine Kopfzeile davor)', 'through npm: npm run -s agent -- collect --json (without -s npm prints a header first)'),
    run: async ({ values, lang, config }) => {
      const report = await collectReport({ config })
      process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : statusTable(report, lang) + '\n')
    },
  },
  {
    name: 'enroll',
    args: '--server URL --token TOKEN [--ca FILE] [--no-wait | --no-ask]',
    summary: t('bei einem Lagebild-Server anmelden', 'enroll with a Lagebild server'),
    more: t(
      '--ca: PEM-Datei der (eigenen) CA, die das Serverzertifikat ausgestellt hat; gilt für alle späteren Verbindungen.\n' +
        'Ist dieser PC schon angemeldet, muss ein Admin die neue Anmeldung auf der Rechnerseite im Statusboard erlauben; enroll wartet darauf\n' +
        `(höchstens ${ENROLL_WAIT_MINUTES} Minuten, Strg+C bricht ab). --no-wait: nur fragen, nicht warten (Exit-Code ${ENROLL_EXIT_PENDING}, solange nicht entschieden; derselbe Befehl\n` +
        `später setzt die Anfrage fort). --no-ask: gar nicht fragen, sofort ablehnen lassen. Exit-Code 0 angemeldet, 2 abgelehnt, ${ENROLL_EXIT_PENDING} wartet auf Bestätigung`,
      "--ca: PEM file of the (private) CA that signed the server's certificate, kept for every later connection.\n" +
        'If this PC is enrolled already, an admin must allow the new enrollment on its host page on the board; enroll waits for that\n' +
        `(up to ${ENROLL_WAIT_MINUTES} minutes, Ctrl-C aborts). --no-wait: ask but do not wait (exit code ${ENROLL_EXIT_PENDING} while undecided; the same command later continues\n` +
        `the request). --no-ask: do not ask, be refused at once. Exit code 0 enrolled, 2 refused, ${ENROLL_EXIT_PENDING} waiting for confirmation`,
    ),
    run: enrollCommand,
  },
  {
    name: 'card',
    args: '[--lang de|en]',
    summary: t('die IT-Notfallkarte ausgeben (die auf diesem PC gespeicherte; geht auch ohne Server)', 'print the IT emergency card (the copy kept on this PC; works without the server)'),
    run: async ({ paths, lang }) => {
      const r = await cardCommand(paths.dir, lang)
      process.stdout.write(r.text + '\n')
      if (!r.found) process.exitCode = 1
    },
  },
  {
    name: 'report',
    args: '[--lang de|en] [--reporter … --system … --observed … --when … --where … --phone …]',
    summary: t('einen IT-Notfall melden: die Fragen der Notfallkarte, mit dem Zustand dieses PCs (geht auch offline)', "report an IT emergency: the emergency card's questions, with this PC's state (works offline too)"),
    more: t('fehlende Angaben werden gefragt; ohne Server bleibt die Meldung gespeichert und wird später gesendet', 'missing answers are asked for; without the server the report is kept and sent later'),
    run: async ({ values, lang, paths, config }) => {
      const given = Object.fromEntries((['reporter', 'phone', 'system', 'observed', 'when', 'where'] as const).filter((k) => values[k] !== undefined).map((k) => [k, values[k] as string]))
      let user = ''
      try {
        user = userInfo().username
      } catch {
        /* no passwd entry */
      }
      process.exitCode = await reportCommand({ given, lang, dir: paths.dir, config: config.server ? config : null, user })
    },
  },
  {
    name: 'run',
    args: '[--once]',
    summary: t('regelmäßig berichten (vollständig je Intervall, Schnellprüfungen jede Minute)', 'report on a schedule (full every interval, quick checks every minute)'),
    more: t('--once: ein vollständiger Bericht jetzt, dann Ende (Exit-Code 1, wenn nicht zugestellt)', '--once: one full report now, then exit (exit code 1 if not delivered)'),
    run: runCommand,
  },
  {
    name: 'doctor',
    args: '[--lang de|en]',
    summary: t('Konfiguration, Rechte, Server, TLS, Anmeldung, Uhr, Dienst und letzten Bericht prüfen', 'check config, permissions, server, TLS, enrollment, clock, service and the last report'),
    more: t('Exit-Code 0 alles gut, 1 Problem gefunden, 3 nicht alles prüfbar', 'exit code 0 fine, 1 problem found, 3 not everything could be checked'),
    run: ({ paths, lang }) => doctorCommand(paths, lang),
  },
  {
    name: 'update',
    args: '[--check]',
    summary: t('die Agentenversion des Servers jetzt installieren (installierte Agenten tun das selbst)', 'install the agent version the server offers now (installed agents also do this by themselves)'),
    more: t('--check: nur sagen, ob es eine gibt', '--check: only say whether there is one'),
    run: ({ values, config, lang }) => updateCommand(config, Boolean(values.check), lang),
  },
  {
    name: 'uninstall',
    args: '--yes',
    summary: t('Dienst, Programm, Konfiguration und Warteschlange entfernen', 'stop and remove the service, the program, config and spool'),
    run: ({ values, lang }) => uninstallCommand(Boolean(values.yes), lang),
  },
  { name: 'version', summary: t('die Agentenversion ausgeben', 'print the agent version'), run: () => void process.stdout.write(`${AGENT_VERSION}\n`) },
  { name: 'help', summary: t('diese Hilfe', 'this help'), run: ({ lang }) => void process.stdout.write(help(lang)) },
]

const help = (lang: Language) =>
  helpText(
    PROGRAM,
    t('Lagebild-Agent', 'Lagebild agent'),
    COMMANDS,
    lang,
    t(
      'Optionen: --dir VERZEICHNIS   Datenverzeichnis: Warteschlange und config.json, wenn nicht --config (Standard $LAGEBILD_AGENT_DIR;\n' +
        '                           als Administrator /var/lib/lagebild-agent, C:\\ProgramData\\Lagebild\\state,\n' +
        '                           /Library/Application Support/Lagebild/state; sonst ~/.lagebild-agent)\n' +
        '          --config DATEI   die Konfigurationsdatei (als Administrator /etc/lagebild/agent.json, C:\\ProgramData\\Lagebild\\agent.json,\n' +
        '                           /Library/Application Support/Lagebild/agent.json)\n' +
        '          --lang de|en     Sprache der Ausgabe (Standard: nach Gebietsschema)',
      'Options: --dir DIR      data directory: spool, and config.json unless --config (default $LAGEBILD_AGENT_DIR; as administrator\n' +
        '                        /var/lib/lagebild-agent, C:\\ProgramData\\Lagebild\\state, /Library/Application Support/Lagebild/state;\n' +
        '                        otherwise ~/.lagebild-agent)\n' +
        '         --config FILE  the config file (as administrator: /etc/lagebild/agent.json, C:\\ProgramData\\Lagebild\\agent.json,\n' +
        '                        /Library/Application Support/Lagebild/agent.json)\n' +
        '         --lang de|en   language of the output (default: by locale)',
    ),
  )

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
  const lang = cliLanguage(values.lang, process.env)
  if (values.help || positionals.length === 0) return void process.stdout.write(help(lang))
  const command = resolveCommand(PROGRAM, COMMANDS, positionals, lang)
  const paths = agentPaths({ dir: values.dir, config: values.config })
  // help, version and the emergency card need no config (and must work with a broken or unreadable one).
  if (command.name === 'help' || command.name === 'version' || command.name === 'card') return command.run({ values, lang, paths, config: {} as AgentConfig })
  // Anybody at the PC may report; who may not read the agent's configuration (it holds the secret) drops the report for the agent.
  if (command.name === 'report') return command.run({ values, lang, paths, config: await loadConfigFile(paths.configFile).catch(() => ({}) as AgentConfig) })
  await command.run({ values, lang, paths, config: await loadConfigFile(paths.configFile) })
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ApprovalPending) {
    process.stderr.write(`lagebild-agent: ${err.message}\n`)
    process.exitCode = err.exitCode
    return
  }
  const known =
    err instanceof ApprovalRefused ||
    err instanceof UsageError || err instanceof ConfigError || err instanceof TransportError || err instanceof UpdateError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')
  process.stderr.write(`lagebild-agent: ${known ? (err as Error).message : ((err as Error)?.stack ?? String(err))}\n`)
  process.exitCode = known ? 2 : 1
})
