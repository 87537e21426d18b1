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
    [string] $ModulePath = $(if ($env:INDEXTOOLS_MODULE) { $env:INDEXTOOLS_MODULE } else { Join-Path $PSScriptRoot '../out/IndexTools' }),
    # The terminal width the demo is written for: views render at this width, and every other line (warnings,
    # verbose lines, What if lines, the narration) is wrapped at word boundaries to fit, continuation lines indented.
    [ValidateRange(40, 400)] [int] $Width = 80,
    # Internal: the run itself, in a child pwsh whose output the parent wraps (What if lines go straight to the host).
    [switch] $Inner
)

$ErrorActionPreference = 'Stop'
if ($PSVersionTable.PSVersion.Major -ge 7) { $PSStyle.OutputRendering = 'PlainText' }

if (-not $Inner) {
    # Wraps one line at word boundaries to $Width: continuation lines under the text after a 'WARNING: ' (and the
    # like) prefix, else 4 columns right of the line's own indentation. A word longer than a line is left whole.
    function Write-Wrapped([string] $Line) {
        if ($Line.Length -le $Width) { return $Line }
        $indent = if ($Line -match '^(WARNING|VERBOSE|What if|DEBUG): ') { $Matches[0].Length } else { ($Line.Length - $Line.TrimStart().Length) + 4 }
        $pad = ' ' * $indent
        $rest = $Line
        while ($rest.Length -gt $Width) {
            $cut = $rest.LastIndexOf(' ', $Width)
            if ($cut -le $indent) { $cut = $rest.IndexOf(' ', $Width) }
            if ($cut -lt 0) { break }
            $rest.Substring(0, $cut).TrimEnd()
            $rest = $pad + $rest.Substring($cut + 1).TrimStart()
        }
        $rest
    }
    $process = [Environment]::ProcessPath
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, (Join-Path $PSHOME 'pwsh.dll')) } else { @($process) }
    & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-ModulePath', $ModulePath, '-Width', $Width, '-Inner')) 2>&1 |
        ForEach-Object { Write-Wrapped "$_" }
    exit $LASTEXITCODE
}

Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1') -Force

function Show-Step([string] $Title) { Write-Host ''; Write-Host "=== $Title" -ForegroundColor Cyan }
# A command as typed: 'PS> ' before the first line, PowerShell's continuation prompt '>> ' before the others.
function Show-Command([string[]] $Text) {
    for ($i = 0; $i -lt $Text.Count; $i++) { Write-Host "$(if ($i -eq 0) { 'PS> ' } else { '>> ' })$($Text[$i])" -ForegroundColor Yellow }
}
# Objects as a $Width-column terminal shows them (the module's views at that width).
# Streams: what came before a terminating error is still shown.
function Show-Output {
    param([Parameter(ValueFromPipeline)] $InputObject)
    begin { $pipe = { Out-String -Width $Width -Stream | ForEach-Object { Write-Host $_ } }.GetSteppablePipeline(); $pipe.Begin($true) }
    process { $pipe.Process($InputObject) }
    end { $pipe.End() }
}

$server = Start-IndexServer -Demo
$work = Join-Path ([IO.Path]::GetTempPath()) ('indextools-demo-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
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
    Get-IndexStrategy | Show-Output

    Show-Step '2. acme-auth: the internal index answers 401; first-index stops there'
    Show-Command 'Resolve-PyPackage acme-auth -ErrorVariable authErrors |', '    Format-Custom -View Explain'
    Resolve-PyPackage acme-auth -ErrorAction SilentlyContinue -ErrorVariable authErrors | Format-Custom -View Explain | Show-Output
    Show-Command '$authErrors[0].FullyQualifiedErrorId'
    $authErrors[0].FullyQualifiedErrorId | Show-Output
    Show-Command '$authErrors[0].ErrorDetails.RecommendedAction'
    $authErrors[0].ErrorDetails.RecommendedAction | Show-Output

    Show-Step '3. The fix: credentials for that index only'
    Show-Command '$env:UV_INDEX_INTERNAL_USERNAME = ''demo'''
    Show-Command '$env:UV_INDEX_INTERNAL_PASSWORD = ''<secret>'''
    $env:UV_INDEX_INTERNAL_USERNAME = 'demo'
    $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'   # the demo fixture's fake, local-only value
    Show-Command 'Resolve-PyPackage acme-auth -Verbose'
    Resolve-PyPackage acme-auth -Verbose | Show-Output

    Show-Step '4. requests: the pytorch index answers 403 for what it does not host'
    Show-Command 'Resolve-PyPackage requests | Format-Custom -View Explain'
    Resolve-PyPackage requests -ErrorAction SilentlyContinue | Format-Custom -View Explain | Show-Output
    Show-Command 'Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -WhatIf'
    Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -WhatIf
    Show-Command 'Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -Force -PassThru'
    Set-IndexIgnoredCodes -Name pytorch -StatusCode 403 -Force -PassThru | Show-Output
    Get-Content $file | Select-String 'ignore-error-codes' | ForEach-Object { Write-Host "    $($_.Line)" }
    Show-Command 'Resolve-PyPackage requests | Format-Custom -View Explain'
    Resolve-PyPackage requests | Format-Custom -View Explain | Show-Output

    Show-Step '5. acme-utils: first-index keeps the internal package,'
    Write-Host '   UnsafeBestMatch takes the look-alike'
    Show-Command 'Resolve-PyPackage acme-utils'
    Resolve-PyPackage acme-utils | Show-Output
    Show-Command 'Resolve-PyPackage acme-utils -IndexStrategy UnsafeBestMatch |', '    Format-Custom -View Explain'
    Resolve-PyPackage acme-utils -IndexStrategy UnsafeBestMatch | Format-Custom -View Explain | Show-Output
    Write-Host 'pypi''s acme-utils 99.0.0 wins under UnsafeBestMatch: that is the'
    Write-Host 'dependency-confusion risk first-index avoids.'

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
