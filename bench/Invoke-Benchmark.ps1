<#
.SYNOPSIS
    IndexTools benchmarks against the local index server, side by side with pip and a naive PowerShell loop.
.DESCRIPTION
    Run through the build script so the module and the server are built first:
        ./build.sh bench requirements   # 1. 200 and 1,000 packages, two indexes: IndexTools vs pip vs foreach+Invoke-RestMethod
        ./build.sh bench requirements -Baseline <dir>/out/IndexTools   # 1 as an A/B: this build against another commit's module
        ./build.sh bench unsafe         # 2. one package, four indexes, unsafe-best-match: wall over one round-trip
        ./build.sh bench cache          # 3. warm re-run inside max-age (zero requests) and after expiry (only 304s)
        ./build.sh bench parse          # 4. BenchmarkDotNet parse throughput (bench/ParseBench)
        ./build.sh bench startup        # 5. Import-Module + first Resolve-PyPackage over bare pwsh start
        ./build.sh bench scale          # 6. 5,000 packages x 3 indexes: peak working set and sockets
        ./build.sh bench network        # 8. every network cmdlet side by side, 1,000 names x 2 indexes: each over its round-trip bound
    Latency is injected by the server (per request, before answering). Every figure is a median of -Runs runs.
    Results are printed as Markdown and saved as JSON under bench/results/ (not committed).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)]
    [ValidateSet('requirements', 'unsafe', 'cache', 'parse', 'startup', 'scale', 'network')]
    [string] $Name,

    [int] $Runs = 3,

    # requirements: the latencies to run (default 20 and 50 ms), e.g. to repeat one row on a quieter machine;
    # network: the first one only (default 20 ms).
    [int[]] $Latency = @(20, 50),

    # Fewer packages and runs: a smoke run of the benchmark itself, not figures to report.
    [switch] $Quick,

    # requirements: an A/B run instead of the full one. IndexTools as built (out/IndexTools) and the module at this path
    # (another commit's out/IndexTools), side by side in interleaved rounds, fresh process and warm session; pip and the
    # naive loop, which no commit of ours changes, are left out. For "within N % of the figures before", on one machine.
    [string] $Baseline
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
Import-Module (Join-Path $Root 'tests/pester/TestHelpers.psm1') -Force
$Module = Get-IndexToolsModulePath
$ResultsDir = Join-Path $PSScriptRoot 'results'
New-Item -ItemType Directory -Force $ResultsDir | Out-Null
$Work = Join-Path ([IO.Path]::GetTempPath()) ('indextools-bench-' + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Force $Work | Out-Null

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $mid = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2 -eq 1) { return $sorted[$mid] }
    return ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function Write-Fixture([string] $Path, [object[]] $Indexes) {
    $json = @{ Indexes = $Indexes } | ConvertTo-Json -Depth 10 -Compress
    [IO.File]::WriteAllText($Path, $json)
    return $Path
}

function New-PackageIndex([string] $IndexName, [string[]] $Names, [int] $LatencyMs, [hashtable] $Behavior = @{}) {
    $packages = [ordered]@{}
    foreach ($n in $Names) { $packages[$n] = @("$($n.Replace('-', '_'))-1.0.0-py3-none-any.whl") }
    $b = @{ LatencyMs = $LatencyMs } + $Behavior
    return @{ Name = $IndexName; Packages = $packages; Behavior = $b }
}

function Invoke-Timed([scriptblock] $Block) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Block | Out-Null
    $watch.Stop()
    return $watch.Elapsed.TotalSeconds
}

# Runs a script in a fresh pwsh; the script's last output line must be JSON; returns it as an object.
function Invoke-Child([string] $Script) {
    return Invoke-FreshPwsh -Script $Script
}

function Get-ServerCounts($Server) {
    return Invoke-RestMethod -Uri ($Server.BaseUrl + '_control/requests') -NoProxy
}

function Clear-ServerCounts($Server) {
    Invoke-RestMethod -Method Delete -Uri ($Server.BaseUrl + '_control/requests') -NoProxy | Out-Null
}

function Get-Machine {
    $cpu = (Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
    $mem = (Get-Content /proc/meminfo -ErrorAction SilentlyContinue | Where-Object { $_ -like 'MemTotal*' } | Select-Object -First 1) -replace '^MemTotal:\s*', ''
    $commit = (git -C $Root rev-parse --short HEAD 2>$null)
    [pscustomobject] @{
        Date = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        Commit = $commit
        Cores = [Environment]::ProcessorCount
        Cpu = $cpu
        Memory = $mem
        Pwsh = $PSVersionTable.PSVersion.ToString()
        Python = (python3 --version 2>&1) -join ''
        Pip = ((python3 -m pip --version 2>&1) -join '') -replace ' from .*', ''
        # Other work on the machine while the benchmark ran (1-minute load average at the start; 2 cores = 2.0 busy).
        LoadAverage = ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0]
    }
}

