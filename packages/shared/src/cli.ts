// The command line of both programs (lagebild-agent, lagebild-server): a table of commands, one entry each, from which
// dispatch, help and "did you mean" follow. Adding a subcommand is adding an entry. Texts in German and English.
import { isOneOf, LANGUAGES, type Language, type Text } from './common.js'

export interface CliCommand<C> {
  /** One or two words: "status", "token create". */
  name: string
  /** Its arguments for the help, e.g. "[--json]". */
  args?: string
  summary: Text
  /** More lines for the help (already indented by the table). */
  more?: Text
  run(ctx: C): Promise<void> | void
}

/** A mistake on the command line: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** The language of the messages: --lang if given (de or en, else a UsageError), else the locale (LC_ALL, LANG …). */
export function cliLanguage(flag: string | undefined, env: Record<string, string | undefined>): Language {
  if (flag !== undefined) {
    if (isOneOf(LANGUAGES, flag)) return flag
    const l = fromLocale(env)
    throw new UsageError(
      l === 'de'
        ? `Sprache „${flag}“ wird nicht unterstützt — möglich sind: ${LANGUAGES.join(', ')}`
        : `language '${flag}' is not supported — choose one of: ${LANGUAGES.join(', ')}`,
    )
  }
  return fromLocale(env)
}

/** German for any de_* locale, English otherwise. */
export function fromLocale(env: Record<string, string | undefined>): Language {
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || ''
  return l.toLowerCase().startsWith('de') ? 'de' : 'en'
}

/** Edit distance (insert, delete, replace, swap of neighbours), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  return d[a.length]![b.length]!
}

/** How many edits still count as a typo of `name`: one for short words, else two or a third of the letters. */
const typoLimit = (name: string) => (name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3)))

/** The known name closest to `input`, if it is close enough to be a typo. */
export function closest(input: string, names: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null
  for (const name of names) {
    const d = editDistance(input, name)
    if (!best || d < best.d) best = { name, d }
  }
  return best && best.d <= typoLimit(best.name) ? best.name : null
}

/** Finds the command the positionals name: the longest entry whose words start the positionals. */
export function findCommand<C>(commands: readonly CliCommand<C>[], positionals: readonly string[]): { command: CliCommand<C>; rest: string[] } | null {
  let found: { command: CliCommand<C>; rest: string[] } | null = null
  for (const command of commands) {
    const words = command.name.split(' ')
    if (words.every((w, i) => positionals[i] === w) && (!found || words.length > found.command.name.split(' ').length))
      found = { command, rest: positionals.slice(words.length) }
  }
  return found
}

/** "unknown command 'stauts' — did you mean 'status'?", in the reader's language. */
export function unknownCommand(program: string, positionals: readonly string[], commands: readonly CliCommand<unknown>[], lang: Language): string {
  const names = commands.map((c) => c.name)
  // Compare with as many words as the candidates have: "token craete" against "token create".
  const guesses = names.map((n) => ({ n, typed: positionals.slice(0, n.split(' ').length).join(' ') }))
  const typed = positionals.join(' ')
  let suggestion: string | null = null
  let bestD = Infinity
  for (const g of guesses) {
    if (closest(g.typed, [g.n]) === null) continue
    const d = editDistance(g.typed, g.n)
    if (d < bestD) [suggestion, bestD] = [g.n, d]
  }
  // "token" alone: the commands it begins.
  suggestion ??= names.filter((n) => n.startsWith(`${typed} `)).join(lang === 'de' ? '“ oder „' : "' or '") || null
  if (lang === 'de')
    return suggestion
      ? `unbekannter Befehl „${typed}“ — meinten Sie „${suggestion}“?`
      : `unbekannter Befehl „${typed}“ — alle Befehle: ${program} help`
  return suggestion ? `unknown command '${typed}' — did you mean '${suggestion}'?` : `unknown command '${typed}' — all commands: ${program} help`
}

/** The help text from the table: usage lines with their summaries, then `footer` (options, environment). */
export function helpText(program: string, title: Text, commands: readonly CliCommand<unknown>[], lang: Language, footer: Text): string {
  const rows = commands.map((c) => [`${program} ${c.name}${c.args ? ` ${c.args}` : ''}`, c.summary[lang], c.more?.[lang]] as const)
  const width = Math.min(34, Math.max(...rows.map((r) => r[0].length)))
  const lines = rows.flatMap(([use, summary, more]) => {
    const head = use.length > width ? [`  ${use}`, `  ${''.padEnd(width)}  ${summary}`] : [`  ${use.padEnd(width)}  ${summary}`]
    return more ? [...head, ...more.split('\n').map((l) => `  ${''.padEnd(width)}  ${l}`)] : head
  })
  return `${program} — ${title[lang]}\n\n${lang === 'de' ? 'Aufruf' : 'Usage'}:\n${lines.join('\n')}\n\n${footer[lang]}\n`
}

/** The command the positionals name; anything else is a UsageError that says what was meant. */
export function resolveCommand<C>(program: string, commands: readonly CliCommand<C>[], positionals: readonly string[], lang: Language): CliCommand<C> {
  const found = findCommand(commands, positionals)
  if (!found) throw new UsageError(unknownCommand(program, positionals, commands as readonly CliCommand<unknown>[], lang))
  if (found.rest.length)
    throw new UsageError(
      lang === 'de'
        ? `„${found.command.name}“ erwartet kein weiteres Wort („${found.rest.join(' ')}“) — Angaben als --option, siehe ${program} help`
        : `'${found.command.name}' takes no further word ('${found.rest.join(' ')}') — options go as --option, see ${program} help`,
    )
  return found.command
}
