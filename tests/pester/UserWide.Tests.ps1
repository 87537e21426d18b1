# User-wide ignore-error-codes (issue 18): the README section "uv 0.7 stopped at my registry's 403" run as written, in a
# fresh pwsh with HOME and XDG_CONFIG_HOME in a temp folder, against the local index server (a registry that answers 403
# for names it does not have, and a PyPI); Set-IndexIgnoredCodes -Url creating and converting entries; the shadow warning.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    $fixture = Join-Path $TestDrive 'registry-403.json'
    Set-Content $fixture -Encoding utf8 -Value @'
{
  "indexes": [
    { "name": "corp", "behavior": { "profile": "artifactory", "missingStatus": 403 },
      "packages": { "acme-utils": [ "acme_utils-1.4.0-py3-none-any.whl" ] } },
    { "name": "pypi", "behavior": { "profile": "pypi" },
      "packages": { "requests": [ "requests-2.32.3-py3-none-any.whl" ] } }
  ]
}
'@
    $script:Server = Start-IndexServer -Fixture $fixture
    $script:Homes = @()
    $script:Corp = $Server.Indexes['corp']
    $script:PyPI = $Server.Indexes['pypi']

    # A home of its own: HOME, XDG_CONFIG_HOME (uv's user uv.toml is $XDG_CONFIG_HOME/uv/uv.toml), a project folder.
    function script:New-Home([string] $Name) {
        # A short path (not under TestDrive): the views wrap at 80 columns and the tests read file paths from them.
        $root = Join-Path ([IO.Path]::GetTempPath()) ('uw-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        $script:Homes += $root
        New-Item -ItemType Directory (Join-Path $root 'home'), (Join-Path $root 'app') | Out-Null
        Set-Content (Join-Path $root 'app/pyproject.toml') "[project]`nname = `"app`"`nversion = `"0.1.0`"`ndependencies = [`"requests`"]`n" -NoNewline
        [pscustomobject] @{ Root = $root; Home = Join-Path $root 'home'; Config = Join-Path $root 'home/.config'; UserFile = Join-Path $root 'home/.config/uv/uv.toml'; App = Join-Path $root 'app' }
    }

    # Runs $Lines as a script in a fresh `pwsh -NoProfile -NonInteractive` ($ErrorActionPreference = 'Stop', as a CI step
    # runs) in the home's project folder, and returns everything it printed, in order (the host's What if lines too).
    function script:Invoke-InHome($Place, [string[]] $Lines) {
        $prelude = @(
            "`$ErrorActionPreference = 'Stop'"
            "`$PSStyle.OutputRendering = 'PlainText'"
            "`$env:HOME = '$($Place.Home)'; `$env:XDG_CONFIG_HOME = '$($Place.Config)'; `$env:UV_NO_SYSTEM_CONFIG = '1'"
            "`$env:UV_INDEX_URL = `$null; `$env:UV_EXTRA_INDEX_URL = `$null; `$env:UV_INDEX = `$null; `$env:UV_DEFAULT_INDEX = `$null"
            "`$env:PSModulePath = '$(Split-Path $ModulePath -Parent)' + [IO.Path]::PathSeparator + `$env:PSModulePath"
            "Set-Location '$($Place.App)'"
            "`$corp = '$Corp'"
        )
        $file = Join-Path $TestDrive ('step-' + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -Path $file -Value (($prelude + $Lines) -join "`n") -Encoding utf8
        $pwsh = @(Get-PwshCommand)
        $out = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) 2>&1
        @($out | ForEach-Object { "$_" }) -join "`n"
    }
}

