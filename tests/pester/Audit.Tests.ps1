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
