# Resolve-PyPackage's project inputs (-Project, -ProjectPath, -Lock, -RequirementsPath) and Test-PyLock against the
# local index server (tests/IndexServer --demo).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $PSStyle.OutputRendering = 'PlainText'
    $script:Server = Start-IndexServer -Demo
    $script:Project = Join-Path $TestDrive 'app'
    $script:ProjectFile = New-UvProject -Path $Project -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        @{ Name = 'pytorch'; Url = $Server.Indexes['pytorch']; IgnoreErrorCodes = @(403) }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true })
    $text = (Get-Content $ProjectFile -Raw) -replace '(?m)^version = "0.1.0"$', @"
version = "0.1.0"
dependencies = ["acme-utils>=1", "requests; python_version >= '3.8'", "local-lib"]

[project.optional-dependencies]
gpu = ["torch==2.4.0"]
"@
    $text += @"

[dependency-groups]
test = ["numpy>=1"]
dev = [{include-group = "test"}, "acme-auth"]

[tool.uv.sources]
local-lib = { path = "../local-lib" }
"@
    Set-Content $ProjectFile $text
    $script:Lock = Join-Path $Project 'uv.lock'
    Set-Content $Lock @"
version = 1

[[package]]
name = "acme-utils"
version = "1.4.1"
source = { registry = "$($Server.Indexes['internal'])" }

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "$($Server.Indexes['pypi'].TrimEnd('/'))" }

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "$($Server.Indexes['internal'])" }

[[package]]
name = "demo-app"
version = "0.1.0"
source = { virtual = "." }
"@
    $env:UV_INDEX_INTERNAL_USERNAME = 'demo'; $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Resolve-PyPackage -Project / -ProjectPath' -Tag 'Engine' {
    It 'resolves dependencies, every extra and every group of the project found from the current folder' {
        $sub = Join-Path $Project 'src/pkg'
        New-Item -ItemType Directory -Force $sub | Out-Null
        Push-Location $sub
        try { $results = @(Resolve-PyPackage -Project -Verbose 4>&1) }
        finally { Pop-Location }
        $verbose = @($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $resolutions = @($results | Where-Object { $_ -is [IndexTools.PackageResolution] })
        $resolutions.Package | Should -Be @('acme-utils', 'requests', 'torch', 'numpy', 'acme-auth')
        $resolutions.Index | Should -Be @('internal', 'pypi', 'pytorch', 'pypi', 'internal')
        $resolutions[1].Requirement | Should -Be "requests; python_version >= '3.8'"
        $resolutions[0].Source | Should -Be 'pyproject.toml:4 [project].dependencies'
        $resolutions[3].Source | Should -Match '^pyproject\.toml:\d+ \[dependency-groups\]\.test$'
        ($verbose.Message -match "'local-lib' comes from a path source") | Should -Not -BeNullOrEmpty
    }

    It 'takes only the named extras and groups (-Extra @() for none)' {
        $results = @(Resolve-PyPackage -ProjectPath $Project -Extra @() -Group test)
        $results.Package | Should -Be @('acme-utils', 'requests', 'numpy')
    }

    It 'writes UnknownExtra naming pyproject.toml and still resolves the rest' {
        $errors = $null
        $results = @(Resolve-PyPackage -ProjectPath $ProjectFile -Extra cuda -Group @() -ErrorAction SilentlyContinue -ErrorVariable errors)
        $errors[0].FullyQualifiedErrorId | Should -Be 'UnknownExtra,IndexTools.Cmdlets.ResolvePyPackageCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Match 'pyproject\.toml:\d+$'
        $results.Count | Should -Be 2
    }

    It 'resolves the lock''s registry packages with -Lock, and a uv.lock path the same way' {
        $viaSwitch = @(Resolve-PyPackage -ProjectPath $Project -Lock)
        $viaPath = @(Resolve-PyPackage -ProjectPath $Lock)
        $viaSwitch.Requirement | Should -Be @('acme-utils==1.4.1', 'requests==2.32.3', 'numpy==1.26.4')
        $viaPath.Requirement | Should -Be $viaSwitch.Requirement
        $viaSwitch.Source[0] | Should -Be 'uv.lock:3'
    }

    It 'says ProjectFileNotFound / ProjectNotFound for a missing project' {
        { Resolve-PyPackage -ProjectPath (Join-Path $TestDrive 'nope') } | Should -Throw -ErrorId 'ProjectNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand'
        Push-Location $TestDrive
        try { { Resolve-PyPackage -Project } | Should -Throw -ErrorId 'ProjectNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand' }
        finally { Pop-Location }
    }

    It 'keeps the name parameter set as it was' {
        (Resolve-PyPackage requests -Path $Project).Index | Should -Be 'pypi'
        (Get-Command Resolve-PyPackage).DefaultParameterSet | Should -Be 'Default'
    }
}

