# Lagebild agent installer for Windows 10/11, served by the Lagebild server at /install.ps1 with its own address
# filled in. Installs the agent as the Windows service __WINDOWS_SERVICE__ (LocalSystem, starts at boot, restarts
# on failure) and enrolls it. Run in Windows PowerShell as administrator:
#   & ([scriptblock]::Create((irm __SERVER__/install.ps1))) -Token TOKEN
# Silent (GPO startup script, Intune, RMM; runs as SYSTEM; safe to run at every boot):
#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File install.ps1 -Token TOKEN -Server __SERVER__
# A PC the server knows already (a reinstall) is enrolled only after an admin allows it on the host page of the board
# (or with a token created with "may replace"). Pasted, the line waits for that; the silent form does not wait unless
# given -Wait, and exits with __INSTALL_PENDING__ (run it again once allowed: it continues the same request).
# Exit codes: 0 installed (or already up to date), 1 not administrator or unsupported system, 2 bad arguments,
#             3 download or checksum failed, 4 enrollment failed, 5 service could not be set up,
#             6 the config's access rights could not be restricted, __INSTALL_PENDING__ waiting for an admin on the board.
[CmdletBinding()]
param(
  [string]$Token = '',
  [string]$Server = '__SERVER__',
  [string]$CaFile = '',
  [switch]$Reenroll,
  [switch]$Wait,
  [switch]$NoStart,
  [switch]$Uninstall
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# SHA-256 of the server certificate when it comes from a private CA: the CA is then fetched over a pinned connection.
$Pin = '__PIN_CERT__'
if ($Server.TrimEnd('/') -ne '__SERVER__') { $Pin = '' }
$Program = '__WINDOWS_PROGRAM__'
$Config = '__WINDOWS_CONFIG__'
$CaTarget = '__WINDOWS_CA__'
$State = '__WINDOWS_STATE__'
$ServiceName = '__WINDOWS_SERVICE__'
$Sids = @('S-1-5-18', 'S-1-5-32-544')  # SYSTEM, Administrators (by SID: the names differ by language)

function Fail([int]$Code, [string]$Message) {
  Write-Host "lagebild: $Message"
  # Run as a file (GPO, Intune, RMM): the exit code says what failed. Pasted into a console: do not close it.
  if ($PSCommandPath) { exit $Code } else { throw "lagebild: $Message" }
}
function Say([string]$Message) { Write-Host "lagebild: $Message" }

# Add-Type compiles the service host only in Windows PowerShell (5.1); from PowerShell 7 hand over to it.
if ($PSVersionTable.PSEdition -eq 'Core') {
  $self = Join-Path $env:TEMP 'lagebild-install.ps1'
  Set-Content -LiteralPath $self -Value $MyInvocation.MyCommand.ScriptBlock.ToString() -Encoding UTF8
  $pass = @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $self, '-Server', $Server)
  if ($Token) { $pass += @('-Token', $Token) }
  if ($CaFile) { $pass += @('-CaFile', $CaFile) }
  if ($Reenroll) { $pass += '-Reenroll' }
  # Pasted into a console, the line waits for an admin's confirmation; the hand-over runs as a file, which would not.
  if ($Wait -or -not $PSCommandPath) { $pass += '-Wait' }
  if ($NoStart) { $pass += '-NoStart' }
  if ($Uninstall) { $pass += '-Uninstall' }
  & "$env:SystemRoot\System32\WindowsPowerShell\v1.0\powershell.exe" @pass
  $code = $LASTEXITCODE
  Remove-Item -LiteralPath $self -Force -ErrorAction SilentlyContinue
  if ($code -ne 0) { Fail $code "the installer failed with exit code $code / Installation fehlgeschlagen" }
  return
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  Fail 1 "run PowerShell as administrator / PowerShell als Administrator ausführen"
}
if (-not [Environment]::Is64BitOperatingSystem) { Fail 1 "a 64-bit Windows is needed / ein 64-Bit-Windows wird benötigt" }
$Server = $Server.TrimEnd('/')
if ($Server -notmatch '^https?://([A-Za-z0-9.:-]+|\[[0-9A-Fa-f:.]+\](:[0-9]+)?)$') { Fail 2 "-Server ${Server}: expected http(s)://host[:port] / erwartet http(s)://host[:port]" }
if ($Token -and $Token -notmatch '^[A-Za-z0-9_-]{1,200}$') { Fail 2 "-Token: not an enrollment token / kein Anmelde-Token" }
if ($CaFile -and -not (Test-Path -LiteralPath $CaFile)) { Fail 2 "-CaFile ${CaFile}: not found / nicht gefunden" }

$launcher = Join-Path $Program 'lagebild-agent.cmd'
if ($Uninstall) {
  if (-not (Test-Path -LiteralPath $launcher)) { Fail 1 "no Lagebild agent installed in $Program / kein Lagebild-Agent installiert" }
  & $launcher uninstall --yes
  exit $LASTEXITCODE
}

