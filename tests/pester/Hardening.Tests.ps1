# Issue 20.16: index names that uv maps to the same UV_INDEX_<NAME>_* variables are shown by Get-IndexStrategy.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    # Every parameter of every cmdlet that takes an index or proxy URL (issue 20.17).
    $script:UrlParameterCases = @(
        foreach ($command in (Get-Command -Module IndexTools -CommandType Cmdlet).Name) {
            foreach ($parameter in 'Index', 'DefaultIndex', 'PublicIndex', 'Url', 'Proxy') {
                if ((Get-Command $command).Parameters.ContainsKey($parameter)) { @{ Command = $command; Parameter = $parameter } }
            }
        }
    )
}

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

# Issue 20.7, 20.8: the cache answers only for the caller it stored, seen through Resolve-PyPackage.
Describe 'The cache and credentials' {
    BeforeAll {
        $fixture = Join-Path $TestDrive 'cache-credentials.json'
        @{
            indexes     = @(
                @{ name = 'private'; packages = @{ 'acme-cache' = @('acme_cache-1.0.0-py3-none-any.whl') }
                   behavior = @{ username = 'cache-user'; password = 'cache-Secret-7x2q'; redirectTo = 'peer:public' } }
                @{ name = 'corp'; packages = @{ 'acme-cache' = @('acme_cache-2.0.0-py3-none-any.whl') }
                   behavior = @{ username = 'cache-user'; password = 'cache-Secret-7x2q'; anonymousPassThrough = $true; passThroughIndex = 'corp-public'; cacheControl = 'max-age=600' } }
                @{ name = 'corp-public'; packages = @{ 'acme-cache' = @('acme_cache-1.0.0-py3-none-any.whl') }; behavior = @{ cacheControl = 'max-age=600' } }
            )
            peerIndexes = @(@{ name = 'public'; packages = @{ 'acme-cache' = @('acme_cache-9.9.9-py3-none-any.whl') }; behavior = @{ cacheControl = 'max-age=600' } })
        } | ConvertTo-Json -Depth 8 | Set-Content -Path $fixture -Encoding utf8
        $script:CacheServer = Start-IndexServer -Fixture $fixture
        $script:OldCacheDir = $env:INDEXTOOLS_CACHE_DIR
        $env:INDEXTOOLS_CACHE_DIR = Join-Path $TestDrive 'credential-cache'
    }

    AfterAll {
        Stop-IndexServer $CacheServer
        $env:INDEXTOOLS_CACHE_DIR = $OldCacheDir
        Remove-Item Env:UV_INDEX_PRIVATE_USERNAME, Env:UV_INDEX_PRIVATE_PASSWORD, Env:UV_INDEX_CORP_USERNAME, Env:UV_INDEX_CORP_PASSWORD -ErrorAction SilentlyContinue
    }

    It 'does not store a page a credentialed request was redirected to, for anonymous or -Offline runs' {
        $private = "private=$($CacheServer.Indexes['private'])"
        $env:UV_INDEX_PRIVATE_USERNAME = 'cache-user'; $env:UV_INDEX_PRIVATE_PASSWORD = 'cache-Secret-7x2q'
        try { $credentialed = Resolve-PyPackage acme-cache -NoConfig -DefaultIndex $private }
        finally { Remove-Item Env:UV_INDEX_PRIVATE_USERNAME, Env:UV_INDEX_PRIVATE_PASSWORD }
        $credentialed.Version | Should -Be '9.9.9'

        $anonymous = Resolve-PyPackage acme-cache -NoConfig -DefaultIndex $private -ErrorAction SilentlyContinue
        $anonymous.Resolved | Should -BeFalse
        $anonymous.StopReason | Should -Be 'AuthenticationFailed'
        $anonymous.Attempts[0].StatusCode | Should -Be 401
        $offline = Resolve-PyPackage acme-cache -NoConfig -DefaultIndex $private -Offline -ErrorAction SilentlyContinue
        $offline.StopReason | Should -Be 'NotFound'
    }

    It 'does not serve an anonymous entry to a credentialed run (anonymous 1.0.0, credentialed 2.0.0)' {
        $corp = "corp=$($CacheServer.Indexes['corp'])"
        (Resolve-PyPackage acme-cache -NoConfig -DefaultIndex $corp).Version | Should -Be '1.0.0'
        $env:UV_INDEX_CORP_USERNAME = 'cache-user'; $env:UV_INDEX_CORP_PASSWORD = 'cache-Secret-7x2q'
        try { $credentialed = Resolve-PyPackage acme-cache -NoConfig -DefaultIndex $corp }
        finally { Remove-Item Env:UV_INDEX_CORP_USERNAME, Env:UV_INDEX_CORP_PASSWORD }
        $credentialed.Version | Should -Be '2.0.0'
        $credentialed.Attempts[0].CredentialSource | Should -Be 'env'
        $credentialed.Attempts[0].Tries | Should -BeGreaterThan 0
        $again = Resolve-PyPackage acme-cache -NoConfig -DefaultIndex $corp
        $again.Version | Should -Be '1.0.0'
        $again.Attempts[0].Tries | Should -Be 0
        @(Get-ChildItem -Recurse -File $env:INDEXTOOLS_CACHE_DIR | Where-Object { (Get-Content -Raw $_.FullName) -match 'cache-Secret-7x2q|cache-user' }).Count | Should -Be 0
    }
}

