<#
.SYNOPSIS
    Runs tests/pester in this (fresh) pwsh and writes the counts where build.ps1 reads them.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $ResultPath,
    [string] $ExcludeTag = ''
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ($ExcludeTag) { $configuration.Filter.ExcludeTag = @($ExcludeTag -split ',') }
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = $ResultPath
    $configuration.TestResult.OutputFormat = 'NUnitXml'
}

$run = Invoke-Pester -Configuration $configuration
# Tests under a failed BeforeAll are counted as failed by Pester; a block or file that failed without any test
# counted (e.g. discovery failed) still counts as one failure.
$failed = $run.FailedCount
if ($failed -eq 0) { $failed = $run.FailedBlocksCount + $run.FailedContainersCount }
[pscustomobject] @{
    Passed  = $run.PassedCount
    Failed  = $failed
    Skipped = $run.SkippedCount + $run.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
if ($failed -gt 0) { exit 1 }
exit 0
