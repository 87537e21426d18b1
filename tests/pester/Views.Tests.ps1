# Views and serialization, on objects built here (no engine needed).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force

    function New-Attempt([int] $Order, [string] $Index, [Nullable[int]] $Status, [IndexTools.AttemptOutcome] $Outcome, [IndexTools.SearchDecision] $Decision, [string] $Reason) {
        $a = New-Object IndexTools.IndexAttempt
        $a.Package = 'acme-auth'; $a.Order = $Order; $a.Index = $Index; $a.Url = "https://idx.example.test/$Index/simple/"
        $a.StatusCode = $Status; $a.Outcome = $Outcome; $a.Decision = $Decision; $a.Reason = $Reason; $a.DurationMs = 12.5
        $a
    }

    $script:Unresolved = New-Object IndexTools.PackageResolution
    $Unresolved.Package = 'acme-auth'; $Unresolved.Requirement = 'acme-auth>=1'; $Unresolved.Strategy = 'FirstIndex'
    $Unresolved.Resolved = $false; $Unresolved.StopReason = 'AuthenticationFailed'
    $Unresolved.Hint = 'Set UV_INDEX_INTERNAL_USERNAME and UV_INDEX_INTERNAL_PASSWORD for the index internal, or pass -Credential with -CredentialIndex internal.'
    $Unresolved.Attempts = @(
        (New-Attempt 1 'internal' 401 'AuthFailed' 'Stop' 'HTTP 401 without credentials; the search stops'),
        (New-Attempt 2 'pypi' $null 'Skipped' 'Stop' 'the search had already stopped'))

    $script:Resolved = New-Object IndexTools.PackageResolution
    $Resolved.Package = 'requests'; $Resolved.Requirement = 'requests'; $Resolved.Resolved = $true
    $Resolved.Index = 'pypi'; $Resolved.Version = '2.32.3'; $Resolved.StopReason = 'Found'

    $script:Policy = New-Object IndexTools.IndexPolicy
    $Policy.Order = 2; $Policy.Name = 'pytorch'; $Policy.Url = 'https://download.pytorch.org/whl/cpu'
    $Policy.IgnoredStatusCodes = @(403); $Policy.StopsOn = @(401); $Policy.PolicySource = 'inferred: download.pytorch.org'
}

AfterAll { Remove-Module IndexTools -Force -ErrorAction SilentlyContinue }

Describe 'PackageResolution views' {
    It 'renders the compact table without the hint (the error record carries the fix)' {
        $text = @($Resolved, $Unresolved) | Out-String -Width 200
        $header = ($text -split "`n" | Where-Object { $_ -match '\S' })[0]
        $header | Should -Match '^Package\s+Version\s+Index\s+StopReason\s*$'
        $text | Should -Match 'requests\s+2\.32\.3\s+pypi\s+Found'
        $text | Should -Match 'acme-auth\s+AuthenticationFailed'
        $text | Should -Not -Match 'UV_INDEX_INTERNAL_USERNAME'
    }

    It 'renders the Explain view: header, one indented line per attempt, then the hint wrapped under itself' {
        $lines = @(($Unresolved | Format-Custom -View Explain | Out-String -Width 200) -split "`r?`n" | Where-Object { $_ -match '\S' })
        $lines[0].Trim() | Should -Be 'acme-auth: AuthenticationFailed  [FirstIndex]'
        $lines[1] | Should -Match '^\s{4,}1\. internal\s+AuthFailed\s+401\s+HTTP 401 without credentials'
        $lines[2] | Should -Match '^\s{4,}2\. pypi\s+Skipped\s+-\s+the search had already stopped'
        $lines[3] | Should -Match '^\s{4,}Hint: Set UV_INDEX_INTERNAL_USERNAME'
        $lines[4] | Should -Match '^\s{10}\S'
        $lines.Count | Should -Be 5
    }

    It 'puts the target under the Explain header and in the list view when the resolution has one' {
        $withTarget = New-Object IndexTools.PackageResolution
        $withTarget.Package = 'acme-auth'; $withTarget.Requirement = 'acme-auth>=1'; $withTarget.StopReason = 'AuthenticationFailed'
        $withTarget.Attempts = $Unresolved.Attempts
        $withTarget.Target = 'Python 3.11 on linux (manylinux_2_28_x86_64)'
        foreach ($width in 80, 120) {
            $lines = @(($withTarget | Format-Custom -View Explain | Out-String -Width $width) -split "`r?`n" | Where-Object { $_ -match '\S' })
            $lines[1] | Should -Match '^\s{4}Target: Python 3\.11 on linux \(manylinux_2_28_x86_64\)$'
            $lines[2] | Should -Match '^\s{4,}1\. internal'
        }

        ($withTarget | Format-List | Out-String -Width 120) | Should -Match 'Target\s*:\s*Python 3\.11 on linux'
        ($Unresolved | Format-List | Out-String -Width 120) | Should -Not -Match '(?m)^Target\s*:'
    }

    It 'renders the list view and hides empty fields' {
        $text = $Unresolved | Format-List | Out-String -Width 200
        $text | Should -Match 'StopReason\s*:\s*AuthenticationFailed'
        $text | Should -Match 'Attempts\s*:\s*internal: AuthFailed \(401\); pypi: Skipped'
        $text | Should -Not -Match '(?m)^Version\s*:'
        $text | Should -Not -Match '(?m)^Index\s*:'
    }
}

Describe 'IndexAttempt and IndexPolicy views' {
    It 'groups attempts by package' {
        $text = $Unresolved.Attempts | Out-String -Width 200
        $text | Should -Match 'Package: acme-auth'
        $text | Should -Match 'Order\s+Index\s+StatusCode\s+Outcome\s+Decision\s+Reason'
        $text | Should -Match '1\s+internal\s+401\s+AuthFailed\s+Stop'
    }

    It 'shows a policy row: name, the codes that stop, the codes ignored, then the URL' {
        $text = $Policy | Out-String -Width 200
        $text | Should -Match 'Name\s+StopsOn\s+IgnoredStatusCodes\s+Url'
        $text | Should -Match 'pytorch\s+401\s+403\s+https://download\.pytorch\.org/whl/cpu'
    }

    It 'prints an attempt inside a parent as index: outcome (status)' {
        "$($Unresolved.Attempts[0])" | Should -Be 'internal: AuthFailed (401)'
    }
}

Describe 'JSON' {
    It 'writes enum names and a numeric duration without -EnumsAsStrings' {
        $json = $Unresolved | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.Strategy | Should -Be 'FirstIndex'
        $json.StopReason | Should -Be 'AuthenticationFailed'
        $json.Attempts[0].Outcome | Should -Be 'AuthFailed'
        $json.Attempts[0].Decision | Should -Be 'Stop'
        $json.Attempts[0].DurationMs | Should -Be 12.5
    }
}
