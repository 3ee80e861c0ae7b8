// lagebild-agent: collect, enroll, run, status. One table of commands: dispatch, help and "did you mean" follow from it.
import { parseArgs } from 'node:util'
import {
  cliLanguage, DEFAULT_THRESHOLDS, evaluateFacts, helpText, MEASURE_BY_ID, resolveCommand, UsageError, type CliCommand, type Language,
  type Report, type Text,
} from '@lagebild/shared'
import { resolve } from 'node:path'
import { agentEnv, ConfigError, defaultAgentDir, loadConfig, readCaFile, saveConfig, type AgentConfig } from './config.js'
import { collectReport } from './run.js'
import { readIdentity } from './identity.js'
import { enroll, TransportError } from './transport/http.js'
import { Agent } from './agent.js'

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
  help: { type: 'boolean', short: 'h' },
} as const

interface Ctx {
  values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean }
  lang: Language
  dir: string
  config: AgentConfig
}
const t = (de: string, en: string): Text => ({ de, en })

async function enrollCommand({ values, lang, dir, config }: Ctx) {
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
  await saveConfig(dir, { ...rest, server: server.origin, agentId: creds.agentId, secret: creds.secret, hostId: creds.hostId, ...(caFile ? { caFile } : {}) })
  process.stdout.write(
    lang === 'de'
      ? `Angemeldet bei ${server.origin} als Agent ${creds.agentId}. Zugangsdaten in ${dir}.\n`
      : `Enrolled with ${server.origin} as agent ${creds.agentId}. Credentials stored in ${dir}.\n`,
  )
}

async function runCommand({ values, dir, config }: Ctx) {
  // LAGEBILD_AGENT_NO_WATCH=1 turns off the firewall change listener (diagnostics, bench/alerts.ts): the minute tick remains.
  const agent = new Agent({ dir, config, worker: !values.once, watchFirewall: agentEnv().watchFirewall })
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
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      agent.stop()
      process.exit(0)
    })
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
    args: '--server URL --token TOKEN [--ca FILE]',
    summary: t('bei einem Lagebild-Server anmelden', 'enroll with a Lagebild server'),
    more: t(
      '--ca: PEM-Datei der (eigenen) CA, die das Serverzertifikat ausgestellt hat; gilt für alle späteren Verbindungen',
      "--ca: PEM file of the (private) CA that signed the server's certificate, kept for every later connection",
    ),
    run: enrollCommand,
  },
  {
    name: 'run',
    args: '[--once]',
    summary: t('regelmäßig berichten (vollständig je Intervall, Schnellprüfungen jede Minute)', 'report on a schedule (full every interval, quick checks every minute)'),
    more: t('--once: ein vollständiger Bericht jetzt, dann Ende (Exit-Code 1, wenn nicht zugestellt)', '--once: one full report now, then exit (exit code 1 if not delivered)'),
    run: runCommand,
  },
  { name: 'help', summary: t('diese Hilfe', 'this help'), run: ({ lang }) => void process.stdout.write(help(lang)) },
]

const help = (lang: Language) =>
  helpText(
    PROGRAM,
    t('Lagebild-Agent', 'Lagebild agent'),
    COMMANDS,
    lang,
    t(
      'Optionen: --dir VERZEICHNIS  Datenverzeichnis des Agenten (Standard $LAGEBILD_AGENT_DIR, als root /var/lib/lagebild-agent, sonst ~/.lagebild-agent)\n' +
        '          --lang de|en     Sprache der Ausgabe (Standard: nach Gebietsschema)',
      'Options: --dir DIR     agent data directory (default $LAGEBILD_AGENT_DIR, /var/lib/lagebild-agent as root, ~/.lagebild-agent)\n' +
        '         --lang de|en  language of the output (default: by locale)',
    ),
  )

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
  const lang = cliLanguage(values.lang, process.env)
  if (values.help || positionals.length === 0) return void process.stdout.write(help(lang))
  const command = resolveCommand(PROGRAM, COMMANDS, positionals, lang)
  if (command.name === 'help') return command.run({ values, lang, dir: '', config: {} as AgentConfig })
  const dir = values.dir ?? defaultAgentDir()
  await command.run({ values, lang, dir, config: await loadConfig(dir) })
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known =
    err instanceof UsageError || err instanceof ConfigError || err instanceof TransportError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')
  process.stderr.write(`lagebild-agent: ${known ? (err as Error).message : ((err as Error)?.stack ?? String(err))}\n`)
  process.exitCode = known ? 2 : 1
})
