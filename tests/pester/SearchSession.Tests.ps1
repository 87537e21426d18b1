# Issue 12: one search session for every cmdlet that touches the network. The shared network, credential, proxy, cache
# and throttle parameters are declared once (SearchCmdlet) and mean the same on Resolve-PyPackage, Test-PyLock,
# Find-ShadowedPackage and Compare-IndexStrategy (Test-PyIndex: the credential and proxy ones); credential warnings
# and the keyring/store sources reach every one of them, over real HTTP against the local index server.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force

    $script:User = 'team'
    $script:Password = 'Sess10n-Pw!x'
    $fixture = @{
        description = 'search session: one private index with basic auth, one public index'
        indexes     = @(
            @{
                name     = 'internal'
                behavior = @{ username = $User; password = $Password; realm = 'session realm' }
                packages = @{ 'acme-auth' = @('acme_auth-1.0.0-py3-none-any.whl') }
            }
            @{
                name     = 'pypi'
                behavior = @{ profile = 'pypi' }
                packages = @{ 'requests' = @('requests-2.32.3-py3-none-any.whl'); 'acme-auth' = @('acme_auth-9.0.0-py3-none-any.whl') }
            }
        )
    }
    $fixtureFile = Join-Path $TestDrive 'session-fixture.json'
    $fixture | ConvertTo-Json -Depth 8 | Set-Content -Path $fixtureFile -Encoding utf8
    $script:Server = Start-IndexServer -Fixture $fixtureFile
    $script:InternalUrl = ([uri] $Server.Indexes['internal']).AbsoluteUri
    $internal = [uri] $InternalUrl
    $script:UserUrl = '{0}://{1}@{2}:{3}{4}' -f $internal.Scheme, $User, $internal.Host, $internal.Port, $internal.AbsolutePath

    function script:New-Project([string] $Name, [string] $Url) {
        $path = Join-Path $TestDrive $Name
        New-UvProject -Path $path -Index @(
            @{ Name = 'internal'; Url = $Url }
            @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true }) | Out-Null
        Set-Content -Path (Join-Path $path 'uv.lock') -Value ("version = 1`n`n[[package]]`nname = `"acme-auth`"`nversion = `"1.0.0`"`nsource = { registry = `"" + $Url + "`" }`n")
        return $path
    }

    # The same call on each network cmdlet.
    $script:Calls = [ordered] @{
        'Resolve-PyPackage'     = { param($p, $a) Resolve-PyPackage acme-auth -Path $p -NoCache @a }
        'Test-PyLock'           = { param($p, $a) Test-PyLock -Path $p -IncludeUnchanged -NoCache @a }
        'Find-ShadowedPackage'  = { param($p, $a) Find-ShadowedPackage acme-auth -Path $p -Force -IncludeUnshadowed -NoCache @a }
        'Compare-IndexStrategy' = { param($p, $a) Compare-IndexStrategy acme-auth -Path $p -Force -NoCache @a }
        'Test-PyIndex'          = { param($p, $a) $a.Remove('NoCache'); Test-PyIndex internal -Path $p @a }
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item Env:UV_KEYRING_PROVIDER, Env:UV_CREDENTIALS_DIR -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Shared search parameters' -Tag 'Engine' {
    It '<Name> declares the shared network parameters with the same types' -ForEach @(
        @{ Name = 'Resolve-PyPackage'; All = $true }
        @{ Name = 'Test-PyLock'; All = $true }
        @{ Name = 'Find-ShadowedPackage'; All = $true }
        @{ Name = 'Compare-IndexStrategy'; All = $true }
        @{ Name = 'Test-PyIndex'; All = $false }
    ) {
        $expected = [ordered] @{
            Credential = [pscredential]; CredentialIndex = [string]; Proxy = [uri]; ProxyCredential = [pscredential]; NoProxy = [switch]
        }
        if ($All) { $expected += [ordered] @{ Refresh = [switch]; Offline = [switch]; NoCache = [switch]; ThrottleLimit = [int] } }
        $parameters = (Get-Command $Name).Parameters
        foreach ($key in $expected.Keys) {
            $parameters.ContainsKey($key) | Should -BeTrue -Because "$Name takes -$key"
            $parameters[$key].ParameterType | Should -Be $expected[$key]
        }
    }

    It '<_> takes -Credential, -Proxy, -ProxyCredential, -NoProxy and -TimeoutSec from the one shared declaration' -ForEach @('Resolve-PyPackage', 'Test-PyLock', 'Find-ShadowedPackage', 'Compare-IndexStrategy', 'Test-PyIndex') {
        # Declared once (NetworkCmdlet), not re-declared per cmdlet: the property each parameter binds to is the base's.
        $type = (Get-Command $_).ImplementingType
        foreach ($name in 'Credential', 'Proxy', 'ProxyCredential', 'NoProxy', 'TimeoutSec') {
            $type.GetProperty($name).DeclaringType.FullName | Should -Be 'IndexTools.Cmdlets.NetworkCmdlet' -Because "$_ -$name comes from the shared declaration"
        }
    }

    It 'Test-PyIndex refuses -NoProxy with -Proxy or -ProxyCredential with the same error as the searching cmdlets' {
        $project = New-Project -Name 'conflict-probe' -Url $InternalUrl
        { Test-PyIndex internal -Path $project -NoProxy -Proxy 'http://127.0.0.1:9' } | Should -Throw -ErrorId 'ProxyParameterConflict,*'
        $proxyCredential = [pscredential]::new('p', (ConvertTo-SecureString 'x' -AsPlainText -Force))
        { Test-PyIndex -Url $InternalUrl -NoProxy -ProxyCredential $proxyCredential } | Should -Throw -ErrorId 'ProxyParameterConflict,*'
    }

    It '<_> refuses -NoProxy with -Proxy, and -Offline with -Refresh, with the same error' -ForEach @('Resolve-PyPackage', 'Test-PyLock', 'Find-ShadowedPackage', 'Compare-IndexStrategy') {
        $project = New-Project -Name "conflict-$_" -Url $InternalUrl
        $call = $Calls[$_]
        { & $call $project @{ NoProxy = $true; Proxy = 'http://127.0.0.1:9' } } | Should -Throw -ErrorId "ProxyParameterConflict,*"
        { & $call $project @{ Offline = $true; Refresh = $true; NoCache = $false } } | Should -Throw -ErrorId "CacheParameterConflict,*"
    }

    It '<_> sends -Credential to its index only and the internal index answers' -ForEach @('Resolve-PyPackage', 'Test-PyLock', 'Find-ShadowedPackage', 'Compare-IndexStrategy', 'Test-PyIndex') {
        $project = New-Project -Name "cred-$_" -Url $InternalUrl
        $credential = [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
        $result = & $Calls[$_] $project @{ Credential = $credential; CredentialIndex = 'internal' }
        $result | Should -Not -BeNullOrEmpty
        switch ($_) {
            'Resolve-PyPackage' { $result.Index | Should -Be 'internal'; ($result.Attempts | Select-Object -First 1).CredentialSource | Should -Be 'parameter' }
            'Test-PyLock' { $result.Reason | Should -Be 'Unchanged' }
            'Find-ShadowedPackage' { ($result.Indexes | Where-Object Index -eq 'internal').Found | Should -BeTrue }
            'Compare-IndexStrategy' { $result.FirstIndex | Should -BeLike '*internal*' }
            'Test-PyIndex' { "$($result.Credentials)" | Should -Be 'Accepted'; $result.CredentialSource | Should -Be 'parameter' }
        }
    }
}

Describe 'Compare-IndexStrategy -UvVersion through the session' -Tag 'Engine' {
    It 'sends -Credential to its index under both releases and honours -Proxy like every other search' {
        $project = New-Project -Name 'uvversion-cred' -Url $InternalUrl
        $credential = [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
        $result = Compare-IndexStrategy acme-auth -Path $project -UvVersion 0.6.17, 0.12.5 -NoCache -Credential $credential -CredentialIndex internal
        $result.A.Index | Should -Be 'internal'
        $result.B.Index | Should -Be 'internal'
        ($result.B.Attempts | Select-Object -First 1).CredentialSource | Should -Be 'parameter'
        # A proxy that refuses connections: the comparison's requests go through it (before, they ignored -Proxy).
        $viaProxy = Compare-IndexStrategy acme-auth -Path $project -UvVersion 0.6.17, 0.12.5 -NoCache -Proxy 'http://127.0.0.1:9' -ErrorAction SilentlyContinue
        $viaProxy.B.Resolved | Should -BeFalse
        ($viaProxy.B.Attempts | Select-Object -First 1).Outcome | Should -Not -Be 'Found'
    }
}

Describe 'Credential sources on every network cmdlet' -Tag 'Engine' {
    It '<_> finds the keyring credential (fake keyring on PATH) and warns about nothing' -ForEach @('Resolve-PyPackage', 'Test-PyLock', 'Find-ShadowedPackage', 'Compare-IndexStrategy', 'Test-PyIndex') {
        $bin = Join-Path $TestDrive "keyring-$_"
        $null = New-Item -ItemType Directory -Path $bin -Force
        $log = Join-Path $bin 'calls.log'
        Set-Content -Path (Join-Path $bin 'keyring') -Encoding ascii -Value "#!/bin/sh`necho `"`$*`" >> '$log'`necho '$Password'`n"
        chmod +x (Join-Path $bin 'keyring')
        $project = New-Project -Name "kr-$_" -Url $UserUrl
        $saved = $env:PATH
        $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
        $env:UV_KEYRING_PROVIDER = 'subprocess'
        try {
            $all = & $Calls[$_] $project @{} 3>&1
        }
        finally { $env:PATH = $saved; Remove-Item Env:UV_KEYRING_PROVIDER }
        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $result = @($all | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
        $result | Should -Not -BeNullOrEmpty
        $warnings | Should -BeNullOrEmpty
        (Get-Content $log | Select-Object -First 1) | Should -Be "get $InternalUrl $User"
        if ($_ -eq 'Resolve-PyPackage') { ($result.Attempts | Select-Object -First 1).CredentialSource | Should -Be 'keyring' }
        if ($_ -eq 'Test-PyIndex') { "$($result.Credentials)" | Should -Be 'Accepted'; $result.CredentialSource | Should -Be 'keyring' }
    }

    It 'Test-PyIndex -Url takes the keyring from UV_KEYRING_PROVIDER through the same session sources' {
        $bin = Join-Path $TestDrive 'keyring-url'
        $null = New-Item -ItemType Directory -Path $bin -Force
        $log = Join-Path $bin 'calls.log'
        Set-Content -Path (Join-Path $bin 'keyring') -Encoding ascii -Value "#!/bin/sh`necho `"`$*`" >> '$log'`necho '$Password'`n"
        chmod +x (Join-Path $bin 'keyring')
        $saved = $env:PATH
        $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
        $env:UV_KEYRING_PROVIDER = 'subprocess'
        try { $result = Test-PyIndex -Url $UserUrl 3>$null }
        finally { $env:PATH = $saved; Remove-Item Env:UV_KEYRING_PROVIDER }
        "$($result.Credentials)" | Should -Be 'Accepted'
        $result.CredentialSource | Should -Be 'keyring'
        (Get-Content $log | Select-Object -First 1) | Should -Be "get $InternalUrl $User"
    }

    It '<_> warns that the keyring executable is missing' -ForEach @('Resolve-PyPackage', 'Test-PyLock', 'Find-ShadowedPackage', 'Compare-IndexStrategy', 'Test-PyIndex') {
        $project = New-Project -Name "nokr-$_" -Url $UserUrl
        $saved = $env:PATH
        $env:PATH = (Join-Path $TestDrive 'no-such-bin') + [IO.Path]::PathSeparator + '/usr/bin' + [IO.Path]::PathSeparator + '/bin'
        $env:UV_KEYRING_PROVIDER = 'subprocess'
        try {
            $ErrorActionPreference = 'SilentlyContinue'
            $warnings = @(& $Calls[$_] $project @{} 3>&1 2>$null | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        }
        finally { $env:PATH = $saved; Remove-Item Env:UV_KEYRING_PROVIDER }
        @($warnings | Where-Object { "$_" -like '*keyring*executable is on PATH*' }).Count | Should -Be 1
    }

    It '<_> warns about a credentials.toml that is not valid TOML and goes on' -ForEach @('Resolve-PyPackage', 'Test-PyLock', 'Find-ShadowedPackage', 'Compare-IndexStrategy', 'Test-PyIndex') {
        $dir = Join-Path $TestDrive "store-$_"
        $null = New-Item -ItemType Directory -Path $dir -Force
        Set-Content -Path (Join-Path $dir 'credentials.toml') -Value "[[credential]`nservice = " -Encoding utf8
        $project = New-Project -Name "store-$_" -Url $InternalUrl
        $env:UV_CREDENTIALS_DIR = $dir
        try {
            $ErrorActionPreference = 'SilentlyContinue'
            $warnings = @(& $Calls[$_] $project @{} 3>&1 2>$null | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        }
        finally { Remove-Item Env:UV_CREDENTIALS_DIR }
        @($warnings | Where-Object { "$_" -like '*credential store*credentials.toml*' }).Count | Should -Be 1
    }

    It 'the hint for a refused uv-store credential names uv auth login' {
        $dir = Join-Path $TestDrive 'store-wrong'
        $null = New-Item -ItemType Directory -Path $dir -Force
        Set-Content -Path (Join-Path $dir 'credentials.toml') -Encoding utf8 -Value "[[credential]]`nservice = `"$($InternalUrl.TrimEnd('/'))`"`nusername = `"$User`"`npassword = `"wrong`"`n"
        $project = New-Project -Name 'store-wrong' -Url $InternalUrl
        $env:UV_CREDENTIALS_DIR = $dir
        try { $result = Resolve-PyPackage acme-auth -Path $project -NoCache -ErrorAction SilentlyContinue }
        finally { Remove-Item Env:UV_CREDENTIALS_DIR }
        ($result.Attempts | Select-Object -First 1).CredentialSource | Should -Be 'uv-store'
        $result.Hint | Should -BeLike '*uv auth login*'
    }
}
