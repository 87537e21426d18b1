# Issue 17.3: parameters mean the same on every cmdlet. -Path forms (folder, file, wildcard), a missing path or a
# wildcard matching nothing as an error (never a fall-back to pypi.org), -ConfigFile only as uv's --config-file, piped
# FileInfo read as a project, skipped piped requirement lines as warnings. Against the local index server (--demo).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    $script:Server = Start-IndexServer -Demo
    $script:Project = Join-Path $TestDrive 'app'
    $script:ProjectFile = New-UvProject -Path $Project -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        @{ Name = 'pytorch'; Url = $Server.Indexes['pytorch']; IgnoreErrorCodes = @(403) }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true })
    (Get-Content $ProjectFile -Raw) -replace '(?m)^version = "0.1.0"$', "version = `"0.1.0`"`ndependencies = [`"acme-utils>=1.2`", `"numpy>=1.26`"]" |
        Set-Content $ProjectFile -NoNewline
    Set-Content (Join-Path $Project 'requirements.txt') "numpy>=1.26`n"
    Set-Content (Join-Path $Project 'uv.lock') "version = 1`n`n[[package]]`nname = `"numpy`"`nversion = `"2.0.0`"`nsource = { registry = `"$($Server.Indexes['pypi'])`" }`n"
    # A folder holding no configuration at all: from here discovery would find nothing and fall back to pypi.org.
    $script:Empty = Join-Path $TestDrive 'empty'
    New-Item -ItemType Directory -Force $Empty | Out-Null
    $script:Missing = Join-Path $Empty 'no-such-project'
    # The demo's internal index needs its (fake, local-only) credentials.
    $env:UV_INDEX_INTERNAL_USERNAME = 'demo'
    $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe '-Path forms' -Tag 'Engine' {
    It 'Get-IndexStrategy reads the same configuration from the folder, the file and a wildcard matching it' {
        $byFolder = @(Get-IndexStrategy -Path $Project).Name
        $byFolder | Should -Be @('internal', 'pytorch', 'pypi')
        @(Get-IndexStrategy -Path $ProjectFile).Name | Should -Be $byFolder
        @(Get-IndexStrategy -Path (Join-Path $TestDrive 'ap?')).Name | Should -Be $byFolder
        @(Get-IndexStrategy -Path (Join-Path $Project 'pyproject.*')).Name | Should -Be $byFolder
    }

    It '<Command> stops with PathNotFound for a -Path that does not exist and writes nothing' -ForEach @(
        @{ Command = 'Get-IndexStrategy'; Run = { param($p) Get-IndexStrategy -Path $p } }
        @{ Command = 'Resolve-PyPackage'; Run = { param($p) Resolve-PyPackage numpy -Path $p } }
        @{ Command = 'Find-ShadowedPackage'; Run = { param($p) Find-ShadowedPackage numpy -Path $p -Force } }
        @{ Command = 'Compare-IndexStrategy'; Run = { param($p) Compare-IndexStrategy numpy -Path $p -Force } }
        @{ Command = 'Test-PyLock'; Run = { param($p) Test-PyLock -Path $p } }
        @{ Command = 'Test-PyIndex'; Run = { param($p) Test-PyIndex -Path $p } }
    ) {
        $id = "PathNotFound,IndexTools.Cmdlets.$($Command -replace '-', '')Command"
        $pattern = Join-Path $Empty 'nothing-*'
        foreach ($case in @(@{ Path = $Missing; Message = "*-Path $Missing does not exist*" }, @{ Path = $pattern; Message = "*'$pattern' matches no file or folder*" })) {
            $out = $null; $caught = $null
            try { $out = & $Run $case.Path } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because "$Command -Path $($case.Path) must fail"
            $caught.FullyQualifiedErrorId | Should -Be $id
            $caught.Exception.Message | Should -BeLike $case.Message
            $out | Should -BeNullOrEmpty
        }
    }

    It 'a wildcard matching several items is PathNotUnique, naming them' {
        New-Item -ItemType Directory -Force (Join-Path $TestDrive 'two-a'), (Join-Path $TestDrive 'two-b') | Out-Null
        { Get-IndexStrategy -Path (Join-Path $TestDrive 'two-*') } | Should -Throw -ErrorId 'PathNotUnique,IndexTools.Cmdlets.GetIndexStrategyCommand'
        try { Get-IndexStrategy -Path (Join-Path $TestDrive 'two-*') } catch { $_.Exception.Message | Should -BeLike '*matches 2 items*two-a*two-b*' }
    }

    It 'keeps the errors -ConfigFile, -ProjectPath and -RequirementsPath had, now also for a wildcard matching nothing' {
        { Get-IndexStrategy -Path $Project -ConfigFile (Join-Path $Empty 'uv*.toml') } | Should -Throw -ErrorId 'ConfigFileNotFound,IndexTools.Cmdlets.GetIndexStrategyCommand'
        { Resolve-PyPackage numpy -ConfigFile (Join-Path $Empty 'uv.toml') } | Should -Throw -ErrorId 'ConfigFileNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand'
        { Resolve-PyPackage -ProjectPath (Join-Path $Empty 'proj*') } | Should -Throw -ErrorId 'ProjectNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand'
        { Find-ShadowedPackage -RequirementsPath (Join-Path $Empty 'req*.txt') -Force } | Should -Throw -ErrorId 'ProjectFileNotFound,IndexTools.Cmdlets.FindShadowedPackageCommand'
        # The wildcard that matches one file is read.
        @(Resolve-PyPackage -RequirementsPath (Join-Path $Project 'req*.txt') -Path $Project).Package | Should -Be @('numpy')
    }

    It 'Set-IndexIgnoredCodes -Path takes a project folder and edits the file uv reads there, as -Path to that file does' {
        $a = Join-Path $TestDrive 'edit-a'; $b = Join-Path $TestDrive 'edit-b'
        foreach ($folder in $a, $b) { New-Item -ItemType Directory -Force $folder | Out-Null; Copy-Item $ProjectFile $folder }
        Set-IndexIgnoredCodes -Name internal -StatusCode 401 -Path $a -Force
        Set-IndexIgnoredCodes -Name internal -StatusCode 401 -Path (Join-Path $b 'pyproject.toml') -Force
        [IO.File]::ReadAllBytes((Join-Path $a 'pyproject.toml')) | Should -Be ([IO.File]::ReadAllBytes((Join-Path $b 'pyproject.toml')))
        (Get-Content (Join-Path $a 'pyproject.toml') -Raw) | Should -Match 'ignore-error-codes = \[401\]'
        # A uv.toml in the folder is what uv reads there (it takes precedence over the pyproject.toml's [tool.uv]).
        $c = Join-Path $TestDrive 'edit-c'
        New-Item -ItemType Directory -Force $c | Out-Null
        Copy-Item $ProjectFile $c
        Set-Content (Join-Path $c 'uv.toml') "[[index]]`nname = `"internal`"`nurl = `"$($Server.Indexes['internal'])`"`n"
        $pyBefore = [IO.File]::ReadAllBytes((Join-Path $c 'pyproject.toml'))
        Set-IndexIgnoredCodes -Name internal -StatusCode 401 -Path $c -Force -WarningAction SilentlyContinue
        (Get-Content (Join-Path $c 'uv.toml') -Raw) | Should -Match 'ignore-error-codes = \[401\]'
        [IO.File]::ReadAllBytes((Join-Path $c 'pyproject.toml')) | Should -Be $pyBefore
    }

    It 'Set-IndexIgnoredCodes -Path that does not exist is PathNotFound, per record, and nothing is written' {
        $before = [IO.File]::ReadAllBytes($ProjectFile)
        $problems = $null
        Set-IndexIgnoredCodes -Name internal -StatusCode 401 -Path $Missing -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        Set-IndexIgnoredCodes -Name internal -StatusCode 401 -Path (Join-Path $Empty '*.toml') -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        # With -Url a uv.toml not there yet is created in an existing folder, never in a missing one.
        Set-IndexIgnoredCodes -Name corp -Url $Server.Indexes['internal'] -StatusCode 403 -Path (Join-Path $Missing 'uv.toml') -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        Test-Path $Missing | Should -BeFalse
        [IO.File]::ReadAllBytes($ProjectFile) | Should -Be $before
    }
}

Describe '-ConfigFile' -Tag 'Engine' {
    It 'is never an alias: where it exists it is its own parameter, uv''s --config-file' {
        foreach ($command in Get-Command -Module IndexTools) {
            foreach ($parameter in $command.Parameters.Values) {
                $parameter.Aliases | Should -Not -Contain 'ConfigFile' -Because "$($command.Name) -$($parameter.Name)"
            }
        }
        (Get-Command Set-IndexIgnoredCodes).Parameters.Keys | Should -Not -Contain 'ConfigFile'
        foreach ($name in 'Get-IndexStrategy', 'Resolve-PyPackage', 'Find-ShadowedPackage', 'Compare-IndexStrategy', 'Test-PyLock', 'Test-PyIndex') {
            (Get-Command $name).Parameters['ConfigFile'].ParameterType | Should -Be ([string])
        }
    }

    It 'a piped IndexPolicy still edits the file that defines the index (its ConfigFile), from any current folder' {
        $folder = Join-Path $TestDrive 'piped'
        New-Item -ItemType Directory -Force $folder | Out-Null
        $file = Copy-Item $ProjectFile $folder -PassThru
        Push-Location $Empty
        try {
            $policy = Get-IndexStrategy -Path $folder | Where-Object Name -EQ internal
            $policy.ConfigFile | Should -Be $file.FullName
            $result = $policy | Set-IndexIgnoredCodes -StatusCode 401 -Force -PassThru
        }
        finally { Pop-Location }
        $result.ConfigFile | Should -Be $file.FullName
        $result.IgnoredStatusCodes | Should -Be @(401)
        (Get-Content $file.FullName -Raw) | Should -Match 'ignore-error-codes = \[401\]'
        # -Path on the command line wins over the piped ConfigFile.
        $other = Join-Path $TestDrive 'piped-other'
        New-Item -ItemType Directory -Force $other | Out-Null
        Copy-Item $ProjectFile $other
        $policy | Set-IndexIgnoredCodes -StatusCode 403 -Path $other -Force
        (Get-Content (Join-Path $other 'pyproject.toml') -Raw) | Should -Match 'ignore-error-codes = \[403\]'
        (Get-Content $file.FullName -Raw) | Should -Match 'ignore-error-codes = \[401\]'
    }
}

Describe 'Piped files' -Tag 'Engine' {
    It 'Get-ChildItem pyproject.toml | Resolve-PyPackage reads that project, not a package named pyproject-toml' {
        Push-Location $Empty
        try { $results = @(Get-ChildItem $ProjectFile | Resolve-PyPackage) }
        finally { Pop-Location }
        $results.Package | Should -Be @('acme-utils', 'numpy')
        $results.Index | Should -Be @('internal', 'pypi')
        $results[0].Source | Should -BeLike 'pyproject.toml:*'
        $results.Package | Should -Not -Contain 'pyproject-toml'
    }

    It 'a piped folder is its project, a piped uv.lock its locked packages, another file a requirements file' {
        @(Get-Item $Project | Resolve-PyPackage).Package | Should -Be @('acme-utils', 'numpy')
        $locked = @(Get-Item (Join-Path $Project 'uv.lock') | Resolve-PyPackage)
        $locked.Requirement | Should -Be @('numpy==2.0.0')
        $fromRequirements = @(Get-Item (Join-Path $Project 'requirements.txt') | Resolve-PyPackage -Path $Project)
        $fromRequirements.Package | Should -Be @('numpy')
        $fromRequirements[0].Source | Should -Be 'requirements.txt:1'
    }

    It 'names and files piped together: each file is its own run, the names are searched as before' {
        $results = @('numpy', (Get-Item $ProjectFile)) | Resolve-PyPackage -Path $Project
        @($results.Package | Sort-Object) | Should -Be @('acme-utils', 'numpy', 'numpy')
    }

    It 'Find-ShadowedPackage and Compare-IndexStrategy read a piped pyproject.toml too' {
        $audited = @(Get-Item $ProjectFile | Find-ShadowedPackage -PublicIndex pypi -IncludeUnshadowed -Force)
        $audited.Package | Should -Be @('acme-utils', 'numpy')
        $audited[0].Risk | Should -Be 'High'
        @(Get-Item $ProjectFile | Compare-IndexStrategy -PublicIndex pypi -Force).Package | Should -Be @('acme-utils', 'numpy')
    }
}

Describe 'Skipped piped requirement lines' {
    It '<Command> warns for each skipped option line, saying what to use instead, never showing its value' -ForEach @(
        @{ Command = 'Resolve-PyPackage' }
        @{ Command = 'Find-ShadowedPackage' }
        @{ Command = 'Compare-IndexStrategy' }
    ) {
        $lines = @('', '# pinned for CI', '-r other.txt', '--index-url https://user:s3cret@pkgs.example.test/simple', '-e .')
        $warnings = $null
        $extra = if ($Command -eq 'Resolve-PyPackage') { @{} } else { @{ Force = $true } }
        $out = $lines | & $Command -Path $Project @extra -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1
        @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterOrEqual 2
        $warnings.Count | Should -Be 3
        $warnings[0].Message | Should -BeLike "Skipped the piped option line '-r ...': *-RequirementsPath*"
        $warnings[1].Message | Should -BeLike "Skipped the piped option line '--index-url ...': *-Index or -DefaultIndex*"
        $warnings[2].Message | Should -BeLike "Skipped the piped option line '-e ...'*"
        ($warnings.Message -join "`n") | Should -Not -Match 's3cret|pkgs\.example'
    }

    It 'Find-ShadowedPackage takes blank and comment lines as Resolve-PyPackage does (skipped, not errors)' {
        $errors = $null
        $results = @('', '# comment', 'numpy  # arrays') | Find-ShadowedPackage -Path $Project -PublicIndex pypi -IncludeUnshadowed -Force -ErrorVariable errors
        $errors.Count | Should -Be 0
        @($results).Package | Should -Be @('numpy')
    }
}
