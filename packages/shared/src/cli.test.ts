import { describe, expect, it } from 'vitest'
import { closest, editDistance, findCommand, resolveCommand, UsageError, type CliCommand } from './cli.js'

const cmd = (name: string): CliCommand<void> => ({ name, summary: { de: name, en: name }, run: () => {} })
const TABLE = ['status', 'collect', 'token create', 'token revoke', 'user create'].map(cmd)

describe('the command table', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('stauts', 'status')).toBe(1)
    expect(editDistance('colect', 'collect')).toBe(1)
    expect(editDistance('', 'run')).toBe(3)
  })

  it('suggests only what is close enough to be a typo', () => {
    expect(closest('stauts', ['status', 'collect'])).toBe('status')
    expect(closest('rum', ['run'])).toBe('run')
    expect(closest('xyz', ['run', 'status'])).toBeNull()
  })

  it('finds the longest entry the words name', () => {
    expect(findCommand(TABLE, ['token', 'create'])?.command.name).toBe('token create')
    expect(findCommand(TABLE, ['token'])).toBeNull()
  })

  it('refuses a typo, a missing second word and a stray word with a message that says what was meant', () => {
    const msg = (words: string[]) => {
      try {
        resolveCommand('x', TABLE, words, 'en')
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError)
        return (e as Error).message
      }
      throw new Error('no error')
    }
    expect(msg(['token', 'craete'])).toBe("unknown command 'token craete' — did you mean 'token create'?")
    expect(msg(['token'])).toBe("unknown command 'token' — did you mean 'token create' or 'token revoke'?")
    expect(msg(['status', 'now'])).toMatch(/'status' takes no further word \('now'\)/)
  })
})
