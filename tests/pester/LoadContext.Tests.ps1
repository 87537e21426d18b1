# The "bridge": IndexTools.dll and IndexTools.Model.dll in the default load context, the engine and its dependencies
# in IndexToolsLoadContext. Each case runs in a brand-new pwsh so the order of loads is exactly the one under test.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath

    # Shared by the child scripts: loads the engine through a cmdlet and reports where things came from.
    $script:Report = @'
function Get-ContextName($assembly) { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).GetType().Name }
try { Get-IndexStrategy -NoConfig -ErrorAction SilentlyContinue | Out-Null } catch { $engineCallError = $_.Exception.GetType().Name }
$engine = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'IndexTools.Engine' })
$alc = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0])
$primitives = $alc.LoadFromAssemblyName([Reflection.AssemblyName] 'Microsoft.Extensions.Primitives, Version=11.0.0.0')
$http = $alc.LoadFromAssemblyName([Reflection.AssemblyName] 'Microsoft.Extensions.Http, Version=11.0.0.0')
$json = $alc.LoadFromAssemblyName([Reflection.AssemblyName] 'System.Text.Json, Version=11.0.0.0')
$engineReferences = @($engine[0].GetReferencedAssemblies() | Where-Object { $_.Name -like 'Microsoft.Extensions.*' -or $_.Name -eq 'Tomlyn' } |
    ForEach-Object { $a = $alc.LoadFromAssemblyName($_); "$($a.GetName().Name) $($a.GetName().Version) $(Get-ContextName $a)" })
$resolveMany = $engine[0].GetType('IndexTools.Engine.Search.IndexSearch').GetMethods().Where({ $_.Name -eq 'ResolveManyAsync' })[0].ReturnType
$stateMachine = [IndexTools.Cmdlets.ResolvePyPackageCommand].GetNestedTypes([Reflection.BindingFlags] 'NonPublic') | Where-Object Name -like '*ResolveAsync*'
[System.Runtime.CompilerServices.RuntimeHelpers]::PrepareMethod($stateMachine.GetMethod('MoveNext', [Reflection.BindingFlags] 'NonPublic,Public,Instance').MethodHandle)
[pscustomobject] @{
    EngineCount        = $engine.Count
    EngineContext      = Get-ContextName $engine[0]
    ModelContext       = Get-ContextName ([IndexTools.PackageResolution].Assembly)
    CmdletContext      = Get-ContextName ([IndexTools.Cmdlets.ResolvePyPackageCommand].Assembly)
    PrimitivesVersion  = $primitives.GetName().Version.ToString()
    PrimitivesContext  = Get-ContextName $primitives
    HttpContext        = Get-ContextName $http
    JsonVersion        = $json.GetName().Version.ToString()
    JsonContext        = Get-ContextName $json
    DefaultPrimitives  = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Primitives' -and (Get-ContextName $_) -eq 'DefaultAssemblyLoadContext' } | ForEach-Object { $_.GetName().Version.ToString() })
    EngineReferences   = $engineReferences
    AsyncEnumerableShared = $resolveMany -eq [System.Collections.Generic.IAsyncEnumerable[IndexTools.PackageResolution]]
    OurContexts        = @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().Name -eq 'IndexToolsLoadContext' }).Count
    Outcome            = [string] [IndexTools.AttemptOutcome]::AuthFailed
} | ConvertTo-Json -Compress
'@
    $script:UsePSResourceGet = @'
Import-Module Microsoft.PowerShell.PSResourceGet
Get-PSResourceRepository | Out-Null
# What Find-PSResource loads first, without the internet: PSResourceGet's own Microsoft.Extensions.Primitives (6.0).
[Reflection.Assembly]::LoadFrom((Join-Path (Get-Module Microsoft.PowerShell.PSResourceGet).ModuleBase 'dependencies/Microsoft.Extensions.Primitives.dll')) | Out-Null
'@
}

