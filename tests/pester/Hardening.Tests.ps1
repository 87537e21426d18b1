# Issue 20.16: index names that uv maps to the same UV_INDEX_<NAME>_* variables are shown by Get-IndexStrategy.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
}

Describe 'Get-IndexStrategy credential variable collisions' {
    It 'warns when two indexes read the same UV_INDEX_ variables' {
        $folder = Join-Path $TestDrive 'collide'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content -Path (Join-Path $folder 'uv.toml') -Value @'
[[index]]
name = "corp-a"
url = "https://a.example/simple/"

[[index]]
name = "corp_a"
url = "https://b.example/simple/"

[[index]]
name = "other"
url = "https://c.example/simple/"
'@
        $policies = Get-IndexStrategy -Path $folder -WarningVariable warnings -WarningAction SilentlyContinue
        @($policies).Count | Should -BeGreaterOrEqual 3
        $collision = @($warnings | Where-Object { "$_" -like '*UV_INDEX_CORP_A_USERNAME*' })
        $collision.Count | Should -Be 1
        "$($collision[0])" | Should -BeLike "*'corp-a' and 'corp_a'*"
        @($warnings | Where-Object { "$_" -like '*UV_INDEX_OTHER_*' }).Count | Should -Be 0
    }

    It 'does not warn when every index has its own variables' {
        $folder = Join-Path $TestDrive 'distinct'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content -Path (Join-Path $folder 'uv.toml') -Value @'
[[index]]
name = "corp-a"
url = "https://a.example/simple/"

[[index]]
name = "corp-b"
url = "https://b.example/simple/"
'@
        $null = Get-IndexStrategy -Path $folder -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | Where-Object { "$_" -like '*credential variables*' }).Count | Should -Be 0
    }
}
