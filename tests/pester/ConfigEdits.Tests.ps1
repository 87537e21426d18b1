# Issue 5, "TOML edits": Set-IndexIgnoredCodes from several processes at once loses no update; locked, read-only and
# missing files give clear errors naming the file and leave it byte-for-byte unchanged.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force

    function script:New-ManyIndexProject([string] $Path, [int] $Count) {
        New-Item -ItemType Directory -Force $Path | Out-Null
        $text = "[project]`nname = `"app`"`nversion = `"0.1.0`"`n`n[tool.uv]`n"
        foreach ($i in 0..($Count - 1)) { $text += "`n[[tool.uv.index]]`nname = `"i$i`"`nurl = `"https://i$i.example/simple`"`n" }
        $file = Join-Path $Path 'pyproject.toml'
        [IO.File]::WriteAllText($file, $text)
        return $file
    }

    # The side file ConfigFileLock uses: <lock folder>/<first 16 bytes of sha256(resolved path)>.lock, the folder being
    # $XDG_RUNTIME_DIR/indextools-locks when that folder is ours and 0700, else temp/indextools-locks-<uid> (Windows:
    # temp/indextools-locks-<user>, the key upper-cased).
    function script:Get-EditLockPath([string] $File) {
        $full = [IO.Path]::GetFullPath($File)
        if ($IsWindows) {
            $key = $full.ToUpperInvariant()
            $user = -join ([Environment]::UserName.ToCharArray() | ForEach-Object { if ([char]::IsLetterOrDigit($_) -or $_ -in '-', '_') { $_ } else { '_' } })
            $folder = Join-Path ([IO.Path]::GetTempPath()) "indextools-locks-$user"
        }
        else {
            $key = (& realpath -m -- $full)
            $uid = (& id -u)
            $runtime = $env:XDG_RUNTIME_DIR
            $folder = if ($runtime -and (Test-Path $runtime) -and (& stat -c '%u %a' -- $runtime) -match "^$uid [1-7]00$") { Join-Path $runtime 'indextools-locks' }
                else { Join-Path ([IO.Path]::GetTempPath()) "indextools-locks-$uid" }
        }
        $hash = [Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($key))
        $hex = -join ($hash[0..15] | ForEach-Object { $_.ToString('x2') })
        Join-Path $folder "$hex.lock"
    }
}

AfterAll {
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Set-IndexIgnoredCodes under concurrency and file faults' {
    It 'keeps every update when four pwsh processes edit the same file at once' {
        $file = New-ManyIndexProject -Path (Join-Path $TestDrive 'many') -Count 4
        $pwsh = @(Get-PwshCommand)
        $go = Join-Path $TestDrive 'go'
        $processes = foreach ($n in 0..3) {
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 10 }
foreach (`$round in 0..7) { Set-IndexIgnoredCodes -Name i$n -StatusCode (100 + `$round), (500 + $n) -Path '$file' -Force }
"@
            $scriptFile = Join-Path $TestDrive "editor$n.ps1"
            Set-Content -Path $scriptFile -Value $script
            $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptFile)) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardError = $true
            $info.UseShellExecute = $false
            [Diagnostics.Process]::Start($info)
        }
        Start-Sleep -Milliseconds 500
        New-Item -ItemType File $go | Out-Null
        foreach ($p in $processes) {
            $p.WaitForExit(120000) | Should -BeTrue
            $p.StandardError.ReadToEnd() | Should -BeNullOrEmpty
            $p.ExitCode | Should -Be 0
        }
        $policies = Get-IndexStrategy -Path (Split-Path $file)
        foreach ($n in 0..3) {
            ($policies | Where-Object Name -eq "i$n").IgnoredStatusCodes | Should -Be @(107, (500 + $n))
        }
    }

    It 'waits for an edit in progress, then fails with ConfigFileLocked naming the file' {
        $file = New-ManyIndexProject -Path (Join-Path $TestDrive 'locked') -Count 1
        $before = [IO.File]::ReadAllBytes($file)
        $lockPath = Get-EditLockPath $file
        New-Item -ItemType Directory -Force (Split-Path $lockPath) | Out-Null
        $held = [IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'None')
        try {
            Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally { $held.Dispose() }
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ConfigFileLocked,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        "$($problems[0])" | Should -BeLike "*$file*"
        [IO.File]::ReadAllBytes($file) | Should -Be $before
        # Released: the same command now succeeds.
        Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force
        (Get-Content $file -Raw) | Should -Match 'ignore-error-codes = \[403\]'
    }

    It 'refuses a read-only file with FileAccessDenied and leaves it unchanged' {
        $file = New-ManyIndexProject -Path (Join-Path $TestDrive 'readonly') -Count 1
        $before = [IO.File]::ReadAllBytes($file)
        Set-ItemProperty $file -Name IsReadOnly -Value $true
        try {
            Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally { Set-ItemProperty $file -Name IsReadOnly -Value $false }
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'FileAccessDenied,*'
        "$($problems[0])" | Should -BeLike "*$file*"
        [IO.File]::ReadAllBytes($file) | Should -Be $before
        @(Get-ChildItem -Force (Split-Path $file)).Count | Should -Be 1
    }

    It 'names a file in a missing folder and creates nothing' {
        $file = Join-Path $TestDrive 'no-such-folder/pyproject.toml'
        Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        "$($problems[0])" | Should -BeLike "*$file*"
        Test-Path (Join-Path $TestDrive 'no-such-folder') | Should -BeFalse
    }

    It 'names a file that another program holds open exclusively and leaves it unchanged' {
        $file = New-ManyIndexProject -Path (Join-Path $TestDrive 'exclusive') -Count 1
        $before = [IO.File]::ReadAllBytes($file)
        $held = [IO.File]::Open($file, 'Open', 'ReadWrite', 'None')
        try {
            Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        }
        finally { $held.Dispose() }
        $problems.Count | Should -Be 1
        "$($problems[0])" | Should -BeLike "*$file*"
        [IO.File]::ReadAllBytes($file) | Should -Be $before
    }
}
