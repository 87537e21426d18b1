# Issue 17.4 with PowerShell's own console host: where a command would prompt and nobody can answer (pwsh
# -NonInteractive; input redirected as in CI, where an empty line used to answer Yes), the command's own error
# ConfirmationRequired names the question and -Force / -Confirm:$false, and nothing is done. (The prompt's default and
# the -Confirm answers are tested with a host that answers: tests/unit/Cmdlets/PromptTests.cs.)
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    $script:Server = Start-IndexServer -Demo
    $script:Project = Join-Path $TestDrive 'app'
    $script:ProjectFile = New-UvProject -Path $Project -Index @(
        @{ Name = 'internal'; Url = $Server.Indexes['internal'] }
        @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true })
    $script:Pwsh = @(Get-PwshCommand)

    # Runs $Script in a fresh console pwsh (-NonInteractive, or interactive with stdin fed $Stdin) and returns its
    # output lines; the script writes what it saw as 'RESULT <json>'.
    function Invoke-ConsolePwsh([string] $Script, [switch] $Interactive, [string] $Stdin = '') {
        $file = Join-Path $TestDrive ('child-' + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content $file ("`$PSStyle.OutputRendering = 'PlainText'`nImport-Module '$ModulePath'`nSet-Location '$Project'`n" + $Script)
        $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile') + $(if ($Interactive) { @() } else { @('-NonInteractive') }) + @('-File', $file)
        # Input piped into a native command is its redirected stdin (a CI runner's, typically empty or closed).
        $lines = $Stdin | & $Pwsh[0] @arguments 2>&1
        @($lines | ForEach-Object { "$_" })
    }

    $script:Probe = @'
$err = $null
$out = @()
try { $out = @(COMMAND -ErrorVariable err -ErrorAction SilentlyContinue) } catch { $err = @($_) }
$first = @($err)[0]
'RESULT ' + (@{
    Count = @($out).Count
    ErrorId = $first.FullyQualifiedErrorId
    Message = $first.ErrorDetails.Message
    Action = $first.ErrorDetails.RecommendedAction
} | ConvertTo-Json -Compress)
'@
    function Get-Result([string[]] $Lines) {
        $line = $Lines | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
        if (-not $line) { throw "The child wrote no RESULT:`n$($Lines -join "`n")" }
        $line.Substring(7) | ConvertFrom-Json
    }
}

AfterAll { Stop-IndexServer $Server }

Describe 'Prompt-less errors' -Tag 'Engine' {
    It 'Set-IndexIgnoredCodes weakening 401 in pwsh -NonInteractive: ConfirmationRequired naming the question and -Force; file unchanged' {
        $before = [IO.File]::ReadAllBytes($ProjectFile)
        $result = Get-Result (Invoke-ConsolePwsh ($Probe -replace 'COMMAND', 'Set-IndexIgnoredCodes -Name internal -StatusCode 401'))
        $result.ErrorId | Should -Be 'ConfirmationRequired,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        $result.Message | Should -BeLike "*Ignoring 401 on 'internal'*Continue?*Nothing was done.*"
        $result.Action | Should -BeLike '*-Force*'
        [IO.File]::ReadAllBytes($ProjectFile) | Should -Be $before
    }

    It 'the same with redirected input (CI): an empty line no longer answers the question' {
        $before = [IO.File]::ReadAllBytes($ProjectFile)
        $result = Get-Result (Invoke-ConsolePwsh ($Probe -replace 'COMMAND', 'Set-IndexIgnoredCodes -Name internal -StatusCode 403') -Interactive -Stdin '')
        $result.ErrorId | Should -Be 'ConfirmationRequired,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        [IO.File]::ReadAllBytes($ProjectFile) | Should -Be $before
    }

    It '-Confirm where nobody can answer names -Confirm:$false' {
        $before = [IO.File]::ReadAllBytes($ProjectFile)
        $result = Get-Result (Invoke-ConsolePwsh ($Probe -replace 'COMMAND', 'Set-IndexIgnoredCodes -Name internal -StatusCode 404 -Confirm'))
        $result.ErrorId | Should -Be 'ConfirmationRequired,IndexTools.Cmdlets.SetIndexIgnoredCodesCommand'
        $result.Message | Should -BeLike '*Set ignore-error-codes = `[404`]*'
        $result.Action | Should -BeLike '*-Confirm:$false*'
        [IO.File]::ReadAllBytes($ProjectFile) | Should -Be $before
    }

    It '<Command> without -Force stops with ConfirmationRequired before asking any index' -ForEach @(
        @{ Command = 'Find-ShadowedPackage' }
        @{ Command = 'Compare-IndexStrategy' }
    ) {
        foreach ($interactive in $false, $true) {
            $result = Get-Result (Invoke-ConsolePwsh ($Probe -replace 'COMMAND', "$Command acme-utils -PublicIndex pypi") -Interactive:$interactive)
            $result.ErrorId | Should -Be "ConfirmationRequired,IndexTools.Cmdlets.$($Command -replace '-', '')Command"
            $result.Message | Should -BeLike "*including the public 'pypi'*"
            $result.Action | Should -BeLike '*-Force*-Confirm:$false*'
            $result.Count | Should -Be 0
        }
    }

    It '<Command> -WhatIf writes what it would ask, asks nothing, and -Confirm:$false runs it' -ForEach @(
        @{ Command = 'Find-ShadowedPackage'; All = ' -IncludeUnshadowed' }
        @{ Command = 'Compare-IndexStrategy'; All = '' }
    ) {
        $lines = Invoke-ConsolePwsh ($Probe -replace 'COMMAND', "$Command acme-utils -PublicIndex pypi -WhatIf")
        $result = Get-Result $lines
        $result.ErrorId | Should -BeNullOrEmpty
        $result.Count | Should -Be 0
        @($lines | Where-Object { $_ -like 'What if: *' }) | Should -HaveCount 1
        ($lines | Where-Object { $_ -like 'What if: *' }) | Should -BeLike "*including the public 'pypi'*1 package name(s): acme-utils*"
        $ran = Get-Result (Invoke-ConsolePwsh ($Probe -replace 'COMMAND', "$Command acme-utils -PublicIndex pypi$All -Confirm:`$false"))
        $ran.ErrorId | Should -BeNullOrEmpty
        $ran.Count | Should -Be 1
    }
}