# TLS 1.2 at least (older .NET defaults offer TLS 1.0 only); the certificate check: the private CA or the pin.
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
if ($CaFile) {
  $ca = New-Object Security.Cryptography.X509Certificates.X509Certificate2((Resolve-Path -LiteralPath $CaFile).Path)
  [Net.ServicePointManager]::ServerCertificateValidationCallback = {
    param($sender, $cert, $chain, $errors)
    if ($errors -eq 'None') { return $true }
    if (($errors -band [Net.Security.SslPolicyErrors]::RemoteCertificateNameMismatch) -ne 0) { return $false }
    $c = New-Object Security.Cryptography.X509Certificates.X509Chain
    $c.ChainPolicy.ExtraStore.Add($ca) | Out-Null
    $c.ChainPolicy.RevocationMode = 'NoCheck'
    $c.ChainPolicy.VerificationFlags = 'AllowUnknownCertificateAuthority'
    $ok = $c.Build((New-Object Security.Cryptography.X509Certificates.X509Certificate2($cert)))
    return ($ok -and $c.ChainElements[$c.ChainElements.Count - 1].Certificate.Thumbprint -eq $ca.Thumbprint)
  }.GetNewClosure()
} elseif ($Pin) {
  [Net.ServicePointManager]::ServerCertificateValidationCallback = {
    param($sender, $cert, $chain, $errors)
    $hash = [Security.Cryptography.SHA256]::Create().ComputeHash($cert.GetRawCertData())
    return ((-join ($hash | ForEach-Object { $_.ToString('x2') })) -eq $Pin)
  }.GetNewClosure()
}
$web = New-Object Net.WebClient
function Fetch([string]$Url, [string]$File) {
  try { $web.DownloadFile($Url, $File) } catch { Fail 3 "cannot download $Url ($($_.Exception.InnerException.Message)) / Download fehlgeschlagen" }
}

