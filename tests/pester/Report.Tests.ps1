# Write-IndexReport, and the README's CI snippets run as a CI would run them: extracted from README.md between
# the marker comments, executed in a fresh pwsh with the CI variables set, against the local index server.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $script:Server = Start-IndexServer -Demo
    $script:Secret = 'demo-secret-not-real'
    $script:Project = Join-Path $TestDrive 'ci-app'
    $file = New-UvProject -Path $Project -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        @{ Name = 'pytorch'; Url = $Server.Indexes['pytorch']; IgnoreErrorCodes = @(403) }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true })
    (Get-Content $file -Raw) -replace '(?m)^version = "0.1.0"$', "version = `"0.1.0`"`ndependencies = ['acme-auth>=1', 'requests']" | Set-Content $file
    Set-Content (Join-Path $Project 'uv.lock') @"
version = 1

[[package]]
name = "acme-auth"
version = "1.1.0"
source = { registry = "$($Server.Indexes['internal'])" }

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "$($Server.Indexes['pypi'])" }

[[package]]
name = "demo-app"
version = "0.1.0"
source = { virtual = "." }
"@

    # Runs a script the way the CI's pwsh step does ($ErrorActionPreference = 'stop', the script dot-sourced with
    # -Command, LASTEXITCODE passed on) in a fresh pwsh, in the project folder, with the given variables.
    function script:Invoke-CiStep([string[]] $Script, [hashtable] $Environment) {
        $file = Join-Path $TestDrive ('step-' + [guid]::NewGuid().ToString('n') + '.ps1')
        $text = "`$ErrorActionPreference = 'stop'`n`$PSStyle.OutputRendering = 'PlainText'`n" + ($Script -join "`n") + "`nif ((Test-Path -LiteralPath variable:\LASTEXITCODE)) { exit `$LASTEXITCODE }`n"
        Set-Content -Path $file -Value $text -Encoding utf8
        $saved = @{}
        $all = @{ PSModulePath = (Split-Path $ModulePath -Parent) + [IO.Path]::PathSeparator + $env:PSModulePath; GITHUB_ACTIONS = $null; GITHUB_STEP_SUMMARY = $null; TF_BUILD = $null; AGENT_TEMPDIRECTORY = $null; UV_INDEX_INTERNAL_USERNAME = $null; UV_INDEX_INTERNAL_PASSWORD = $null }
        foreach ($k in $Environment.Keys) { $all[$k] = $Environment[$k] }
        foreach ($k in $all.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $all[$k]) }
        $stderr = Join-Path $TestDrive ('stderr-' + [guid]::NewGuid().ToString('n') + '.txt')
        Push-Location $Project
        try {
            $pwsh = @(Get-PwshCommand)
            $out = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', ". '$file'")) 2> $stderr
            $exit = $LASTEXITCODE
        }
        finally {
            Pop-Location
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        }
        [pscustomobject] @{ Lines = @($out | ForEach-Object { "$_" }); ExitCode = $exit; StdErr = (Get-Content $stderr -Raw) }
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'README CI snippets' -Tag 'Engine' {
    It 'has both snippets, each importing the module and piping into Write-IndexReport' {
        foreach ($marker in 'indextools-github', 'indextools-azure') {
            $snippet = Get-ReadmeSnippet $marker
            $snippet[0] | Should -Be 'Import-Module IndexTools'
            $snippet[-1] | Should -Match '\| Write-IndexReport$'
        }
    }

    It 'GitHub: without credentials, writes one ::error per finding, the job summary, and fails the step' {
        $summary = Join-Path $TestDrive 'gh-summary-fail.md'
        $run = Invoke-CiStep (Get-ReadmeSnippet 'indextools-github') @{ GITHUB_ACTIONS = 'true'; GITHUB_STEP_SUMMARY = $summary }
        $run.ExitCode | Should -Not -Be 0
        $run.StdErr | Should -Match 'IndexTools report has 4 errors'
        $run.Lines.Count | Should -Be 4
        # Each annotation points at its line (no GITHUB_WORKSPACE here: relative to the step's folder, the project).
        $deps = (Select-String -Path (Join-Path $Project 'pyproject.toml') -Pattern '^dependencies').LineNumber
        $locked = @((Select-String -Path (Join-Path $Project 'uv.lock') -Pattern '^\[\[package\]\]').LineNumber)
        $run.Lines[0] | Should -Match "^::error file=pyproject\.toml,line=$deps,title=IndexTools Resolution%3A acme-auth::authentication failed \[internal\]\. 'acme-auth>=1' could not be resolved \(AuthenticationFailed\): HTTP 401 from 'internal'"
        $run.Lines[1] | Should -Match "^::error file=pyproject\.toml,line=$deps,title=IndexTools Resolution%3A requests::authentication failed \[internal\]\. "
        $run.Lines[2] | Should -Match "^::error file=uv\.lock,line=$($locked[0]),title=IndexTools LockDrift%3A acme-auth::search stopped: authentication failed \[internal\]\. The search stopped at an index that refused the request"
        $run.Lines[3] | Should -Match "^::error file=uv\.lock,line=$($locked[1]),title=IndexTools LockDrift%3A requests::search stopped: authentication failed \[internal\]\. "
        $md = Get-Content $summary
        $md[0] | Should -Be '## IndexTools report'
        $md[2] | Should -Be '4 errors, 0 warnings, 0 notices, 0 ok.'
        $md | Should -Contain '### Resolution'
        $md | Should -Contain '### LockDrift'
        ($md | Where-Object { $_ -like '| Error | acme-auth | internal |*' }).Count | Should -Be 2
    }

    It 'GitHub: with credentials, no annotation, a summary of resolved packages, and the step passes' {
        $summary = Join-Path $TestDrive 'gh-summary-ok.md'
        Set-Content $summary "earlier step`n" -NoNewline
        $run = Invoke-CiStep (Get-ReadmeSnippet 'indextools-github') @{ GITHUB_ACTIONS = 'true'; GITHUB_STEP_SUMMARY = $summary; UV_INDEX_INTERNAL_USERNAME = 'demo'; UV_INDEX_INTERNAL_PASSWORD = $Secret }
        $run.ExitCode | Should -Be 0
        $run.Lines | Should -BeNullOrEmpty
        $md = Get-Content $summary
        $md[0] | Should -Be 'earlier step'
        $md[1] | Should -Be '## IndexTools report'
        $md[3] | Should -Be '0 errors, 0 warnings, 0 notices, 2 ok.'
        $md | Should -Contain '### Resolution'
        $md | Should -Not -Contain '### LockDrift'
    }

    It 'Azure Pipelines: logissue lines, then uploadsummary with a Markdown file, and a failed step' {
        $agentTemp = Join-Path $TestDrive 'agent-temp'
        New-Item -ItemType Directory $agentTemp | Out-Null
        $run = Invoke-CiStep (Get-ReadmeSnippet 'indextools-azure') @{ TF_BUILD = 'True'; AGENT_TEMPDIRECTORY = $agentTemp }
        $run.ExitCode | Should -Not -Be 0
        $run.Lines.Count | Should -Be 5
        $deps = (Select-String -Path (Join-Path $Project 'pyproject.toml') -Pattern '^dependencies').LineNumber
        $locked = @((Select-String -Path (Join-Path $Project 'uv.lock') -Pattern '^\[\[package\]\]').LineNumber)
        $run.Lines[0] | Should -Match "^##vso\[task\.logissue type=error;sourcepath=pyproject\.toml;linenumber=$deps\]IndexTools Resolution: acme-auth: authentication failed \[internal\]\. "
        $run.Lines[1] | Should -Match "^##vso\[task\.logissue type=error;sourcepath=pyproject\.toml;linenumber=$deps\]IndexTools Resolution: requests: "
        $run.Lines[2] | Should -Match "^##vso\[task\.logissue type=error;sourcepath=uv\.lock;linenumber=$($locked[0])\]IndexTools LockDrift: acme-auth: search stopped: authentication failed"
        $run.Lines[3] | Should -Match "^##vso\[task\.logissue type=error;sourcepath=uv\.lock;linenumber=$($locked[1])\]IndexTools LockDrift: requests: "
        $run.Lines[4] | Should -Match ('^##vso\[task\.uploadsummary\]' + [regex]::Escape($agentTemp) + '[/\\]indextools-report-\w+\.md$')
        $file = $run.Lines[4].Substring('##vso[task.uploadsummary]'.Length)
        (Get-Content $file)[0] | Should -Be '## IndexTools report'
        $run.StdErr | Should -Match 'IndexReportFailed|IndexTools report has 4 errors'
    }

    It 'never writes the credential, in any stream or file' {
        $summary = Join-Path $TestDrive 'gh-summary-secret.md'
        $agentTemp = Join-Path $TestDrive 'agent-temp-secret'
        New-Item -ItemType Directory $agentTemp | Out-Null
        $snippet = @(Get-ReadmeSnippet 'indextools-github') -replace '\| Write-IndexReport$', '| Write-IndexReport -FailOn Never -Verbose'
        $env = @{ GITHUB_ACTIONS = 'true'; GITHUB_STEP_SUMMARY = $summary; UV_INDEX_INTERNAL_USERNAME = 'demo'; UV_INDEX_INTERNAL_PASSWORD = $Secret }
        $run = Invoke-CiStep $snippet $env
        $run.ExitCode | Should -Be 0
        ($run.Lines -join "`n") + $run.StdErr + (Get-Content $summary -Raw) | Should -Not -Match $Secret
        $json = Invoke-CiStep @('Import-Module IndexTools', 'Resolve-PyPackage -Project | Write-IndexReport -Format Json', 'Resolve-PyPackage -Project | Write-IndexReport -Format JUnit') $env
        ($json.Lines -join "`n") | Should -Not -Match $Secret
        ($json.Lines -join "`n") | Should -Match '"ok": 2'
    }
}

