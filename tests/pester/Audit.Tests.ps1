# Issue 7, "Dependency-confusion audit": Find-ShadowedPackage and Compare-IndexStrategy against the local index server,
# with the fixture projects in tests/fixtures/audit: the risky one flags every risk kind, the clean one flags none.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $fixtures = Join-Path $PSScriptRoot '../fixtures/audit'

    function script:New-AuditProject([string] $Kind) {
        $server = Start-IndexServer -Fixture (Join-Path $fixtures "$Kind-indexes.json")
        $folder = Join-Path $TestDrive $Kind
        New-Item -ItemType Directory -Force $folder | Out-Null
        $text = Get-Content -Raw (Join-Path $fixtures "$Kind-pyproject.toml")
        foreach ($name in $server.Indexes.Keys) { $text = $text.Replace("{$name}", $server.Indexes[$name]) }
        [IO.File]::WriteAllText((Join-Path $folder 'pyproject.toml'), $text)
        [pscustomobject] @{ Server = $server; Path = $folder }
    }

    function script:Get-RequestCount($Server) { (Invoke-RestMethod -Uri ($Server.BaseUrl + '_control/requests') -NoProxy).total }
    function script:Clear-RequestCount($Server) { Invoke-RestMethod -Method Delete -Uri ($Server.BaseUrl + '_control/requests') -NoProxy | Out-Null }

    $script:Risky = New-AuditProject 'risky'
    $script:Clean = New-AuditProject 'clean'
}

AfterAll {
    Stop-IndexServer $Risky.Server
    Stop-IndexServer $Clean.Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Find-ShadowedPackage' -Tag 'Engine' {
    It 'flags every risk kind on the risky fixture, each with its own reason' {
        $audit = Find-ShadowedPackage acme-utils -Path $Risky.Path -PublicIndex pypi -Force
        $audit.Package | Should -Be 'acme-utils'
        $audit.Risk | Should -Be 'High'
        $audit.FoundOn | Should -Be 2
        $kinds = @($audit.Reasons.Kind | ForEach-Object { "$_" } | Sort-Object)
        $kinds | Should -Be @('IgnoresAuthErrors', 'NotPinned', 'Pep708Advisory', 'PublicUploadedLater', 'PublicVersionHigher', 'UnsafeStrategy')
        ($audit.Reasons | Where-Object Kind -eq 'Pep708Advisory').Message | Should -BeLike 'advisory: PEP 708, which uv ignores*'
        ($audit.Reasons | Where-Object Kind -eq 'IgnoresAuthErrors').Message | Should -BeLike "*'mirror' ignores 401*"
        ($audit.Reasons | Where-Object Kind -eq 'PublicUploadedLater').Message | Should -BeLike '*2025-01-10*2024-02-01*'
        ($audit.Indexes | Where-Object Index -eq 'internal').Versions | Should -Be @('1.0.0', '1.4.1')
        ($audit.Indexes | Where-Object Index -eq 'pypi').Public | Should -BeTrue
    }

    It 'shows what each strategy and pip would pick' {
        $picks = (Find-ShadowedPackage acme-utils -Path $Risky.Path -PublicIndex pypi -Force).Picks
        $picks.Strategy | Should -Be @('FirstIndex', 'UnsafeFirstMatch', 'UnsafeBestMatch', 'PipMergeAll')
        "$($picks[0].Index) $($picks[0].Version)" | Should -Be 'internal 1.4.1'
        "$($picks[1].Index) $($picks[1].Version)" | Should -Be 'internal 1.4.1'
        "$($picks[2].Index) $($picks[2].Version)" | Should -Be 'pypi 99.0.0'
        "$($picks[3].Index) $($picks[3].Version)" | Should -Be 'pypi 99.0.0'
    }

    It 'flags nothing on the clean fixture' {
        $found = @('acme-auth', 'requests', 'idna' | Find-ShadowedPackage -Path $Clean.Path -PublicIndex pypi -Force)
        $found.Count | Should -Be 0
        $all = @('acme-auth', 'requests', 'idna' | Find-ShadowedPackage -Path $Clean.Path -PublicIndex pypi -Force -IncludeUnshadowed)
        $all.Package | Should -Be @('acme-auth', 'requests', 'idna')
        $all.Risk | Sort-Object -Unique | Should -Be 'None'
        ($all | ForEach-Object { $_.Reasons.Count } | Measure-Object -Sum).Sum | Should -Be 0
    }

    It 'asks before sending internal names to a public index, and sends nothing when it cannot ask' {
        Clear-RequestCount $Risky.Server
        $ps = [powershell]::Create()
        try {
            # A host that cannot prompt: the confirmation is not given, so nothing is asked and nothing is written.
            $null = $ps.AddScript("Import-Module '$ModulePath'; Find-ShadowedPackage acme-utils -Path '$($Risky.Path)' -PublicIndex pypi")
            $output = try { $ps.Invoke() } catch { @() }
            @($output).Count | Should -Be 0
        }
        finally { $ps.Dispose() }
        Get-RequestCount $Risky.Server | Should -Be 0
        $null = Find-ShadowedPackage acme-utils -Path $Risky.Path -PublicIndex pypi -Force
        Get-RequestCount $Risky.Server | Should -BeGreaterThan 0
    }

    It 'reads the names from the project with -ProjectPath and from a requirements file' {
        $fromProject = @(Find-ShadowedPackage -ProjectPath (Join-Path $Risky.Path 'pyproject.toml') -PublicIndex pypi -Force)
        $fromProject.Package | Should -Be @('acme-utils', 'requests')
        $requirements = Join-Path $TestDrive 'requirements.txt'
        Set-Content -Path $requirements -Value "# audit`nacme-utils>=1`n"
        (Find-ShadowedPackage -RequirementsPath $requirements -Path $Risky.Path -PublicIndex pypi -Force).Package | Should -Be 'acme-utils'
        Push-Location $Risky.Path
        try { @(Compare-IndexStrategy -Project -PublicIndex pypi -Force).Package | Should -Be @('acme-utils', 'requests') }
        finally { Pop-Location }
    }

    It 'has a table and a list view, JSON with enum names, and report entries' {
        $audit = Find-ShadowedPackage acme-utils -Path $Risky.Path -PublicIndex pypi -Force
        $table = $audit | Out-String -Width 300
        $table | Should -Match 'acme-utils\s+High'
        $table | Should -Match 'internal 1\.4\.1, pypi 99\.0\.0'
        ($audit | Format-List | Out-String -Width 300) | Should -Match 'PipMergeAll: 99\.0\.0 from pypi'
        ($audit | ConvertTo-Json -Depth 6) | Should -Match '"Risk": "High"'
        $entries = @(([IndexTools.IReportable] $audit).GetReportEntries())
        $entries[0].Severity | Should -Be 'Error'
        $entries[0].Section | Should -Be 'Shadowing'
    }
}

