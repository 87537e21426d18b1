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

Describe 'Manifest metadata for galleries (tools/New-ModuleManifest.ps1)' {
    BeforeAll {
        $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $script:Generator = Join-Path $RepoRoot 'tools/New-ModuleManifest.ps1'
        # A copy of the generator's three inputs, to build manifests from other settings than the repository's.
        function script:New-ManifestRoot([string] $ProjectUri, [string] $Changelog) {
            $root = Join-Path ([IO.Path]::GetTempPath()) ('indextools-manifest-' + [guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory -Force (Join-Path $root 'module') | Out-Null
            Copy-Item (Join-Path $RepoRoot 'module/IndexTools.psd1') (Join-Path $root 'module')
            $props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props')
            if ($PSBoundParameters.ContainsKey('ProjectUri')) {
                $props = $props -replace '<IndexToolsProjectUri>[^<]*</IndexToolsProjectUri>', "<IndexToolsProjectUri>$ProjectUri</IndexToolsProjectUri>"
            }
            Set-Content (Join-Path $root 'Directory.Build.props') $props
            if ($Changelog) { Set-Content (Join-Path $root 'CHANGELOG.md') $Changelog } else { Copy-Item (Join-Path $RepoRoot 'CHANGELOG.md') $root }
            return $root
        }
    }

    It 'takes ReleaseNotes from the Unreleased section of CHANGELOG.md while the version has none' {
        $changelog = Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')
        $notes = $Manifest.PrivateData.PSData.ReleaseNotes
        $notes | Should -Not -BeNullOrEmpty
        $unreleased = [regex]::Match($changelog.Replace("`r`n", "`n"), '(?ms)^## \[Unreleased\][^\n]*\n(.*?)(?=^## \[|\z)').Groups[1].Value.Trim()
        if ($changelog -notmatch "(?m)^## \[$([regex]::Escape($Manifest.ModuleVersion))\]") { $notes | Should -Be $unreleased }
    }

    It 'takes the section of the version being built once CHANGELOG.md has one' {
        $root = New-ManifestRoot -Changelog "# Changelog`n`n## [Unreleased]`n`n- next thing`n`n## [$($Manifest.ModuleVersion)] - 2026-12-02`n`n- It's the 'first' release`n`n## [0.0.1] - 2026-01-01`n`n- older`n"
        try {
            & $Generator -Root $root -Destination (Join-Path $root 'out.psd1') | Out-Null
            (Import-PowerShellDataFile (Join-Path $root 'out.psd1')).PrivateData.PSData.ReleaseNotes | Should -Be "- It's the 'first' release"
        }
        finally { Remove-Item -Recurse -Force $root }
    }

    It 'tags what CI tests (PowerShell 7.6 on Linux) and nothing it does not' {
        $tags = $Manifest.PrivateData.PSData.Tags
        $tags | Should -Contain 'PSEdition_Core'
        $tags | Should -Contain 'Linux'
        foreach ($untested in 'PSEdition_Desktop', 'Windows', 'MacOS') { $tags | Should -Not -Contain $untested }
        foreach ($tag in $tags) { $tag | Should -Match '^[A-Za-z0-9_.-]+$' }
    }

    It 'ships the MIT LICENSE of the repository root and the third-party notices in the module folder' {
        $license = Join-Path $RepoRoot 'LICENSE'
        Get-Content -Raw $license | Should -Match '^MIT License'
        (Get-FileHash (Join-Path $ModulePath 'LICENSE')).Hash | Should -Be (Get-FileHash $license).Hash
        Get-Content -Raw (Join-Path $ModulePath 'THIRD-PARTY-NOTICES.txt') | Should -Match 'Tomlyn'
    }

    It 'leaves ProjectUri, LicenseUri and HelpInfoUri out while IndexToolsProjectUri is empty' {
        [xml] $props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props')
        $setting = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('IndexToolsProjectUri') } | Where-Object { $_ })
        $setting.Count | Should -Be 1
        if (-not $setting[0].InnerText.Trim()) {
            $Manifest.PrivateData.PSData.ContainsKey('ProjectUri') | Should -BeFalse
            $Manifest.PrivateData.PSData.ContainsKey('LicenseUri') | Should -BeFalse
            $Manifest.ContainsKey('HelpInfoUri') | Should -BeFalse
        }
    }

    It 'derives all three from the one IndexToolsProjectUri setting' {
        $root = New-ManifestRoot -ProjectUri 'https://github.com/example/IndexTools/'
        try {
            $stamped = & $Generator -Root $root -Destination (Join-Path $root 'out.psd1')
            $built = Import-PowerShellDataFile (Join-Path $root 'out.psd1')
            $built.PrivateData.PSData.ProjectUri | Should -Be 'https://github.com/example/IndexTools'
            $built.PrivateData.PSData.LicenseUri | Should -Be 'https://github.com/example/IndexTools/blob/HEAD/LICENSE'
            $built.HelpInfoUri | Should -Be 'https://github.com/example/IndexTools/tree/HEAD/module/help/en-US'
            $stamped.ProjectUri | Should -Be $built.PrivateData.PSData.ProjectUri
        }
        finally { Remove-Item -Recurse -Force $root }
    }

    It 'refuses an IndexToolsProjectUri that is not an http(s) address, naming the setting and the value' {
        $root = New-ManifestRoot -ProjectUri 'github.com/example'
        try {
            { & $Generator -Root $root -Destination (Join-Path $root 'out.psd1') } | Should -Throw '*Directory.Build.props*IndexToolsProjectUri*github.com/example*'
            Join-Path $root 'out.psd1' | Should -Not -Exist
        }
        finally { Remove-Item -Recurse -Force $root }
    }
}
