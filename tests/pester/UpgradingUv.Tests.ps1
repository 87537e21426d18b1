# README "Upgrading uv" (issue 14): the project and the commands of that section run as written, in a fresh pwsh with HOME
# and XDG_CONFIG_HOME in a temp folder, against the local index server (an Artifactory-like registry that answers 403 for
# names it does not have, and a PyPI with a pre-release). What they print must be, line for line, the output the README
# shows (with the local server's URLs renamed), so the section cannot drift from what the module does.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    $fixture = Join-Path $TestDrive 'upgrading-uv.json'
    Set-Content $fixture -Encoding utf8 -Value @'
{
  "indexes": [
    { "name": "corp", "behavior": { "profile": "artifactory", "missingStatus": 403 },
      "packages": { "acme-utils": [ "acme_utils-1.4.0-py3-none-any.whl" ] } },
    { "name": "pypi", "behavior": { "profile": "pypi" },
      "packages": { "requests": [ "requests-2.32.3-py3-none-any.whl" ],
                    "httpx": [ "httpx-0.28.1-py3-none-any.whl", "httpx-1.0.0b1-py3-none-any.whl" ] } }
  ]
}
'@
    $script:Server = Start-IndexServer -Fixture $fixture
    $script:Corp = $Server.Indexes['corp']
    $script:PyPI = $Server.Indexes['pypi']
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) ('up-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory (Join-Path $Root 'home'), (Join-Path $Root 'app') | Out-Null

    # The README's text with the local URLs renamed to the ones it shows.
    function script:Rename([string] $Text) {
        $Text.Replace($Corp, 'https://pypi.corp.example/simple/').Replace($PyPI, 'https://pypi.org/simple/')
    }

    # The lines of the README's fenced block that follows "<!-- BEGIN $Marker -->", as written (not trimmed).
    function script:Get-ReadmeBlock([string] $Marker) {
        $lines = Get-Content (Join-Path $PSScriptRoot '../../README.md')
        $begin = [array]::IndexOf([string[]] $lines, "<!-- BEGIN $Marker -->")
        $end = [array]::IndexOf([string[]] $lines, "<!-- END $Marker -->")
        if ($begin -lt 0 -or $end -le $begin) { throw "README.md has no '$Marker' block." }
        $block = @($lines[($begin + 1)..($end - 1)])
        $block[0] | Should -Match '^```'
        $block[-1] | Should -Be '```'
        @($block[1..($block.Count - 2)])
    }

    function script:Invoke-InProject([string[]] $Lines) {
        $prelude = @(
            "`$ErrorActionPreference = 'Stop'"
            "`$PSStyle.OutputRendering = 'PlainText'"
            "`$env:HOME = '$(Join-Path $Root 'home')'; `$env:XDG_CONFIG_HOME = '$(Join-Path $Root 'home/.config')'; `$env:UV_NO_SYSTEM_CONFIG = '1'"
            "`$env:UV_INDEX_URL = `$null; `$env:UV_EXTRA_INDEX_URL = `$null; `$env:UV_INDEX = `$null; `$env:UV_DEFAULT_INDEX = `$null; `$env:UV_PRERELEASE = `$null; `$env:UV_CREDENTIALS_DIR = `$null"
            "`$env:PSModulePath = '$(Split-Path $ModulePath -Parent)' + [IO.Path]::PathSeparator + `$env:PSModulePath"
            "Set-Location '$(Join-Path $Root 'app')'"
        )
        $file = Join-Path $TestDrive ('step-' + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -Path $file -Value (($prelude + $Lines) -join "`n") -Encoding utf8
        $pwsh = @(Get-PwshCommand)
        $out = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) 2>&1
        @($out | ForEach-Object { "$_" })
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'README: Upgrading uv' -Tag 'Engine' {
    It 'prints exactly what the README shows for its project and commands' {
        $project = (Get-ReadmeBlock 'indextools-upgrade-project') -join "`n"
        $project = $project.Replace('https://pypi.corp.example/simple/', $Corp).Replace('https://pypi.org/simple/', $PyPI)
        $pyproject = Join-Path $Root 'app/pyproject.toml'
        [IO.File]::WriteAllText($pyproject, $project + "`n")

        $snippet = Get-ReadmeSnippet 'indextools-upgrade'
        $snippet[0] | Should -Be 'Import-Module IndexTools'
        $printed = @(Invoke-InProject $snippet | ForEach-Object { Rename $_ })
        $shown = Get-ReadmeBlock 'indextools-upgrade-output'

        # The section's claims, each checked on its own first (clearer failures than a whole-block diff) ...
        $text = $printed -join "`n"
        $text | Should -Match ([regex]::Escape('requests: uv 0.6.17 2.32.3 from pypi | uv 0.12.5 AuthenticationFailed'))
        $text | Should -Match 'astral-sh/uv#12805'
        $text | Should -Match ([regex]::Escape('httpx: uv 0.11.33 NoMatchingVersion | uv 0.12.5 1.0.0b1 from pypi'))
        $text | Should -Match 'astral-sh/uv#19993'
        $text | Should -Not -Match 'astral-sh/uv#20837'
        # ... the fix went into the project file, ...
        [IO.File]::ReadAllText($pyproject) | Should -Match 'ignore-error-codes = \[403\]'
        # ... and then the whole output, line for line, is the README's.
        ($printed -join "`n") | Should -BeExactly ($shown -join "`n")
    }

    It 'the README runs the commands it shows' {
        $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
        $readme | Should -Match '## Upgrading uv'
        foreach ($line in Get-ReadmeSnippet 'indextools-upgrade') { $readme | Should -Match ([regex]::Escape($line)) }
    }
}