Describe 'Compare-IndexStrategy' -Tag 'Engine' {
    It 'shows where the chosen index or version changes' {
        $rows = @('acme-utils', 'requests' | Compare-IndexStrategy -Path $Risky.Path -PublicIndex pypi -Force)
        $rows[0].FirstIndex | Should -Be '1.4.1 from internal'
        $rows[0].UnsafeBestMatch | Should -Be '99.0.0 from pypi'
        $rows[0].PipMergeAll | Should -Be '99.0.0 from pypi'
        $rows[0].Differs | Should -BeTrue
        $rows[1].FirstIndex | Should -Be '2.31.0 from mirror'
        $rows[1].UnsafeBestMatch | Should -Be '2.32.3 from pypi'
        @('acme-auth', 'requests' | Compare-IndexStrategy -Path $Clean.Path -PublicIndex pypi -Force -DifferentOnly).Count | Should -Be 0
    }

    It 'checks uv''s "may be available on a subsequent index" hint' {
        $row = Compare-IndexStrategy 'acme-utils>=2' -Path $Risky.Path -PublicIndex pypi -Force
        $row.FirstIndex | Should -Be 'NoMatchingVersion'
        $row.SubsequentIndexCheck | Should -BeLike "*a later index has one: 99.0.0 on 'pypi'*"
        $none = Compare-IndexStrategy 'acme-auth>=5' -Path $Clean.Path -PublicIndex pypi -Force
        $none.SubsequentIndexCheck | Should -BeLike '*no later index has one either*'
    }
}

