// The IT emergency card on this PC. The server pushes it over the live channel on every connect and whenever it
// changes; the agent keeps it on disk, because in an emergency the server may be the thing that is gone.
// `lagebild-agent card` prints the kept copy, without any network.
import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises'
import { join } from 'node:path'
import { Compile } from 'typebox/compile'
import { CardSchema, cardText, type Card, type Language } from '@lagebild/shared'
import { agentEnv, defaultAgentDir, installLayout } from './config.js'

const FILE = 'card.json'

/**
 * Where else the card is kept so that every user of the PC can read it (`lagebild-agent card` as a normal user): the
 * agent's own directory is closed, it holds the agent secret.
 */
export function publicCardDir(env: NodeJS.ProcessEnv = process.env): string | null {
  return agentEnv(env).cardDir || installLayout()?.card || null
}

/** Only the installed agent (in its default directory) writes the public copy; a test or a second agent keeps its own. */
const writesPublic = (dir: string, env: NodeJS.ProcessEnv = process.env) =>
  !!agentEnv(env).cardDir || (!agentEnv(env).dir && dir === defaultAgentDir())

async function writeReadable(dir: string, card: Card) {
  await mkdir(dir, { recursive: true, mode: 0o755 })
  const file = join(dir, FILE)
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(card, null, 2) + '\n', { mode: 0o644 })
  await chmod(tmp, 0o644)
  await rename(tmp, file)
}

/** Keeps the card (atomically) in the agent's directory and, for the installed agent, where every user can read it. */
export async function saveCard(dir: string, card: Card): Promise<void> {
  await writeReadable(dir, card)
  // The public copy needs the installed agent's rights; without them the card in the agent's own directory still counts.
  const pub = publicCardDir()
  if (pub && pub !== dir && writesPublic(dir)) await writeReadable(pub, card).catch(() => undefined)
}

let check: ReturnType<typeof Compile<typeof CardSchema>> | undefined

/** The kept card, from the agent's directory or the public copy; null when none was received yet. */
export async function loadCard(dir: string): Promise<Card | null> {
  for (const d of [dir, publicCardDir()].filter((x): x is string => !!x)) {
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(join(d, FILE), 'utf8'))
    } catch {
      continue
    }
    check ??= Compile(CardSchema)
    if (check.Check(raw)) return raw
  }
  return null
}

/** What `lagebild-agent card` prints. */
export async function cardCommand(dir: string, lang: Language): Promise<{ text: string; found: boolean }> {
  const card = await loadCard(dir)
  if (!card)
    return {
      found: false,
      text: lang === 'de'
        ? 'Noch keine IT-Notfallkarte empfangen. Der Agent erhält sie, sobald er mit dem Server verbunden ist (lagebild-agent run).'
        : 'No IT emergency card received yet. The agent receives it once it is connected to the server (lagebild-agent run).',
    }
  return { found: true, text: cardText(card, lang) }
}
