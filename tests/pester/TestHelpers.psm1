# Helpers shared by the Pester tests. Tests run in a fresh pwsh against the built module folder (out/IndexTools).
Set-StrictMode -Version 3.0

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-IndexToolsModulePath {
    if ($env:INDEXTOOLS_MODULE) { return $env:INDEXTOOLS_MODULE }
    return Join-Path $script:RepoRoot 'out/IndexTools'
}

function Get-IndexServerPath {
    if ($env:INDEXTOOLS_INDEXSERVER) { return $env:INDEXTOOLS_INDEXSERVER }
    return Join-Path $script:RepoRoot 'tests/IndexServer/bin/Release/net10.0/IndexTools.IndexServer.dll'
}

# The command that starts a fresh pwsh like the current one (the dotnet tool runs as `dotnet pwsh.dll`).
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

<#
Runs $Script in a brand-new `pwsh -NoProfile -NonInteractive` (a clean load-context state) and returns what the
script wrote as JSON on its last output line, as an object. The script's errors make the call throw.
-Environment sets (a $null value removes) environment variables for the child only: this session's are restored.
#>
function Invoke-FreshPwsh {
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $pwsh = @(Get-PwshCommand)
    $file = Join-Path ([IO.Path]::GetTempPath()) ("indextools-" + [guid]::NewGuid().ToString('n') + '.ps1')
    Set-Content -Path $file -Value ("`$ErrorActionPreference = 'Stop'`n`$PSStyle.OutputRendering = 'PlainText'`n" + $Script) -Encoding utf8
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $output = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) 2>&1
        $exit = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item $file -ErrorAction SilentlyContinue
    }
    $lines = @($output | ForEach-Object { "$_" })
    if ($exit -ne 0) { throw "Child pwsh failed (exit $exit):`n$($lines -join "`n")" }
    $json = $lines | Where-Object { $_ -like '{*' } | Select-Object -Last 1
    if (-not $json) { throw "Child pwsh wrote no JSON:`n$($lines -join "`n")" }
    return $json | ConvertFrom-Json
}

<#
Starts the local index server (tests/IndexServer) as a process on a free loopback port and waits for READY.
Returns @{ Process; BaseUrl; Indexes = @{ name = url } }. Stop it with Stop-IndexServer (in AfterAll).
#>
function Start-IndexServer {
    [CmdletBinding(DefaultParameterSetName = 'Demo')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Fixture')] [string] $Fixture,
        [Parameter(Mandatory, ParameterSetName = 'Demo')] [switch] $Demo
    )
    $dll = Get-IndexServerPath
    if (-not (Test-Path $dll)) { throw "The index server is not built: $dll (run ./build.sh build)." }
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $info.ArgumentList.Add($dll)
    if ($Demo) { $info.ArgumentList.Add('--demo') } else { $info.ArgumentList.Add('--fixture'); $info.ArgumentList.Add($Fixture) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $indexes = @{}
    $base = $null
    while ($null -eq $base) {
        # Bounded by the process itself: ReadLine returns null when it exits.
        $line = $process.StandardOutput.ReadLine()
        if ($null -eq $line) {
            throw "The index server exited before READY: $($process.StandardError.ReadToEnd())"
        }
        if ($line -match '^INDEX (\S+) (\S+)$') { $indexes[$Matches[1]] = $Matches[2] }
        elseif ($line -match '^READY (\S+)$') { $base = $Matches[1] }
    }
    [pscustomobject] @{ Process = $process; BaseUrl = $base; Indexes = $indexes }
}

function Stop-IndexServer {
    param($Server)
    if ($null -eq $Server) { return }
    $process = $Server.Process
    try { $process.StandardInput.Close() } catch { }
    if (-not $process.WaitForExit(10000)) { $process.Kill($true); $process.WaitForExit() }
    $process.Dispose()
}

<# Writes a pyproject.toml with [tool.uv] and the given [[tool.uv.index]] entries; returns its path. #>
function New-UvProject {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [object[]] $Index,
        [string] $Strategy
    )
    New-Item -ItemType Directory -Force $Path | Out-Null
    $text = "[project]`nname = `"demo-app`"`nversion = `"0.1.0`"`n`n[tool.uv]`n"
    if ($Strategy) { $text += "index-strategy = `"$Strategy`"`n" }
    foreach ($i in $Index) {
        $text += "`n[[tool.uv.index]]`nname = `"$($i.Name)`"`nurl = `"$($i.Url)`"`n"
        if ($i.Contains('Default') -and $i.Default) { $text += "default = true`n" }
        if ($i.Contains('IgnoreErrorCodes')) { $text += "ignore-error-codes = [$(@($i.IgnoreErrorCodes) -join ', ')]`n" }
    }
    $file = Join-Path $Path 'pyproject.toml'
    [IO.File]::WriteAllText($file, $text)
    return $file
}

# The lines between '# BEGIN <marker>' and '# END <marker>' in README.md, indentation removed (the README's snippets
# that tests run as written).
function Get-ReadmeSnippet {
    param([Parameter(Mandatory)] [string] $Marker)
    $lines = Get-Content (Join-Path $script:RepoRoot 'README.md')
    $begin = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l.Trim() -eq "# BEGIN $Marker" })
    $end = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l.Trim() -eq "# END $Marker" })
    if ($begin -lt 0 -or $end -le $begin) { throw "README.md has no '$Marker' snippet." }
    @($lines[($begin + 1)..($end - 1)] | ForEach-Object { $_.Trim() })
}

Export-ModuleMember -Function Get-IndexToolsModulePath, Get-IndexServerPath, Get-PwshCommand, Invoke-FreshPwsh, Start-IndexServer, Stop-IndexServer, New-UvProject, Get-ReadmeSnippet
