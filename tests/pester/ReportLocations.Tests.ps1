# Write-IndexReport's annotations point at the line: real results (the fixture project in tests/fixtures/report
# against the demo index server) piped into the GitHub and Azure DevOps formats, with the file relative to the
# workspace and the line found in the fixture's text (Select-String), not taken from the objects under test.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $script:Server = Start-IndexServer -Demo
    $script:Workspace = Join-Path $TestDrive 'ws'
    $script:App = Join-Path $Workspace 'app'
    New-Item -ItemType Directory -Force $App | Out-Null
    foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot '../fixtures/report') -File) {
        $text = Get-Content -Raw $file.FullName
        foreach ($name in $Server.Indexes.Keys) { $text = $text.Replace("{$name}", $Server.Indexes[$name]) }
        [IO.File]::WriteAllText((Join-Path $App $file.Name), $text)
    }

    # The 1-based line of the first match of $Pattern in a fixture file (after the line matching $After, if given).
    function script:Get-FixtureLine([string] $File, [string] $Pattern, [string] $After) {
        $lines = @(Get-Content (Join-Path $App $File))
        $start = 0
        if ($After) { $start = @(Select-String -Path (Join-Path $App $File) -Pattern $After)[0].LineNumber }
        for ($i = $start; $i -lt $lines.Count; $i++) { if ($lines[$i] -match $Pattern) { return $i + 1 } }
        throw "No line of $File matches $Pattern."
    }
    # The line of the [[...]] table header above the line matching $Pattern (what a table's Source names).
    function script:Get-TableLine([string] $File, [string] $Header, [string] $Pattern) {
        $lines = @(Get-Content (Join-Path $App $File))
        $at = (Get-FixtureLine $File $Pattern) - 1
        while ($at -ge 0 -and $lines[$at] -notmatch $Header) { $at-- }
        return $at + 1
    }

    # Runs $Script with the variables set (a $null value removes one), in the workspace; restores them after.
    function script:Invoke-WithEnvironment([hashtable] $Environment, [scriptblock] $Script) {
        $all = @{ GITHUB_ACTIONS = $null; GITHUB_WORKSPACE = $null; GITHUB_STEP_SUMMARY = (Join-Path $TestDrive 'summary.md'); TF_BUILD = $null; BUILD_SOURCESDIRECTORY = $null
            UV_INDEX_INTERNAL_USERNAME = 'demo'; UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real' }
        foreach ($k in $Environment.Keys) { $all[$k] = $Environment[$k] }
        $saved = @{}
        foreach ($k in $all.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $all[$k]) }
        Push-Location $Workspace
        try { & $Script }
        finally {
            Pop-Location
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        }
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'GitHub annotations carry file and line' -Tag 'Engine' {
    It 'points each unresolved dependency of a pyproject.toml at its line, relative to GITHUB_WORKSPACE' {
        $lines = Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $Workspace } {
            Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue | Write-IndexReport -Format GitHub -FailOn Never
        }
        $lines.Count | Should -Be 2
        $lines[0] | Should -BeLike "::error file=app/pyproject.toml,line=$(Get-FixtureLine pyproject.toml '"acme-auth>=5"'),title=IndexTools Resolution%3A acme-auth::no matching version *"
        $lines[1] | Should -BeLike "::error file=app/pyproject.toml,line=$(Get-FixtureLine pyproject.toml '"no-such-package"'),title=IndexTools Resolution%3A no-such-package::not found on any index *"
    }

    It 'points requirements-file findings at the file that holds them, an included file too' {
        $lines = Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $Workspace } {
            Resolve-PyPackage -RequirementsPath app/requirements.txt -Path app -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Write-IndexReport -Format GitHub -FailOn Never
        }
        $lines.Count | Should -Be 2
        $lines[0] | Should -BeLike "::warning file=app/requirements.txt,line=$(Get-FixtureLine requirements.txt '^--extra-index-url'),title=*--extra-index-url in a requirements file is not applied*"
        $lines[1] | Should -BeLike "::error file=app/requirements-extra.txt,line=$(Get-FixtureLine requirements-extra.txt '^no-such-package-either'),title=IndexTools Resolution%3A no-such-package-either::*"
    }

    It 'points a drifted uv.lock package at its [[package]] entry' {
        $lines = Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $Workspace } { Test-PyLock -Path app | Write-IndexReport -Format GitHub -FailOn Never }
        $line = Get-TableLine uv.lock '^\[\[package\]\]' '^name = "acme-utils"'
        $lines | Should -Be @($lines | Where-Object { $_ -like "::error file=app/uv.lock,line=$line,title=IndexTools LockDrift%3A acme-utils::a different index would be chosen *" })
        @($lines).Count | Should -Be 1
    }

    It 'points an index finding at the [[tool.uv.index]] that declares the index' {
        $lines = Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $Workspace; UV_INDEX_INTERNAL_USERNAME = $null; UV_INDEX_INTERNAL_PASSWORD = $null } {
            Push-Location app
            try { Test-PyIndex internal | Write-IndexReport -Format GitHub -FailOn Never } finally { Pop-Location }
        }
        $line = Get-TableLine pyproject.toml '^\[\[tool\.uv\.index\]\]' '^name = "internal"'
        @($lines).Count | Should -Be 1
        $lines | Should -BeLike "::error file=app/pyproject.toml,line=$line,title=IndexTools IndexProbe%3A internal::CredentialsMissing *"
    }

    It 'points the audit cmdlets'' findings at the requirement that names the package' {
        $lines = Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $Workspace } {
            Find-ShadowedPackage -ProjectPath app -PublicIndex pypi -Force | Write-IndexReport -Format GitHub -FailOn Never
            Compare-IndexStrategy -ProjectPath app -PublicIndex pypi -Force -DifferentOnly | Write-IndexReport -Format GitHub -FailOn Never
        }
        $line = Get-FixtureLine pyproject.toml '"acme-utils>=1"'
        $lines | Should -Contain @($lines | Where-Object { $_ -like "::error file=app/pyproject.toml,line=$line,title=IndexTools Shadowing%3A acme-utils::*" })[0]
        @($lines | Where-Object { $_ -like "::error file=app/pyproject.toml,line=$line,title=IndexTools Shadowing%3A acme-utils::*" }).Count | Should -Be 1
        @($lines | Where-Object { $_ -like "::warning file=app/pyproject.toml,line=$line,title=IndexTools StrategyComparison%3A acme-utils::*" }).Count | Should -Be 1
    }

    It 'names the file relative to the current folder when GITHUB_WORKSPACE is not set' {
        $lines = Invoke-WithEnvironment @{} { Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue | Write-IndexReport -Format GitHub -FailOn Never }
        $lines[0] | Should -BeLike "::error file=app/pyproject.toml,line=$(Get-FixtureLine pyproject.toml '"acme-auth>=5"'),*"
    }

    It 'leaves file and line out for a file outside the workspace (CI cannot point there)' {
        $elsewhere = Join-Path $TestDrive 'other-checkout'
        New-Item -ItemType Directory -Force $elsewhere | Out-Null
        $lines = Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $elsewhere } { Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue | Write-IndexReport -Format GitHub -FailOn Never }
        $lines.Count | Should -Be 2
        foreach ($line in $lines) { $line | Should -BeLike '::error title=IndexTools Resolution%3A *' }
    }
}