# Issue 20.16: a netrc `machine` entry names a host only, so uv (and IndexTools) sends it to every port of that host.
Describe 'netrc host-only entries' {
    BeforeAll {
        $fixture = Join-Path $TestDrive 'netrc-fixture.json'
        Set-Content -Path $fixture -Value (@{ Indexes = @(@{
            Name = 'private'
            Packages = @{ 'acme-netrc' = @('acme_netrc-1.0.0-py3-none-any.whl') }
            Behavior = @{ Username = 'netrc-user'; Password = 'netrc-Secret-9f3k' }
        }) } | ConvertTo-Json -Depth 6)
        # Two servers: the same host (127.0.0.1) on two free ports.
        $script:NetrcServers = @((Start-IndexServer -Fixture $fixture), (Start-IndexServer -Fixture $fixture))
        $script:NetrcFile = Join-Path $TestDrive 'netrc'
        Set-Content -Path $NetrcFile -Value "machine 127.0.0.1 login netrc-user password netrc-Secret-9f3k" -Encoding ascii
        $script:OldNetrc = $env:NETRC
        $env:NETRC = $NetrcFile
    }

    AfterAll {
        foreach ($s in $NetrcServers) { Stop-IndexServer $s }
        $env:NETRC = $OldNetrc
    }

    It 'sends the entry for 127.0.0.1 to that host on any port' {
        $ports = @($NetrcServers | ForEach-Object { ([uri] $_.Indexes['private']).Port })
        $ports[0] | Should -Not -Be $ports[1]
        foreach ($server in $NetrcServers) {
            $found = Resolve-PyPackage acme-netrc -NoConfig -NoCache -DefaultIndex "private=$($server.Indexes['private'])"
            $found.Resolved | Should -BeTrue
            $found.Version | Should -Be '1.0.0'
            $found.Attempts[0].CredentialSource | Should -Be 'netrc'
        }
    }

    It 'README says the entry is used for every port and scheme of the host' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $readme | Should -Match 'netrc `machine` entry names a\s+host only, so it is used for \*\*every port and scheme of that host\*\*'
    }
}

