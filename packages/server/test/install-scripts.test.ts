// The generated install scripts as a Windows or Mac admin would get them, and the install lines of the enroll page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INSTALL_LAYOUTS } from '@lagebild/shared'
import { harness } from './helper.js'
import { installLines, renderInstallPs1, renderInstallSh } from '../src/services/install.js'

describe('install scripts', () => {
  const ps1 = renderInstallPs1('https://lagebild.example:8420', null)
  const W = INSTALL_LAYOUTS.windows

  it('PowerShell: pure ASCII (Windows PowerShell 5.1 reads files without BOM as ANSI), German texts escaped', () => {
    expect(/[^\t\n\r\x20-\x7e]/.test(ps1)).toBe(false)
    expect(ps1).toContain('Pr$([char]0x00fc)fsumme falsch')
    expect(ps1).not.toMatch(/__[A-Z_]+__/)
  })

  it('PowerShell: a LocalSystem service at boot that restarts on failure, compiled from the .NET Framework of Windows', () => {
    expect(ps1).toContain(`$ServiceName = '${W.service}'`)
    expect(ps1).toMatch(/-OutputType ConsoleApplication -ReferencedAssemblies 'System\.ServiceProcess'/)
    expect(ps1).toMatch(/New-Service -Name \$ServiceName .*-StartupType Automatic/)
    expect(ps1).toMatch(/sc\.exe config \$ServiceName start= auto obj= LocalSystem/)
    expect(ps1).toMatch(/sc\.exe failure \$ServiceName reset= 86400 actions= restart\/10000\/restart\/10000\/restart\/60000/)
    expect(ps1).toMatch(/sc\.exe failureflag \$ServiceName 1/)
    // The service host inside: runs the agent of `current`, leaves with an error when it dies so Windows restarts it.
    expect(ps1).toContain(`ServiceName = "${W.service}";`)
    expect(ps1).toContain(`const string ConfigFile = @"${W.configFile}";`)
    expect(ps1).toMatch(/Environment\.Exit\(code == 0 \? 1 : code\)/)
  })

  it('PowerShell: config readable by SYSTEM and Administrators only, set with icacls by SID and checked on the file', () => {
    expect(ps1).toContain("icacls.exe $Path /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F'")
    expect(ps1).toMatch(/foreach \(\$p in @\(\$configDir, \$Config, \$State\)\) \{\s*if \(-not \(Test-Private \$p\)\) \{ Fail 6/)
    expect(ps1).toMatch(/\$Sids = @\('S-1-5-18', 'S-1-5-32-544'\)/)
  })

  it('PowerShell: parameters and exit codes for GPO, Intune and RMM; checksum before anything is installed', () => {
    for (const p of ['[string]$Token', '[string]$Server', '[string]$CaFile', '[switch]$Reenroll', '[switch]$NoStart', '[switch]$Uninstall']) expect(ps1).toContain(p)
    expect(ps1).toContain("[string]$Server = 'https://lagebild.example:8420'")
    expect(ps1).toMatch(/if \(\$PSCommandPath\) \{ exit \$Code \}/)
    const hash = ps1.indexOf('Get-FileHash')
    expect(hash).toBeGreaterThan(0)
    expect(hash).toBeLessThan(ps1.indexOf('Expand-Archive'))
  })

  it('PowerShell on a PC the server knows already: pasted it waits for the admin on the board, silent only with -Wait, else exit 7', () => {
    expect(ps1).toContain('[switch]$Wait')
    // The agent is told --no-wait exactly when run as a file (GPO, Intune, RMM) without -Wait …
    expect(ps1).toMatch(/if \(-not \$Wait -and \$PSCommandPath\) \{ \$waitArgs = @\('--no-wait'\) \}/)
    expect(ps1).toMatch(/enroll --server \$Server --token \$Token --config \$Config --dir \$State @caArgs @waitArgs/)
    // … its "still pending" (3) becomes the installer's own exit code 7, distinct from a failed enrollment (4) …
    expect(ps1).toMatch(/if \(\$LASTEXITCODE -eq 3\) \{ Fail 7 /)
    // … and the PowerShell 7 hand-over (run as a file) keeps the pasted line waiting.
    expect(ps1).toMatch(/if \(\$Wait -or -not \$PSCommandPath\) \{ \$pass \+= '-Wait' \}/)
  })

  it('shell script: the server address and, for a private CA, the key pin are filled in', () => {
    const sh = renderInstallSh('https://10.0.0.5:8420', { spki: 'sha256//abc=', certSha256: 'f'.repeat(64) })
    expect(sh).toContain("SERVER='https://10.0.0.5:8420'")
    expect(sh).toContain("PIN='sha256//abc='")
    expect(sh).not.toMatch(/__[A-Z_]+__/)
    expect(sh).toContain(`ExecStart="$LAUNCHER" run --config "$ROOT$CONF" --dir "$ROOT$STATE"`)
    const pinned = installLines('https://10.0.0.5:8420', { spki: 'sha256//abc=', certSha256: 'f'.repeat(64) })
    expect(pinned.linux).toBe("curl -fsSL --insecure --pinnedpubkey 'sha256//abc=' https://10.0.0.5:8420/install.sh | sudo sh -s -- --token TOKEN")
    expect(pinned.windows).toContain(`-eq '${'f'.repeat(64)}'`)
  })
})

describe('GET /api/v1/install-info', () => {
  let t: Awaited<ReturnType<typeof harness>>
  beforeAll(async () => {
    // A fresh install: no LAGEBILD_PUBLIC_URL.
    t = await harness({ config: { publicUrl: null } })
  })
  afterAll(() => t.close())

  it('says when the address is loopback, and fills it into every line', async () => {
    const r = await t.app.inject({ url: '/api/v1/install-info', headers: { authorization: `Bearer ${t.apiKey}`, host: '127.0.0.1:8420' } })
    expect(r.statusCode).toBe(200)
    const info = r.json()
    expect(info).toMatchObject({ server: 'http://127.0.0.1:8420', source: 'request', loopback: true, tls: false, privateCa: false })
    expect(info.lines.linux).toBe('curl -fsSL http://127.0.0.1:8420/install.sh | sudo sh -s -- --token TOKEN')
    expect(info.lines.windowsSilent).toContain('-Token TOKEN -Server http://127.0.0.1:8420')
  })

  it('refuses a Host header that is no host name (it would end up in scripts)', async () => {
    const r = await t.app.inject({ url: '/install.sh', headers: { host: 'evil.example;rm -rf /' } })
    expect(r.statusCode).toBe(400)
  })

  it('needs an admin', async () => {
    expect((await t.app.inject({ url: '/api/v1/install-info' })).statusCode).toBe(401)
  })
})
