# Issue 12.4: every network cmdlet does what a search needs and nothing more, so that each can come within its round-trip
# bound (bench/Invoke-Benchmark.ps1 network measures the times; these tests never assert one). Checked over real HTTP
# against the local index server: the requests each cmdlet sends (counted by the server) and the progress records it
# writes for a many-package run.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force

    $script:Count = 250
    $script:Names = @(0..($Count - 1) | ForEach-Object { "tp-pkg$_" })
    $public = [ordered] @{}
    foreach ($n in $Names) { $public[$n] = @("$($n.Replace('-', '_'))-1.0.0-py3-none-any.whl") }
    # One locked version whose every file is yanked: the lock check must still say so (from the page it already has).
    $public['tp-yanked'] = @(@{ filename = 'tp_yanked-1.0.0-py3-none-any.whl'; yanked = $true }, 'tp_yanked-2.0.0-py3-none-any.whl')
    $fixture = @{
        description = 'throughput: an internal index without the names, a public one with them all'
        indexes     = @(
            @{ name = 'internal'; packages = @{ 'internal-only' = @('internal_only-1.0.0-py3-none-any.whl') } }
            @{ name = 'public'; packages = $public }
        )
    }
    $fixtureFile = Join-Path $TestDrive 'throughput-fixture.json'
    $fixture | ConvertTo-Json -Depth 8 | Set-Content -Path $fixtureFile -Encoding utf8
    $script:Server = Start-IndexServer -Fixture $fixtureFile
    $script:Control = $Server.BaseUrl + '_control/requests'
    $script:Indexes = @{ NoConfig = $true; Index = "internal=$($Server.Indexes['internal'])"; DefaultIndex = "public=$($Server.Indexes['public'])" }

    $script:LockDir = Join-Path $TestDrive 'lock'
    $null = New-Item -ItemType Directory -Path $LockDir -Force
    $lock = [Text.StringBuilder]::new("version = 1`nrevision = 2`nrequires-python = `">=3.8`"`n")
    foreach ($n in @($Names) + 'tp-yanked') {
        $null = $lock.Append("`n[[package]]`nname = `"$n`"`nversion = `"1.0.0`"`nsource = { registry = `"$($Server.Indexes['public'])`" }`n")
    }
    Set-Content -Path (Join-Path $LockDir 'uv.lock') -Value $lock.ToString() -Encoding utf8

    function script:Get-Requests { (Invoke-RestMethod -Uri $Control -NoProxy).total }
    function script:Clear-Requests { Invoke-RestMethod -Method Delete -Uri $Control -NoProxy | Out-Null }

    # Runs $Script in a runspace of this process with progress shown, and returns its output and progress records.
    function script:Invoke-WithProgress([string] $Script, [hashtable] $Variables) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-IndexToolsModulePath)'; `$ProgressPreference = 'Continue'`n$Script")
            foreach ($k in $Variables.Keys) { $ps.Runspace.SessionStateProxy.SetVariable($k, $Variables[$k]) }
            $output = $ps.Invoke()
            [pscustomobject] @{ Output = @($output); Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error) }
        }
        finally { $ps.Dispose() }
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Requests per package' -Tag 'Engine' {
    It 'Test-PyLock -NoCache asks each index once per locked package (the yanked check reads the page the search fetched)' {
        Clear-Requests
        $drifts = @(Test-PyLock -Path $LockDir @Indexes -NoCache -IncludeUnchanged)
        $requests = Get-Requests
        $drifts.Count | Should -Be ($Count + 1)
        @($drifts | Where-Object Reason -eq 'Unchanged').Count | Should -Be $Count
        ($drifts | Where-Object Package -eq 'tp-yanked').Reason | Should -Be 'VersionYanked'
        # internal (404) then public, for every package: nothing asked twice.
        $requests | Should -Be (2 * ($Count + 1))
    }

    It '<_> asks every index exactly once per name' -ForEach @('Find-ShadowedPackage', 'Compare-IndexStrategy') {
        Clear-Requests
        $results = switch ($_) {
            'Find-ShadowedPackage' { @($Names | Find-ShadowedPackage @Indexes -PublicIndex public -Force -IncludeUnshadowed -NoCache) }
            'Compare-IndexStrategy' { @($Names | Compare-IndexStrategy @Indexes -PublicIndex public -Force -NoCache) }
        }
        $requests = Get-Requests
        $results.Count | Should -Be $Count
        $requests | Should -Be (2 * $Count) -Because 'the strategies are replayed over the answers already fetched'
        if ($_ -eq 'Find-ShadowedPackage') {
            @($results | Where-Object { ($_.Picks | Where-Object Strategy -eq 'FirstIndex').Index -eq 'public' }).Count | Should -Be $Count
        }
    }

    It 'the same name twice in one audit is audited twice with the same answers' {
        Clear-Requests
        $results = @(Find-ShadowedPackage 'tp-pkg1', 'tp-pkg1>=1', 'tp-pkg2' @Indexes -PublicIndex public -Force -IncludeUnshadowed -NoCache)
        $results.Count | Should -Be 3
        $results[0].Indexes[1].Versions | Should -Be @('1.0.0')
        $results[1].Indexes[1].Versions | Should -Be @('1.0.0')
        (Get-Requests) | Should -BeLessOrEqual 6
    }
}

Describe 'Progress of many-package runs' -Tag 'Engine' {
    It '<Name> writes at most one progress record per percent and closes the bar' -ForEach @(
        @{ Name = 'Find-ShadowedPackage'; Script = '$Names | Find-ShadowedPackage @Indexes -PublicIndex public -Force -IncludeUnshadowed -NoCache' }
        @{ Name = 'Compare-IndexStrategy'; Script = '$Names | Compare-IndexStrategy @Indexes -PublicIndex public -Force -NoCache' }
        @{ Name = 'Resolve-PyPackage'; Script = '$Names | Resolve-PyPackage @Indexes -NoCache' }
        @{ Name = 'Test-PyLock'; Script = 'Test-PyLock -Path $LockDir @Indexes -NoCache -IncludeUnchanged' }
    ) {
        $run = Invoke-WithProgress -Script $Script -Variables @{ Names = $Names; Indexes = $Indexes; LockDir = $LockDir }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -BeGreaterOrEqual $Count
        $run.Progress.Count | Should -BeGreaterThan 1
        # 250 packages: one record per percent (101 at most) and the closing one, not one per package.
        $run.Progress.Count | Should -BeLessOrEqual 102
        $run.Progress[-1].RecordType | Should -Be 'Completed'
        $percents = @($run.Progress | Where-Object RecordType -ne 'Completed' | ForEach-Object PercentComplete)
        ($percents | Sort-Object -Unique).Count | Should -Be $percents.Count -Because 'each percent is reported once'
    }
}
