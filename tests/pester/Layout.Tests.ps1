# Issue 17 point 1: every default view (table, list, Explain) rendered at 80 and 120 columns from REAL results of
# the cmdlets against the local index server (demo fixture), checked mechanically: no line wider than the width, no
# word broken at the last column, every table header on one line, every label a property of the object.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    if ($PSVersionTable.PSVersion.Major -ge 7) { $PSStyle.OutputRendering = 'PlainText' }

    $script:Server = Start-IndexServer -Demo
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
    $script:Project = Join-Path $TestDrive 'app'
    New-UvProject -Path $Project -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        @{ Name = 'pytorch'; Url = $Server.Indexes['pytorch'] }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true }) | Out-Null
    $script:Fixed = Join-Path $TestDrive 'fixed'
    New-UvProject -Path $Fixed -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        @{ Name = 'pytorch'; Url = $Server.Indexes['pytorch']; IgnoreErrorCodes = @(403) }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true }) | Out-Null
    Set-Content (Join-Path $Fixed 'requirements.txt') "requests>=2.31`n--extra-index-url https://mirror.example/simple`n"
    Set-Content (Join-Path $Fixed 'uv.lock') @"
version = 1

[[package]]
name = "acme-utils"
version = "99.0.0"
source = { registry = "$($Server.Indexes['pypi'])" }

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "$($Server.Indexes['pypi'])" }
"@

    # acme-auth without credentials: the internal index's 401 stops the search; with them, requests meets the
    # pytorch index's 403. Both come with a long reason and hint.
    $script:Resolutions = @(Resolve-PyPackage acme-auth -Path $Project -ErrorAction SilentlyContinue)
    $env:UV_INDEX_INTERNAL_USERNAME = 'demo'
    $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'   # the demo fixture's fake, local-only value
    $script:Resolutions += @(Resolve-PyPackage requests, acme-utils, torch -Path $Project -ErrorAction SilentlyContinue)
    $script:Unsafe = @(Resolve-PyPackage acme-utils -Path $Fixed -IndexStrategy UnsafeBestMatch)
    $script:Policies = @(Get-IndexStrategy -Path $Fixed)
    $script:Options = @(Resolve-PyPackage -RequirementsPath (Join-Path $Fixed 'requirements.txt') -Path $Fixed -WarningAction SilentlyContinue | Where-Object { $_ -is [IndexTools.RequirementsFileOption] })
    $script:Shadowed = @(Find-ShadowedPackage acme-utils, torch -Path $Fixed -PublicIndex pypi, pytorch -Force -IncludeUnshadowed)
    $script:Compared = @(Compare-IndexStrategy acme-utils, torch, acme-auth -Path $Fixed -PublicIndex pypi, pytorch -Force)
    $script:Drift = @(Push-Location $Fixed; try { Test-PyLock -IncludeUnchanged } finally { Pop-Location })
    $script:Probes = @(Push-Location $Project; try { Test-PyIndex } finally { Pop-Location })
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue

    # Lines of a rendering, without the trailing blank ones.
    function script:Get-Lines([string] $Text) { @(($Text -split "`r?`n") | ForEach-Object { $_.TrimEnd() }) }

    # A word broken by PowerShell's formatter fills the line to the last column and goes on on the next line.
    function script:Assert-NoBrokenWord([string[]] $Lines, [int] $Width) {
        foreach ($line in $Lines) {
            $line.Length | Should -BeLessOrEqual $Width -Because "no line is wider than $Width columns: '$line'"
            if ($line.Length -eq $Width) {
                $line[-1] | Should -Match '[\s…]' -Because "a line that fills all $Width columns breaks a word: '$line'"
            }
        }
    }

    # Every word of each text appears whole in the rendering (a word broken across lines would not).
    function script:Assert-WordsWhole([string] $Rendered, [string[]] $Texts) {
        # A word longer than a whole line may only be broken after a '/' or '-' (TextLayout does that).
        $flat = (($Rendered -split '\s+') -join ' ') -replace '([/-]) ', '$1'
        foreach ($text in $Texts) {
            foreach ($word in ($text -split '\s+' | Where-Object { $_ })) {
                $flat.Contains($word) | Should -BeTrue -Because "'$word' (of '$text') is written whole"
            }
        }
    }

    # A table: the line above each dash line is its header, on one line, and every label is a property of the objects.
    function script:Assert-TableHeaders([string[]] $Lines, [object[]] $Objects) {
        $found = 0
        for ($i = 1; $i -lt $Lines.Count; $i++) {
            if ($Lines[$i] -notmatch '^\s*-+(\s+-+)*\s*$') { continue }
            $found++
            $header = $Lines[$i - 1]
            if ($i -ge 2) { $Lines[$i - 2] | Should -Match '^\s*$|^\s*\w+: ' -Because 'the header has one line (above it: a blank line or a group header)' }
            foreach ($dashes in [regex]::Matches($Lines[$i], '-+')) {
                $end = [Math]::Min($header.Length, $dashes.Index + $dashes.Length)
                $label = if ($dashes.Index -lt $header.Length) { $header.Substring($dashes.Index, $end - $dashes.Index).Trim() } else { '' }
                $label | Should -Not -BeNullOrEmpty -Because "every column has its header on the header line: '$header'"
                $label.Length | Should -Be $dashes.Length -Because "the header '$label' is not cut"
                $Objects[0].PSObject.Properties[$label] | Should -Not -BeNullOrEmpty -Because "the label '$label' is a property of $($Objects[0].GetType().Name), so Select-Object $label works"
            }
        }
        $found | Should -BeGreaterThan 0 -Because 'a table has a header'
    }

    # A list: every "Label : value" line names a property of the object.
    function script:Assert-ListLabels([string[]] $Lines, [object[]] $Objects) {
        $labels = @($Lines | Where-Object { $_ -match '^(\w+)\s*: ' } | ForEach-Object { ($_ -split '\s*:')[0] } | Sort-Object -Unique)
        $labels.Count | Should -BeGreaterThan 1
        foreach ($label in $labels) {
            $Objects[0].PSObject.Properties[$label] | Should -Not -BeNullOrEmpty -Because "the list label '$label' is a property of $($Objects[0].GetType().Name)"
        }
    }

    function script:Test-Table([object[]] $Objects, [int] $Width, [int] $Rows) {
        $Objects.Count | Should -BeGreaterThan 0
        $text = $Objects | Out-String -Width $Width
        $lines = Get-Lines $text
        Assert-NoBrokenWord $lines $Width
        Assert-TableHeaders $lines $Objects
        if ($Rows -gt 0) {
            @($lines | Where-Object { $_ -match '\S' -and $_ -notmatch '^\s*-+(\s+-+)*\s*$' }).Count | Should -Be ($Rows + 1) -Because 'each object is one row under one header line'
        }
        $text
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Default views at 80 and 120 columns, from real results' -Tag 'Engine' {
    It 'the fixture produced every kind of result' {
        @($Resolutions | Where-Object { -not $_.Resolved }).Count | Should -Be 2
        ($Resolutions | Where-Object Package -eq 'torch').Version | Should -Be '2.4.0+cu121'
        $Policies.Count | Should -Be 3
        $Options.Count | Should -Be 1
        $Shadowed.Count | Should -Be 2
        $Compared.Count | Should -Be 3
        $Drift.Count | Should -Be 2
        $Probes.Count | Should -Be 3
    }

    It 'PackageResolution table at <Width>: whole version, one line per package' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Test-Table $Resolutions $Width $Resolutions.Count
        $text | Should -Match 'torch\s+2\.4\.0\+cu121\s+pytorch\s+Found'
        $text | Should -Match 'acme-auth\s+AuthenticationFailed'
    }

    It 'PackageResolution list at <Width>: long hints wrapped at word boundaries' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = $Resolutions | Format-List | Out-String -Width $Width
        $lines = Get-Lines $text
        Assert-NoBrokenWord $lines $Width
        Assert-ListLabels $lines $Resolutions
        Assert-WordsWhole $text @($Resolutions.Hint | Where-Object { $_ })
    }

    It 'Explain view at <Width>: reasons and hints wrapped at word boundaries, continuation lines indented under their text' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        foreach ($r in @($Resolutions) + @($Unsafe)) {
            $text = $r | Format-Custom -View Explain | Out-String -Width $Width
            $lines = @(Get-Lines $text | Where-Object { $_ -match '\S' })
            Assert-NoBrokenWord $lines $Width
            Assert-WordsWhole $text (@($r.Attempts.Reason) + @($r.Hint | Where-Object { $_ }))
            $lines[0].StartsWith($r.Package) -and $lines[0].EndsWith("[$($r.Strategy)]") | Should -BeTrue -Because "the header names the package and the strategy: '$($lines[0])'"
            $attempt = $lines | Where-Object { $_ -match '^\s+1\. ' } | Select-Object -First 1
            $column = $attempt.IndexOf($r.Attempts[0].Reason.Split(' ')[0])
            $column | Should -BeGreaterThan 10
            foreach ($line in $lines | Select-Object -Skip 1) {
                if ($line -notmatch '^\s+(\d+\.|Hint:|Target:) ') {
                    ($line.Length - $line.TrimStart().Length) | Should -BeGreaterOrEqual 8 -Because "a continuation line is indented under its text: '$line'"
                }
            }
        }
    }

    It 'IndexAttempt table at <Width>: grouped by package, status code header whole' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $attempts = @($Resolutions[0].Attempts)
        $text = Test-Table $attempts $Width 0
        $text | Should -Match 'Package: acme-auth'
        $text | Should -Match '1\s+internal\s+401\s+AuthFailed\s+Stop'
    }

    It 'IndexPolicy table at <Width>: name, the codes that stop, the codes ignored, then the URL' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Test-Table $Policies $Width $Policies.Count
        (Get-Lines $text | Where-Object { $_ -match '\S' })[0] | Should -Match '^Name\s+StopsOn\s+IgnoredStatusCodes\s+Url'
        $text | Should -Match 'pytorch\s+[\d,]+\s+403\s+http://'
    }

    It 'IndexProbeResult table and list at <Width>' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Test-Table $Probes $Width $Probes.Count
        $text | Should -Match 'pytorch\s+NotNeeded\s+Refused \(403\)\s+\[403\]'
        $list = $Probes | Format-List | Out-String -Width $Width
        Assert-NoBrokenWord (Get-Lines $list) $Width
        Assert-ListLabels (Get-Lines $list) $Probes
        Assert-WordsWhole $list @($Probes.Findings.Message) + @($Probes | ForEach-Object { $_.ProductEvidence -join '; ' })
    }

    It 'ProbeFinding list and ProbeExchange table at <Width>' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $findings = @($Probes.Findings)
        $text = $findings | Out-String -Width $Width
        Assert-NoBrokenWord (Get-Lines $text) $Width
        Assert-ListLabels (Get-Lines $text) $findings
        Assert-WordsWhole $text @($findings.Message)
        Test-Table @($Probes[0].Exchanges) $Width $Probes[0].Exchanges.Count | Out-Null
    }

    It 'ShadowedPackage table and list at <Width>' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Test-Table $Shadowed $Width $Shadowed.Count
        $text | Should -Match 'acme-utils\s+High\s+PublicVersionHigher \+\d\s+internal 1\.4\.1, pypi 99\.0\.0'
        $list = $Shadowed | Format-List | Out-String -Width $Width
        Assert-NoBrokenWord (Get-Lines $list) $Width
        Assert-ListLabels (Get-Lines $list) $Shadowed
        Assert-WordsWhole $list @($Shadowed.Reasons.Message)
        ($Shadowed[0] | Select-Object -ExpandProperty Offered) | Should -Be 'internal 1.4.1, pypi 99.0.0'
    }

    It 'StrategyComparison table at <Width>' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Test-Table $Compared $Width $Compared.Count
        # Differs depends on the machine: pip's column judges wheel tags for the running interpreter (torch 2.4.0 has cp312 wheels only).
        $text | Should -Match 'torch\s+(True|False)\s+2\.4\.0\+cu121 from pytorch'
    }

    It 'LockDrift table and list at <Width>' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        Test-Table $Drift $Width $Drift.Count | Should -Match 'acme-utils\s+99\.0\.0\s+DifferentIndex'
        $list = $Drift | Format-List | Out-String -Width $Width
        Assert-NoBrokenWord (Get-Lines $list) $Width
        Assert-ListLabels (Get-Lines $list) $Drift
        Assert-WordsWhole $list @($Drift.Message)
    }

    It 'RequirementsFileOption table at <Width>' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        Test-Table $Options $Width $Options.Count | Should -Match 'requirements\.txt\s+2\s+--extra-index-url\s+https://mirror\.example/simple'
    }
}
