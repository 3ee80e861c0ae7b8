// Both command lines as a user meets them: a typo gets a suggestion and exit code 2, help exits 0, an unsupported
// language is named — in German and English, by locale or --lang.
import { describe, expect, it } from 'vitest'
import { AGENT_BIN, run, SERVER_BIN } from './lib/real.js'

const env = (lang: string) => ({ ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '', LAGEBILD_DATA_DIR: '/nonexistent/never-opened' })
const CLIS = [
  { name: 'lagebild-agent', bin: AGENT_BIN, typo: 'stauts', meant: 'status', commands: ['status', 'collect', 'enroll', 'run', 'help'] },
  { name: 'lagebild-server', bin: SERVER_BIN, typo: 'tokn create', meant: 'token create', commands: ['start', 'token create', 'token list', 'token revoke', 'api-key create', 'api-key list', 'api-key revoke', 'user create', 'user password', 'user list', 'user revoke', 'host list', 'host retire', 'agent revoke', 'help'] },
]

describe.each(CLIS)('$name', ({ name, bin, typo, meant, commands }) => {
  it(`a misspelled command says what was meant and exits 2 (${typo})`, async () => {
    const [en, de] = await Promise.all([run(bin, typo.split(' '), env('en_GB.UTF-8')), run(bin, typo.split(' '), env('de_DE.UTF-8'))])
    expect(en.code).toBe(2)
    expect(en.stderr.trim()).toBe(`${name}: unknown command '${typo}' — did you mean '${meant}'?`)
    expect(de.code).toBe(2)
    expect(de.stderr.trim()).toBe(`${name}: unbekannter Befehl „${typo}“ — meinten Sie „${meant}“?`)
  })

  it('something far from every command points to the help', async () => {
    const r = await run(bin, ['frobnicate'], env('en_GB.UTF-8'))
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`unknown command 'frobnicate' — all commands: ${name} help`)
  })

  it('help lists every command and exits 0, in the chosen language', async () => {
    const [en, de] = await Promise.all([run(bin, ['help'], env('en_GB.UTF-8')), run(bin, ['help', '--lang', 'de'], env('en_GB.UTF-8'))])
    expect(en.code).toBe(0)
    for (const c of commands) expect(en.stdout).toContain(`${name} ${c}`)
    expect(en.stdout).toContain('Usage:')
    expect(de.code).toBe(0)
    expect(de.stdout).toContain('Aufruf:')
  })

  it('an unsupported language is named, with the ones there are', async () => {
    const [en, de] = await Promise.all([run(bin, ['help', '--lang', 'fr'], env('en_GB.UTF-8')), run(bin, ['help', '--lang', 'fr'], env('de_DE.UTF-8'))])
    expect(en.code).toBe(2)
    expect(en.stderr.trim()).toBe(`${name}: language 'fr' is not supported — choose one of: de, en`)
    expect(de.stderr.trim()).toBe(`${name}: Sprache „fr“ wird nicht unterstützt — möglich sind: de, en`)
  })
})

it('lagebild-agent status --lang fr refuses before collecting anything', async () => {
  const r = await run(AGENT_BIN, ['status', '--lang', 'fr'], env('en_GB.UTF-8'))
  expect(r.code).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(/language 'fr' is not supported/)
})