Describe 'Resolve-PyPackage -RequirementsPath' -Tag 'Engine' {
    BeforeAll {
        $script:Reqs = Join-Path $TestDrive 'reqs'
        New-Item -ItemType Directory -Force (Join-Path $Reqs 'common') | Out-Null
        Set-Content (Join-Path $Reqs 'prod.txt') "# production`nrequests==2.32.3 \`n    --hash=sha256:00`n--extra-index-url https://alice:hunter2@mirror.example/simple`n-r common/base.txt`nnot a requirement ==`n"
        Set-Content (Join-Path $Reqs 'common/base.txt') "numpy>=1 ; python_version >= '3.9'  # arrays`n-r ../prod.txt`n"
    }

    It 'resolves the file and its includes, reports the index option (warning + object) and bad lines by file:line' {
        $warnings = $null; $errors = $null
        $out = @(Resolve-PyPackage -RequirementsPath (Join-Path $Reqs 'prod.txt') -Path $Project -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue)
        $option = $out[0]
        $option | Should -BeOfType IndexTools.RequirementsFileOption
        $option.Line | Should -Be 4
        $option.Option | Should -Be '--extra-index-url'
        $option.Value | Should -Be 'https://****@mirror.example/simple'
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'prod\.txt:4: ''--extra-index-url https://\*\*\*\*@mirror\.example/simple'' is not applied'
        $warnings[0].Message | Should -Match 'not part of uv''s configuration'
        $resolutions = @($out | Select-Object -Skip 1)
        $resolutions.Package | Should -Be @('requests', 'numpy')
        $resolutions.Source | Should -Be @('prod.txt:2', 'base.txt:1')
        $resolutions[1].Requirement | Should -Be "numpy>=1 ; python_version >= '3.9'"
        $errors.FullyQualifiedErrorId | Sort-Object | Should -Be @('InvalidRequirement,IndexTools.Cmdlets.ResolvePyPackageCommand', 'RequirementsIncludeCycle,IndexTools.Cmdlets.ResolvePyPackageCommand')
        ($errors | Where-Object FullyQualifiedErrorId -like 'InvalidRequirement*').TargetObject | Should -Be ((Join-Path $Reqs 'prod.txt') + ':6')
        (@($out) + @($warnings) + @($errors) | Out-String) | Should -Not -Match 'hunter2'
    }

    It 'shows the option in its default view' {
        $text = Resolve-PyPackage -RequirementsPath (Join-Path $Reqs 'prod.txt') -Path $Project -WarningAction SilentlyContinue -ErrorAction SilentlyContinue |
            Where-Object { $_ -is [IndexTools.RequirementsFileOption] } | Out-String -Width 200
        $text | Should -Match 'prod\.txt\s+4\s+--extra-index-url\s+https://\*\*\*\*@mirror\.example/simple'
    }

    It 'stops with ProjectFileNotFound for a missing file' {
        { Resolve-PyPackage -RequirementsPath (Join-Path $TestDrive 'missing.txt') } | Should -Throw -ErrorId 'ProjectFileNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand'
    }
}

