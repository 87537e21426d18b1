# The on-disk cache as a user meets it through Resolve-PyPackage: warm runs ask nothing, -Refresh revalidates,
# -Offline answers without any network, and a miss under -Offline is "not found" (the search goes on), as in uv.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    $fixture = Join-Path $TestDrive 'cache-fixture.json'
    Set-Content -Path $fixture -Value (@{ Indexes = @(@{
        Name = 'pypi'
        Packages = @{ requests = @('requests-2.32.3-py3-none-any.whl'); numpy = @('numpy-2.1.0-py3-none-any.whl') }
        Behavior = @{ CacheControl = 'max-age=600' }
    }) } | ConvertTo-Json -Depth 6)
    $script:Server = Start-IndexServer -Fixture $fixture
    $script:Pypi = $Server.Indexes['pypi']
    $script:OldCache = $env:INDEXTOOLS_CACHE_DIR
    $env:INDEXTOOLS_CACHE_DIR = Join-Path $TestDrive 'cache'
    function Get-Requests { (Invoke-RestMethod -NoProxy -Uri ($Server.BaseUrl + '_control/requests')).total }
    function Clear-Requests { Invoke-RestMethod -NoProxy -Method Delete -Uri ($Server.BaseUrl + '_control/requests') | Out-Null }
}

AfterAll {
    if ($Server) { Stop-IndexServer $Server }
    $env:INDEXTOOLS_CACHE_DIR = $OldCache
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Resolve-PyPackage and the cache' {
    It 'answers a warm re-run inside max-age with zero requests, and says so per attempt' {
        (Resolve-PyPackage requests -NoConfig -DefaultIndex "pypi=$Pypi").Resolved | Should -BeTrue
        Clear-Requests
        $warm = Resolve-PyPackage requests -NoConfig -DefaultIndex "pypi=$Pypi"
        $warm.Version | Should -Be '2.32.3'
        $warm.Attempts[0].Tries | Should -Be 0
        $warm.Attempts[0].Reason | Should -Match 'from the cache'
        Get-Requests | Should -Be 0
    }

    It 'revalidates with -Refresh and gets 304' {
        Clear-Requests
        $fresh = Resolve-PyPackage requests -NoConfig -DefaultIndex "pypi=$Pypi" -Refresh
        $fresh.Attempts[0].StatusCode | Should -Be 304
        $fresh.Attempts[0].Reason | Should -Match 'revalidated: 304'
        Get-Requests | Should -Be 1
    }

    It 'answers from the cache with -Offline even when the server is gone, and reports a miss clearly' {
        $port = ([uri] $Pypi).Port
        Stop-IndexServer $Server
        $script:Server = $null
        $hit = Resolve-PyPackage requests -NoConfig -DefaultIndex "pypi=http://127.0.0.1:$port/pypi/simple/" -Offline
        $hit.Resolved | Should -BeTrue
        $miss = Resolve-PyPackage numpy -NoConfig -DefaultIndex "pypi=http://127.0.0.1:$port/pypi/simple/" -Offline -ErrorAction SilentlyContinue -ErrorVariable err
        # uv: ErrorKind::Offline -> NotFound, the search continues; the hint says the network was disabled.
        $miss.StopReason | Should -Be 'NotFound'
        $miss.Attempts[0].Outcome | Should -Be 'NotFound'
        $miss.Attempts[0].Decision | Should -Be 'Continue'
        $miss.Attempts[0].Reason | Should -Match "offline: 'numpy' is not in the cache"
        $miss.Hint | Should -Match 'network was disabled'
        $err[0].FullyQualifiedErrorId | Should -Be 'PackageNotFound,IndexTools.Cmdlets.ResolvePyPackageCommand'
    }

    It 'goes on to the next index under -Offline when the first has no cached page, as uv --offline does' {
        $port = ([uri] $Pypi).Port
        # requests is cached for 'pypi' (earlier tests); the 'empty' index was never asked, so it is not cached.
        $result = Resolve-PyPackage requests -NoConfig -Index "empty=http://127.0.0.1:$port/empty/simple/" -DefaultIndex "pypi=http://127.0.0.1:$port/pypi/simple/" -Offline
        $result.Resolved | Should -BeTrue
        $result.Index | Should -Be 'pypi'
        $result.Attempts[0].Index | Should -Be 'empty'
        $result.Attempts[0].Outcome | Should -Be 'NotFound'
        $result.Attempts[0].Decision | Should -Be 'Continue'
    }

    It 'refuses -Offline together with -Refresh' {
        { Resolve-PyPackage requests -NoConfig -Offline -Refresh } | Should -Throw -ErrorId 'CacheParameterConflict,IndexTools.Cmdlets.ResolvePyPackageCommand'
    }
}
