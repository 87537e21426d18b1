# Behaviour of the cmdlets against the local index server (tests/IndexServer --demo), per shared/spec.
# Tagged Engine: these need the engine's bodies (config, search, HTTP) and pass once the engine is merged.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $script:Server = Start-IndexServer -Demo
    $script:Project = Join-Path $TestDrive 'app'
    $script:ProjectFile = New-UvProject -Path $Project -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        # The local server is not download.pytorch.org, so the 403 inference does not apply: say it explicitly.
        @{ Name = 'pytorch'; Url = $Server.Indexes['pytorch']; IgnoreErrorCodes = @(403) }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true })
    $script:Secret = 'demo-secret-not-real'
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Get-IndexStrategy' -Tag 'Engine' {
    It 'lists the project''s indexes in search order, the default last' {
        $policies = @(Get-IndexStrategy -Path $Project)
        $policies.Name | Should -Be @('internal', 'pytorch', 'pypi')
        $policies.Order | Should -Be @(1, 2, 3)
        $policies[1].IgnoredStatusCodes | Should -Be @(403)
        $policies[0].StopsOn | Should -Contain 401
        $policies[0].ConfigFile | Should -Be $ProjectFile
        $policies[2].Default | Should -BeTrue
    }

    It 'puts -Index first and applies -IndexStrategy' {
        $policies = @(Get-IndexStrategy -Path $Project -Index "extra=$($Server.Indexes['pypi'])" -IndexStrategy UnsafeBestMatch)
        $policies[0].Name | Should -Be 'extra'
        $policies | ForEach-Object { $_.Strategy | Should -Be 'UnsafeBestMatch' }
    }
}