Describe 'Test-PyLock' -Tag 'Engine' {
    It 'reports only drift by default: numpy now comes from pypi, not the locked internal index' {
        Push-Location $Project
        try { $drift = @(Test-PyLock) }
        finally { Pop-Location }
        $drift.Count | Should -Be 1
        $drift[0] | Should -BeOfType IndexTools.LockDrift
        $drift[0].Package | Should -Be 'numpy'
        $drift[0].Reason | Should -Be 'DifferentIndex'
        $drift[0].Index | Should -Be 'pypi'
        $drift[0].LockedRegistry | Should -Be $Server.Indexes['internal']
        $drift[0].Line | Should -Be 13
        $drift[0].Resolution.Requirement | Should -Be 'numpy==1.26.4'
    }

    It 'with -IncludeUnchanged writes every registry package; trailing slashes do not count as drift' {
        $all = @(Test-PyLock -Path $Lock -IncludeUnchanged)
        $all.Package | Should -Be @('acme-utils', 'requests', 'numpy')
        $all.Reason | Should -Be @('Unchanged', 'Unchanged', 'DifferentIndex')
    }

    It 'names the stop on 401 when the credentials are missing' {
        Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD
        try { $drift = @(Test-PyLock -Path $Lock -Package acme-utils) }
        finally { $env:UV_INDEX_INTERNAL_USERNAME = 'demo'; $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real' }
        $drift[0].Reason | Should -Be 'AuthenticationFailed'
        $drift[0].Index | Should -Be 'internal'
    }

    It 'shows DifferentIndex for the look-alike under UnsafeBestMatch' {
        $drift = @(Test-PyLock -Path $Lock -Package 'acme-*' -IndexStrategy UnsafeBestMatch -IncludeUnchanged)
        $drift[0].Reason | Should -Be 'Unchanged' -Because 'the lock pins 1.4.1, which only internal has'
        $drift[0].Strategy | Should -Be 'UnsafeBestMatch'
    }

    It 'has a table view and feeds Write-IndexReport (section LockDrift)' {
        $drift = Test-PyLock -Path $Lock
        ($drift | Out-String) | Should -Match 'numpy\s+1\.26\.4\s+DifferentIndex\s+pypi'
        $md = $drift | Write-IndexReport -Format Markdown -FailOn Never
        $md | Should -Match '### LockDrift'
        $md | Should -Match '\| Error \| numpy \| pypi \| 1\.26\.4 \|'
    }

    It 'judges the lock for its own requires-python (the target is the lock''s, as uv resolved it)' {
        $dir = Join-Path $TestDrive 'lock-python'
        New-Item -ItemType Directory -Force $dir | Out-Null
        $text = (Get-Content $Lock -Raw) -replace '^version = 1', "version = 1`nrequires-python = `">=3.11`""
        Set-Content (Join-Path $dir 'uv.lock') $text
        Copy-Item $ProjectFile (Join-Path $dir 'pyproject.toml')
        $verbose = $null
        $all = @(Test-PyLock -Path $dir -IncludeUnchanged -Verbose 4>&1 | Tee-Object -Variable verbose | Where-Object { $_ -is [IndexTools.LockDrift] })
        $all.Count | Should -Be 3
        $all | ForEach-Object { $_.Resolution.Target | Should -Be 'Python >=3.11 (requires-python of uv.lock:2) on every platform (universal, as uv lock resolves; no -Platform)' }
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) | Should -Contain 'Target: Python >=3.11 (requires-python of uv.lock:2) on every platform (universal, as uv lock resolves; no -Platform).'
        # -PythonVersion still wins over the lock's range.
        (@(Test-PyLock -Path $dir -IncludeUnchanged -PythonVersion 3.12)[0]).Resolution.Target | Should -Match '^Python 3\.12 '
    }

    It 'writes PackageNotInLock and LockNotFound' {
        $errors = $null
        Test-PyLock -Path $Lock -Package nothere -ErrorAction SilentlyContinue -ErrorVariable errors | Out-Null
        $errors[0].FullyQualifiedErrorId | Should -Be 'PackageNotInLock,IndexTools.Cmdlets.TestPyLockCommand'
        $empty = Join-Path $TestDrive 'empty'
        New-Item -ItemType Directory -Force $empty | Out-Null
        { Test-PyLock -Path $empty -ErrorAction Stop } | Should -Throw -ErrorId 'LockNotFound,IndexTools.Cmdlets.TestPyLockCommand'
    }
}
