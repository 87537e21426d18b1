# Issue 17's done-when: the demo (tools/demo.ps1, ./build.sh demo) reads cleanly at 80 columns, and README.md and
# about_IndexTools show its real output. Runs the demo as ./build.sh demo does (a fresh pwsh, the local index server,
# its own cache folder) and checks the transcript line by line; the README's and about_IndexTools' demo transcripts
# must be made of the demo's own commands, in its order (regenerate them with: ./build.sh demo > demo.txt).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Join-Path $PSScriptRoot '../..'
    $pwsh = @(Get-PwshCommand)
    $saved = $env:INDEXTOOLS_CACHE_DIR
    $env:INDEXTOOLS_CACHE_DIR = Join-Path $TestDrive 'demo-cache'
    $env:INDEXTOOLS_MODULE = Get-IndexToolsModulePath
    $env:INDEXTOOLS_INDEXSERVER = Get-IndexServerPath
    try {
        $script:Lines = @(& $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tools/demo.ps1'))) 2>&1 | ForEach-Object { "$_" })
        $script:Exit = $LASTEXITCODE
    }
    finally { $env:INDEXTOOLS_CACHE_DIR = $saved }

    # The commands of a transcript: 'PS> ' lines with their '>> ' continuations, one string each.
    function Get-Commands([string[]] $Transcript) {
        $commands = [System.Collections.Generic.List[string]]::new()
        foreach ($line in $Transcript) {
            if ($line.StartsWith('PS> ')) { $commands.Add($line.Substring(4).Trim()) }
            elseif ($line.StartsWith('>> ') -and $commands.Count -gt 0) { $commands[$commands.Count - 1] += ' ' + $line.Substring(3).Trim() }
        }
        , $commands.ToArray()
    }

    # The fenced block after the '<!-- demo transcript -->' marker (README) or the indented block under DEMO (about).
    $readmeText = Get-Content (Join-Path $root 'README.md')
    $at = [array]::IndexOf($readmeText, '<!-- demo transcript: ./build.sh demo -->')
    $script:Readme = if ($at -ge 0) { @($readmeText[($at + 2)..($readmeText.Count - 1)] | ForEach-Object -Begin { $done = $false } -Process { if ($_ -eq '```') { $done = $true }; if (-not $done) { $_ } }) } else { @() }
    # about_IndexTools: THE SEARCH ORDER to SCENARIO 3 walk the demo (its excerpts), de-indented.
    $aboutText = Get-Content (Join-Path $root 'module/help/en-US/about_IndexTools.md')
    $from = [array]::IndexOf($aboutText, 'THE SEARCH ORDER')
    $to = [array]::FindIndex([string[]] $aboutText, [Predicate[string]] { param($l) $l.StartsWith('SCENARIO 4') })
    $script:About = if ($from -ge 0 -and $to -gt $from) { @($aboutText[$from..($to - 1)] | ForEach-Object { $_ -replace '^    ', '' }) } else { @() }
}

Describe 'The demo at 80 columns' -Tag 'Engine' {
    It 'runs to the end' {
        $Exit | Should -Be 0 -Because (($Lines | Select-Object -Last 15) -join "`n")
        ($Lines -join "`n") | Should -Match '=== 64\.'
    }

    It 'writes no line wider than 80 columns' {
        $wide = @($Lines | Where-Object { $_.Length -gt 80 })
        $wide | Should -BeNullOrEmpty -Because 'these lines are too wide'
    }

    It 'shows every command it runs on lines of its own, with continuations as PowerShell prompts them' {
        $commands = Get-Commands $Lines
        $commands.Count | Should -BeGreaterThan 30
        $commands | Should -Contain 'Get-IndexStrategy'
        $commands | Should -Contain 'Get-ChildItem pyproject.toml | Resolve-PyPackage | Format-Table Package, Version, Index, Source'
    }

    It 'never shows a secret' {
        ($Lines -join "`n") | Should -Not -Match 'demo-secret-not-real|not-a-real-token|wrong-password'
    }
}

Describe 'README and about_IndexTools show the demo''s output' -Tag 'Engine' {
    It 'README has the transcript: at most 80 columns, the demo''s commands in the demo''s order' {
        $Readme.Count | Should -BeGreaterThan 100
        @($Readme | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        $inReadme = Get-Commands $Readme
        $inDemo = Get-Commands $Lines
        $inReadme | Should -Be $inDemo
        # Real output: every step header and the fixed texts of the run are there as the demo wrote them.
        foreach ($line in $Lines | Where-Object { $_ -like '=== *' }) { $Readme | Should -Contain $line }
    }

    It 'about_IndexTools walks the demo: its output at 80 columns, each demo command in the demo''s order' {
        $About.Count | Should -BeGreaterThan 50
        @($About | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty -Because 'the demo''s 80-column lines, indented by 4'
        $all = Get-Commands $Lines
        $position = -1
        # The user-wide example is not a demo step (README's "uv 0.7 stopped at my registry's 403" runs it).
        $inAbout = Get-Commands $About
        foreach ($command in $inAbout | Where-Object { $_ -notlike '*-Scope User*' }) {
            $next = [array]::IndexOf($all, $command, $position + 1)
            $next | Should -BeGreaterThan $position -Because "'$command' must be one of the demo's commands, in its order"
            $position = $next
        }
        $position | Should -BeGreaterThan 5
    }
}