AfterAll {
    Stop-IndexServer $Server
    foreach ($root in $Homes) { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'README: uv 0.7 stopped at my registry''s 403' -Tag 'Engine' {
    It 'walks the case end to end: the stop, the 403 for missing names, the user-wide fix once, where it comes from' {
        $h = New-Home 'readme'
        New-Item -ItemType Directory (Split-Path $h.UserFile) | Out-Null
        # As the README's user has it: the registry as extra-index-url in the user uv.toml (PyPI is the local one here).
        $before = "index-url = `"$PyPI`"`nextra-index-url = [`"$Corp`"]`n"
        [IO.File]::WriteAllText($h.UserFile, $before)

        $snippet = Get-ReadmeSnippet 'indextools-403'
        $snippet[0] | Should -Be 'Import-Module IndexTools'
        $text = Invoke-InHome $h $snippet
        $lines = $text -split "\r?\n"

        # 1. Resolve-PyPackage shows the stop at the registry's 403; PyPI is never asked.
        $text | Should -Match 'requests: AuthenticationFailed'
        ($lines | Where-Object { $_ -match '^\s+1\. .*corp/simple/requests/ AuthFailed\s+403' }).Count | Should -Be 1
        ($lines | Where-Object { $_ -match '^\s+2\. .*pypi/simple/requests/ Skipped' }).Count | Should -Be 1
        # 2. Test-PyIndex: 403 for a missing name, and the recommendation.
        $text | Should -Match 'MissingStatusAnonymous\s+: 403'
        $text | Should -Match 'RecommendedIgnoreErrorCodes\s+: \{403\}'
        # 3. -WhatIf: the conversion, with the search order before and after (the same order).
        $text | Should -Match ([regex]::Escape("What if: Performing the operation `"Convert extra-index-url (line 2) $Corp into [[index]] 'corp' with ignore-error-codes = [403]`""))
        $i = [array]::IndexOf($lines, 'Search order before:')
        $i | Should -BeGreaterThan 0
        $lines[$i + 1] | Should -Be "  1. $Corp"
        $lines[$i + 2] | Should -Be "  2. $PyPI (default)"
        $lines[$i + 3] | Should -Be 'Search order after:'
        $lines[$i + 4] | Should -Be "  1. corp $Corp"
        $lines[$i + 5] | Should -Be "  2. $PyPI (default)"
        # ... then the fix, once, in the user uv.toml: the extra-index-url became the named entry.
        [IO.File]::ReadAllText($h.UserFile) | Should -Be ("index-url = `"$PyPI`"`n`n[[index]]`nname = `"corp`"`nurl = `"$Corp`"`nignore-error-codes = [403]`n")
        # 4. The same resolution now goes past the 403 to PyPI.
        $text | Should -Match ([regex]::Escape("requests 2.32.3 from $PyPI"))
        ($lines | Where-Object { $_ -match "^\s+1\. corp\s+Ignored\s+403\s+HTTP 403 is ignored for 'corp'" }).Count | Should -Be 1
        # 5. Get-IndexStrategy shows where the setting now comes from: the user file and line.
        $text | Should -Match ([regex]::Escape("PolicyFile         : $($h.UserFile)"))
        $text | Should -Match 'PolicyLine         : 6'
    }

    It 'the README shows the user uv.toml the snippet converts and the commands it runs' {
        $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
        $readme | Should -Match '## uv 0\.7 stopped at my registry''s 403'
        foreach ($line in Get-ReadmeSnippet 'indextools-403') { $readme | Should -Match ([regex]::Escape($line)) }
    }
}

Describe 'Set-IndexIgnoredCodes -Url' -Tag 'Engine' {
    It 'creates the user uv.toml and its folder; -WhatIf writes nothing; a second run changes nothing' {
        $h = New-Home 'create'
        $text = Invoke-InHome $h @(
            'Import-Module IndexTools'
            'Set-IndexIgnoredCodes -Scope User -Name corp -Url $corp -StatusCode 403 -WhatIf'
            "Test-Path '$(Split-Path $h.UserFile)'"
        )
        $text | Should -Match ([regex]::Escape("Create [[index]] 'corp' ($Corp) with ignore-error-codes = [403]`" on target `"$($h.UserFile) (new file)`""))
        ($text -split "\r?\n") | Should -Contain 'False'
        Test-Path (Split-Path $h.UserFile) | Should -BeFalse

        $text = Invoke-InHome $h @(
            'Import-Module IndexTools'
            'Set-IndexIgnoredCodes -Scope User -Name corp -Url $corp -StatusCode 403 -Force -PassThru | Format-List Name, IgnoredStatusCodes, ConfigFile'
            'Set-IndexIgnoredCodes -Scope User -Name corp -Url $corp -StatusCode 403 -Force -Verbose'
        )
        [IO.File]::ReadAllText($h.UserFile) | Should -Be "[[index]]`nname = `"corp`"`nurl = `"$Corp`"`nignore-error-codes = [403]`n"
        $text | Should -Match 'IgnoredStatusCodes : \{403\}'
        $text | Should -Match 'ignore-error-codes is already \[403\]; nothing to change'
    }

    It 'asks before weakening without -Force, and a declined confirmation leaves the file byte for byte' {
        $h = New-Home 'confirm'
        New-Item -ItemType Directory (Split-Path $h.UserFile) | Out-Null
        $before = "# mine`r`nextra-index-url = [`"$Corp`"]`r`n"
        [IO.File]::WriteAllText($h.UserFile, $before)
        # Non-interactive: ShouldContinue cannot ask, so the weakening edit fails and nothing is written.
        $text = Invoke-InHome $h @(
            'Import-Module IndexTools'
            'try { Set-IndexIgnoredCodes -Scope User -Name corp -Url $corp -StatusCode 403 -ErrorAction Stop } catch { "refused: " + $_.FullyQualifiedErrorId }'
        )
        $text | Should -Match 'refused: '
        [IO.File]::ReadAllText($h.UserFile) | Should -BeExactly $before
    }

    It 'refuses a conversion that would change the search order and leaves the file byte for byte' {
        $h = New-Home 'order'
        New-Item -ItemType Directory (Split-Path $h.UserFile) | Out-Null
        $before = "extra-index-url = [`"$PyPI`", `"$Corp`"]  # two`n"
        [IO.File]::WriteAllText($h.UserFile, $before)
        $text = Invoke-InHome $h @(
            'Import-Module IndexTools'
            'Set-IndexIgnoredCodes -Scope User -Name corp -Url $corp -StatusCode 403 -Force -ErrorVariable e -ErrorAction SilentlyContinue'
            '$e[0].FullyQualifiedErrorId'
        )
        $text | Should -Match 'SearchOrderWouldChange,IndexTools\.Cmdlets\.SetIndexIgnoredCodesCommand'
        [IO.File]::ReadAllText($h.UserFile) | Should -BeExactly $before
    }

    It 'never writes a second entry with the same URL' {
        $h = New-Home 'duplicate'
        New-Item -ItemType Directory (Split-Path $h.UserFile) | Out-Null
        $before = "[[index]]`nname = `"registry`"`nurl = `"$Corp`"`n"
        [IO.File]::WriteAllText($h.UserFile, $before)
        $text = Invoke-InHome $h @(
            'Import-Module IndexTools'
            'Set-IndexIgnoredCodes -Scope User -Name corp -Url ($corp.TrimEnd("/")) -StatusCode 403 -Force -ErrorVariable e -ErrorAction SilentlyContinue'
            '$e[0].FullyQualifiedErrorId'
        )
        $text | Should -Match 'IndexUrlConflict'
        [IO.File]::ReadAllText($h.UserFile) | Should -BeExactly $before
    }
}

Describe 'Get-IndexStrategy across layers' -Tag 'Engine' {
    It 'names the governing project entry and warns that the user-level setting is shadowed, with both files and lines' {
        $h = New-Home 'shadow'
        New-Item -ItemType Directory (Split-Path $h.UserFile) | Out-Null
        [IO.File]::WriteAllText($h.UserFile, "index-url = `"$PyPI`"`n`n[[index]]`nname = `"corp`"`nurl = `"$Corp`"`nignore-error-codes = [403]`n")
        $project = Join-Path $h.App 'pyproject.toml'
        [IO.File]::WriteAllText($project, "[project]`nname = `"app`"`nversion = `"0.1.0`"`n`n[[tool.uv.index]]`nname = `"internal`"`nurl = `"$Corp`"`n")
        $text = Invoke-InHome $h @(
            'Import-Module IndexTools'
            'Get-IndexStrategy | Where-Object Name -eq internal | Format-List Name, IgnoredStatusCodes, GoverningEntry, OtherDefinitions | Out-String -Width 250'
            'Resolve-PyPackage requests -ErrorAction SilentlyContinue | ForEach-Object { "outcome: " + $_.Attempts[0].Outcome }'
        )
        $flat = $text -replace ' +', ' '
        $flat | Should -Match ([regex]::Escape("WARNING: User setting $($h.UserFile):6 [[index]] 'corp' ignore-error-codes = [403] has no effect on $Corp"))
        $flat | Should -Match ([regex]::Escape("the project entry ${project}:5 [[tool.uv.index]] 'internal' defines the same URL first"))
        $flat | Should -Match ([regex]::Escape("GoverningEntry : ${project}:5 [[tool.uv.index]] 'internal'"))
        $flat | Should -Match ([regex]::Escape("OtherDefinitions : {$($h.UserFile):3 [[index]] 'corp'}"))
        # The search agrees: the project entry's policy (none) applies, so the 403 stops it.
        $text | Should -Match 'outcome: AuthFailed'
    }
}