$tmp = Join-Path $env:TEMP ("lagebild-" + [Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
  Fetch "$Server/api/v1/agent-packages/windows-x64/sha256" "$tmp\sha256"
  $line = (Get-Content -LiteralPath "$tmp\sha256" -TotalCount 1) -split '\s+'
  $want = $line[0]; $file = $line[1]
  if ($want -notmatch '^[0-9a-f]{64}$') { Fail 3 "the server sent no SHA-256 / der Server lieferte keine SHA-256" }
  if ($file -notmatch '^lagebild-agent-(\d+\.\d+\.\d+)-windows-x64\.zip$') { Fail 3 "unexpected package name $file / unerwarteter Paketname" }
  $version = $Matches[1]
  $current = if (Test-Path -LiteralPath "$Program\__CURRENT__") { (Get-Content -LiteralPath "$Program\__CURRENT__" -TotalCount 1).Trim() } else { '' }
  $enrolled = (Test-Path -LiteralPath $Config) -and ((Get-Content -LiteralPath $Config -Raw) -match '"agentId"')
  $service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue

  if ($current -eq $version -and (Test-Path -LiteralPath "$Program\__VERSIONS__\$version\bin\node.exe")) {
    Say "agent $version is installed already / Agent $version ist bereits installiert"
  } else {
    Fetch "$Server/api/v1/agent-packages/windows-x64" "$tmp\$file"
    $have = (Get-FileHash -LiteralPath "$tmp\$file" -Algorithm SHA256).Hash.ToLowerInvariant()
    if ($have -ne $want) { Fail 3 "checksum mismatch for $file (expected $want, got $have): nothing installed / Prüfsumme falsch: nichts installiert" }
    Expand-Archive -LiteralPath "$tmp\$file" -DestinationPath "$tmp\x" -Force
    if ((Get-Content -LiteralPath "$tmp\x\lagebild-agent\VERSION" -TotalCount 1).Trim() -ne $version) { Fail 3 "package content does not match its name / Paketinhalt passt nicht zum Namen" }
    if ($service -and $service.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force; $service.WaitForStatus('Stopped', '00:00:30') }
    New-Item -ItemType Directory -Force -Path "$Program\__VERSIONS__" | Out-Null
    if (Test-Path -LiteralPath "$Program\__VERSIONS__\$version") { Remove-Item -LiteralPath "$Program\__VERSIONS__\$version" -Recurse -Force }
    Move-Item -LiteralPath "$tmp\x\lagebild-agent" -Destination "$Program\__VERSIONS__\$version"
    if ($current -and $current -ne $version) { [IO.File]::WriteAllText("$Program\__PREVIOUS__", $current) }
    [IO.File]::WriteAllText("$Program\__CURRENT__", $version)
    Remove-Item -LiteralPath "$Program\__PENDING__" -Force -ErrorAction SilentlyContinue
  }
} finally {
  Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
}

# The launcher people run (lagebild-agent.cmd doctor): the version named in "current".
$cmd = "@echo off`r`nsetlocal`r`nset /p V=<`"%~dp0__CURRENT__`"`r`n`"%~dp0__VERSIONS__\%V%\bin\node.exe`" --use-system-ca --lite-mode `"%~dp0__VERSIONS__\%V%\agent\lagebild-agent.mjs`" %*`r`n"
[IO.File]::WriteAllText($launcher, $cmd)

# Config and state: SYSTEM and Administrators only, inheritance from C:\ProgramData removed (it grants Users read).
function Restrict([string]$Path) {
  & icacls.exe $Path /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' /T /C /Q | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail 6 "icacls $Path failed / fehlgeschlagen" }
  & icacls.exe $Path /setowner '*S-1-5-32-544' /T /C /Q | Out-Null
}
function Test-Private([string]$Path) {
  foreach ($ace in (Get-Acl -LiteralPath $Path).Access) {
    $sid = $ace.IdentityReference.Translate([Security.Principal.SecurityIdentifier]).Value
    if ($ace.AccessControlType -eq 'Allow' -and $Sids -notcontains $sid) { return $false }
  }
  return $true
}
$configDir = Split-Path -Parent $Config
New-Item -ItemType Directory -Force -Path $configDir, $State | Out-Null
Restrict $configDir
$caArgs = @()
if ($CaFile) {
  Copy-Item -LiteralPath $CaFile -Destination $CaTarget -Force
  $caArgs = @('--ca', $CaTarget)
} elseif ($Pin) {
  Fetch "$Server/ca.pem" $CaTarget
  $caArgs = @('--ca', $CaTarget)
}

$node = "$Program\__VERSIONS__\$(Get-Content -LiteralPath "$Program\__CURRENT__" -TotalCount 1)\bin\node.exe"
$agent = "$(Split-Path -Parent (Split-Path -Parent $node))\agent\lagebild-agent.mjs"
if ($enrolled -and -not $Reenroll) {
  Say "this PC is enrolled already; keeping its credentials (-Reenroll to enroll again) / bereits angemeldet"
} else {
  if (-not $Token) { Fail 2 "-Token TOKEN is needed: create one on the board (Enroll) / -Token TOKEN fehlt: im Statusboard erzeugen" }
  # A PC the server knows already: the agent says where an admin confirms. Pasted (or -Wait) it waits; run as a file
  # (GPO, Intune, RMM) it asks and ends, and the next run continues the same request.
  $waitArgs = @()
  if (-not $Wait -and $PSCommandPath) { $waitArgs = @('--no-wait') }
  & $node --use-system-ca $agent enroll --server $Server --token $Token --config $Config --dir $State @caArgs @waitArgs
  if ($LASTEXITCODE -eq __ENROLL_PENDING__) { Fail __INSTALL_PENDING__ "not enrolled yet: an admin must allow it on the board; then run this again / noch nicht angemeldet: ein Admin muss es im Statusboard erlauben; dann erneut ausführen" }
  if ($LASTEXITCODE -ne 0) { Fail 4 "enrollment failed (see above) / Anmeldung fehlgeschlagen (siehe oben)" }
}
Restrict $configDir
foreach ($p in @($configDir, $Config, $State)) {
  if (-not (Test-Private $p)) { Fail 6 "$p is readable by others than SYSTEM and Administrators / ist für andere lesbar" }
}

# The service host: compiled here with the .NET Framework of Windows (see docs/deploy.md for why no third-party wrapper).
$exe = Join-Path $Program 'lagebild-service.exe'
$source = @'
__SERVICE_SOURCE__
'@
if ($service -and $service.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force; (Get-Service $ServiceName).WaitForStatus('Stopped', '00:00:30') }
try {
  Add-Type -TypeDefinition $source -Language CSharp -OutputAssembly $exe -OutputType ConsoleApplication -ReferencedAssemblies 'System.ServiceProcess'
} catch { Fail 5 "cannot build the service host ($($_.Exception.Message)) / Dienst-Programm nicht erstellbar" }
if (-not $service) {
  New-Service -Name $ServiceName -BinaryPathName "`"$exe`"" -DisplayName 'Lagebild Agent' -StartupType Automatic `
    -Description 'Lagebild: reports the security status of this PC to the Lagebild server.' | Out-Null
}
& sc.exe config $ServiceName start= auto obj= LocalSystem binPath= "`"$exe`"" | Out-Null
if ($LASTEXITCODE -ne 0) { Fail 5 "sc.exe config failed / fehlgeschlagen" }
# Restart after 10 s, 10 s, then every minute; the failure count resets after a day without failure.
& sc.exe failure $ServiceName reset= 86400 actions= restart/10000/restart/10000/restart/60000 | Out-Null
& sc.exe failureflag $ServiceName 1 | Out-Null
if (-not $NoStart) {
  Start-Service -Name $ServiceName
  try { (Get-Service $ServiceName).WaitForStatus('Running', '00:00:30') } catch { Fail 5 "the service did not start: see __WINDOWS_LOG__ / Dienst startet nicht" }
  Say "agent installed and running as service $ServiceName; check it with: & '$launcher' doctor / Agent installiert und gestartet"
} else {
  Say "agent installed (not started) / Agent installiert (nicht gestartet)"
}
if ($PSCommandPath) { exit 0 }
