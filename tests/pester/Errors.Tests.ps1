# Issue 17.2, 17.5 and 17.6 as a user meets them: one short error per unresolved package in a real 120-column console,
# a warning first when the search falls back to pypi.org, retries visible in progress, and Version that sorts as a
# version but prints and serializes as its string.
BeforeDiscovery {
    # util-linux `script` gives the child pwsh a real pseudo-terminal; without it the console test cannot run.
    $script:HasScript = [bool](Get-Command script -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $fixture = @{
        description = 'errors test: an index that wants credentials, one that forbids, one that fails once, and a public one'
        indexes     = @(
            @{ name = 'corp'; behavior = @{ username = 'u'; password = 'not-a-real-password' }; packages = @{ 'corp-lib' = @('corp_lib-1.0.0-py3-none-any.whl') } }
            @{ name = 'forbid'; behavior = @{ username = 'u'; password = 'not-a-real-password'; anonymousStatus = 403 }; packages = @{ 'x' = @('x-1.0.0-py3-none-any.whl') } }
            @{ name = 'flaky'; behavior = @{ errorStatus = 503; failTimes = 1; retryAfterSeconds = 1 }; packages = @{ 'flaky-lib' = @('flaky_lib-1.0.0-py3-none-any.whl') } }
            @{ name = 'pypi'; packages = @{
                    'requests' = @('requests-2.31.0-py3-none-any.whl')
                    'nine'     = @('nine-9.0.0-py3-none-any.whl')
                    'ten'      = @('ten-10.0.0-py3-none-any.whl')
                    'tenrc'    = @('tenrc-10.0.0rc1-py3-none-any.whl')
                } }
        )
    }
    $fixtureFile = Join-Path $TestDrive 'errors-fixture.json'
    $fixture | ConvertTo-Json -Depth 8 | Set-Content -Path $fixtureFile -Encoding utf8
    $script:Server = Start-IndexServer -Fixture $fixtureFile
    $script:Pypi = $Server.Indexes['pypi']
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'One short error per unresolved package (issue 17.2)' -Tag 'Engine' {
    # A real console: pwsh in a pseudo-terminal 120 columns wide (util-linux `script`), commands given with -Command as
    # typed at a prompt, $ErrorView left at its default (ConciseView). Lines are counted as the terminal shows them.
    It 'costs at most 3 lines per package at 120 columns, with the fix once and not the hint' -Skip:(-not $HasScript) {
        $pwsh = @(Get-PwshCommand)
        $runs = [ordered]@{
            'corp-lib'        = "Resolve-PyPackage corp-lib -NoConfig -Index 'corp=$($Server.Indexes['corp'])' -DefaultIndex '$Pypi' -NoCache"
            'x'               = "Resolve-PyPackage x -NoConfig -Index 'forbid=$($Server.Indexes['forbid'])' -DefaultIndex '$Pypi' -NoCache"
            'no-such-package' = "Resolve-PyPackage no-such-package -NoConfig -DefaultIndex '$Pypi' -NoCache"
            'requests'        = "Resolve-PyPackage 'requests>=3' -NoConfig -DefaultIndex '$Pypi' -NoCache"
            'unreachable'     = "Resolve-PyPackage unreachable -NoConfig -DefaultIndex 'http://127.0.0.1:9/simple' -NoCache"
        }
        $command = @('$ProgressPreference = ''SilentlyContinue''', "Import-Module '$ModulePath'", '$env:UV_HTTP_RETRIES = ''0''')
        foreach ($name in $runs.Keys) { $command += "Write-Host '=== $name'"; $command += $runs[$name] }
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command -join '; '))
        $inner = (($pwsh | ForEach-Object { "'$_'" }) -join ' ') + " -NoProfile -EncodedCommand $encoded"
        $raw = & script -q -e -c "stty cols 120 rows 200; $inner" /dev/null 2>&1 | Out-String
        $text = $raw -replace "`e\[[0-9;?]*[ -/]*[@-~]", '' -replace "`e\][^`a]*`a", '' -replace "`r", ''
        $segments = @($text -split '=== (?=[a-z])' | Select-Object -Skip 1)
        $segments.Count | Should -Be $runs.Count -Because "every command ran:`n$text"
        foreach ($segment in $segments) {
            $lines = @($segment -split "`n" | Select-Object -Skip 1 | Where-Object { $_.Trim() -ne '' -and $_ -notmatch '^(Package\s+Version|-------\s+-------)' })
            $shown = 0
            foreach ($line in $lines) { $shown += [Math]::Max(1, [Math]::Ceiling($line.Length / 120)) }
            $shown | Should -BeLessOrEqual 3 -Because "an unresolved package costs its row, its error and its fix:`n$segment"
            @($lines | Where-Object { $_ -like 'Resolve-PyPackage: *' }).Count | Should -Be 1 -Because $segment
            @($lines | Where-Object { $_ -like '*Recommendation: *' }).Count | Should -Be 1 -Because $segment
        }
        # The fix is there once, short; the long hint (uv's wording) is not repeated under the error.
        @($text -split "`n" | Where-Object { $_ -like '*UV_INDEX_CORP_USERNAME*' }).Count | Should -Be 1
        $text | Should -Not -BeLike '*could not be queried due to a lack of valid authentication credentials*'
        $text | Should -Not -BeLike '*not-a-real-password*'
    }

    It 'says what happened in one line and the fix once, in the error record itself' {
        $results = @(Resolve-PyPackage corp-lib -NoConfig -Index "corp=$($Server.Indexes['corp'])" -DefaultIndex $Pypi -NoCache -ErrorVariable first -ErrorAction SilentlyContinue)
        $results += Resolve-PyPackage x -NoConfig -Index "forbid=$($Server.Indexes['forbid'])" -DefaultIndex $Pypi -NoCache -ErrorVariable second -ErrorAction SilentlyContinue
        $problems = @($first) + @($second)
        $problems.Count | Should -Be 2
        $problems[0].ErrorDetails.Message | Should -Be "'corp-lib': 'corp' answered 401 and the search stopped there (no credentials were sent)."
        $problems[0].ErrorDetails.RecommendedAction | Should -Be 'Set UV_INDEX_CORP_USERNAME and UV_INDEX_CORP_PASSWORD, or pass -Credential.'
        $problems[1].ErrorDetails.Message | Should -BeLike "'x': 'forbid' answered 403*"
        foreach ($problem in $problems) {
            $problem.ErrorDetails.Message | Should -Not -Match "`n"
            $results.Hint | Should -Not -Contain $problem.ErrorDetails.RecommendedAction
        }
        # The hint still says it all, in uv's words.
        $results[0].Hint | Should -BeLike '*could not be queried due to a lack of valid authentication credentials (401 Unauthorized)*'
    }
}

