<#
.SYNOPSIS
    Starts the local index server with the demo's indexes and leaves it running, with a project to try every cmdlet on.
.DESCRIPTION
    Run by `./build.sh serve` (and `./build.sh serve -Stop`); tests/pester/Serve.Tests.ps1 runs it on a temporary folder.
    Starts tests/IndexServer --demo in the background (detached with nohup: it keeps running after this script and
    the shell that ran it), waits for its READY line, writes <Folder>/app from the fixture project tests/fixtures/report
    with the server's URLs (pyproject.toml, requirements.txt, uv.lock), and prints the URLs, a [[tool.uv.index]] block
    to paste into a project of your own, and commands for every cmdlet. A server this script started before (its pid
    in <Folder>/server.pid) is stopped first; -Stop only stops it. Linux and macOS (needs sh, nohup, ps and kill).
#>
[CmdletBinding()]
param(
    # The built module folder the printed commands import (out/IndexTools).
    [Parameter(Mandatory)] [string] $ModulePath,

    # tests/IndexServer's built IndexTools.IndexServer.dll.
    [Parameter(Mandatory)] [string] $ServerPath,

    # Where the pid, the log, the project and the cache of this demo server go (out/serve).
    [Parameter(Mandatory)] [string] $Folder,

    # Stop the server started before, start nothing.
    [switch] $Stop
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
if ($IsWindows) { throw 'serve starts the server detached with sh and nohup (Linux, macOS). On Windows run: dotnet tests/IndexServer/bin/Release/net10.0/IndexTools.IndexServer.dll --demo' }

New-Item -ItemType Directory -Force $Folder | Out-Null
$Folder = (Resolve-Path $Folder).Path
$pidFile = Join-Path $Folder 'server.pid'
$log = Join-Path $Folder 'server.log'

# The server this script started before, when that process is still it (a pid can be reused).
function Stop-PreviousServer {
    if (-not (Test-Path $pidFile)) { return }
    $previous = (Get-Content -Raw $pidFile).Trim()
    Remove-Item $pidFile
    if ($previous -notmatch '^\d+$') { return }
    $command = & ps -o args= -p $previous 2>$null
    if ($LASTEXITCODE -eq 0 -and "$command" -like '*IndexTools.IndexServer.dll*--demo*') {
        & kill $previous
        Write-Host "Stopped the index server (pid $previous)."
    }
}

Stop-PreviousServer
if ($Stop) { return }

$ServerPath = (Resolve-Path $ServerPath).Path
$ModulePath = (Resolve-Path $ModulePath).Path
function Quote([string] $Value) { "'" + $Value.Replace("'", "'\''") + "'" }
Remove-Item $log -ErrorAction SilentlyContinue
& sh -c "nohup dotnet $(Quote $ServerPath) --demo --no-stdin > $(Quote $log) 2>&1 < /dev/null & echo `$! > $(Quote $pidFile)"
if ($LASTEXITCODE -ne 0) { throw "sh could not start the index server (exit code $LASTEXITCODE)." }
$serverPid = (Get-Content -Raw $pidFile).Trim()

# READY comes after one INDEX line per index; the process ending first is a failure with its log.
$indexes = [ordered] @{}
$ready = $null
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (-not $ready) {
    $lines = if (Test-Path $log) { @(Get-Content $log) } else { @() }
    foreach ($line in $lines) {
        if ($line -match '^INDEX (\S+) (\S+)$') { $indexes[$Matches[1]] = $Matches[2] }
        elseif ($line -match '^READY (\S+)$') { $ready = $Matches[1] }
    }
    if ($ready) { break }
    & ps -p $serverPid *> $null
    if ($LASTEXITCODE -ne 0 -or [DateTime]::UtcNow -gt $deadline) {
        throw "The index server did not start (pid $serverPid):`n$($lines -join "`n")"
    }
    Start-Sleep -Milliseconds 200
}

$app = Join-Path $Folder 'app'
New-Item -ItemType Directory -Force $app | Out-Null
foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot '../tests/fixtures/report') -File) {
    $text = Get-Content -Raw $file.FullName
    foreach ($name in $indexes.Keys) { $text = $text.Replace("{$name}", $indexes[$name]) }
    [IO.File]::WriteAllText((Join-Path $app $file.Name), $text)
}
$cache = Join-Path $Folder 'cache'
$module = [IO.Path]::GetRelativePath($app, $ModulePath)

Write-Host @"
The index server runs in the background (pid $serverPid, log $log) on $ready
  internal  $($indexes['internal'])   needs credentials: demo / demo-secret-not-real; holds acme-auth, acme-utils
  pytorch   $($indexes['pytorch'])   answers 403 for what it does not host; holds torch
  pypi      $($indexes['pypi'])   public: requests, numpy, and a look-alike acme-utils 99.0.0

A project to try every cmdlet on: $app (pyproject.toml, requirements.txt, uv.lock).
To use these indexes in a project of your own, paste into its pyproject.toml:

[[tool.uv.index]]
name = "internal"
url = "$($indexes['internal'])"

[[tool.uv.index]]
name = "pytorch"
url = "$($indexes['pytorch'])"

[[tool.uv.index]]
name = "pypi"
url = "$($indexes['pypi'])"
default = true

Then, in pwsh:
  Set-Location '$app'
  Import-Module '$module'
  `$env:INDEXTOOLS_CACHE_DIR = '$cache'        # keeps the demo's pages out of your own cache
  `$env:UV_INDEX_INTERNAL_USERNAME = 'demo'; `$env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'
  Get-IndexStrategy
  Resolve-PyPackage requests, acme-auth, torch | Format-Custom -View Explain
  Resolve-PyPackage -Project
  Resolve-PyPackage -RequirementsPath requirements.txt
  Test-PyIndex
  Set-IndexIgnoredCodes -Name pytorch -Reset -WhatIf
  Find-ShadowedPackage -Project -PublicIndex pypi -Force
  Compare-IndexStrategy acme-utils, requests -PublicIndex pypi -Force
  Test-PyLock -IncludeUnchanged
  & { Resolve-PyPackage -Project -ErrorAction SilentlyContinue; Test-PyLock } | Write-IndexReport -FailOn Never

Stop the server: ./build.sh serve -Stop   (or: kill $serverPid)
"@