Describe 'Azure DevOps logging commands carry sourcepath and linenumber' -Tag 'Engine' {
    It 'points at the line relative to BUILD_SOURCESDIRECTORY' {
        $lines = Invoke-WithEnvironment @{ BUILD_SOURCESDIRECTORY = $Workspace } {
            & { Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue; Test-PyLock -Path app } |
                Write-IndexReport -Format AzureDevOps -Path (Join-Path $TestDrive 'azure.md') -FailOn Never
        }
        $lines.Count | Should -Be 4
        $lines[0] | Should -BeLike "##vso``[task.logissue type=error;sourcepath=app/pyproject.toml;linenumber=$(Get-FixtureLine pyproject.toml '"acme-auth>=5"')``]IndexTools Resolution: acme-auth: *"
        $lines[1] | Should -BeLike "##vso``[task.logissue type=error;sourcepath=app/pyproject.toml;linenumber=$(Get-FixtureLine pyproject.toml '"no-such-package"')``]IndexTools Resolution: no-such-package: *"
        $lines[2] | Should -BeLike "##vso``[task.logissue type=error;sourcepath=app/uv.lock;linenumber=$(Get-TableLine uv.lock '^\[\[package\]\]' '^name = "acme-utils"')``]IndexTools LockDrift: acme-utils: *"
        $lines[3] | Should -BeLike '##vso`[task.uploadsummary`]*azure.md'
    }
}