Describe 'Long waits are visible (issue 17.5)' -Tag 'Engine' {
    BeforeAll {
        $script:Empty = Join-Path $TestDrive 'no-project'
        New-Item -ItemType Directory -Force $Empty, (Join-Path $TestDrive 'xdg'), (Join-Path $TestDrive 'cache') | Out-Null
        $script:SavedEnv = @{}
        foreach ($name in 'XDG_CONFIG_HOME', 'UV_CACHE_DIR', 'UV_INDEX', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_CONFIG_FILE') {
            $SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $env:XDG_CONFIG_HOME = Join-Path $TestDrive 'xdg'
        $env:UV_CACHE_DIR = Join-Path $TestDrive 'cache'
        foreach ($name in 'UV_INDEX', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_CONFIG_FILE') { [Environment]::SetEnvironmentVariable($name, $null) }
    }
    AfterAll {
        foreach ($name in $SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $SavedEnv[$name]) }
    }

    # -Offline: the implicit pypi.org is never asked (a page not in the cache is not found), so no test touches the internet.
    It 'warns first, before any result, that the search uses pypi.org from the implicit default' {
        Push-Location $Empty
        try { $out = @(Resolve-PyPackage requests -Offline -ErrorAction SilentlyContinue 3>&1) }
        finally { Pop-Location }
        $out[0] | Should -BeOfType System.Management.Automation.WarningRecord
        $out[0].Message | Should -BeLike "No project (pyproject.toml or uv.toml) was found from $Empty and no index was given: the search uses https://pypi.org/simple, uv's implicit default.*"
        $out[1] | Should -BeOfType IndexTools.PackageResolution
    }

    It 'does not warn when an index is given or a project is found' {
        Push-Location $Empty
        try { $given = @(Resolve-PyPackage requests -DefaultIndex $Pypi -NoCache 3>&1) }
        finally { Pop-Location }
        @($given | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $project = Join-Path $TestDrive 'with-project'
        $null = New-UvProject -Path $project -Index @(@{ Name = 'pypi'; Url = $Pypi; Default = $true })
        $found = @(Resolve-PyPackage requests -Path $project -NoCache 3>&1)
        @($found | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
    }

    It 'shows a retry and its backoff in a progress record of its own' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; Resolve-PyPackage flaky-lib -NoConfig -Index 'flaky=$($Server.Indexes['flaky'])' -DefaultIndex '$Pypi' -NoCache")
            $results = @($ps.Invoke())
            $results[0].Version | Should -Be '1.0.0'
            $retries = @($ps.Streams.Progress | Where-Object ActivityId -EQ 0x1D8)
            $retries.Count | Should -BeGreaterOrEqual 2
            $retries[0].Activity | Should -Be 'Waiting to retry'
            $retries[0].StatusDescription | Should -Be 'flaky: retry 1 of 3 in 1 s (HTTP 503)'
            $retries[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Version sorts as a version and serializes as a string (issue 17.6)' -Tag 'Engine' {
    BeforeAll {
        $script:Results = @(Resolve-PyPackage ten, nine, tenrc -NoConfig -DefaultIndex $Pypi -NoCache)
    }

    It 'sorts 10.0.0 after 9.0.0 and the release candidate before its release' {
        ($Results | Sort-Object Version).Package | Should -Be @('nine', 'tenrc', 'ten')
        ($Results | Sort-Object Version -Descending).Package | Should -Be @('ten', 'tenrc', 'nine')
        $Results[0].Version -gt '9.0.0' | Should -BeTrue
        $Results[0].Version -eq '10.0.0' | Should -BeTrue
        '10.0.0' -eq $Results[0].Version | Should -BeTrue
        "$($Results[0].Version)" | Should -Be '10.0.0'
    }

    It 'prints as the plain string' {
        $table = $Results | Format-Table | Out-String -Width 120
        $table | Should -Match '(?m)^ten\s+10\.0\.0\s'
        ($Results[2] | Format-List | Out-String) | Should -Match 'Version\s+: 10\.0\.0rc1'
    }

    It 'serializes as the plain string in ConvertTo-Json, also after Select-Object and nested' {
        $json = $Results | ConvertTo-Json -Depth 4
        $json | Should -Match '"Version": "10\.0\.0"'
        ($json | ConvertFrom-Json).Version | Should -Be @('10.0.0', '9.0.0', '10.0.0rc1')
        ($Results | Select-Object Package, Version | ConvertTo-Json -Compress) | Should -BeLike '*"Version":"9.0.0"*'
        (@{ outer = @{ inner = $Results[1] } } | ConvertTo-Json -Depth 5 -Compress) | Should -BeLike '*"Version":"9.0.0"*'
    }

    It 'serializes as the plain string in Export-Csv, columns in their order' {
        $csv = Join-Path $TestDrive 'versions.csv'
        $Results | Export-Csv -Path $csv
        $rows = @(Import-Csv -Path $csv)
        $rows.Version | Should -Be @('10.0.0', '9.0.0', '10.0.0rc1')
        (Get-Content $csv -TotalCount 1) | Should -BeLike '"Package","Requirement",*'
    }

    It 'serializes as the plain string in Export-Clixml' {
        $xml = Join-Path $TestDrive 'versions.xml'
        $Results | Export-Clixml -Path $xml
        $back = @(Import-Clixml -Path $xml)
        $back.Version | Should -Be @('10.0.0', '9.0.0', '10.0.0rc1')
        $back[0].Version | Should -BeOfType [string]
        (Get-Content -Raw $xml) | Should -Match '<S N="Version">10\.0\.0</S>'
    }

    It 'is the version type on every output type that has one' {
        foreach ($type in [IndexTools.PackageResolution], [IndexTools.LockDrift], [IndexTools.StrategyPick]) {
            $type.GetProperty('Version').PropertyType | Should -Be ([IndexTools.PackageVersion]) -Because "$type.Version"
        }
        [IndexTools.IndexVersionSet].GetProperty('LatestVersion').PropertyType | Should -Be ([IndexTools.PackageVersion])
    }
}
