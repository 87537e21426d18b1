# The package as users receive it: tools/Publish-LocalPackage.ps1 (what `./build.sh package` runs) packs the built
# module with Publish-PSResource; Install-PSResource installs it in a throw-away PSResourceGet scope (HOME pointed at a
# temporary folder), a fresh pwsh imports it BY NAME and searches the local index server, and it is uninstalled.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $script:ModulePath = Get-IndexToolsModulePath
    $script:Version = (Import-PowerShellDataFile (Join-Path $ModulePath 'IndexTools.psd1')).ModuleVersion
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('indextools-package-test-' + [guid]::NewGuid().ToString('n'))
    $script:Scope = Join-Path $Work 'home'
    $script:Repo = Join-Path $Work 'repo'
    New-Item -ItemType Directory -Force $Scope, $Repo | Out-Null
    # The user's own repository list: it must be the same after the run.
    $script:UserRepositories = Join-Path $HOME '.local/share/PSResourceGet/PSResourceRepository.xml'
    $script:UserRepositoriesBefore = if (Test-Path $UserRepositories) { (Get-FileHash $UserRepositories).Hash } else { $null }

    $script:Nupkg = & (Join-Path $PSScriptRoot '../../tools/Publish-LocalPackage.ps1') -ModulePath $ModulePath -Destination $Repo -PwshCommand @(Get-PwshCommand)
    $script:Server = Start-IndexServer -Demo
    # Every child of the throw-away scope: its own HOME and XDG folders (they must exist, or .NET answers "" and
    # PSResourceGet keeps its repository list in the current folder), no module path inherited from this session.
    $script:ScopeEnvironment = @{ HOME = $Scope; PSModulePath = $null }
    foreach ($xdg in @(@('XDG_DATA_HOME', '.local/share'), @('XDG_CONFIG_HOME', '.config'), @('XDG_CACHE_HOME', '.cache'))) {
        $ScopeEnvironment[$xdg[0]] = (New-Item -ItemType Directory -Force (Join-Path $Scope $xdg[1])).FullName
    }

    function script:Get-PackageEntries {
        $zip = [IO.Compression.ZipFile]::OpenRead($Nupkg)
        try { @($zip.Entries | ForEach-Object { $_.FullName.Replace('\', '/') }) } finally { $zip.Dispose() }
    }
    function script:Get-PackageText([string] $Entry) {
        $zip = [IO.Compression.ZipFile]::OpenRead($Nupkg)
        try {
            $reader = [IO.StreamReader]::new($zip.GetEntry($Entry).Open())
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'The package (Publish-PSResource into a folder repository)' {
    It 'is one versioned .nupkg in the repository folder' {
        $Nupkg | Should -Be (Join-Path (Resolve-Path $Repo).Path "IndexTools.$Version.nupkg")
        @(Get-ChildItem $Repo -Filter *.nupkg).Name | Should -Be @("IndexTools.$Version.nupkg")
    }

    It 'holds every file of the module folder at the same relative path, the ReadyToRun folder and the licences included' {
        $moduleRoot = (Resolve-Path $ModulePath).Path
        $expected = @(Get-ChildItem $moduleRoot -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($moduleRoot, $_.FullName).Replace('\', '/') } | Sort-Object)
        $packed = @(Get-PackageEntries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|IndexTools\.nuspec$)' } | Sort-Object)
        $packed | Should -Be $expected
        $packed | Should -Contain 'LICENSE'
        $packed | Should -Contain 'THIRD-PARTY-NOTICES.txt'
        $packed | Should -Contain 'dependencies/IndexTools.Engine.dll'
        $platforms = @(Get-ChildItem (Join-Path $moduleRoot 'dependencies') -Directory)
        foreach ($platform in $platforms) { $packed | Should -Contain "dependencies/$($platform.Name)/IndexTools.Engine.dll" }
    }

    It 'carries the manifest metadata in its nuspec: version, tags, release notes' {
        [xml] $nuspec = Get-PackageText 'IndexTools.nuspec'
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'IndexTools'
        $metadata.version | Should -Be $Version
        $tags = $metadata.tags -split ' '
        $tags | Should -Contain 'PSEdition_Core'
        $tags | Should -Contain 'Linux'
        $tags | Should -Not -Contain 'PSEdition_Desktop'
        $tags | Should -Not -Contain 'Windows'
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'IndexTools.psd1')
        $metadata.releaseNotes | Should -Be $manifest.PrivateData.PSData.ReleaseNotes
    }
}

Describe 'Installing the package and importing it by name' {
    It 'installs with Install-PSResource in the throw-away scope, imports by name in a fresh pwsh, searches, and uninstalls' {
        $install = Invoke-FreshPwsh -Environment $ScopeEnvironment -Script @"
Register-PSResourceRepository -Name IndexToolsTest -Uri '$Repo' -Trusted
Install-PSResource IndexTools -Repository IndexToolsTest -Quiet
`$installed = Get-InstalledPSResource IndexTools
[pscustomobject] @{ Version = [string] `$installed.Version; Location = `$installed.InstalledLocation; Repositories = @(Get-PSResourceRepository).Name } | ConvertTo-Json -Compress
"@
        $install.Version | Should -Be $Version
        $install.Location | Should -BeLike "$Scope*"
        $install.Repositories | Should -Contain 'IndexToolsTest'
        # The repository list of the throw-away scope is where it belongs, not in the current folder.
        Join-Path $Scope '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -FileContentMatch 'IndexToolsTest'
        Join-Path (Get-Location).ProviderPath 'PSResourceGet' | Should -Not -Exist

        $pypi = $Server.Indexes['pypi']
        $run = Invoke-FreshPwsh -Environment $ScopeEnvironment -Script @"
Import-Module IndexTools
`$module = Get-Module IndexTools
`$resolution = Resolve-PyPackage 'requests>=2.31' -NoConfig -DefaultIndex 'pypi=$pypi'
`$engine = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'IndexTools.Engine' })[0]
[pscustomobject] @{
    ModuleBase    = `$module.ModuleBase
    Version       = [string] `$module.Version
    Resolved      = `$resolution.Resolved
    Index         = `$resolution.Index
    Package       = `$resolution.Version
    EngineFile    = `$engine.Location
    EngineContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$engine).GetType().Name
    Help          = (Get-Help Resolve-PyPackage).Synopsis
} | ConvertTo-Json -Compress
"@
        $run.ModuleBase | Should -BeLike "$Scope*"
        $run.Version | Should -Be $Version
        $run.Resolved | Should -BeTrue
        $run.Index | Should -Be 'pypi'
        $run.Package | Should -Be '2.32.3'
        $run.EngineContext | Should -Be 'IndexToolsLoadContext'
        $run.EngineFile | Should -BeLike "$($run.ModuleBase)*"
        # The ReadyToRun image is what loads when the build made one for this platform (its folder survived packing).
        $platforms = @(Get-ChildItem (Join-Path $ModulePath 'dependencies') -Directory).Name
        if ($platforms) { [IO.Path]::GetFileName([IO.Path]::GetDirectoryName($run.EngineFile)) | Should -BeIn $platforms }
        $run.Help | Should -Not -BeNullOrEmpty

        $removed = Invoke-FreshPwsh -Environment $ScopeEnvironment -Script @'
Uninstall-PSResource IndexTools
[pscustomobject] @{ Installed = @(Get-InstalledPSResource IndexTools -ErrorAction SilentlyContinue).Count; Available = @(Get-Module IndexTools -ListAvailable).Count } | ConvertTo-Json -Compress
'@
        $removed.Installed | Should -Be 0
        $removed.Available | Should -Be 0
    }

    It 'left the user''s own PSResourceGet repositories untouched' {
        $after = if (Test-Path $UserRepositories) { (Get-FileHash $UserRepositories).Hash } else { $null }
        $after | Should -Be $UserRepositoriesBefore
    }
}
