<#
.SYNOPSIS
    The IndexTools demo: uv's multi-index search, step by step, against the local index server (--demo).
.DESCRIPTION
    Run through `./build.sh demo`. Starts tests/IndexServer with its demo fixture (an internal index that needs
    credentials, a PyTorch-like index that answers 403 for what it does not host, and a public index holding a
    look-alike of an internal package), writes a demo pyproject.toml into a temporary folder, and walks:
      1. the search order;
      2. acme-auth stopping at the internal index on 401 (first-index);
      3. the fix: UV_INDEX_INTERNAL_USERNAME / UV_INDEX_INTERNAL_PASSWORD;
      4. requests stopping at the PyTorch-like index on 403, and the fix with Set-IndexIgnoredCodes (-WhatIf, then for real);
      5. acme-utils under UnsafeBestMatch: the look-alike from pypi wins, which first-index prevents.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = $(if ($env:INDEXTOOLS_MODULE) { $env:INDEXTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/IndexTools' })
)

$ErrorActionPreference = 'Stop'
if ($PSVersionTable.PSVersion.Major -ge 7) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force

function Show-Step([string] $Title) { Write-Host ''; Write-Host "=== $Title" -ForegroundColor Cyan }
function Show-Command([string] $Text) { Write-Host "PS> $Text" -ForegroundColor Yellow }

$server = Start-IndexServer -Demo
$work = Join-Path ([IO.Path]::GetTempPath()) ('indextools-demo-' + [guid]::NewGuid().ToString('n'))
Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
try {
    $project = Join-Path $work 'app'
    $file = New-UvProject -Path $project -Index @(
        @{ Name = 'internal'; Url = $server.Indexes['internal'] }
        @{ Name = 'pytorch'; Url = $server.Indexes['pytorch'] }
        @{ Name = 'pypi'; Url = $server.Indexes['pypi']; Default = $true })
    Push-Location $project
    Write-Host "Demo project: $file"
    Get-Content $file | ForEach-Object { Write-Host "    $_" }

    Show-Step '1. The search order uv uses for this project'
    Show-Command 'Get-IndexStrategy'
    Get-IndexStrategy | Out-Host

    Show-Step '2. acme-auth: the internal index answers 401, and first-index stops there'
    Show-Command 'Resolve-PyPackage acme-auth | Format-Custom -View Explain'
    Resolve-PyPackage acme-auth -ErrorAction SilentlyContinue -ErrorVariable authErrors | Format-Custom -View Explain | Out-Host
    Write-Host "Error written: $($authErrors[0].FullyQualifiedErrorId)"
    Write-Host "Recommended:   $($authErrors[0].ErrorDetails.RecommendedAction)"

    Show-Step '3. The fix: credentials for that index only'
    Show-Command '$env:UV_INDEX_INTERNAL_USERNAME = ''demo''; $env:UV_INDEX_INTERNAL_PASSWORD = ''<secret>'''
    $env:UV_INDEX_INTERNAL_USERNAME = 'demo'
    $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'   # the demo fixture's fake, local-only value
    Show-Command 'Resolve-PyPackage acme-auth -Verbose'
    Resolve-PyPackage acme-auth -Verbose | Out-Host

    Show-Step '4. requests: the pytorch index answers 403 for what it does not host'
    Show-Command 'Resolve-PyPackage requests | Format-Custom -View Explain'
    Resolve-PyPackage requests -ErrorAction SilentlyContinue | Format-Custom -View Explain | Out-Host
    Show-Command 'Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -WhatIf'
    Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -WhatIf
    Show-Command 'Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -Force -PassThru'
    Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -Force -PassThru | Out-Host
    Get-Content $file | Select-String 'ignore-error-codes' | ForEach-Object { Write-Host "    $($_.Line)" }
    Show-Command 'Resolve-PyPackage requests | Format-Custom -View Explain'
    Resolve-PyPackage requests | Format-Custom -View Explain | Out-Host

    Show-Step '5. acme-utils: first-index keeps the internal package; UnsafeBestMatch takes the look-alike'
    Show-Command 'Resolve-PyPackage acme-utils'
    Resolve-PyPackage acme-utils | Out-Host
    Show-Command 'Resolve-PyPackage acme-utils -IndexStrategy UnsafeBestMatch | Format-Custom -View Explain'
    Resolve-PyPackage acme-utils -IndexStrategy UnsafeBestMatch | Format-Custom -View Explain | Out-Host
    Write-Host 'pypi''s acme-utils 99.0.0 wins under UnsafeBestMatch: that is the dependency-confusion risk first-index avoids.'

    # Further sections (one file each, run in name order, in this scope: $server, $file, $work, Show-Step and
    # Show-Command are available; the current folder is the demo project).
    foreach ($section in Get-ChildItem -Path (Join-Path $PSScriptRoot 'demo') -Filter '*.ps1' -ErrorAction SilentlyContinue | Sort-Object Name) {
        . $section.FullName
    }
}
finally {
    Pop-Location -ErrorAction SilentlyContinue
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
    Stop-IndexServer $server
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