# The resolve call every IndexTools contender makes: two indexes given as parameters, no project configuration,
# a private cache folder so that every run is cold unless the benchmark says otherwise.
function Get-ResolveScript([string] $RequirementsFile, [string] $InternalUrl, [string] $PublicUrl, [string] $CacheDir, [string] $Extra = '', [switch] $PublicOnly, [string] $ModulePath = $Module) {
    $indexes = if ($PublicOnly) { "-DefaultIndex 'public=$PublicUrl'" } else { "-Index 'internal=$InternalUrl' -DefaultIndex 'public=$PublicUrl'" }
    return @"
`$env:INDEXTOOLS_CACHE_DIR = '$CacheDir'
`$watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModulePath'
`$imported = `$watch.Elapsed.TotalSeconds
`$resolveWatch = [Diagnostics.Stopwatch]::StartNew()
`$results = @(Get-Content '$RequirementsFile' | Resolve-PyPackage -NoConfig $indexes $Extra -ErrorAction SilentlyContinue)
`$resolve = `$resolveWatch.Elapsed.TotalSeconds
`$me = [Diagnostics.Process]::GetCurrentProcess()
[pscustomobject] @{ Import = `$imported; Resolve = `$resolve; Resolved = @(`$results | Where-Object Resolved).Count; Count = `$results.Count; PeakWorkingSetMB = [math]::Round(`$me.PeakWorkingSet64 / 1MB, 1) } | ConvertTo-Json -Compress
"@
}

