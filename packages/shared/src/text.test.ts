// Agent text that reaches people: what the report schema accepts for names, and how any agent text is shown.
import { describe, expect, it } from 'vitest'
import { Compile } from 'typebox/compile'
import { HostIdentitySchema } from './report.js'
import { AgentTextSchema, displayText, HostnameSchema } from './text.js'

const hostname = Compile(HostnameSchema())
const identity = Compile(HostIdentitySchema)
const base = {
  machineId: '4f0c2a9d8e7b6a5c', hostname: 'pc-buchhaltung', os: { family: 'windows', distribution: 'Windows 11 Pro', version: '23H2', build: '22631.4460' },
  kernel: '10.0.22631', arch: 'x64', agentVersion: '0.1.0', bootTime: null,
}

describe('host names the report accepts', () => {
  it.each(['pc-buchhaltung', 'DESKTOP-4F2K9QX', 'annas-macbook-pro.local', 'Müller-PC', 'srv01.intern.example.de', 'Büro PC 2', 'x'.repeat(253)])('accepts %j', (h) => {
    expect(hostname.Check(h)).toBe(true)
  })

  it.each([
    ['CR LF (a second line in every notification)', 'pc\r\nSubject: fake'],
    ['NUL', 'pc\u0000admin'],
    ['a right-to-left override (gnp.exe shown as exe.png)', 'pc-\u202Egnp.exe'],
    ['a zero-width space', 'pc\u200B1'],
    ['a lone surrogate half', 'pc\uD800'],
    ['10 kB', 'a'.repeat(10_000)],
    ['254 characters', 'a'.repeat(254)],
    ['blank', '   '],
    ['empty', ''],
    ['Slack markup', '<!channel>'],
    ['a URL', 'https://evil.example'],
    ['a path', 'C:\\Windows'],
  ])('refuses %s', (_what, h) => {
    expect(hostname.Check(h)).toBe(false)
    expect(identity.Check({ ...base, hostname: h })).toBe(false)
  })

  it('the other identity names refuse control and format characters too, but may be empty', () => {
    expect(identity.Check(base)).toBe(true)
    expect(identity.Check({ ...base, kernel: '' })).toBe(true)
    expect(identity.Check({ ...base, kernel: '6.1\n0-28' })).toBe(false)
    expect(identity.Check({ ...base, os: { ...base.os, distribution: 'Debian\u202E' } })).toBe(false)
    expect(identity.Check({ ...base, machineId: 'short' })).toBe(false)
  })

  it('free agent text refuses only NUL and lone surrogate halves (line breaks are legitimate in an error message)', () => {
    const text = Compile(AgentTextSchema(100))
    expect(text.Check('line one\nline two\ttab')).toBe(true)
    expect(text.Check('a\u0000b')).toBe(false)
    expect(text.Check('a\uDC00b')).toBe(false)
    expect(text.Check('😀')).toBe(true)
  })
})

describe('displayText: agent text as a person sees it', () => {
  it('shows a direction override instead of obeying it', () => {
    expect(displayText('invoice-\u202Egnp.exe')).toBe('invoice-[U+202E]gnp.exe')
  })
  it('marks line breaks in a name, keeps them in multi-line text', () => {
    expect(displayText('pc\r\nx')).toBe('pc[U+000D][U+000A]x')
    expect(displayText('a\nb\r\n', { multiline: true })).toBe('a\nb[U+000D]\n')
  })
  it('marks NUL, zero-width characters and lone surrogate halves', () => {
    expect(displayText('a\u0000b\u200Bc\uD800')).toBe('a[U+0000]b[U+200B]c[U+D800]')
  })
  it('leaves ordinary text alone, emoji and umlauts included', () => {
    expect(displayText('Müller-PC 😀 <b>&')).toBe('Müller-PC 😀 <b>&')
  })
  it('cuts long text with an ellipsis, counting characters, not UTF-16 units', () => {
    expect(displayText('x'.repeat(10_000), { max: 50 })).toBe(`${'x'.repeat(49)}…`)
    expect(Array.from(displayText('😀'.repeat(300), { max: 200 }))).toHaveLength(200)
  })
})