Describe 'Load-context isolation' {
    It 'imports and loads the engine into its own context after PSResourceGet loaded Microsoft.Extensions.Primitives 6.0' {
        $r = Invoke-FreshPwsh ($UsePSResourceGet + "`nImport-Module '$ModulePath'`n" + $Report)
        $r.EngineCount | Should -Be 1
        $r.EngineContext | Should -Be 'IndexToolsLoadContext'
        $r.ModelContext | Should -Be 'DefaultAssemblyLoadContext'
        $r.CmdletContext | Should -Be 'DefaultAssemblyLoadContext'
        $r.DefaultPrimitives | Should -Be @('6.0.0.0')
        $r.PrimitivesVersion | Should -Be '11.0.0.0'
        $r.PrimitivesContext | Should -Be 'IndexToolsLoadContext'
        $r.HttpContext | Should -Be 'IndexToolsLoadContext'
        $r.JsonVersion | Should -Be '11.0.0.0'
        $r.JsonContext | Should -Be 'IndexToolsLoadContext'
        foreach ($reference in @($r.EngineReferences)) { $reference | Should -Match ' IndexToolsLoadContext$' }
        $r.AsyncEnumerableShared | Should -BeTrue
    }

    It 'lets PSResourceGet load its own versions after IndexTools ran' {
        $script = "Import-Module '$ModulePath'`n" + $Report.Replace('| ConvertTo-Json -Compress', '| Set-Variable before') + "`n" + $UsePSResourceGet + @'

$after = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Primitives' } |
    ForEach-Object { "$($_.GetName().Version) $(Get-ContextName $_)" } | Sort-Object)
[pscustomobject] @{ Before = $before; After = $after; Repositories = @(Get-PSResourceRepository).Count } | ConvertTo-Json -Compress -Depth 4
'@
        $r = Invoke-FreshPwsh $script
        $r.Before.EngineContext | Should -Be 'IndexToolsLoadContext'
        $r.Before.PrimitivesContext | Should -Be 'IndexToolsLoadContext'
        $r.After | Should -Be @('11.0.0.0 IndexToolsLoadContext', '6.0.0.0 DefaultAssemblyLoadContext')
        $r.Repositories | Should -BeGreaterThan 0
    }

    It 'survives Import-Module -Force twice with one engine and one load context' {
        $r = Invoke-FreshPwsh ("Import-Module '$ModulePath'`nImport-Module '$ModulePath' -Force`nImport-Module '$ModulePath' -Force`n" + $Report)
        $r.EngineCount | Should -Be 1
        $r.OurContexts | Should -Be 1
        $r.EngineContext | Should -Be 'IndexToolsLoadContext'
        $r.Outcome | Should -Be 'AuthFailed'
    }

    It 'names output types as type literals right after import' {
        $r = Invoke-FreshPwsh @"
Import-Module '$ModulePath'
[pscustomobject] @{
    Outcome  = [string] [IndexTools.AttemptOutcome]::AuthFailed
    Value    = [int] [IndexTools.AttemptOutcome]::AuthFailed
    Strategy = [string] [IndexTools.IndexStrategy]'UnsafeBestMatch'
    Type     = [IndexTools.PackageResolution].FullName
} | ConvertTo-Json -Compress
"@
        $r.Outcome | Should -Be 'AuthFailed'
        $r.Value | Should -Be 3
        $r.Strategy | Should -Be 'UnsafeBestMatch'
        $r.Type | Should -Be 'IndexTools.PackageResolution'
    }
}

Describe 'Load-context isolation with the engine at work' -Tag 'Engine' {
    BeforeAll { $script:Server = Start-IndexServer -Demo }
    AfterAll { Stop-IndexServer $Server }

    It 'resolves a package after PSResourceGet, with the engine''s dependencies from IndexToolsLoadContext' {
        $pypi = $Server.Indexes['pypi']
        $r = Invoke-FreshPwsh ($UsePSResourceGet + "`nImport-Module '$ModulePath'`n" + @"
`$policies = @(Get-IndexStrategy -NoConfig)
`$resolution = Resolve-PyPackage requests -NoConfig -DefaultIndex '$pypi'
`$loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -like 'Microsoft.Extensions.*' -or `$_.GetName().Name -eq 'Tomlyn' } |
    ForEach-Object { "`$(`$_.GetName().Name) `$(`$_.GetName().Version.Major) `$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).GetType().Name)" })
[pscustomobject] @{ Policies = `$policies.Count; Resolved = `$resolution.Resolved; Version = `$resolution.Version; Loaded = `$loaded } | ConvertTo-Json -Compress
"@)
        $r.Policies | Should -BeGreaterThan 0
        $r.Resolved | Should -BeTrue
        $r.Version | Should -Be '2.32.3'
        # Everything but PSResourceGet's 6.0 Primitives is ours.
        foreach ($line in @($r.Loaded | Where-Object { $_ -notlike 'Microsoft.Extensions.Primitives 6 *' })) { $line | Should -Match ' IndexToolsLoadContext$' }
    }
}