# pip's side of benchmark 1: download (no dependencies, no cache) of the requirements with the same two indexes.
function Invoke-PipDownload([string] $RequirementsFile, [string] $InternalUrl, [string] $PublicUrl, [string] $Destination) {
    python3 -m pip download --no-deps --no-cache-dir --disable-pip-version-check -q -d $Destination -r $RequirementsFile `
        --index-url $InternalUrl --extra-index-url $PublicUrl 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "pip failed ($LASTEXITCODE)." }
}

# One row of benchmark 1: the two indexes (internal has none of the names, public has them all) at the row's latency, the
# requirements file, and the load at the start. The caller stops the server.
function Start-RequirementsRow([int] $Count, [int] $LatencyMs, [string] $Tag) {
    $names = @(0..($Count - 1) | ForEach-Object { "bench-pkg$_" })
    $fixture = Write-Fixture (Join-Path $Work "$Tag-$Count-$LatencyMs.json") @(
        (New-PackageIndex 'internal' @('internal-only') $LatencyMs),
        (New-PackageIndex 'public' $names $LatencyMs))
    $server = Start-IndexServer -Fixture $fixture
    $reqs = Join-Path $Work "$Tag-requirements-$Count.txt"
    [IO.File]::WriteAllLines($reqs, $names)
    return [pscustomobject] @{
        Server = $server; Internal = $server.Indexes['internal']; Public = $server.Indexes['public']; Requirements = $reqs
        Load = ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0]
    }
}

# Interactive: one session runs the command once (compiling it), then times it $Runs times, each with an empty cache so
# that every run asks the network. Its last line is the median and the fastest, as JSON.
function Get-WarmResolveScript([string] $ModulePath, [string] $RequirementsFile, [string] $InternalUrl, [string] $PublicUrl, [int] $Count) {
    return @"
Import-Module '$ModulePath'
function Resolve-Once { `$env:INDEXTOOLS_CACHE_DIR = Join-Path '$Work' ('cache-' + [guid]::NewGuid().ToString('n')); @(Get-Content '$RequirementsFile' | Resolve-PyPackage -NoConfig -Index 'internal=$InternalUrl' -DefaultIndex 'public=$PublicUrl' -ErrorAction SilentlyContinue) }
`$null = Resolve-Once
`$times = foreach (`$n in 1..$Runs) {
    `$w = [Diagnostics.Stopwatch]::StartNew(); `$r = Resolve-Once; `$t = `$w.Elapsed.TotalSeconds
    if (@(`$r | Where-Object Resolved).Count -ne $Count) { throw 'not resolved' }
    `$t
}
`$sorted = @(`$times | Sort-Object)
[pscustomobject] @{ Median = `$sorted[[math]::Floor(`$sorted.Count / 2)]; Min = `$sorted[0] } | ConvertTo-Json -Compress
"@
}

# Two scenarios, because users meet both (see bench/RESULTS.md, section 1):
#   CI           every contender is a fresh process, timed wall to wall (IndexTools: pwsh start + Import-Module + resolve);
#   interactive  a pwsh session that has run the command before: the command alone (Resolve-PyPackage, or the naive
#                loop typed into the session); pip is a command either way, so its wall counts in both.
# The naive loop times itself inside its process, so one set of its runs gives both its wall and its in-session time.
function Invoke-RequirementsBenchmark {
    $sizes = if ($Quick) { @(20) } else { @(200, 1000) }
    $latencies = if ($Quick) { @(20) } else { $Latency }
    $rows = @()
    foreach ($latency in $latencies) {
        foreach ($count in $sizes) {
            $setup = Start-RequirementsRow $count $latency 'req'
            $server = $setup.Server
            try {
                $internal = $setup.Internal; $public = $setup.Public; $reqs = $setup.Requirements; $load = $setup.Load
                $naive = @"
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$found = 0
foreach (`$name in Get-Content '$reqs') {
    foreach (`$index in '$internal', '$public') {
        try { Invoke-RestMethod -Uri "`$index`$name/" -Headers @{ Accept = 'application/vnd.pypi.simple.v1+json' } -NoProxy | Out-Null; `$found++; break } catch { }
    }
}
[pscustomobject] @{ Loop = `$watch.Elapsed.TotalSeconds; Found = `$found } | ConvertTo-Json -Compress
"@

                # CI: rounds of the three contenders, interleaved so that a change in the machine's load touches all alike.
                $itWall = @(); $itImport = @(); $itResolve = @(); $pipWall = @(); $naiveWall = @(); $naiveLoop = @()
                for ($i = 0; $i -lt $Runs; $i++) {
                    $cache = Join-Path $Work ('cache-' + [guid]::NewGuid().ToString('n'))
                    $script = Get-ResolveScript $reqs $internal $public $cache
                    $wall = Invoke-Timed { $script:child = Invoke-Child $script }
                    if ($script:child.Resolved -ne $count) { throw "IndexTools resolved $($script:child.Resolved) of $count." }
                    $itWall += $wall; $itImport += $script:child.Import; $itResolve += $script:child.Resolve

                    $dest = Join-Path $Work ('pip-' + [guid]::NewGuid().ToString('n'))
                    $wall = Invoke-Timed { Invoke-PipDownload $reqs $internal $public $dest }
                    $downloaded = @(Get-ChildItem $dest -Filter '*.whl').Count
                    if ($downloaded -ne $count) { throw "pip downloaded $downloaded of $count." }
                    $pipWall += $wall

                    $wall = Invoke-Timed { $script:child = Invoke-Child $naive }
                    if ($script:child.Found -ne $count) { throw "The naive loop found $($script:child.Found) of $count." }
                    $naiveWall += $wall; $naiveLoop += $script:child.Loop
                }

                $warm = Get-WarmResolveScript $Module $reqs $internal $public $count
                $itWarm = Invoke-Child $warm

                # Requests each contender sends (counted once, on the server).
                Clear-ServerCounts $server
                Invoke-Child (Get-ResolveScript $reqs $internal $public (Join-Path $Work ('cache-' + [guid]::NewGuid().ToString('n')))) | Out-Null
                $itRequests = (Get-ServerCounts $server).total
                Clear-ServerCounts $server
                Invoke-PipDownload $reqs $internal $public (Join-Path $Work ('pipc-' + [guid]::NewGuid().ToString('n')))
                $pipRequests = (Get-ServerCounts $server).total

                # packages × 2 sequential round-trips ÷ 50 (the concurrency), and never less than one package's 2 round-trips.
                $bound = [math]::Max($count * 2 * ($latency / 1000.0) / 50, 2 * $latency / 1000.0)
                $row = [pscustomobject] @{
                    Packages = $count; LatencyMs = $latency; LoadAverage = $load; Runs = $Runs
                    IndexToolsWall = Get-Median $itWall; IndexToolsImport = Get-Median $itImport; IndexToolsFirstResolve = Get-Median $itResolve
                    IndexToolsWarmResolve = $itWarm.Median; IndexToolsWarmResolveMin = $itWarm.Min
                    PipWall = Get-Median $pipWall; NaiveWall = Get-Median $naiveWall; NaiveLoop = Get-Median $naiveLoop
                    IndexToolsRequests = $itRequests; PipRequests = $pipRequests; RoundTripBound = $bound
                }
                $row | Add-Member CiVsPip ($row.PipWall / $row.IndexToolsWall)
                $row | Add-Member CiVsNaive ($row.NaiveWall / $row.IndexToolsWall)
                $row | Add-Member CiFirstResolveOverBound ($row.IndexToolsFirstResolve / $bound)
                $row | Add-Member SessionVsPip ($row.PipWall / $row.IndexToolsWarmResolve)
                $row | Add-Member SessionVsNaive ($row.NaiveLoop / $row.IndexToolsWarmResolve)
                $row | Add-Member SessionResolveOverBound ($row.IndexToolsWarmResolve / $bound)
                $rows += $row
                Write-Host ("{0} packages, {1} ms (load {2}): CI: IndexTools {3:n2} s (first resolve {4:n2} s), pip {5:n2} s, naive {6:n2} s | session: resolve {7:n3} s, naive loop {8:n2} s" -f `
                    $count, $latency, $load, $row.IndexToolsWall, $row.IndexToolsFirstResolve, $row.PipWall, $row.NaiveWall, $row.IndexToolsWarmResolve, $row.NaiveLoop)
            }
            finally { Stop-IndexServer $server }
        }
    }

    $lines = @('CI (each contender a fresh process, wall to wall):', '',
        '| packages | latency | load | IndexTools wall (import, first resolve) | pip wall | naive loop wall | vs pip | vs naive | first resolve ÷ bound |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    foreach ($r in $rows) {
        $lines += ('| {0} | {1} ms | {2} | {3:n2} s ({4:n2} s, {5:n2} s) | {6:n2} s | {7:n2} s | {8:n1}× | {9:n1}× | {10:n2}× |' -f `
            $r.Packages, $r.LatencyMs, $r.LoadAverage, $r.IndexToolsWall, $r.IndexToolsImport, $r.IndexToolsFirstResolve, $r.PipWall, $r.NaiveWall, $r.CiVsPip, $r.CiVsNaive, $r.CiFirstResolveOverBound)
    }
    $lines += @('', 'Interactive (in a session that ran the command before; pip is a command either way):', '',
        '| packages | latency | Resolve-PyPackage (min) | naive loop | pip | vs pip | vs naive | round-trip bound | resolve ÷ bound | requests IT / pip |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    foreach ($r in $rows) {
        $lines += ('| {0} | {1} ms | {2:n3} s ({3:n3} s) | {4:n2} s | {5:n2} s | {6:n0}× | {7:n0}× | {8:n2} s | {9:n2}× | {10} / {11} |' -f `
            $r.Packages, $r.LatencyMs, $r.IndexToolsWarmResolve, $r.IndexToolsWarmResolveMin, $r.NaiveLoop, $r.PipWall, $r.SessionVsPip, $r.SessionVsNaive, $r.RoundTripBound, $r.SessionResolveOverBound, $r.IndexToolsRequests, $r.PipRequests)
    }
    return [pscustomobject] @{ Rows = $rows; Markdown = $lines }
}

# Benchmark 1 as an A/B: the IndexTools contenders only, for the module as built and a baseline module, in interleaved
# rounds (A, B, A, B, ...) so that the machine's load touches both alike. Same rows, same fixture, same two readings.
function Invoke-RequirementsAbBenchmark {
    $baselineModule = (Resolve-Path $Baseline).Path
    $sizes = if ($Quick) { @(20) } else { @(200, 1000) }
    $latencies = if ($Quick) { @(20) } else { $Latency }
    $rows = @()
    foreach ($latency in $latencies) {
        foreach ($count in $sizes) {
            $setup = Start-RequirementsRow $count $latency 'ab'
            $server = $setup.Server
            try {
                $internal = $setup.Internal; $public = $setup.Public; $reqs = $setup.Requirements; $load = $setup.Load
                $modules = [ordered] @{ Current = $Module; Baseline = $baselineModule }
                $wall = @{ Current = @(); Baseline = @() }; $first = @{ Current = @(); Baseline = @() }
                for ($i = 0; $i -lt $Runs; $i++) {
                    foreach ($which in $modules.Keys) {
                        $script = Get-ResolveScript $reqs $internal $public (Join-Path $Work ('cache-' + [guid]::NewGuid().ToString('n'))) -ModulePath $modules[$which]
                        $w = Invoke-Timed { $script:child = Invoke-Child $script }
                        if ($script:child.Resolved -ne $count) { throw "$which resolved $($script:child.Resolved) of $count." }
                        $wall[$which] += $w; $first[$which] += $script:child.Resolve
                    }
                }

                $warm = @{}
                foreach ($which in $modules.Keys) {
                    $warm[$which] = Invoke-Child (Get-WarmResolveScript $modules[$which] $reqs $internal $public $count)
                }

                $row = [pscustomobject] @{
                    Packages = $count; LatencyMs = $latency; LoadAverage = $load; Runs = $Runs
                    CurrentWall = Get-Median $wall.Current; BaselineWall = Get-Median $wall.Baseline
                    CurrentFirstResolve = Get-Median $first.Current; BaselineFirstResolve = Get-Median $first.Baseline
                    CurrentWarm = $warm.Current.Median; BaselineWarm = $warm.Baseline.Median
                }
                $row | Add-Member WallRatio ($row.CurrentWall / $row.BaselineWall)
                $row | Add-Member FirstResolveRatio ($row.CurrentFirstResolve / $row.BaselineFirstResolve)
                $row | Add-Member WarmRatio ($row.CurrentWarm / $row.BaselineWarm)
                $rows += $row
                Write-Host ("{0} packages, {1} ms (load {2}): wall {3:n2} s vs {4:n2} s, first resolve {5:n3} s vs {6:n3} s, warm {7:n3} s vs {8:n3} s" -f `
                    $count, $latency, $load, $row.CurrentWall, $row.BaselineWall, $row.CurrentFirstResolve, $row.BaselineFirstResolve, $row.CurrentWarm, $row.BaselineWarm)
            }
            finally { Stop-IndexServer $server }
        }
    }

    $lines = @("IndexTools as built against the baseline module ($baselineModule), interleaved, median of $Runs runs each:", '',
        '| packages | latency | load | CI wall: current / baseline | ratio | first resolve: current / baseline | ratio | session: current / baseline | ratio |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    foreach ($r in $rows) {
        $lines += ('| {0} | {1} ms | {2} | {3:n2} s / {4:n2} s | {5:n3} | {6:n3} s / {7:n3} s | {8:n3} | {9:n3} s / {10:n3} s | {11:n3} |' -f `
            $r.Packages, $r.LatencyMs, $r.LoadAverage, $r.CurrentWall, $r.BaselineWall, $r.WallRatio, $r.CurrentFirstResolve, $r.BaselineFirstResolve, $r.FirstResolveRatio, $r.CurrentWarm, $r.BaselineWarm, $r.WarmRatio)
    }
    return [pscustomobject] @{ Rows = $rows; Markdown = $lines }
}

function Invoke-UnsafeBenchmark {
    $latency = 50
    $rows = @()
    foreach ($ms in 0, $latency) {
        $fixture = Write-Fixture (Join-Path $Work "unsafe-$ms.json") @(
            (New-PackageIndex 'a' @('widget') $ms), (New-PackageIndex 'b' @('widget') $ms),
            (New-PackageIndex 'c' @('widget') $ms), (New-PackageIndex 'd' @('widget') $ms))
        $server = Start-IndexServer -Fixture $fixture
        try {
            $i = $server.Indexes
            $script = @"
Import-Module '$Module'
`$args = @{ NoConfig = `$true; Index = @('a=$($i['a'])', 'b=$($i['b'])', 'c=$($i['c'])'); DefaultIndex = 'd=$($i['d'])'; IndexStrategy = 'UnsafeBestMatch' }
Resolve-PyPackage widget @args | Out-Null   # warm: JIT, connections
`$times = foreach (`$n in 1..$([math]::Max($Runs, 9))) {
    `$env:INDEXTOOLS_CACHE_DIR = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
    `$w = [Diagnostics.Stopwatch]::StartNew(); `$r = Resolve-PyPackage widget @args; `$w.Elapsed.TotalMilliseconds
    if (-not `$r.Resolved) { throw 'not resolved' }
}
`$sorted = @(`$times | Sort-Object)
[pscustomobject] @{ Median = `$sorted[[math]::Floor(`$sorted.Count / 2)] } | ConvertTo-Json -Compress
"@
            $rows += [pscustomobject] @{ LatencyMs = $ms; MedianMs = (Invoke-Child $script).Median }
        }
        finally { Stop-IndexServer $server }
    }
    $floor = $rows[0].MedianMs; $withLatency = $rows[1].MedianMs
    $ratio = ($withLatency - $floor) / $latency
    $md = @('| indexes | strategy | latency | median wall (warm session) | floor (0 ms latency) | wall − floor | ÷ one round-trip | target |',
        '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
        ('| 4 | UnsafeBestMatch | {0} ms | {1:n1} ms | {2:n1} ms | {3:n1} ms | {4:n2}× | ≤ 1.3× {5} |' -f $latency, $withLatency, $floor, ($withLatency - $floor), $ratio, $(if ($ratio -le 1.3) { 'met' } else { 'missed' })))
    return [pscustomobject] @{ Rows = $rows; Ratio = $ratio; Markdown = $md }
}

function Invoke-StartupBenchmark {
    $fixture = Write-Fixture (Join-Path $Work 'startup.json') @((New-PackageIndex 'public' @('widget') 0))
    $server = Start-IndexServer -Fixture $fixture
    try {
        $public = $server.Indexes['public']
        $pwsh = @(Get-PwshCommand)
        $n = [math]::Max($Runs, 7)
        # The same script for both module flavours; it also reports its phases (inside the process) as its last line.
        $script = @"
`$w = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$Module'
`$import = `$w.Elapsed.TotalMilliseconds
`$env:INDEXTOOLS_CACHE_DIR = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
if (-not (Resolve-PyPackage widget -NoConfig -DefaultIndex 'public=$public').Resolved) { exit 1 }
'{"Import":' + [int] `$import + ',"Resolve":' + [int] (`$w.Elapsed.TotalMilliseconds - `$import) + '}'
"@
        $run = {
            param([string] $Command, [bool] $IL)
            $env:INDEXTOOLS_NO_READYTORUN = if ($IL) { '1' } else { $null }
            try {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $out = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command))
                $watch.Stop()
                if ($LASTEXITCODE -ne 0) { throw 'The startup run did not resolve.' }
                $phases = @($out | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ForEach-Object { $_ | ConvertFrom-Json }
                if (-not $phases) { $phases = [pscustomobject] @{ Import = [double]::NaN; Resolve = [double]::NaN } }
                [pscustomobject] @{ Wall = $watch.Elapsed.TotalSeconds; Import = $phases.Import; Resolve = $phases.Resolve }
            }
            finally { $env:INDEXTOOLS_NO_READYTORUN = $null }
        }
        $bare = @(); $native = @(); $il = @()
        for ($i = 0; $i -lt $n; $i++) {
            # Interleaved, so a change in the machine's load touches all three alike; the two module flavours swap
            # places every other round, so neither always runs right after the bare start.
            $bare += & $run 'exit 0' $false
            if ($i % 2 -eq 0) { $native += & $run $script $false; $il += & $run $script $true }
            else { $il += & $run $script $true; $native += & $run $script $false }
        }
        $b = Get-Median $bare.Wall
        $rows = foreach ($flavour in @(@('ReadyToRun (as built)', $native), @('IL only (INDEXTOOLS_NO_READYTORUN=1)', $il))) {
            $f = Get-Median $flavour[1].Wall
            [pscustomobject] @{ Flavour = $flavour[0]; Full = $f; Difference = $f - $b
                Import = Get-Median $flavour[1].Import; Resolve = Get-Median $flavour[1].Resolve }
        }
        $md = @('| module | bare `pwsh -NoProfile` | + Import-Module + first Resolve-PyPackage | difference | of which Import-Module | of which first resolve | target |',
            '| --- | ---: | ---: | ---: | ---: | ---: | --- |')
        foreach ($r in $rows) {
            $md += ('| {0} | {1:n2} s | {2:n2} s | {3:n2} s | {4:n0} ms | {5:n0} ms | ≤ 0.5 s {6} |' -f $r.Flavour, $b, $r.Full, $r.Difference, $r.Import, $r.Resolve,
                $(if ($r.Difference -le 0.5) { 'met' } else { 'missed' }))
        }
        return [pscustomobject] @{ Bare = $b; Rows = $rows; Runs = $n; Markdown = $md }
    }
    finally { Stop-IndexServer $server }
}

function Invoke-ScaleBenchmark {
    $count = if ($Quick) { 500 } else { 5000 }
    $names = @(0..($count - 1) | ForEach-Object { "scale-pkg$_" })
    $fixture = Write-Fixture (Join-Path $Work 'scale.json') @(
        (New-PackageIndex 'internal' @('internal-only') 5), (New-PackageIndex 'mirror' @('mirror-only') 5), (New-PackageIndex 'public' $names 5))
    $server = Start-IndexServer -Fixture $fixture
    try {
        $reqs = Join-Path $Work 'scale.txt'
        [IO.File]::WriteAllLines($reqs, $names)
        $cache = Join-Path $Work ('cache-' + [guid]::NewGuid().ToString('n'))
        $file = Join-Path $Work 'scale.ps1'
        $script = (Get-ResolveScript $reqs $server.Indexes['internal'] $server.Indexes['public'] $cache) -replace "-Index 'internal=", "-Index 'mirror=$($server.Indexes['mirror'])', 'internal="
        [IO.File]::WriteAllText($file, $script)
        $pwsh = @(Get-PwshCommand)
        $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($a in @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file))) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true; $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        $outputTask = $process.StandardOutput.ReadToEndAsync()
        # Sample the child's open sockets (Linux: /proc/<pid>/fd links to socket:[...]) while it runs.
        $maxSockets = 0; $samples = 0
        while (-not $process.HasExited) {
            try {
                $sockets = @(Get-ChildItem "/proc/$($process.Id)/fd" -ErrorAction Stop | Where-Object { $_.LinkTarget -like 'socket:*' }).Count
                if ($sockets -gt $maxSockets) { $maxSockets = $sockets }
                $samples++
            }
            catch { }
            Start-Sleep -Milliseconds 100
        }
        $process.WaitForExit()
        $json = ($outputTask.Result -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        if ($json.Resolved -ne $count) { throw "Resolved $($json.Resolved) of $count." }
        $requests = (Get-ServerCounts $server).total
        $md = @('| packages × indexes | resolved | requests | resolve time | peak working set | max open sockets (sampled) | targets |', '| ---: | ---: | ---: | ---: | ---: | ---: | --- |',
            ('| {0} × 3 | {1} | {2} | {3:n1} s | {4} MB | {5} ({6} samples) | ≤ 300 MB {7}; sockets bounded by the concurrency limit {8} |' -f $count, $json.Resolved, $requests, $json.Resolve, $json.PeakWorkingSetMB, $maxSockets, $samples,
                $(if ($json.PeakWorkingSetMB -le 300) { 'met' } else { 'missed' }), $(if ($maxSockets -le 60) { 'met' } else { 'missed' })))
        return [pscustomobject] @{ Count = $count; Result = $json; MaxSockets = $maxSockets; Requests = $requests; Markdown = $md }
    }
    finally { Stop-IndexServer $server }
}

# Benchmark 8: the four cmdlets that search (Resolve-PyPackage, Find-ShadowedPackage, Compare-IndexStrategy,
# Test-PyLock) on the same 1,000 names and the same two indexes, in ONE warm pwsh session, interleaved round by round
# (the order rotates every round), each with an empty cache. Each is set against its own round-trip bound: the requests
# it sent (counted on the server) x latency / 50 in flight. Resolve-PyPackage and Test-PyLock ask `internal` (a 404 for
# every name) and then `public`; the audit cmdlets ask both indexes about every name.
function Invoke-NetworkBenchmark {
    $count = if ($Quick) { 100 } else { 1000 }
    $latency = $Latency[0]
    $names = @(0..($count - 1) | ForEach-Object { "bench-pkg$_" })
    $fixture = Write-Fixture (Join-Path $Work "network-$count-$latency.json") @(
        (New-PackageIndex 'internal' @('internal-only') $latency),
        (New-PackageIndex 'public' $names $latency))
    $server = Start-IndexServer -Fixture $fixture
    try {
        $internal = $server.Indexes['internal']; $public = $server.Indexes['public']
        $reqs = Join-Path $Work "network-$count.txt"
        [IO.File]::WriteAllLines($reqs, $names)
        # A uv.lock whose every package was locked from `public`, as uv writes it (registry source, version, one wheel).
        $lockDir = Join-Path $Work 'network-lock'
        New-Item -ItemType Directory -Force $lockDir | Out-Null
        $lock = [Text.StringBuilder]::new("version = 1`nrevision = 2`nrequires-python = "">=3.8""`n")
        foreach ($n in $names) {
            $null = $lock.Append("`n[[package]]`nname = ""$n""`nversion = ""1.0.0""`nsource = { registry = ""$public"" }`n")
            $null = $lock.Append("wheels = [`n    { url = ""$($public)files/$($n.Replace('-', '_'))-1.0.0-py3-none-any.whl"" },`n]`n")
        }
        [IO.File]::WriteAllText((Join-Path $lockDir 'uv.lock'), $lock.ToString())
        $load = ((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ')[0]
        $script = @"
Import-Module '$Module'
`$control = '$($server.BaseUrl)_control/requests'
`$names = @(Get-Content '$reqs')
`$indexes = @{ NoConfig = `$true; Index = 'internal=$internal'; DefaultIndex = 'public=$public' }
`$cmdlets = [ordered] @{
    'Resolve-PyPackage'     = { @(`$names | Resolve-PyPackage @indexes -ErrorAction SilentlyContinue | Where-Object Resolved) }
    'Find-ShadowedPackage'  = { @(`$names | Find-ShadowedPackage @indexes -PublicIndex public -Force -IncludeUnshadowed) }
    'Compare-IndexStrategy' = { @(`$names | Compare-IndexStrategy @indexes -PublicIndex public -Force) }
    'Test-PyLock'           = { @(Test-PyLock -Path '$lockDir' @indexes -IncludeUnchanged | Where-Object Reason -eq 'Unchanged') }
}
function Invoke-Once([string] `$Name) {
    `$env:INDEXTOOLS_CACHE_DIR = Join-Path '$Work' ('cache-' + [guid]::NewGuid().ToString('n'))
    `$w = [Diagnostics.Stopwatch]::StartNew()
    `$r = & `$cmdlets[`$Name]
    `$t = `$w.Elapsed.TotalSeconds
    if (`$r.Count -ne $count) { throw "`$Name gave `$(`$r.Count) complete results of $count." }
    `$t
}
# The first call of each in this process (JIT, first connections), then the requests each sends (counted once).
`$first = @{}; `$requests = @{}
foreach (`$name in `$cmdlets.Keys) {
    Invoke-RestMethod -Method Delete -Uri `$control -NoProxy | Out-Null
    `$first[`$name] = Invoke-Once `$name
    `$requests[`$name] = (Invoke-RestMethod -Uri `$control -NoProxy).total
}
`$times = @{}; foreach (`$name in `$cmdlets.Keys) { `$times[`$name] = @() }
`$order = @(`$cmdlets.Keys)
for (`$round = 0; `$round -lt $Runs; `$round++) {
    foreach (`$i in 0..(`$order.Count - 1)) {
        `$name = `$order[(`$i + `$round) % `$order.Count]
        `$times[`$name] += Invoke-Once `$name
    }
}
`$result = foreach (`$name in `$order) {
    `$sorted = @(`$times[`$name] | Sort-Object)
    [pscustomobject] @{ Cmdlet = `$name; Median = `$sorted[[math]::Floor(`$sorted.Count / 2)]; Min = `$sorted[0]; Max = `$sorted[-1]; First = `$first[`$name]; Requests = `$requests[`$name] }
}
@{ Rows = @(`$result) } | ConvertTo-Json -Compress -Depth 4
"@
        $child = Invoke-Child $script
        $rows = foreach ($r in $child.Rows) {
            $bound = [math]::Max($r.Requests * ($latency / 1000.0) / 50, 2 * $latency / 1000.0)
            [pscustomobject] @{
                Cmdlet = $r.Cmdlet; Packages = $count; LatencyMs = $latency; LoadAverage = $load; Runs = $Runs
                Requests = $r.Requests; RoundTripBound = $bound; Median = $r.Median; Min = $r.Min; Max = $r.Max; FirstInProcess = $r.First
                MedianOverBound = $r.Median / $bound
            }
        }
        $resolve = @($rows | Where-Object Cmdlet -eq 'Resolve-PyPackage')[0].Median
        $md = @("$count names × 2 indexes at $latency ms, one warm session (load $load at the start), median of $Runs runs each, interleaved:", '',
            '| cmdlet | requests | round-trip bound | median (min–max) | ÷ bound | ÷ Resolve-PyPackage | first call in the process | target ≤ 1.5× bound |',
            '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
        foreach ($r in $rows) {
            $md += ('| {0} | {1} | {2:n2} s | {3:n3} s ({4:n3}–{5:n3}) | **{6:n2}×** | {7:n2}× | {8:n2} s | {9} |' -f $r.Cmdlet, $r.Requests, $r.RoundTripBound, $r.Median, $r.Min, $r.Max,
                $r.MedianOverBound, ($r.Median / $resolve), $r.FirstInProcess, $(if ($r.MedianOverBound -le 1.5) { 'met' } else { 'missed' }))
        }
        return [pscustomobject] @{ Rows = @($rows); Markdown = $md }
    }
    finally { Stop-IndexServer $server }
}

function Invoke-CacheBenchmark {
    $count = if ($Quick) { 20 } else { 200 }
    $names = @(0..($count - 1) | ForEach-Object { "cache-pkg$_" })
    $fixture = Write-Fixture (Join-Path $Work 'cache.json') @(
        (New-PackageIndex 'internal' @('internal-only') 20 @{ CacheControl = 'max-age=600' }),
        (New-PackageIndex 'public' $names 20 @{ CacheControl = 'max-age=600' }))
    $server = Start-IndexServer -Fixture $fixture
    try {
        $reqs = Join-Path $Work 'cache.txt'
        [IO.File]::WriteAllLines($reqs, $names)
        $cache = Join-Path $Work ('cache-' + [guid]::NewGuid().ToString('n'))
        $script = Get-ResolveScript $reqs $server.Indexes['internal'] $server.Indexes['public'] $cache
        $measure = {
            param($Label, $Extra, [switch] $PublicOnly)
            Clear-ServerCounts $server
            $child = Invoke-Child ((Get-ResolveScript $reqs $server.Indexes['internal'] $server.Indexes['public'] $cache $Extra -PublicOnly:$PublicOnly))
            if ($child.Resolved -ne $count) { throw "$Label resolved $($child.Resolved) of $count." }
            $counts = Get-ServerCounts $server
            [pscustomobject] @{ Run = $Label; Resolve = $child.Resolve; Requests = $counts.total; ByStatus = (($counts.byStatus.PSObject.Properties | ForEach-Object { "$($_.Name): $($_.Value)" }) -join ', ') }
        }
        $rows = @()
        $rows += & $measure 'cold' ''
        $rows += & $measure 'warm, inside max-age' ''
        # After expiry: the same cache, every entry treated as stale (-Refresh revalidates: conditional requests).
        $rows += & $measure 'after expiry (-Refresh: revalidate)' '-Refresh'
        # The internal index's 404s are asked again on every run: like uv, IndexTools never caches an error answer
        # (a cached "not on the internal index" would send a newly published internal package to the public index).
        # With one index, where every page is found, the warm run asks nothing.
        $cache = Join-Path $Work ('cache-' + [guid]::NewGuid().ToString('n'))
        $rows += & $measure 'one index: cold' '' -PublicOnly
        $rows += & $measure 'one index: warm, inside max-age' '' -PublicOnly
        $md = @('| run | resolve time | requests to the server | by status |', '| --- | ---: | ---: | --- |')
        foreach ($r in $rows) { $md += ('| {0} | {1:n2} s | {2} | {3} |' -f $r.Run, $r.Resolve, $r.Requests, $r.ByStatus) }
        return [pscustomobject] @{ Rows = $rows; Markdown = $md }
    }
    finally { Stop-IndexServer $server }
}

try {
    $machine = Get-Machine
    Write-Host ("Machine: {0} cores, {1}, {2}; pwsh {3}; {4}, {5}; commit {6}; {7}; load average {8}" -f $machine.Cores, $machine.Cpu, $machine.Memory, $machine.Pwsh, $machine.Python, $machine.Pip, $machine.Commit, $machine.Date, $machine.LoadAverage)
    $result = switch ($Name) {
        'requirements' { if ($Baseline) { Invoke-RequirementsAbBenchmark } else { Invoke-RequirementsBenchmark } }
        'unsafe' { Invoke-UnsafeBenchmark }
        'cache' { Invoke-CacheBenchmark }
        'startup' { Invoke-StartupBenchmark }
        'scale' { Invoke-ScaleBenchmark }
        'network' { Invoke-NetworkBenchmark }
        'parse' {
            # BenchmarkDotNet prints as it goes (to the console, not into the result) and leaves its GitHub-flavoured
            # report in the artifacts folder, which becomes this benchmark's table.
            $artifacts = Join-Path $Work 'parse-artifacts'
            $job = if ($Quick) { @('--job', 'short') } else { @() }
            & dotnet run -c Release --project (Join-Path $Root 'bench/ParseBench') -- --filter '*' --artifacts $artifacts @job | Out-Host
            if ($LASTEXITCODE -ne 0) { throw "ParseBench failed ($LASTEXITCODE)." }
            $report = Get-ChildItem (Join-Path $artifacts 'results') -Filter '*-report-github.md' | Select-Object -First 1
            if (-not $report) { throw "BenchmarkDotNet wrote no report under $artifacts." }
            [pscustomobject] @{ Markdown = @(Get-Content $report.FullName) }
        }
    }
    $result | Add-Member Machine $machine -Force
    $result | ConvertTo-Json -Depth 8 | Set-Content (Join-Path $ResultsDir ($(if ($Baseline) { "$Name-ab" } else { $Name }) + '.json'))
    Write-Host ''
    $result.Markdown | ForEach-Object { Write-Host $_ }
}
finally {
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}