Describe 'Resolve-PyPackage' -Tag 'Engine' {
    It 'stops at the internal index on 401: writes the resolution and an IndexAuthenticationFailed error' {
        $errors = $null
        $result = Resolve-PyPackage acme-auth -Path $Project -ErrorAction SilentlyContinue -ErrorVariable errors
        $result | Should -BeOfType IndexTools.PackageResolution
        $result.Resolved | Should -BeFalse
        $result.StopReason | Should -Be 'AuthenticationFailed'
        $result.Attempts[0].Outcome | Should -Be 'AuthFailed'
        $result.Attempts[0].StatusCode | Should -Be 401
        $result.Attempts[1].Outcome | Should -Be 'Skipped'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'IndexAuthenticationFailed,IndexTools.Cmdlets.ResolvePyPackageCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $errors[0].TargetObject | Should -Be 'acme-auth'
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'UV_INDEX_INTERNAL_USERNAME'
    }

    It 'fails a CI step under ErrorActionPreference Stop' {
        { Resolve-PyPackage acme-auth -Path $Project -ErrorAction Stop } | Should -Throw -ErrorId 'IndexAuthenticationFailed,IndexTools.Cmdlets.ResolvePyPackageCommand'
    }

    It 'resolves from the internal index with UV_INDEX_INTERNAL_USERNAME/PASSWORD' {
        $env:UV_INDEX_INTERNAL_USERNAME = 'demo'; $env:UV_INDEX_INTERNAL_PASSWORD = $Secret
        try {
            $result = Resolve-PyPackage acme-auth -Path $Project
            $result.Resolved | Should -BeTrue
            $result.Index | Should -Be 'internal'
            $result.Version | Should -Be '1.1.0'
            $result.Attempts[0].CredentialSource | Should -Be 'env'
        }
        finally { Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD }
    }

    It 'sends -Credential to the index named by -CredentialIndex' {
        $credential = [pscredential]::new('demo', (ConvertTo-SecureString $Secret -AsPlainText -Force))
        $result = Resolve-PyPackage acme-auth -Path $Project -Credential $credential -CredentialIndex internal
        $result.Index | Should -Be 'internal'
        $result.Attempts[0].CredentialSource | Should -Be 'parameter'
    }

    It 'reports a package no index has as PackageNotFound' {
        $credential = [pscredential]::new('demo', (ConvertTo-SecureString $Secret -AsPlainText -Force))
        $errors = $null
        $result = Resolve-PyPackage no-such-package -Path $Project -Credential $credential -CredentialIndex internal -ErrorAction SilentlyContinue -ErrorVariable errors
        $result.StopReason | Should -Be 'NotFound'
        $result.Attempts.Outcome | Should -Be @('NotFound', 'Ignored', 'NotFound')
        $errors[0].FullyQualifiedErrorId | Should -Be 'PackageNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'takes the look-alike from pypi under UnsafeBestMatch' {
        $result = Resolve-PyPackage acme-utils -Path $Project -IndexStrategy UnsafeBestMatch
        $result.Index | Should -Be 'pypi'
        $result.Version | Should -Be '99.0.0'
        $result.Strategy | Should -Be 'UnsafeBestMatch'
    }

    It 'keeps input order, takes requirement lines from the pipeline, and writes one verbose line per attempt' {
        $all = @('requests>=2,<3', '# comment', 'numpy==1.26.4') | Resolve-PyPackage -Path $Project -IndexStrategy UnsafeFirstMatch -Verbose 4>&1
        $results = @($all | Where-Object { $_ -is [IndexTools.PackageResolution] })
        $results.Package | Should -Be @('requests', 'numpy')
        $results[1].Version | Should -Be '1.26.4'
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^(requests|numpy): \[' })
        $verbose.Count | Should -Be (($results | ForEach-Object { $_.Attempts.Count } | Measure-Object -Sum).Sum)
    }

    It 'binds by property name from objects with a Package property' {
        $results = @([pscustomobject] @{ Package = 'requests' }, [pscustomobject] @{ Requirement = 'numpy' }) | Resolve-PyPackage -Path $Project -IndexStrategy UnsafeFirstMatch
        $results.Package | Should -Be @('requests', 'numpy')
    }

    It 'never writes the password to any stream' {
        $env:UV_INDEX_INTERNAL_USERNAME = 'demo'; $env:UV_INDEX_INTERNAL_PASSWORD = $Secret
        try {
            $DebugPreference = 'Continue'
            $all = Resolve-PyPackage acme-auth, no-such-package, acme-utils -Path $Project -Verbose -ErrorAction SilentlyContinue *>&1 | Out-String -Width 500
            $json = Resolve-PyPackage acme-auth -Path $Project | ConvertTo-Json -Depth 5
        }
        finally { Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD }
        $all | Should -Not -BeNullOrEmpty
        $all | Should -Not -Match ([regex]::Escape($Secret))
        $json | Should -Not -Match ([regex]::Escape($Secret))
    }

    It 'completes the progress of a multi-package run' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; 'requests', 'numpy' | Resolve-PyPackage -Path '$Project' -IndexStrategy UnsafeFirstMatch")
            $output = $ps.Invoke()
            $output.Count | Should -Be 2
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0
            $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Resolve-PyPackage target environment' -Tag 'Engine' {
    It 'says which target was assumed for names given directly, and writes it to -Verbose' {
        $all = Resolve-PyPackage requests -Path $Project -IndexStrategy UnsafeFirstMatch -Verbose 4>&1
        $result = @($all | Where-Object { $_ -is [IndexTools.PackageResolution] })[0]
        $result.Target | Should -Match 'any Python .* every platform \(universal'
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^Target: .*assumed' }).Count | Should -Be 1
    }

    It 'takes -PythonVersion and -Platform as uv names them' {
        $result = Resolve-PyPackage requests -Path $Project -IndexStrategy UnsafeFirstMatch -PythonVersion 3.12 -Platform x86_64-manylinux_2_28
        $result.Target | Should -Be 'Python 3.12 on x86_64-manylinux_2_28 (manylinux_2_28_x86_64)'
    }

    It 'refuses an unknown platform with InvalidTarget naming it' {
        { Resolve-PyPackage requests -Path $Project -Platform 'solaris-sparc' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTarget,IndexTools.Cmdlets.ResolvePyPackageCommand'
        try { Resolve-PyPackage requests -Path $Project -Platform 'solaris-sparc' -ErrorAction Stop } catch { $_.Exception.Message | Should -Match "'solaris-sparc'" }
    }

    It 'completes -Platform with uv''s values' {
        $completion = TabExpansion2 -inputScript 'Resolve-PyPackage x -Platform aarch64-apple' -cursorColumn 'Resolve-PyPackage x -Platform aarch64-apple'.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('aarch64-apple-darwin')
    }
}

Describe 'Set-IndexIgnoredCodes' -Tag 'Engine' {
    BeforeEach {
        $script:Copy = Join-Path $TestDrive ("edit-" + [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $Copy | Out-Null
        Copy-Item $ProjectFile $Copy
        $script:CopyFile = Join-Path $Copy 'pyproject.toml'
    }

    It 'changes nothing under -WhatIf' {
        $before = Get-Content -Raw $CopyFile
        Set-IndexIgnoredCodes -Name internal -StatusCode 401 -Path $CopyFile -WhatIf
        Get-Content -Raw $CopyFile | Should -BeExactly $before
    }

    It 'writes the codes with -Force and returns the re-read policy with -PassThru' {
        $policy = Set-IndexIgnoredCodes -Name internal -StatusCode 403, 401 -Path $CopyFile -Force -PassThru
        Get-Content -Raw $CopyFile | Should -Match 'ignore-error-codes = \[401, 403\]'
        $policy | Should -BeOfType IndexTools.IndexPolicy
        $policy.IgnoredStatusCodes | Should -Be @(401, 403)
    }

    It 'writes [] for -StatusCode @() and removes the key with -Reset' {
        Set-IndexIgnoredCodes -Name pytorch -StatusCode @() -Path $CopyFile
        Get-Content -Raw $CopyFile | Should -Match 'ignore-error-codes = \[\]'
        Set-IndexIgnoredCodes -Name pytorch -Reset -Path $CopyFile
        Get-Content -Raw $CopyFile | Should -Not -Match 'ignore-error-codes'
    }

    It 'edits the indexes piped from Get-IndexStrategy' {
        Get-IndexStrategy -Path $Copy | Where-Object Name -eq 'pytorch' | Set-IndexIgnoredCodes -Reset
        Get-Content -Raw $CopyFile | Should -Not -Match 'ignore-error-codes'
    }

    It 'reports an index that the file does not define' {
        { Set-IndexIgnoredCodes -Name nowhere -StatusCode 500 -Path $CopyFile -ErrorAction Stop } | Should -Throw
    }
}

Describe 'Argument completion' -Tag 'Engine' {
    It 'completes index names from the local configuration, quote-aware' {
        Push-Location $Project
        try {
            $plain = TabExpansion2 -inputScript 'Resolve-PyPackage x -Index in' -cursorColumn 'Resolve-PyPackage x -Index in'.Length
            $plain.CompletionMatches.CompletionText | Should -Be @('internal')
            $quoted = TabExpansion2 -inputScript "Set-IndexIgnoredCodes -Name 'py" -cursorColumn "Set-IndexIgnoredCodes -Name 'py".Length
            $quoted.CompletionMatches.CompletionText | Should -Be @("'pypi'", "'pytorch'")
        }
        finally { Pop-Location }
    }
}
