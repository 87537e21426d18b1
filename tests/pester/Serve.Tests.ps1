# `./build.sh serve` (tools/Start-DemoServer.ps1): the demo's index server started in the background and left running,
# a project written with its URLs, commands that work against it, and -Stop that ends it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force
    $script:Script = Join-Path $PSScriptRoot '../../tools/Start-DemoServer.ps1'
    $script:Folder = Join-Path $TestDrive 'serve'
    $script:Printed = @(& $Script -ModulePath $ModulePath -ServerPath (Get-IndexServerPath) -Folder $Folder 6>&1 | ForEach-Object { "$_" }) -join "`n"
    $script:ServerPid = [int] (Get-Content -Raw (Join-Path $Folder 'server.pid')).Trim()
}

AfterAll {
    & $Script -ModulePath $ModulePath -ServerPath (Get-IndexServerPath) -Folder $Folder -Stop 6>$null
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'serve: the demo index server left running' -Tag 'Engine' {
    It 'prints each index URL, a [[tool.uv.index]] block and the commands, and the server answers there' {
        $urls = [regex]::Matches($Printed, '(?m)^  (internal|pytorch|pypi)\s+(http://127\.0\.0\.1:\d+/\S+/simple/)')
        @($urls | ForEach-Object { $_.Groups[1].Value }) | Should -Be @('internal', 'pytorch', 'pypi')
        $Printed | Should -Match '(?m)^\[\[tool\.uv\.index\]\]$'
        foreach ($cmdlet in (Get-Module IndexTools).ExportedCmdlets.Keys) { $Printed | Should -Match ([regex]::Escape($cmdlet)) }
        $pypi = ($urls | Where-Object { $_.Groups[1].Value -eq 'pypi' }).Groups[2].Value
        (Invoke-WebRequest "${pypi}requests/" -UseBasicParsing).Content | Should -Match 'requests-2\.32\.3'
    }

    It 'keeps running in the background after the script returned' {
        Start-Sleep -Milliseconds 500
        (Get-Process -Id $ServerPid).HasExited | Should -BeFalse
    }

    It 'writes a project the printed commands work in' {
        $app = Join-Path $Folder 'app'
        Get-Content -Raw (Join-Path $app 'pyproject.toml') | Should -Not -Match '\{pypi\}'
        $saved = $env:UV_INDEX_INTERNAL_USERNAME, $env:UV_INDEX_INTERNAL_PASSWORD
        $env:UV_INDEX_INTERNAL_USERNAME = 'demo'; $env:UV_INDEX_INTERNAL_PASSWORD = 'demo-secret-not-real'
        Push-Location $app
        try {
            $resolved = Resolve-PyPackage -Project -ErrorAction SilentlyContinue
            ($resolved | Where-Object Package -EQ 'requests').Index | Should -Be 'pypi'
            ($resolved | Where-Object Package -EQ 'acme-utils').Index | Should -Be 'internal'
        }
        finally {
            Pop-Location
            $env:UV_INDEX_INTERNAL_USERNAME, $env:UV_INDEX_INTERNAL_PASSWORD = $saved
        }
    }

    It 'stops the server it started with -Stop, and a second start replaces the first' {
        $first = $ServerPid
        & $Script -ModulePath $ModulePath -ServerPath (Get-IndexServerPath) -Folder $Folder 6>$null
        $second = [int] (Get-Content -Raw (Join-Path $Folder 'server.pid')).Trim()
        $second | Should -Not -Be $first
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Get-Process -Id $first -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-Process -Id $first -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        & $Script -ModulePath $ModulePath -ServerPath (Get-IndexServerPath) -Folder $Folder -Stop 6>$null
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Get-Process -Id $second -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-Process -Id $second -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Join-Path $Folder 'server.pid' | Should -Not -Exist
    }
}