# Issue 20.11-14: edits on real file systems. Linux (symlinks without privileges, owners, modes, flock; GNU stat).
Describe 'Set-IndexIgnoredCodes on real file systems' -Skip:(-not $IsLinux) {
    BeforeAll {
        $script:ModulePath = Get-IndexToolsModulePath
        function script:New-IndexFile([string] $Path, [int] $Count) {
            New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
            $text = "[project]`nname = `"app`"`nversion = `"0.1.0`"`n`n[tool.uv]`n"
            foreach ($i in 0..($Count - 1)) { $text += "`n[[tool.uv.index]]`nname = `"i$i`"`nurl = `"https://i$i.example/simple`"`n" }
            [IO.File]::WriteAllText($Path, $text)
            return $Path
        }
        function script:Get-Mode([string] $Path) { (& stat -c '%u:%g %a %h' -- $Path) }
        $script:IsRoot = (& id -u) -eq '0'
    }

    It 'edits the target of a symlinked pyproject.toml and keeps the link' {
        $real = New-IndexFile -Path (Join-Path $TestDrive 'link-real/pyproject.toml') -Count 2
        $project = Join-Path $TestDrive 'link-project'
        New-Item -ItemType Directory $project | Out-Null
        $link = Join-Path $project 'pyproject.toml'
        New-Item -ItemType SymbolicLink -Path $link -Target $real | Out-Null
        $expected = ([IO.File]::ReadAllText($real)).Replace("name = `"i1`"`nurl = `"https://i1.example/simple`"`n", "name = `"i1`"`nurl = `"https://i1.example/simple`"`nignore-error-codes = [403]`n")

        Set-IndexIgnoredCodes -Name i1 -StatusCode 403 -Path $link -Force

        (Get-Item $link).LinkType | Should -Be 'SymbolicLink'
        (Get-Item $link).Target | Should -Be $real
        [IO.File]::ReadAllText($real) | Should -BeExactly $expected
        @(Get-ChildItem -Force $project).Count | Should -Be 1
        @(Get-ChildItem -Force (Split-Path $real)).Count | Should -Be 1
        (Get-IndexStrategy -Path $project | Where-Object Name -eq 'i1').IgnoredStatusCodes | Should -Be @(403)
    }

    It 'takes one lock per file: 8 processes, half through a symlinked folder, keep every update (0 lost)' {
        $shared = Join-Path $TestDrive 'lock-shared'
        $file = New-IndexFile -Path (Join-Path $shared 'pyproject.toml') -Count 8
        $alias = Join-Path $TestDrive 'lock-alias'
        New-Item -ItemType SymbolicLink -Path $alias -Target $shared | Out-Null
        $pwsh = @(Get-PwshCommand)
        $go = Join-Path $TestDrive 'lock-go'
        $rounds = 6
        $processes = foreach ($n in 0..7) {
            $path = if ($n % 2) { Join-Path $alias 'pyproject.toml' } else { $file }
            $warm = New-IndexFile -Path (Join-Path $TestDrive "lock-warm$n/pyproject.toml") -Count 8
            # A warm-up edit of a private file first (a cold process JITs the editor while holding the lock, which on a
            # loaded machine can outlast the 10 s lock wait); an edit refused with ConfigFileLocked (reported, not lost) is
            # tried again and counted. What is measured: every edit that reported success is in the file at the end.
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Set-IndexIgnoredCodes -Name i$n -StatusCode 401 -Path '$warm' -Force
while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 10 }
`$busy = 0
`$lost = 0
foreach (`$round in 0..$($rounds - 1)) {
    # Only this process edits i$n, so its previous edit must still be in the file (else another edit overwrote it).
    if (`$round -gt 0 -and [IO.File]::ReadAllText('$path') -notmatch ('name = "i$n"\nurl = "[^"]*"\nignore-error-codes = \[' + (99 + `$round) + ', $(500 + $n)\]')) { `$lost++ }
    while (`$true) {
        try { Set-IndexIgnoredCodes -Name i$n -StatusCode (100 + `$round), (500 + $n) -Path '$path' -Force; break }
        catch { if (`$_.FullyQualifiedErrorId -like 'ConfigFileLocked,*') { `$busy++ } else { throw } }
    }
}
"busy `$busy lost `$lost"
"@
            $scriptFile = Join-Path $TestDrive "lock-editor$n.ps1"
            Set-Content -Path $scriptFile -Value $script
            $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptFile)) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardError = $true
            $info.RedirectStandardOutput = $true
            $info.UseShellExecute = $false
            [Diagnostics.Process]::Start($info)
        }
        # Every process has done its warm-up edit (its warm file changed) before the start signal.
        foreach ($n in 0..7) {
            while ((Get-Content -Raw (Join-Path $TestDrive "lock-warm$n/pyproject.toml")) -notmatch 'ignore-error-codes') {
                if ($processes[$n].HasExited) { break }
                Start-Sleep -Milliseconds 50
            }
        }
        New-Item -ItemType File $go | Out-Null
        $busy = 0
        $overwritten = 0
        foreach ($p in $processes) {
            $p.WaitForExit(600000) | Should -BeTrue
            $out = $p.StandardOutput.ReadToEnd()
            $p.StandardError.ReadToEnd() | Should -BeNullOrEmpty
            $p.ExitCode | Should -Be 0
            $out | Should -Match 'busy (\d+) lost (\d+)'
            $busy += [int] $Matches[1]
            $overwritten += [int] $Matches[2]
        }
        $policies = Get-IndexStrategy -Path $shared
        $lost = @(0..7 | Where-Object { "$(($policies | Where-Object Name -eq "i$_").IgnoredStatusCodes)" -ne "$(100 + $rounds - 1) $(500 + $_)" })
        $lostTotal = $lost.Count + $overwritten
        Write-Host "lock test: 8 processes x $rounds edits (4 through $alias): lost updates $lostTotal ($overwritten found between edits, $($lost.Count) at the end); edits retried after ConfigFileLocked: $busy"
        $lostTotal | Should -Be 0
        (Get-Item $alias).LinkType | Should -Be 'SymbolicLink'
        @(Get-ChildItem -Force $shared).Count | Should -Be 1
    }

    It 'refuses to edit a hard-linked file without -Force, and with -Force says the link is broken' {
        $file = New-IndexFile -Path (Join-Path $TestDrive 'hard/pyproject.toml') -Count 1
        $other = Join-Path $TestDrive 'hard/other-name.toml'
        New-Item -ItemType HardLink -Path $other -Target $file | Out-Null
        $before = [IO.File]::ReadAllBytes($file)

        Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue -Confirm:$false
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'HardLinkedFile,*'
        "$($problems[0])" | Should -BeLike "*$file*2 hard links*-Force*"
        [IO.File]::ReadAllBytes($file) | Should -Be $before
        (Get-Mode $file).Split(' ')[2] | Should -Be '2'

        Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -BeLike '*2 hard links*breaks the link*'
        (Get-Content $file -Raw) | Should -Match 'ignore-error-codes = \[403\]'
        [IO.File]::ReadAllBytes($other) | Should -Be $before
        (Get-Mode $file).Split(' ')[2] | Should -Be '1'
    }

    Context 'as root with a second local user' {
        BeforeAll {
            $script:OtherUser = $null
            $script:SkipReason = if (-not $IsRoot) { 'needs root (to create a second user and chown to it)' }
                elseif (-not (Get-Command useradd -ErrorAction SilentlyContinue)) { 'useradd is not available' }
            if (-not $SkipReason) {
                $name = 'itl' + [guid]::NewGuid().ToString('n').Substring(0, 8)
                & useradd --no-create-home --user-group --shell /usr/sbin/nologin $name 2>&1 | Out-Null
                if ($LASTEXITCODE -eq 0) {
                    $script:OtherUser = $name
                    $script:OtherUid = (& id -u $name)
                    $script:OtherGid = (& id -g $name)
                }
                else { $script:SkipReason = "useradd $name failed (exit $LASTEXITCODE)" }
            }
            # The side file of a configuration file: <lock folder>/<first 16 bytes of sha256(real path)>.lock
            function script:Get-LockName([string] $File) {
                $real = (& realpath -- $File)
                $hash = [Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($real))
                (-join ($hash[0..15] | ForEach-Object { $_.ToString('x2') })) + '.lock'
            }
            # Set-IndexIgnoredCodes in a fresh pwsh with the given environment; returns the error id and message, or 'ok'.
            function script:Invoke-Edit([string] $File, [hashtable] $Environment) {
                $script = @"
Import-Module '$ModulePath'
try { Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path '$File' -Force -ErrorAction Stop; @{ Id = 'ok'; Message = '' } | ConvertTo-Json -Compress }
catch { @{ Id = `$_.FullyQualifiedErrorId; Message = "`$_" } | ConvertTo-Json -Compress }
"@
                Invoke-FreshPwsh -Script $script -Environment $Environment
            }
        }

        AfterAll {
            if ($OtherUser) { & userdel $OtherUser 2>&1 | Out-Null }
        }

        It 'keeps the owner and group of another user''s file' {
            if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
            $file = New-IndexFile -Path (Join-Path $TestDrive 'owned/uv.toml') -Count 1
            [IO.File]::WriteAllText($file, "[[index]]`nname = `"i0`"`nurl = `"https://i0.example/simple`"`n")
            & chown "${OtherUser}:${OtherUser}" $file
            & chmod 640 $file
            $before = Get-Mode $file

            Set-IndexIgnoredCodes -Name i0 -StatusCode 403 -Path $file -Force

            (Get-Content $file -Raw) | Should -Match 'ignore-error-codes = \[403\]'
            Get-Mode $file | Should -Be $before
            $before | Should -BeLike "${OtherUid}:${OtherGid} 640 1"
        }

        It 'refuses a lock folder another user made, and a symlinked lock file, creating nothing where they point' {
            if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
            $tmp = Join-Path $TestDrive 'shared-tmp'
            New-Item -ItemType Directory $tmp | Out-Null
            & chmod 1777 $tmp
            $file = New-IndexFile -Path (Join-Path $TestDrive 'victim-project/uv.toml') -Count 1
            [IO.File]::WriteAllText($file, "[[index]]`nname = `"i0`"`nurl = `"https://i0.example/simple`"`n")
            $before = [IO.File]::ReadAllBytes($file)
            $uid = (& id -u)
            $folder = Join-Path $tmp "indextools-locks-$uid"
            $chosen = Join-Path $TestDrive 'chosen-by-other-user'
            # The other user's trap: the lock folder made in advance, open to all, with our lock file a link to where they chose.
            New-Item -ItemType Directory $folder | Out-Null
            New-Item -ItemType SymbolicLink -Path (Join-Path $folder (Get-LockName $file)) -Target $chosen | Out-Null
            & chown -h "${OtherUser}:${OtherUser}" $folder (Join-Path $folder (Get-LockName $file))
            & chmod 777 $folder
            $environment = @{ TMPDIR = $tmp; XDG_RUNTIME_DIR = $null }

            $foreign = Invoke-Edit -File $file -Environment $environment
            $foreign.Id | Should -BeLike 'ConfigFileLockUnsafe,*'
            $foreign.Message | Should -BeLike "*$folder*belongs to another user*"
            Test-Path $chosen | Should -BeFalse
            [IO.File]::ReadAllBytes($file) | Should -Be $before

            # Our own folder, but left open to others with a planted link: tightened to 0700, the link still refused.
            & chown -h "${uid}:${uid}" $folder
            $linked = Invoke-Edit -File $file -Environment $environment
            $linked.Id | Should -BeLike 'ConfigFileLockUnsafe,*'
            $linked.Message | Should -BeLike '*lock file*is a symbolic link*'
            Test-Path $chosen | Should -BeFalse
            (Get-Mode $folder).Split(' ')[1] | Should -Be '700'
            [IO.File]::ReadAllBytes($file) | Should -Be $before

            # Without the link the edit goes through, and its lock file is a regular file in the 0700 folder.
            Remove-Item (Join-Path $folder (Get-LockName $file))
            (Invoke-Edit -File $file -Environment $environment).Id | Should -Be 'ok'
            (Get-Content $file -Raw) | Should -Match 'ignore-error-codes = \[403\]'
            (Get-Item (Join-Path $folder (Get-LockName $file))).LinkType | Should -BeNullOrEmpty
            Test-Path $chosen | Should -BeFalse
        }

        It 'creates its own 0700 lock folder, and uses XDG_RUNTIME_DIR only when that folder is the user''s own' {
            if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
            $uid = (& id -u)
            $tmp = Join-Path $TestDrive 'fresh-tmp'
            New-Item -ItemType Directory $tmp | Out-Null
            $file = New-IndexFile -Path (Join-Path $TestDrive 'xdg-project/uv.toml') -Count 1
            [IO.File]::WriteAllText($file, "[[index]]`nname = `"i0`"`nurl = `"https://i0.example/simple`"`n")

            # Another user's XDG_RUNTIME_DIR is not used: the lock goes to a new 0700 temp folder.
            $theirs = Join-Path $TestDrive 'their-runtime'
            New-Item -ItemType Directory $theirs | Out-Null
            & chown "${OtherUser}:${OtherUser}" $theirs
            & chmod 700 $theirs
            (Invoke-Edit -File $file -Environment @{ TMPDIR = $tmp; XDG_RUNTIME_DIR = $theirs }).Id | Should -Be 'ok'
            @(Get-ChildItem -Force $theirs).Count | Should -Be 0
            Get-Mode (Join-Path $tmp "indextools-locks-$uid") | Should -BeLike "${uid}:* 700 *"
            Test-Path (Join-Path $tmp "indextools-locks-$uid" (Get-LockName $file)) | Should -BeTrue

            # Our own 0700 XDG_RUNTIME_DIR is used.
            $ours = Join-Path $TestDrive 'our-runtime'
            New-Item -ItemType Directory $ours | Out-Null
            & chmod 700 $ours
            Set-Content -Path $file -Value "[[index]]`nname = `"i0`"`nurl = `"https://i0.example/simple`"" -NoNewline
            (Invoke-Edit -File $file -Environment @{ TMPDIR = $tmp; XDG_RUNTIME_DIR = $ours }).Id | Should -Be 'ok'
            Get-Mode (Join-Path $ours 'indextools-locks') | Should -BeLike "${uid}:* 700 *"
            Test-Path (Join-Path $ours 'indextools-locks' (Get-LockName $file)) | Should -BeTrue
        }
    }
}

# Issue 20.17: every parameter that takes an index (or proxy) URL says that PowerShell keeps it in InvocationInfo.
Describe 'Help of URL parameters' {
    It '<Command> -<Parameter> says a URL with credentials stays in InvocationInfo and where credentials go instead' -ForEach $UrlParameterCases {
        $text = (Get-Help $Command -Parameter $Parameter | Out-String -Width 2000) -replace '\s+', ' '
        $text | Should -Match 'InvocationInfo \(Get-Error'
        if ($Parameter -eq 'Proxy') { $text | Should -Match '-ProxyCredential' }
        else { $text | Should -Match 'UV_INDEX_<NAME>_USERNAME' ; $text | Should -Match 'netrc' }
        if ($Command -ne 'Set-IndexIgnoredCodes' -and $Parameter -ne 'Proxy') { $text | Should -Match '-Credential' }
    }
}
