// `lagebild-agent report` without a server: the questions asked in the reader's language, answers from a pipe, a required
// answer missing said by its name; the drop folder for people without access to the agent's configuration takes only
// well-formed, small reports.
import { PassThrough } from 'node:stream'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { UsageError } from '@lagebild/shared'
import { agentDropDir, askAnswers, dropReport, takeDropped } from './report.js'

const piped = (text: string) => {
  const s = new PassThrough()
  s.end(text)
  return s
}
const sink = () => {
  let out = ''
  const s = new PassThrough()
  s.on('data', (d: Buffer) => (out += d.toString()))
  return { s, out: () => out }
}

describe('the questions', () => {
  it('asks the card\'s questions in German, takes answers from a pipe, skips what may stay empty', async () => {
    const o = sink()
    const a = await askAnswers({}, 'de', piped('Clara Schulz\n\nmein PC\nDateien heißen .locked\njetzt\n\n'), o.s)
    expect(a).toEqual({ reporter: 'Clara Schulz', phone: '', system: 'mein PC', observed: 'Dateien heißen .locked', when: 'jetzt', where: '' })
    expect(o.out()).toContain('Wer meldet? (Name) ')
    expect(o.out()).toContain('Wo steht das Gerät? (Gebäude, Raum, Arbeitsplatz) ')
  })
  it('in English; given answers are not asked again', async () => {
    const o = sink()
    const a = await askAnswers({ reporter: 'Eva', system: 'laptop', phone: '' }, 'en', piped('a pop-up asks for my password\n09:15\nstore\n'), o.s)
    expect(a).toMatchObject({ reporter: 'Eva', observed: 'a pop-up asks for my password', when: '09:15', where: 'store' })
    expect(o.out()).not.toContain('Who is reporting?')
    expect(o.out()).toContain('What did you observe, what were you doing? ')
  })
  it('a required answer missing at the end of a pipe is an error that names it', async () => {
    await expect(askAnswers({}, 'en', piped('Clara\n'), sink().s)).rejects.toThrow(new UsageError('Missing: Which device or system is affected?'))
  })
})

describe('the drop folder', () => {
  let dir = ''
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  it('only the installed agent (or LAGEBILD_REPORT_DIR) empties one', () => {
    expect(agentDropDir('/tmp/x', { LAGEBILD_AGENT_DIR: '/tmp/x' })).toBeNull()
    expect(agentDropDir('/tmp/x', { LAGEBILD_REPORT_DIR: '/srv/drop' })).toBe('/srv/drop')
  })
  it('keeps the reports in order; a broken or oversized file is moved aside, never sent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lagebild-drop-'))
    const answers = { reporter: 'Dieter', phone: '', system: 'Drucker', observed: 'Lösegeldzettel', when: '9:10', where: 'Empfang' }
    const a = await dropReport(dir, answers, 'de', 'dieter')
    await new Promise((r) => setTimeout(r, 5))
    const b = await dropReport(dir, { ...answers, reporter: 'Eva' }, 'en', 'eva')
    writeFileSync(join(dir, '0000-broken.json'), '{not json')
    writeFileSync(join(dir, '0001-huge.json'), JSON.stringify({ pad: 'x'.repeat(20_000) }))
    writeFileSync(join(dir, '0002-bad.json'), JSON.stringify({ v: 1, id: 'x', reportedAt: 'now', lang: 'de', answers, user: 'u' }))
    const got = await takeDropped(dir)
    expect(got.map((g) => [g.report.id, g.report.answers.reporter, g.report.user])).toEqual([[a, 'Dieter', 'dieter'], [b, 'Eva', 'eva']])
    expect(readdirSync(dir).filter((n) => n.endsWith('.broken')).sort()).toEqual(['0000-broken.json.broken', '0001-huge.json.broken', '0002-bad.json.broken'])
  })
})
