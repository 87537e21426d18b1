# Get-IndexStrategy warns about indexes pip's settings define, which uv ignores.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    $script:Project = Join-Path $TestDrive 'app'
    New-UvProject -Path $Project -Index @(@{ Name = 'internal'; Url = 'https://pkgs.example.test/simple'; Default = $true }) | Out-Null
    $script:Saved = @{}
    foreach ($name in 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_CONFIG_FILE', 'XDG_CONFIG_HOME') { $Saved[$name] = [Environment]::GetEnvironmentVariable($name) }
}

AfterAll {
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Get-IndexStrategy and pip settings' {
    BeforeEach {
        foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
        # Never the machine's or the user's own pip files.
        $env:PIP_CONFIG_FILE = '/dev/null'
    }

    It 'warns once about PIP_INDEX_URL and PIP_EXTRA_INDEX_URL, redacted, and lists them on each policy' {
        $env:PIP_INDEX_URL = 'https://ci:pip-secret-771@corp.example.test/simple'
        $env:PIP_EXTRA_INDEX_URL = 'https://extra.example.test/simple'
        $warnings = $null
        $policies = @(Get-IndexStrategy -Path $Project -WarningVariable warnings -WarningAction SilentlyContinue)
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'uv ignores'
        "$($warnings[0])" | Should -Match ([regex]::Escape('https://****@corp.example.test/simple (env: PIP_INDEX_URL)'))
        "$($warnings[0])" | Should -Not -Match 'pip-secret-771'
        $policies[0].IgnoredPipIndexes.Url | Should -Be @('https://****@corp.example.test/simple', 'https://extra.example.test/simple')
        $policies[0].IgnoredPipIndexes.Setting | Should -Be @('index-url', 'extra-index-url')
        ($policies | ConvertTo-Json -Depth 5) | Should -Not -Match 'pip-secret-771'
    }

    It 'reads index-url and multi-line extra-index-url from a user pip.conf' {
        Remove-Item Env:PIP_CONFIG_FILE
        $env:XDG_CONFIG_HOME = Join-Path $TestDrive 'xdg'
        New-Item -ItemType Directory -Force (Join-Path $env:XDG_CONFIG_HOME 'pip') | Out-Null
        Set-Content -Path (Join-Path $env:XDG_CONFIG_HOME 'pip/pip.conf') -Value "[global]`nindex-url = https://conf.example.test/simple`n[install]`nextra-index-url =`n    https://a.example.test/simple`n    https://b.example.test/simple"
        $policy = Get-IndexStrategy -Path $Project -WarningAction SilentlyContinue | Select-Object -First 1
        $mine = @($policy.IgnoredPipIndexes | Where-Object Source -Like "$($env:XDG_CONFIG_HOME)*")
        $mine.Url | Should -Be @('https://conf.example.test/simple', 'https://a.example.test/simple', 'https://b.example.test/simple')
        $mine[1].Source | Should -BeLike '*pip.conf `[install`]'
    }

    It 'is silent when pip defines no index' {
        $warnings = $null
        $policy = Get-IndexStrategy -Path $Project -WarningVariable warnings | Select-Object -First 1
        $warnings.Count | Should -Be 0
        $policy.IgnoredPipIndexes.Count | Should -Be 0
    }
}
