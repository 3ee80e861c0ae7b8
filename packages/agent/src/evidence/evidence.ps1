# Lagebild Windows evidence script. READ-ONLY: it only reads event logs, processes, sockets, scheduled tasks,
# autostart entries and logons; it writes nothing, starts and stops nothing. $Hours is set by the agent in the first line.
# It prints ONE JSON document on stdout: { v: 1, items: { <item>: { ok: <data> } | { error: {...} } } }, so one failing
# source never hides the others. Dates as UTC ISO 8601 ('o'). Keep this file ASCII only: it is fed through standard input.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if ($null -eq $Hours) { $Hours = 24 }
$Since = (Get-Date).AddHours(-[int]$Hours)

function Get-Iso($d) {
  if ($null -eq $d -or $d -isnot [datetime]) { return $null }
  return $d.ToUniversalTime().ToString('o')
}

function Invoke-Section([scriptblock]$Body) {
  try {
    return @{ ok = @(& $Body) }
  } catch {
    $e = $_.Exception
    return @{ error = [ordered]@{
      type = $e.GetType().FullName
      hresult = $e.HResult
      category = [string]$_.CategoryInfo.Category
      id = [string]$_.FullyQualifiedErrorId
      message = [string]$e.Message
    } }
  }
}

# "No events found" is an answer, not a failure: Get-WinEvent throws for an empty result.
function Get-Events([hashtable]$Filter, [int]$Max) {
  try {
    Get-WinEvent -FilterHashtable $Filter -MaxEvents $Max -ErrorAction Stop | ForEach-Object {
      [ordered]@{ time = (Get-Iso $_.TimeCreated); log = $_.LogName; id = $_.Id; level = $_.Level; provider = $_.ProviderName; message = [string]$_.Message }
    }
  } catch {
    if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { return } else { throw }
  }
}

$items = [ordered]@{}

$items['system-log'] = Invoke-Section {
  Get-Events @{ LogName = @('System', 'Application'); StartTime = $Since } 20000
}

# Logons, failed logons, privileges, account and group changes, lockouts, a cleared log.
$items['auth-log'] = Invoke-Section {
  Get-Events @{ LogName = 'Security'; StartTime = $Since; Id = @(4624, 4625, 4634, 4647, 4648, 4672, 4720, 4722, 4724, 4728, 4732, 4738, 4740, 4756, 4767, 4776, 1102) } 20000
}

$items['processes'] = Invoke-Section {
  Get-CimInstance -ClassName Win32_Process | ForEach-Object {
    [ordered]@{ pid = $_.ProcessId; ppid = $_.ParentProcessId; name = $_.Name; path = $_.ExecutablePath; commandLine = $_.CommandLine; created = (Get-Iso $_.CreationDate) }
  }
}

$items['listening-sockets'] = Invoke-Section {
  $tcp = Get-NetTCPConnection -State Listen | ForEach-Object { [ordered]@{ protocol = 'tcp'; address = $_.LocalAddress; port = $_.LocalPort; pid = $_.OwningProcess } }
  $udp = Get-NetUDPEndpoint | ForEach-Object { [ordered]@{ protocol = 'udp'; address = $_.LocalAddress; port = $_.LocalPort; pid = $_.OwningProcess } }
  @($tcp) + @($udp)
}

$items['scheduled-tasks'] = Invoke-Section {
  Get-ScheduledTask | ForEach-Object {
    [ordered]@{
      path = $_.TaskPath; name = $_.TaskName; state = [string]$_.State; author = $_.Author; user = $_.Principal.UserId
      actions = @($_.Actions | ForEach-Object { [ordered]@{ execute = $_.Execute; arguments = $_.Arguments } })
      triggers = @($_.Triggers | ForEach-Object { [ordered]@{ type = $_.CimClass.CimClassName; start = $_.StartBoundary; enabled = $_.Enabled } })
    }
  }
}

$items['autostarts'] = Invoke-Section {
  $run = foreach ($key in @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Run', 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce',
      'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Run', 'HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Run')) {
    if (Test-Path $key) {
      $p = Get-ItemProperty -Path $key
      foreach ($n in $p.PSObject.Properties) { if ($n.Name -notlike 'PS*') { [ordered]@{ source = $key; name = $n.Name; command = [string]$n.Value } } }
    }
  }
  $startup = Get-CimInstance -ClassName Win32_StartupCommand | ForEach-Object { [ordered]@{ source = $_.Location; name = $_.Name; command = $_.Command; user = $_.User } }
  $services = Get-CimInstance -ClassName Win32_Service | Where-Object { $_.StartMode -eq 'Auto' } | ForEach-Object {
    [ordered]@{ source = 'service'; name = $_.Name; command = $_.PathName; user = $_.StartName; state = $_.State }
  }
  @($run) + @($startup) + @($services)
}

# Interactive, remote-desktop and cached logons (types 2, 10, 11) of the period, and the last logon of each profile.
$items['recent-logins'] = Invoke-Section {
  $logons = Get-Events @{ LogName = 'Security'; StartTime = $Since; Id = 4624 } 5000 | Where-Object { $_.message -match 'Logon Type:\s+(2|10|11)\b' }
  $profiles = Get-CimInstance -ClassName Win32_NetworkLoginProfile | ForEach-Object { [ordered]@{ name = $_.Name; lastLogon = (Get-Iso $_.LastLogon) } }
  [ordered]@{ logons = @($logons); profiles = @($profiles) }
}

[Console]::Out.Write((ConvertTo-Json -InputObject ([ordered]@{ v = 1; items = $items }) -Depth 6 -Compress))
