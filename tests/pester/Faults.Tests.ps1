# Issue 5, "Bad input and faults", as a user meets them: one broken index gives its package a clear IndexError naming
# the index, the run does not stop or hang, and the other packages of the same call resolve.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $fixture = @{
        description = 'faults test: a healthy index first, then indexes that break in different ways'
        indexes     = @(
            @{ name = 'healthy'; packages = @{ 'good-one' = @('good_one-1.0.0-py3-none-any.whl'); 'good-two' = @('good_two-2.0.0-py3-none-any.whl') } }
            @{ name = 'resets'; behavior = @{ malformed = 'reset' }; packages = @{ 'bad' = @('bad-1.0.0-py3-none-any.whl') } }
            @{ name = 'truncated'; behavior = @{ malformed = 'truncated-json'; formats = 'json' }; packages = @{ 'bad' = @('bad-1.0.0-py3-none-any.whl') } }
            @{ name = 'stalls'; behavior = @{ latencyMs = 20000 }; packages = @{ 'bad' = @('bad-1.0.0-py3-none-any.whl') } }
        )
    }
    $fixtureFile = Join-Path $TestDrive 'faults-fixture.json'
    $fixture | ConvertTo-Json -Depth 8 | Set-Content -Path $fixtureFile -Encoding utf8
    $script:Server = Start-IndexServer -Fixture $fixtureFile
    # No retries: the faults are permanent, and uv's backoff would only make the test slow.
    $env:UV_HTTP_RETRIES = '0'
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item Env:UV_HTTP_RETRIES -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'A broken index fails only its own package' -Tag 'Engine' {
    It 'gives <Broken> a clear IndexError and resolves the others' -ForEach @(
        @{ Broken = 'resets'; Words = 'connection' }
        @{ Broken = 'truncated'; Words = 'JSON page is malformed' }
        @{ Broken = 'stalls'; Words = 'timed out' }
    ) {
        $results = Resolve-PyPackage good-one, bad, good-two -NoConfig -Index $Server.Indexes['healthy'], $Server.Indexes[$Broken] -TimeoutSec 5 -NoCache -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.Package | Should -Be @('good-one', 'bad', 'good-two')
        $results[0].Version | Should -Be '1.0.0'
        $results[2].Version | Should -Be '2.0.0'
        $results[1].Resolved | Should -BeFalse
        $results[1].StopReason | Should -Be 'IndexError'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'IndexError,*'
        $problems[0].TargetObject | Should -Be 'bad'
        "$($problems[0])" | Should -BeLike "*$Words*"
    }
}