# The audit replays uv's strategies with the project's whole configuration: its exclude-newer (and the rest of the
# selection policy) and its conditional [tool.uv.sources] entries, as Resolve-PyPackage searches. Before, the replays
# were built from a hand copy of six settings: exclude-newer was ignored by every replayed pick, and a package pinned by
# a marker list was audited as unpinned, on the normal search.
Describe 'The audit replays uv with the project''s whole configuration' -Tag 'Engine' {
    BeforeAll {
        $fixture = @{ indexes = @(
                @{ name = 'internal'; packages = @{
                        'acme' = @(@{ filename = 'acme-1.0.0-py3-none-any.whl'; 'upload-time' = '2025-01-01T00:00:00Z' })
                        'torchish' = @(@{ filename = 'torchish-1.0.0-py3-none-any.whl'; 'upload-time' = '2025-01-01T00:00:00Z' })
                        'fastlib' = @(@{ filename = 'fastlib-1.0.0-py3-none-any.whl'; 'upload-time' = '2025-01-01T00:00:00Z' }) } }
                @{ name = 'linuxmirror'; packages = @{
                        'torchish' = @(@{ filename = 'torchish-2.0.0-py3-none-any.whl'; 'upload-time' = '2025-02-01T00:00:00Z' }) } }
                @{ name = 'pypi'; packages = @{
                        'acme' = @(
                            @{ filename = 'acme-1.5.0-py3-none-any.whl'; 'upload-time' = '2025-06-01T00:00:00Z' }
                            @{ filename = 'acme-2.0.0-py3-none-any.whl'; 'upload-time' = '2026-03-01T00:00:00Z' })
                        'torchish' = @(@{ filename = 'torchish-9.0.0-py3-none-any.whl'; 'upload-time' = '2025-03-01T00:00:00Z' })
                        'fastlib' = @(@{ filename = 'fastlib-5.0.0-cp313-cp313-manylinux_2_17_x86_64.whl'; 'upload-time' = '2025-03-01T00:00:00Z' }) } }
            ) }
        $fixtureFile = Join-Path $TestDrive 'whole-config-indexes.json'
        [IO.File]::WriteAllText($fixtureFile, ($fixture | ConvertTo-Json -Depth 10))
        $script:Whole = Start-IndexServer -Fixture $fixtureFile
        $script:WholeProject = Join-Path $TestDrive 'whole-config'
        New-Item -ItemType Directory -Force $WholeProject | Out-Null
        [IO.File]::WriteAllText((Join-Path $WholeProject 'pyproject.toml'), @"
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["acme", "torchish", "fastlib"]

[tool.uv]
exclude-newer = "2026-01-01T00:00:00Z"

[[tool.uv.index]]
name = "internal"
url = "$($Whole.Indexes['internal'])"

[[tool.uv.index]]
name = "linuxmirror"
url = "$($Whole.Indexes['linuxmirror'])"
explicit = true

[[tool.uv.index]]
name = "pypi"
url = "$($Whole.Indexes['pypi'])"
default = true

[tool.uv.sources]
torchish = [
    { index = "linuxmirror", marker = "sys_platform == 'linux'" },
    { index = "internal", marker = "sys_platform == 'win32'" },
]
"@)
    }

    AfterAll { Stop-IndexServer $Whole }

    It 'keeps exclude-newer in every replayed pick' {
        $acme = Find-ShadowedPackage -ProjectPath $WholeProject -PublicIndex pypi -PythonVersion 3.12 -Platform linux -Force |
            Where-Object Package -EQ 'acme'
        $picks = @{}; foreach ($p in $acme.Picks) { $picks[$p.Strategy] = $p.ChoiceText() }
        $picks['FirstIndex'] | Should -Be '1.0.0 from internal'
        $picks['UnsafeFirstMatch'] | Should -Be '1.0.0 from internal'
        # 2.0.0 was uploaded after exclude-newer: uv's best match is 1.5.0 (it was 2.0.0 when the replay dropped the setting).
        $picks['UnsafeBestMatch'] | Should -Be '1.5.0 from pypi'
        (Resolve-PyPackage acme -Path $WholeProject -IndexStrategy UnsafeBestMatch -PythonVersion 3.12 -Platform linux).Version.ToString() | Should -Be '1.5.0'
    }

    It 'audits a package pinned by a marker list on the index its entry names for the target' {
        $torch = Find-ShadowedPackage -ProjectPath $WholeProject -PublicIndex pypi -PythonVersion 3.12 -Platform linux -Force |
            Where-Object Package -EQ 'torchish'
        $torch.PinnedTo | Should -Be 'linuxmirror'
        $torch.Reasons.Kind | Should -Not -Contain 'NotPinned'
        foreach ($p in @($torch.Picks | Where-Object Strategy -NE 'PipMergeAll')) { $p.ChoiceText() | Should -Be '2.0.0 from linuxmirror' }
        # pip has no [tool.uv.sources]: it merges every index and takes the highest.
        ($torch.Picks | Where-Object Strategy -EQ 'PipMergeAll').ChoiceText() | Should -Be '9.0.0 from pypi'
        (Resolve-PyPackage -ProjectPath $WholeProject -PythonVersion 3.12 -Platform linux | Where-Object Package -EQ 'torchish').Index | Should -Be 'linuxmirror'
        ($torch.Reasons | Where-Object Kind -EQ 'PublicVersionHigher').Message |
            Should -Be "public 'pypi' offers 9.0.0, higher than the internal 2.0.0, but [tool.uv.sources] keeps uv on 'linuxmirror'; pip, which has no pins, takes 9.0.0 from pypi"

        $windows = Find-ShadowedPackage -ProjectPath $WholeProject -PublicIndex pypi -PythonVersion 3.12 -Platform windows -Force |
            Where-Object Package -EQ 'torchish'
        $windows.PinnedTo | Should -Be 'internal'
        ($windows.Picks | Where-Object Strategy -EQ 'FirstIndex').ChoiceText() | Should -Be '1.0.0 from internal'
    }

    It 'says when the higher public version is not a candidate for the target' {
        $fast = Find-ShadowedPackage -ProjectPath $WholeProject -PublicIndex pypi -PythonVersion 3.12 -Platform linux -Force |
            Where-Object Package -EQ 'fastlib'
        ($fast.Picks | Where-Object Strategy -EQ 'UnsafeBestMatch').ChoiceText() | Should -Be '1.0.0 from internal'
        ($fast.Reasons | Where-Object Kind -EQ 'PublicVersionHigher').Message |
            Should -Match "^public 'pypi' offers 5\.0\.0, higher than the internal 1\.0\.0, but it is not a candidate for Python 3\.12 .*\(unsafe-best-match takes 1\.0\.0 from internal\): a public upload that fits would win"
        $fast.Risk | Should -Be 'High'
    }

    It 'says where a marker list leaves the package unpinned when the target does not decide it' {
        # No -Platform: the project's universal target leaves sys_platform open. Both entries apply where their marker
        # holds, and elsewhere (macOS, say) uv's normal search does: there the package is not pinned.
        $torch = Find-ShadowedPackage -ProjectPath $WholeProject -PublicIndex pypi -Force | Where-Object Package -EQ 'torchish'
        $torch.PinnedTo | Should -BeNullOrEmpty
        ($torch.Reasons | Where-Object Kind -EQ 'NotPinned').Message | Should -Be ("the internal package is not pinned to 'internal' or 'linuxmirror' where sys_platform != 'linux' and sys_platform != 'win32'" +
            ' in [tool.uv.sources] (torchish = { index = "internal" })')
        # There the best match is the public 9.0.0: the risk is judged on every part of the target, not the first entry's.
        ($torch.Reasons | Where-Object Kind -EQ 'PublicVersionHigher').Message |
            Should -Be ("public 'pypi' offers 9.0.0, higher than the internal 2.0.0: any fall-through or best-match picks the public one" +
                " (unsafe-best-match takes 9.0.0 from pypi where sys_platform != 'linux' and sys_platform != 'win32')")
        $first = $torch.Picks | Where-Object Strategy -EQ 'FirstIndex'
        $first.ChoiceText() | Should -Be '2.0.0 from linuxmirror'
        $first.Reason | Should -Match "where sys_platform == .win32.: 1\.0\.0 from 'internal'"
    }

    It 'compares two uv releases through the entry that applies' {
        $row = Compare-IndexStrategy -ProjectPath $WholeProject -UvVersion 0.12.5, 0.11.0 -PythonVersion 3.12 -Platform linux -Force |
            Where-Object Package -EQ 'torchish'
        $row.ResultA | Should -Be '2.0.0 from linuxmirror'
        $row.ResultB | Should -Be '2.0.0 from linuxmirror'
    }
}