Describe 'Write-IndexReport' -Tag 'Engine' {
    BeforeAll {
        $env:UV_INDEX_INTERNAL_USERNAME = 'demo'; $env:UV_INDEX_INTERNAL_PASSWORD = $Secret
        $script:Resolved = @(Resolve-PyPackage acme-auth, requests -Path $Project)
        Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD
        $script:Failed = Resolve-PyPackage acme-auth -Path $Project -ErrorAction SilentlyContinue
        Remove-Item Env:GITHUB_ACTIONS, Env:TF_BUILD -ErrorAction SilentlyContinue
    }

    It 'writes Markdown by default outside CI, one table per section' {
        $text = $Resolved | Write-IndexReport -Title 'Deps'
        $lines = $text -split "`n"
        $lines[0] | Should -Be '## Deps'
        $lines[2] | Should -Be '0 errors, 0 warnings, 0 notices, 2 ok.'
        $lines | Should -Contain '| Severity | Subject | Index | Requirement | Version | Strategy | Title | Message |'
        $lines | Should -Contain '| Info | acme-auth | internal | acme-auth | 1.1.0 | FirstIndex | resolved | acme-auth 1.1.0 from internal. |'
    }

    It 'fails with IndexReportFailed after writing, unless -FailOn Never' {
        $out = $null; $caught = $null
        try { $Failed | Write-IndexReport -Format Json -OutVariable out | Out-Null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'IndexReportFailed,IndexTools.Cmdlets.WriteIndexReportCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidResult'
        (($out -join '') | ConvertFrom-Json).summary.errors | Should -Be 1
        { $Failed | Write-IndexReport -Format Json -FailOn Never } | Should -Not -Throw
    }

    It 'fails on warnings with -FailOn Warning' {
        $option = [IndexTools.RequirementsFileOption] @{ File = '/x/r.txt'; Line = 2; Option = '--index-url'; Value = 'https://host/simple'; Message = 'not applied' }
        { $option | Write-IndexReport -Format Markdown } | Should -Not -Throw
        { $option | Write-IndexReport -Format Markdown -FailOn Warning } | Should -Throw -ErrorId 'IndexReportFailed,IndexTools.Cmdlets.WriteIndexReportCommand'
    }

    It 'writes JUnit XML to -Path' {
        $path = Join-Path $TestDrive 'junit.xml'
        @($Resolved) + @($Failed) | Write-IndexReport -Format JUnit -Path $path -FailOn Never | Should -BeNullOrEmpty
        [xml] $xml = Get-Content $path -Raw
        $xml.testsuites.tests | Should -Be '3'
        $xml.testsuites.failures | Should -Be '1'
        @($xml.testsuites.testsuite.testcase | Where-Object { $_.failure }).name | Should -Be 'acme-auth (internal)'
    }

    It 'detects GitHub Actions and Azure DevOps from the environment' {
        try {
            $env:GITHUB_ACTIONS = 'true'; $env:GITHUB_STEP_SUMMARY = Join-Path $TestDrive 'detect.md'
            $lines = $Failed | Write-IndexReport -FailOn Never
            $lines | Should -Match '^::error title=IndexTools Resolution%3A acme-auth::'
            Remove-Item Env:GITHUB_ACTIONS
            $env:TF_BUILD = 'True'
            $lines = @($Failed | Write-IndexReport -FailOn Never -Path (Join-Path $TestDrive 'azure.md'))
            $lines[0] | Should -Match '^##vso\[task\.logissue type=error\]'
            $lines[1] | Should -Be ('##vso[task.uploadsummary]' + (Join-Path $TestDrive 'azure.md'))
        }
        finally { Remove-Item Env:GITHUB_ACTIONS, Env:TF_BUILD, Env:GITHUB_STEP_SUMMARY -ErrorAction SilentlyContinue }
    }

    It 'writes NotReportable for other objects and goes on' {
        $errors = $null
        $text = @('just a string', $Resolved[0]) | Write-IndexReport -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors[0].FullyQualifiedErrorId | Should -Be 'NotReportable,IndexTools.Cmdlets.WriteIndexReportCommand'
        $text | Should -Match '1 ok'
    }

    It 'does not expose the report entries as properties or in JSON' {
        $Resolved[0].PSObject.Properties.Name | Should -Not -Contain 'GetReportEntries'
        ($Resolved[0] | ConvertTo-Json -Depth 4) | Should -Not -Match 'Section'
    }
}
