# Cmdlet shapes and the parts of their behaviour that do not need the engine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
}

AfterAll { Remove-Module IndexTools -Force -ErrorAction SilentlyContinue }

Describe 'Cmdlet metadata' {
    It '<Name> declares its output type' -ForEach @(
        @{ Name = 'Get-IndexStrategy'; Type = 'IndexTools.IndexPolicy' }
        @{ Name = 'Resolve-PyPackage'; Type = 'IndexTools.PackageResolution' }
        @{ Name = 'Set-IndexIgnoredCodes'; Type = 'IndexTools.IndexPolicy' }
    ) {
        (Get-Command $Name).OutputType.Name | Should -Be @($Type)
    }

    It 'Resolve-PyPackage takes names by value and by property name, with aliases Package and Requirement' {
        $p = (Get-Command Resolve-PyPackage).Parameters['Name']
        $p.ParameterType | Should -Be ([string[]])
        $p.Aliases | Should -Be @('Package', 'Requirement')
        $p.Attributes.Where({ $_ -is [Parameter] })[0].ValueFromPipeline | Should -BeTrue
        $p.Attributes.Where({ $_ -is [Parameter] })[0].ValueFromPipelineByPropertyName | Should -BeTrue
        (Get-Command Resolve-PyPackage).Parameters['IndexStrategy'].ParameterType | Should -Be ([Nullable[IndexTools.IndexStrategy]])
        (Get-Command Resolve-PyPackage).Parameters['Credential'].ParameterType | Should -Be ([pscredential])
        (Get-Command Resolve-PyPackage).Parameters['TimeoutSec'].ParameterType | Should -Be ([int])
    }

    It 'Set-IndexIgnoredCodes supports ShouldProcess at Medium impact, with -Reset in its own parameter set' {
        $command = Get-Command Set-IndexIgnoredCodes
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $type = $command.ImplementingType
        $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'Medium'
        @($command.ParameterSets.Name | Sort-Object) | Should -Be @('Codes', 'Reset')
        # -ConfigFile is uv's --config-file on the other cmdlets: not an alias of the file to edit here (issue 17.3).
        $command.Parameters['Path'].Aliases | Should -Not -Contain 'ConfigFile'
        { Set-IndexIgnoredCodes -Name x -StatusCode 401 -Reset } | Should -Throw -ErrorId 'AmbiguousParameterSet,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        { Set-IndexIgnoredCodes -Name x -StatusCode 401 -Scope User -Path x.toml -ErrorAction Stop } | Should -Throw -ErrorId 'PathAndScopeConflict,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
    }

    It 'rejects status codes outside 100-999 (what uv parses) before touching any file' {
        { Set-IndexIgnoredCodes -Name x -StatusCode 1000 -Path (Join-Path $TestDrive 'none.toml') } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        { Set-IndexIgnoredCodes -Name x -StatusCode 99 -Path (Join-Path $TestDrive 'none.toml') } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
    }

    It 'binds Name of a piped IndexPolicy and reads its ConfigFile as the file to edit' {
        $policy = New-Object IndexTools.IndexPolicy
        $policy.Name = 'internal'; $policy.ConfigFile = (Join-Path $TestDrive 'pyproject.toml')
        # -WhatIf and a missing file: the binding is what is under test, not the edit.
        $log = Join-Path $TestDrive 'binding.log'
        Trace-Command -Name ParameterBinding -FilePath $log -Expression {
            try { $policy | Set-IndexIgnoredCodes -StatusCode 401 -WhatIf -ErrorAction SilentlyContinue } catch { }
        }
        $trace = Get-Content -Raw $log
        $trace | Should -Match 'BIND arg \[internal\] to parameter \[Name\]'
        $trace | Should -Match 'to parameter \[InputObject\]'
        # The piped ConfigFile is the file that was looked for (it does not exist here): PathNotFound names it.
        $problems = $null
        $policy | Set-IndexIgnoredCodes -StatusCode 401 -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        $problems[0].TargetObject | Should -Be $policy.ConfigFile
    }
}

Describe 'Resolve-PyPackage input lines' {
    It 'skips blank and comment lines with a verbose line each, option lines with a warning each, without touching the engine' {
        $lines = @('', '   ', '# pinned for CI', '-r other.txt', '--index-url https://user:s3cret@pkgs.example.test/simple')
        $all = $lines | Resolve-PyPackage -Verbose 4>&1 3>&1
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $verbose.Count | Should -Be 3
        $verbose[2].Message | Should -Match 'comment'
        $warnings.Count | Should -Be 2
        $warnings[0].Message | Should -Match "option line '-r"
        $warnings[1].Message | Should -Match "option line '--index-url"
        (@($verbose.Message) + @($warnings.Message) -join "`n") | Should -Not -Match 's3cret'
    }

    It 'Set-IndexIgnoredCodes skips a piped index without a name and nothing to set, and reports one with codes' {
        $file = Join-Path $TestDrive 'unnamed/pyproject.toml'
        New-Item -ItemType Directory -Force (Split-Path $file) | Out-Null
        Set-Content -Path $file -Value "[project]`nname = `"x`"`n"
        $before = [IO.File]::ReadAllBytes($file)
        $skipped = [pscustomobject] @{ Name = $null; RecommendedIgnoreErrorCodes = $null } | Set-IndexIgnoredCodes -Path $file -WhatIf -Verbose -ErrorVariable problems 4>&1
        $problems.Count | Should -Be 0
        "$skipped" | Should -BeLike '*without a name*skipped*'
        [pscustomobject] @{ Name = $null; RecommendedIgnoreErrorCodes = @(403) } | Set-IndexIgnoredCodes -Path $file -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'IndexNameRequired,*'
        [IO.File]::ReadAllBytes($file) | Should -Be $before
    }

    It 'refuses -NoProxy together with -Proxy' {
        { Resolve-PyPackage requests -NoProxy -Proxy 'http://127.0.0.1:9' } |
            Should -Throw -ErrorId 'ProxyParameterConflict,IndexTools.Cmdlets.ResolvePyPackageCommand'
    }

    It 'refuses -CredentialIndex without -Credential' {
        { Resolve-PyPackage requests -CredentialIndex internal } |
            Should -Throw -ErrorId 'CredentialIndexWithoutCredential,IndexTools.Cmdlets.ResolvePyPackageCommand'
    }
}