# The build pre-compiles (ReadyToRun) what loads into IndexToolsLoadContext into dependencies/<platform>/; the IL
# copies beside them serve every other platform, Windows PowerShell 5.1 and INDEXTOOLS_NO_READYTORUN=1.
Describe 'Pre-compiled (ReadyToRun) dependencies' -Tag 'Engine' {
    BeforeAll {
        $script:Server = Start-IndexServer -Demo
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $script:Platform = $os + '-' + [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
        $script:Dependencies = Join-Path $ModulePath 'dependencies'
        $script:Native = Join-Path $Dependencies $Platform
        $script:WhereLoaded = @'
$resolution = Resolve-PyPackage requests -NoConfig -DefaultIndex '__PYPI__'
$ours = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().Name -eq 'IndexToolsLoadContext' }
[pscustomobject] @{
    Resolved = $resolution.Resolved
    Version  = $resolution.Version
    Loaded   = @($ours.Assemblies | ForEach-Object { [pscustomobject] @{ Name = $_.GetName().Name; Location = $_.Location } })
} | ConvertTo-Json -Compress -Depth 4
'@
        function Test-ReadyToRun([string] $Path) {
            $stream = [IO.File]::OpenRead($Path)
            try {
                $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
                return $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
            }
            finally { $stream.Dispose() }
        }
    }
    AfterAll { Stop-IndexServer $Server }

    It 'ships ReadyToRun images for the build platform beside IL copies of the same assemblies' {
        $Native | Should -Exist
        $images = @(Get-ChildItem $Native -Filter *.dll)
        $images.Name | Should -Contain 'IndexTools.Engine.dll'
        $images.Name | Should -Contain 'System.Text.Json.dll'
        $images.Name | Should -Contain 'Microsoft.Extensions.Http.dll'
        foreach ($image in $images) {
            Test-ReadyToRun $image.FullName | Should -BeTrue -Because "$($image.Name) should carry native code"
            $il = Join-Path $Dependencies $image.Name
            Test-ReadyToRun $il | Should -BeFalse -Because "the copy in dependencies/ stays IL for other platforms and 5.1"
            [Reflection.AssemblyName]::GetAssemblyName($image.FullName).FullName |
                Should -Be ([Reflection.AssemblyName]::GetAssemblyName($il).FullName)
        }
    }

    It 'loads every assembly it has a ReadyToRun image for from the platform folder' {
        $r = Invoke-FreshPwsh ("Import-Module '$ModulePath'`n" + $WhereLoaded.Replace('__PYPI__', $Server.Indexes['pypi']))
        $r.Resolved | Should -BeTrue
        $r.Version | Should -Be '2.32.3'
        $loaded = @($r.Loaded)
        $loaded.Name | Should -Contain 'IndexTools.Engine'
        foreach ($assembly in $loaded) {
            $expected = if (Test-Path (Join-Path $Native "$($assembly.Name).dll")) { $Native } else { $Dependencies }
            Split-Path $assembly.Location | Should -Be $expected -Because $assembly.Name
        }
    }

    It 'loads the IL copies with INDEXTOOLS_NO_READYTORUN=1 and resolves the same' {
        $r = Invoke-FreshPwsh ("`$env:INDEXTOOLS_NO_READYTORUN = '1'`nImport-Module '$ModulePath'`n" + $WhereLoaded.Replace('__PYPI__', $Server.Indexes['pypi']))
        $r.Resolved | Should -BeTrue
        $r.Version | Should -Be '2.32.3'
        foreach ($assembly in @($r.Loaded)) { Split-Path $assembly.Location | Should -Be $Dependencies -Because $assembly.Name }
    }
}
