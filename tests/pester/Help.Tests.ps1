BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifest = Import-PowerShellDataFile (Join-Path (Get-IndexToolsModulePath) 'IndexTools.psd1')
    $script:CmdletCases = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

AfterAll { Remove-Module IndexTools -Force -ErrorAction SilentlyContinue }

Describe 'Help of <Name>' -ForEach $CmdletCases {
    BeforeAll { $script:Help = Get-Help $Name -Full }

    It 'has a synopsis' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis.Trim() | Should -Not -BeLike "$Name *"   # not PowerShell's generated syntax line
    }

    It 'has a description' {
        ($Help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code' {
        @($Help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $Help.examples.example) { $example.code | Should -Not -BeNullOrEmpty }
    }

    It 'describes every parameter' {
        $parameters = @((Get-Command $Name).Parameters.Keys | Where-Object { $Common -notcontains $_ })
        $parameters.Count | Should -BeGreaterThan 0
        foreach ($parameter in $parameters) {
            $entry = $Help.parameters.parameter | Where-Object name -eq $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter must be in the help"
            ($entry.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'names its output type' {
        # IndexTools types, or System.String for Write-IndexReport (CI workflow command lines must be plain text).
        ($Help.returnValues | Out-String) | Should -Match 'IndexTools\.|System\.String'
    }
}

Describe 'Help sources and generator' {
    It 'ships about_IndexTools' {
        (Get-Help about_IndexTools | Out-String) | Should -Match 'SEARCH ORDER'
    }

    It 'refuses help sources with a missing parameter description, synopsis or example' {
        $source = Join-Path $TestDrive 'help'
        Copy-Item -Recurse (Join-Path $PSScriptRoot '../../module/help/en-US') $source
        $file = Join-Path $source 'Resolve-PyPackage.md'
        $text = Get-Content -Raw $file
        # Drop the -NoProxy description, the synopsis, and all but one example.
        $text = [regex]::Replace($text, '(?s)### -NoProxy\n.*?(?=\n## )', '')
        $text = [regex]::Replace($text, '(?s)## SYNOPSIS\n.*?(?=\n## )', "## SYNOPSIS`n")
        $text = [regex]::Replace($text, '(?s)### Example 2:.*?(?=\n## PARAMETERS)', '')
        Set-Content -Path $file -Value $text
        $generator = Join-Path $PSScriptRoot '../../tools/New-MamlHelp.ps1'
        $out = Join-Path $TestDrive 'out/IndexTools.dll-Help.xml'
        $thrown = $null
        try { & $generator -Source $source -Destination $out -ModulePath $ModulePath } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        "$thrown" | Should -Match 'Resolve-PyPackage -NoProxy has no description'
        "$thrown" | Should -Match 'Resolve-PyPackage has no SYNOPSIS'
        "$thrown" | Should -Match 'Resolve-PyPackage has 1 example'
        $out | Should -Not -Exist
    }

    It 'accepts the shipped help sources' {
        $out = Join-Path $TestDrive 'ok/IndexTools.dll-Help.xml'
        & (Join-Path $PSScriptRoot '../../tools/New-MamlHelp.ps1') -Source (Join-Path $PSScriptRoot '../../module/help/en-US') -Destination $out -ModulePath $ModulePath 6>$null
        $out | Should -Exist
        ([xml] (Get-Content -Raw $out)).helpItems.command.Count | Should -Be @(Get-Command -Module IndexTools -CommandType Cmdlet).Count
    }
}
