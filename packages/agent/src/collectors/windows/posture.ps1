# Lagebild Windows posture script. READ-ONLY: it changes nothing on the host (secedit /export writes one
# temporary file under $env:TEMP and deletes it). It prints ONE JSON document on stdout.
# Every section is { ok: <data> } or { error: { type, hresult, category, id, message } }, so one failing
# source never hides the others. Dates are written here, as UTC ISO 8601 ('o'), never as localized text.
# Enum values are written as numbers or invariant names, never as localized display strings.
# Keep this file ASCII only: it is fed through standard input.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Get-Iso($d, [switch]$AssumeUtc) {
  if ($null -eq $d -or $d -isnot [datetime]) { return $null }
  if ($d.Year -lt 1980) { return $null }  # 1601-01-01 / 1899-12-30 mean "never"
  if ($d.Kind -eq [DateTimeKind]::Unspecified) {
    if ($AssumeUtc) { $d = [datetime]::SpecifyKind($d, [DateTimeKind]::Utc) }
    else { $d = [datetime]::SpecifyKind($d, [DateTimeKind]::Local) }
  }
  return $d.ToUniversalTime().ToString('o')
}

function Invoke-Section([scriptblock]$Body) {
  try {
    return @{ ok = (& $Body) }
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

$sections = [ordered]@{}

$sections.os = Invoke-Section {
  $cv = Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
  [ordered]@{
    ProductName = [string]$cv.ProductName
    DisplayVersion = [string]$cv.DisplayVersion
    CurrentBuildNumber = [string]$cv.CurrentBuildNumber
    UBR = $cv.UBR
    SystemDrive = [string]$env:SystemDrive
  }
}

$sections.patches = [ordered]@{
  # Online = false: search the metadata cached by the last automatic scan. Fast, no network; the age of that
  # scan is reported as LastSearchSuccessDate.
  search = Invoke-Section {
    $session = New-Object -ComObject Microsoft.Update.Session
    $searcher = $session.CreateUpdateSearcher()
    $searcher.Online = $false
    $result = $searcher.Search("IsInstalled=0 and Type='Software' and IsHidden=0")
    $list = New-Object System.Collections.ArrayList
    foreach ($u in $result.Updates) {
      $cats = New-Object System.Collections.ArrayList
      foreach ($c in $u.Categories) { [void]$cats.Add([ordered]@{ CategoryID = [string]$c.CategoryID; Name = [string]$c.Name }) }
      $kbs = New-Object System.Collections.ArrayList
      foreach ($k in $u.KBArticleIDs) { [void]$kbs.Add([string]$k) }
      [void]$list.Add([ordered]@{
        Title = [string]$u.Title
        KBArticleIDs = $kbs
        Categories = $cats
        MsrcSeverity = [string]$u.MsrcSeverity
        RebootRequired = [bool]$u.RebootRequired
        LastDeploymentChangeTime = (Get-Iso $u.LastDeploymentChangeTime -AssumeUtc)
      })
    }
    [ordered]@{ ResultCode = [int]$result.ResultCode; Updates = $list }
  }
  history = Invoke-Section {
    $r = (New-Object -ComObject Microsoft.Update.AutoUpdate).Results
    [ordered]@{
      LastInstallationSuccessDate = (Get-Iso $r.LastInstallationSuccessDate -AssumeUtc)
      LastSearchSuccessDate = (Get-Iso $r.LastSearchSuccessDate -AssumeUtc)
    }
  }
  reboot = Invoke-Section {
    $wua = $null
    try { $wua = [bool](New-Object -ComObject Microsoft.Update.SystemInfo).RebootRequired } catch { $wua = $null }
    $sm = Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -ErrorAction SilentlyContinue
    [ordered]@{
      SystemInfoRebootRequired = $wua
      WindowsUpdateRebootRequired = (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired')
      CbsRebootPending = (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending')
      PendingFileRenameOperations = ($null -ne $sm.PendingFileRenameOperations)
    }
  }
}

$sections.antimalware = [ordered]@{
  defender = Invoke-Section {
    $s = Get-MpComputerStatus
    [ordered]@{
      AMServiceEnabled = $s.AMServiceEnabled
      AMRunningMode = $s.AMRunningMode
      AntivirusEnabled = $s.AntivirusEnabled
      RealTimeProtectionEnabled = $s.RealTimeProtectionEnabled
      AntivirusSignatureVersion = $s.AntivirusSignatureVersion
      AntivirusSignatureLastUpdated = (Get-Iso $s.AntivirusSignatureLastUpdated)
      AntivirusSignatureAge = $s.AntivirusSignatureAge
      DefenderSignaturesOutOfDate = $s.DefenderSignaturesOutOfDate
    }
  }
  securityCenter = Invoke-Section {
    $list = New-Object System.Collections.ArrayList
    foreach ($p in @(Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName AntiVirusProduct)) {
      [void]$list.Add([ordered]@{ displayName = [string]$p.displayName; productState = $p.productState; pathToSignedProductExe = [string]$p.pathToSignedProductExe })
    }
    $list
  }
}

$sections.firewall = Invoke-Section {
  $list = New-Object System.Collections.ArrayList
  foreach ($p in @(Get-NetFirewallProfile -PolicyStore ActiveStore)) {
    # GpoBoolean and Action are enums: written as their numbers (GpoBoolean False 0, True 1, NotConfigured 2;
    # Action NotConfigured 0, Allow 2, Block 4).
    [void]$list.Add([ordered]@{ Name = [string]$p.Name; Enabled = [int]$p.Enabled; DefaultInboundAction = [int]$p.DefaultInboundAction })
  }
  $list
}

$sections.encryption = Invoke-Section {
  $list = New-Object System.Collections.ArrayList
  foreach ($v in @(Get-CimInstance -Namespace 'root/cimv2/Security/MicrosoftVolumeEncryption' -ClassName Win32_EncryptableVolume)) {
    [void]$list.Add([ordered]@{
      DriveLetter = [string]$v.DriveLetter; DeviceID = [string]$v.DeviceID; VolumeType = $v.VolumeType
      ProtectionStatus = $v.ProtectionStatus; ConversionStatus = $v.ConversionStatus; EncryptionMethod = $v.EncryptionMethod
    })
  }
  [ordered]@{ SystemDrive = [string]$env:SystemDrive; Volumes = $list }
}

$sections.userRights = Invoke-Section {
  $members = New-Object System.Collections.ArrayList
  $source = 'Get-LocalGroupMember'
  $firstError = $null
  try {
    foreach ($m in @(Get-LocalGroupMember -SID 'S-1-5-32-544')) {
      [void]$members.Add([ordered]@{ Name = [string]$m.Name; SID = [string]$m.SID.Value; ObjectClass = [string]$m.ObjectClass; PrincipalSource = [string]$m.PrincipalSource })
    }
  } catch {
    # Known bug: "Failed to compare two elements in the array." with Azure AD or orphaned SIDs in the group.
    $firstError = [string]$_.Exception.Message
    $source = 'ADSI'
    $members.Clear()
    $name = (Get-LocalGroup -SID 'S-1-5-32-544').Name
    $group = [ADSI]("WinNT://$env:COMPUTERNAME/$name,group")
    foreach ($raw in @($group.Invoke('Members'))) {
      $m = [ADSI]$raw
      $sid = $null
      try { $sid = (New-Object System.Security.Principal.SecurityIdentifier($m.InvokeGet('objectSid'), 0)).Value } catch { $sid = $null }
      [void]$members.Add([ordered]@{ Name = [string]$m.InvokeGet('Name'); SID = $sid; ObjectClass = [string]$m.SchemaClassName; PrincipalSource = $null; AdsPath = [string]$m.Path })
    }
  }
  $profiles = $null
  try {
    $profiles = New-Object System.Collections.ArrayList
    foreach ($p in @(Get-CimInstance -ClassName Win32_UserProfile)) { if (-not $p.Special) { [void]$profiles.Add([string]$p.SID) } }
  } catch { $profiles = $null }
  [ordered]@{ Source = $source; FirstError = $firstError; Members = $members; ProfileSids = $profiles }
}

$sections.passwords = [ordered]@{
  users = Invoke-Section {
    $list = New-Object System.Collections.ArrayList
    foreach ($u in @(Get-LocalUser)) {
      [void]$list.Add([ordered]@{ Name = [string]$u.Name; SID = [string]$u.SID.Value; Enabled = [bool]$u.Enabled; PasswordRequired = [bool]$u.PasswordRequired })
    }
    $list
  }
  policy = Invoke-Section {
    $f = Join-Path $env:TEMP ('lagebild-' + [guid]::NewGuid().ToString() + '.inf')
    try {
      $null = & secedit.exe /export /cfg $f /areas SECURITYPOLICY /quiet
      if ($LASTEXITCODE -ne 0) { throw "secedit /export exited with $LASTEXITCODE" }
      Get-Content -Raw -Encoding Unicode -LiteralPath $f
    } finally { Remove-Item -LiteralPath $f -ErrorAction SilentlyContinue }
  }
  screenLock = Invoke-Section {
    $sys = Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' -ErrorAction SilentlyContinue
    $users = New-Object System.Collections.ArrayList
    foreach ($k in @(Get-ChildItem 'Registry::HKEY_USERS')) {
      $sid = $k.PSChildName
      if ($sid -notmatch '^S-1-(5-21|12-1)-[0-9-]+$') { continue }
      $d = Get-ItemProperty "Registry::HKEY_USERS\$sid\Control Panel\Desktop" -ErrorAction SilentlyContinue
      $p = Get-ItemProperty "Registry::HKEY_USERS\$sid\Software\Policies\Microsoft\Windows\Control Panel\Desktop" -ErrorAction SilentlyContinue
      [void]$users.Add([ordered]@{
        SID = $sid
        ScreenSaveActive = $d.ScreenSaveActive; ScreenSaverIsSecure = $d.ScreenSaverIsSecure; ScreenSaveTimeOut = $d.ScreenSaveTimeOut
        PolicyScreenSaveActive = $p.ScreenSaveActive; PolicyScreenSaverIsSecure = $p.ScreenSaverIsSecure; PolicyScreenSaveTimeOut = $p.ScreenSaveTimeOut
      })
    }
    [ordered]@{ InactivityTimeoutSecs = $sys.InactivityTimeoutSecs; Users = $users }
  }
}

$sections.segmentation = Invoke-Section {
  $names = @{}
  foreach ($p in @(Get-Process)) { $names[[int]$p.Id] = $p.ProcessName }
  $list = New-Object System.Collections.ArrayList
  foreach ($c in @(Get-NetTCPConnection -State Listen)) {
    [void]$list.Add([ordered]@{ LocalAddress = [string]$c.LocalAddress; LocalPort = [int]$c.LocalPort; OwningProcess = [int]$c.OwningProcess; Process = $names[[int]$c.OwningProcess] })
  }
  $list
}

# Backups. Three built-in sources; each says whether it could look, so "nothing found" is never a failed read.
# - wsb: Windows Server Backup through Get-WBSummary (Server SKUs with the WindowsServerBackup module).
# - engineLog: the block-level backup engine's own event log Microsoft-Windows-Backup (also written by
#   "Backup and Restore (Windows 7)" system images on clients): newest event 4 (backup finished successfully).
#   Read by event id and invariant field names, never by the localized message text.
# - fileHistory: per user profile, Config1.xml (File History set up), the catalog file time and the
#   ProtectedUpToTime FILETIME from the user's hive when it is loaded.
function Get-NewestEvent([hashtable]$Filter) {
  try { return @(Get-WinEvent -FilterHashtable $Filter -MaxEvents 1)[0] }
  catch { if ([string]$_.FullyQualifiedErrorId -like 'NoMatchingEventsFound,*') { return $null }; throw }
}
function Get-EventField($e, [string]$Name) {
  foreach ($d in @(([xml]$e.ToXml()).Event.EventData.Data)) { if ($d.Name -eq $Name) { return [string]$d.'#text' } }
  return $null
}

$sections.backups = [ordered]@{
  wsb = Invoke-Section {
    if (-not (Get-Command -Name Get-WBSummary -ErrorAction SilentlyContinue)) { return [ordered]@{ Installed = $false } }
    $s = Get-WBSummary
    $policy = $null
    try { $policy = [bool](Get-WBPolicy) } catch { $policy = $null }
    [ordered]@{
      Installed = $true
      PolicyConfigured = $policy
      NumberOfVersions = $s.NumberOfVersions
      LastSuccessfulBackupTime = (Get-Iso $s.LastSuccessfulBackupTime)
      LastSuccessfulBackupTargetPath = [string]$s.LastSuccessfulBackupTargetPath
      LastSuccessfulBackupTargetLabel = [string]$s.LastSuccessfulBackupTargetLabel
      LastBackupTime = (Get-Iso $s.LastBackupTime)
      LastBackupTarget = [string]$s.LastBackupTarget
      LastBackupResultHR = $s.LastBackupResultHR
    }
  }
  engineLog = Invoke-Section {
    try { $null = Get-WinEvent -ListLog 'Microsoft-Windows-Backup' }
    catch { if ([string]$_.FullyQualifiedErrorId -like 'NoMatchingLogsFound,*') { return [ordered]@{ LogFound = $false } }; throw }
    $ok = Get-NewestEvent @{ LogName = 'Microsoft-Windows-Backup'; Id = 4 }
    $any = Get-NewestEvent @{ LogName = 'Microsoft-Windows-Backup' }
    $success = $null
    if ($ok) { $success = [ordered]@{ TimeCreated = (Get-Iso $ok.TimeCreated); BackupTarget = (Get-EventField $ok 'BackupTarget') } }
    $last = $null
    if ($any) { $last = [ordered]@{ Id = [int]$any.Id; TimeCreated = (Get-Iso $any.TimeCreated) } }
    [ordered]@{ LogFound = $true; LastSuccess = $success; LastEvent = $last }
  }
  fileHistory = Invoke-Section {
    $list = New-Object System.Collections.ArrayList
    foreach ($p in @(Get-CimInstance -ClassName Win32_UserProfile)) {
      if ($p.Special -or -not $p.LocalPath) { continue }
      $dir = Join-Path ([string]$p.LocalPath) 'AppData\Local\Microsoft\Windows\FileHistory\Configuration'
      $entry = Invoke-Section {
        try { $null = Get-Item -LiteralPath (Join-Path $dir 'Config1.xml') -Force }
        catch [System.Management.Automation.ItemNotFoundException] { return $null }
        $xml = Get-Content -Raw -LiteralPath (Join-Path $dir 'Config1.xml')
        $target = $null
        if ($xml -match '<TargetUrl>([^<]*)</TargetUrl>') { $target = $Matches[1] }
        $catalog = $null
        $c = Get-Item -LiteralPath (Join-Path $dir 'Catalog1.edb') -Force -ErrorAction SilentlyContinue
        if ($c) { $catalog = (Get-Iso $c.LastWriteTimeUtc -AssumeUtc) }
        $protected = $null
        $hive = "Registry::HKEY_USERS\$($p.SID)\Software\Microsoft\Windows\CurrentVersion\FileHistory"
        $loaded = Test-Path -LiteralPath "Registry::HKEY_USERS\$($p.SID)"
        if ($loaded) {
          $v = (Get-ItemProperty -LiteralPath $hive -ErrorAction SilentlyContinue).ProtectedUpToTime
          if ($v -is [long] -and $v -gt 0) { $protected = (Get-Iso ([datetime]::FromFileTimeUtc($v)) -AssumeUtc) }
        }
        [ordered]@{ TargetUrl = $target; CatalogWriteTime = $catalog; HiveLoaded = $loaded; ProtectedUpToTime = $protected }
      }
      if ($entry.Contains('ok') -and $null -eq $entry.ok) { continue }
      $entry.SID = [string]$p.SID
      $entry.ProfilePath = [string]$p.LocalPath
      [void]$list.Add($entry)
    }
    $list
  }
}

[Console]::Out.Write((ConvertTo-Json -InputObject ([ordered]@{ v = 1; sections = $sections }) -Depth 8 -Compress))