Describe 'Write-IndexReport -PassThru' -Tag 'Engine' {
    It 'writes the report entries after the report, with the full file path and line, before failing' {
        $out = [Collections.Generic.List[object]]::new()
        $state = @{}
        Invoke-WithEnvironment @{ GITHUB_WORKSPACE = $Workspace } {
            try { Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue | Write-IndexReport -Format GitHub -PassThru | ForEach-Object { $out.Add($_) } }
            catch { $state.Caught = $_ }
        }
        $state.Caught.FullyQualifiedErrorId | Should -Be 'IndexReportFailed,IndexTools.Cmdlets.WriteIndexReportCommand'
        @($out | Where-Object { $_ -is [string] }).Count | Should -Be 2
        $entries = @($out | Where-Object { $_ -is [IndexTools.ReportEntry] })
        $entries.Count | Should -Be 4
        [array]::IndexOf($out.ToArray(), $entries[0]) | Should -Be 2   # after the two annotations
        $entries.Subject | Should -Be @('requests', 'acme-utils', 'acme-auth', 'no-such-package')
        $entries.Severity | Should -Be @('Info', 'Info', 'Error', 'Error')
        foreach ($entry in $entries) { $entry.File | Should -Be (Join-Path $App 'pyproject.toml') }
        $entries[0].Line | Should -Be (Get-FixtureLine pyproject.toml '"requests>=2.31"')
        $entries[3].Line | Should -Be (Get-FixtureLine pyproject.toml '"no-such-package"')
    }

    It 'writes nothing extra without -PassThru, and an index probe''s entries point at each index' {
        $plain = Invoke-WithEnvironment @{} { Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue | Write-IndexReport -Format Json -FailOn Never }
        @($plain).Count | Should -Be 1
        $json = $plain | ConvertFrom-Json
        $json.entries[2].file | Should -Be (Join-Path $App 'pyproject.toml')
        $json.entries[2].line | Should -Be (Get-FixtureLine pyproject.toml '"acme-auth>=5"')

        $entries = Invoke-WithEnvironment @{} {
            Push-Location app
            try { Test-PyIndex | Write-IndexReport -Format Markdown -FailOn Never -PassThru | Where-Object { $_ -is [IndexTools.ReportEntry] } } finally { Pop-Location }
        }
        foreach ($name in 'internal', 'pytorch', 'pypi') {
            $line = Get-TableLine pyproject.toml '^\[\[tool\.uv\.index\]\]' "^name = `"$name`""
            @($entries | Where-Object Subject -EQ $name | ForEach-Object { "$($_.File):$($_.Line)" } | Select-Object -Unique) | Should -Be @("$(Join-Path $App 'pyproject.toml'):$line")
        }
    }

    It 'shows the entries in a table that fits 80 columns, with file:line' {
        $entries = Invoke-WithEnvironment @{} { Resolve-PyPackage -ProjectPath app -ErrorAction SilentlyContinue | Write-IndexReport -Format Json -FailOn Never -PassThru | Where-Object { $_ -is [IndexTools.ReportEntry] } }
        foreach ($width in 80, 120) {
            $text = ($entries | Out-String -Width $width) -split "`r?`n" | Where-Object { $_.Trim() }
            $text[0] | Should -Match '^Severity\s+Subject\s+At\s+Title'
            foreach ($row in $text) { $row.Length | Should -BeLessOrEqual $width }
            ($text | Where-Object { $_ -match 'no-such-package' }) | Should -Match "pyproject\.toml:$(Get-FixtureLine pyproject.toml '"no-such-package"')"
        }
    }
}
