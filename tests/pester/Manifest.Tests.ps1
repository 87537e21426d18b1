BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    $script:ManifestPath = Join-Path $ModulePath 'IndexTools.psd1'
    $script:Manifest = Import-PowerShellDataFile $ManifestPath
}

Describe 'Module manifest and layout' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest $ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'stamps the same version as IndexTools.dll and Directory.Build.props' {
        $dll = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModulePath 'IndexTools.dll')).Version
        [xml] $props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props')
        $source = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ })[0].InnerText
        [version] $Manifest.ModuleVersion | Should -Be ([version] $source)
        ([version] $Manifest.ModuleVersion).ToString(3) | Should -Be $dll.ToString(3)
    }

    It 'exports exactly the cmdlets IndexTools.dll ships' {
        $module = Import-Module $ModulePath -PassThru -Force
        try {
            @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
            $Manifest.CmdletsToExport | Should -Not -Contain '*'
        }
        finally { Remove-Module IndexTools -Force }
    }

    It 'declares Core and Desktop, PowerShell 5.1, the format file, and no dependency as a nested module' {
        $Manifest.RootModule | Should -Be 'IndexTools.dll'
        $Manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $Manifest.PowerShellVersion | Should -Be '5.1'
        $Manifest.FormatsToProcess | Should -Contain 'IndexTools.Format.ps1xml'
        $shipped = @(Get-ChildItem (Join-Path $PSScriptRoot '../../module') -Filter '*.Format.ps1xml' | ForEach-Object Name | Sort-Object)
        @($Manifest.FormatsToProcess | Sort-Object) | Should -Be $shipped
        $Manifest.ContainsKey('NestedModules') | Should -BeFalse
    }

    It 'lays out the default-context assemblies at the root and the engine with its dependencies in dependencies/' {
        @(Get-ChildItem $ModulePath -Filter *.dll).Name | Sort-Object | Should -Be @('IndexTools.dll', 'IndexTools.Model.dll')
        $deps = @(Get-ChildItem (Join-Path $ModulePath 'dependencies') -Filter *.dll).Name
        $deps | Should -Contain 'IndexTools.Engine.dll'
        $deps | Should -Contain 'Tomlyn.dll'
        $deps | Should -Contain 'Microsoft.Extensions.Http.dll'
        $deps | Should -Contain 'Microsoft.Extensions.Primitives.dll'
        $deps | Should -Contain 'System.Text.Json.dll'
        $deps | Should -Not -Contain 'IndexTools.Model.dll'
        Join-Path $ModulePath 'en-US/IndexTools.dll-Help.xml' | Should -Exist
        Join-Path $ModulePath 'en-US/about_IndexTools.help.txt' | Should -Exist
    }
}
