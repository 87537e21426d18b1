# Issue 5, "Secrets": every cmdlet, run with -Verbose -Debug against an index that needs credentials, with each
# credential source in turn (URL-embedded, UV_INDEX_<NAME>_*, netrc, uv's credential store, a keyring subprocess,
# -Credential, a URL given to -Index), writes no
# form of the password (plain, percent-encoded, the Basic Authorization value, a long prefix) to any stream:
# output objects (ToString, default view, Format-List *, ConvertTo-Json), errors (message, details, exception
# chain, target object), verbose, debug, warning, information and progress records.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-IndexToolsModulePath
    Import-Module $ModulePath -Force

    # A password with characters that URLs must encode, so a redaction that only handles the plain form fails.
    $script:User = 'ci-user'
    $script:Password = 'Tr0ub4dor&3@x/y:z'
    $fixture = @{
        description = 'secrets test: one private index with basic auth, one public index'
        indexes     = @(
            @{
                name     = 'internal'
                behavior = @{ username = $User; password = $Password; realm = 'secrets test realm' }
                packages = @{ 'acme-auth' = @('acme_auth-1.0.0-py3-none-any.whl', 'acme_auth-1.1.0.tar.gz') }
            }
            @{
                name     = 'pypi'
                behavior = @{ profile = 'pypi' }
                packages = @{ 'requests' = @('requests-2.32.3-py3-none-any.whl'); 'acme-auth' = @('acme_auth-9.0.0-py3-none-any.whl') }
            }
        )
    }
    $fixtureFile = Join-Path $TestDrive 'secrets-fixture.json'
    $fixture | ConvertTo-Json -Depth 8 | Set-Content -Path $fixtureFile -Encoding utf8
    $script:Server = Start-IndexServer -Fixture $fixtureFile
    $internal = [uri] $Server.Indexes['internal']
    $script:InternalUrl = $internal.AbsoluteUri
    $encoded = [uri]::EscapeDataString($Password)
    $script:UrlWithCredentials = '{0}://{1}:{2}@{3}:{4}{5}' -f $internal.Scheme, $User, $encoded, $internal.Host, $internal.Port, $internal.AbsolutePath
    $script:NetrcFile = Join-Path $TestDrive 'netrc'
    Set-Content -Path $NetrcFile -Value "machine $($internal.Host) login $User password $Password" -Encoding ascii

    # Every form in which the secret could escape.
    $script:Forms = @(
        $Password
        $encoded
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:$Password"))
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:$encoded"))
        $Password.Substring(0, 9)
    )

    function script:New-Project([string] $Name, [string] $Url) {
        $path = Join-Path $TestDrive $Name
        New-UvProject -Path $path -Index @(
            @{ Name = 'internal'; Url = $Url }
            @{ Name = 'pypi'; Url = $Server.Indexes['pypi']; Default = $true }) | Out-Null
        return $path
    }

    # Runs $Script in a runspace of this process with the module imported, and renders everything it wrote.
    function script:Invoke-Captured([string] $Script, [hashtable] $Variables = @{}) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; `$PSStyle.OutputRendering = 'PlainText'; `$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; `$ProgressPreference = 'Continue'; `$InformationPreference = 'Continue'; `$WarningPreference = 'Continue'`n$Script")
            foreach ($k in $Variables.Keys) { $ps.Runspace.SessionStateProxy.SetVariable($k, $Variables[$k]) }
            $text = [Text.StringBuilder]::new()
            try { $output = $ps.Invoke() }
            catch { $null = $text.AppendLine($_.Exception.ToString()); $output = @() }
            foreach ($o in $output) {
                $null = $text.AppendLine("$o")
                $null = $text.AppendLine(($o | Out-String -Width 500))
                $null = $text.AppendLine(($o | Format-List * -Force | Out-String -Width 500))
                $null = $text.AppendLine(($o | ConvertTo-Json -Depth 8 -WarningAction SilentlyContinue))
                if ($o -is [IndexTools.PackageResolution]) { $null = $text.AppendLine(($o | Format-Custom -View Explain | Out-String -Width 500)) }
            }
            foreach ($e in $ps.Streams.Error) {
                $null = $text.AppendLine(($e | Out-String -Width 500))
                $null = $text.AppendLine(($e | Format-List * -Force | Out-String -Width 500))
                $null = $text.AppendLine($e.Exception.ToString())
                $null = $text.AppendLine("$($e.ErrorDetails.Message) $($e.ErrorDetails.RecommendedAction) $($e.CategoryInfo)")
                if ($null -ne $e.TargetObject) { $null = $text.AppendLine(($e.TargetObject | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue)) }
            }
            foreach ($stream in 'Verbose', 'Debug', 'Warning', 'Information', 'Progress') {
                foreach ($record in $ps.Streams.$stream) { $null = $text.AppendLine(($record | Format-List * -Force | Out-String -Width 500)) }
            }
            [pscustomobject] @{
                Text    = $text.ToString()
                Output  = @($output)
                Errors  = @($ps.Streams.Error)
                Verbose = @($ps.Streams.Verbose).Count
                Debug   = @($ps.Streams.Debug).Count
            }
        }
        finally { $ps.Dispose() }
    }

    function script:Assert-NoSecret($Capture) {
        $Capture.Text | Should -Not -BeNullOrEmpty
        foreach ($form in $Forms) {
            $Capture.Text.Contains($form) | Should -BeFalse -Because "the capture must not contain '$($form.Substring(0, 3))…'"
        }
    }

    # One scenario per exported cmdlet; the test below fails when a cmdlet has none.
    $script:Scenarios = [ordered] @{
        'Get-IndexStrategy'     = 'Get-IndexStrategy -Path $Project -Verbose -Debug; Get-IndexStrategy -Path $Project -Index $Url -Verbose -Debug'
        'Resolve-PyPackage'     = 'Resolve-PyPackage acme-auth, requests, no-such-package -Path $Project -Verbose -Debug -ErrorAction Continue @CredentialArgs; Resolve-PyPackage acme-auth -Path $Project -IndexStrategy UnsafeBestMatch -Verbose -Debug -ErrorAction Continue @CredentialArgs'
        'Test-PyIndex'          = 'Test-PyIndex -Path $Project -Verbose -Debug @CredentialArgs; Test-PyIndex -Url $Url -Verbose -Debug'
        'Find-ShadowedPackage'  = 'Find-ShadowedPackage acme-auth, requests -Path $Project -PublicIndex pypi -Force -IncludeUnshadowed -Verbose -Debug'
        'Compare-IndexStrategy' = 'Compare-IndexStrategy acme-auth, requests -Path $Project -PublicIndex pypi -Force -Verbose -Debug'
        'Test-PyLock'           = 'Set-Content -Path (Join-Path $Project uv.lock) -Value ("version = 1`n`n[[package]]`nname = `"acme-auth`"`nversion = `"1.0.0`"`nsource = { registry = `"" + $Url + "`" }`n"); Test-PyLock -Path $Project -IncludeUnchanged -Verbose -Debug'
        'Write-IndexReport'     = 'Resolve-PyPackage acme-auth, no-such-package -Path $Project -ErrorAction SilentlyContinue @CredentialArgs | Write-IndexReport -Format Markdown -FailOn Never -Verbose -Debug; Test-PyIndex -Path $Project @CredentialArgs | Write-IndexReport -Format Json -FailOn Never -Verbose -Debug; Test-PyLock -Path $Project -IncludeUnchanged @CredentialArgs | Write-IndexReport -Format Json -Path $ReportFile -FailOn Never -Verbose; Get-Content -Raw $ReportFile'
        'Set-IndexIgnoredCodes' = 'Set-IndexIgnoredCodes -Name internal -StatusCode 401, 403 -Path (Join-Path $Project pyproject.toml) -WhatIf -Verbose -Debug; Get-IndexStrategy -Path $Project | Where-Object Name -eq internal | Set-IndexIgnoredCodes -StatusCode 401 -Force -PassThru -Verbose -Debug'
    }
}

AfterAll {
    Stop-IndexServer $Server
    Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD, Env:NETRC -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'No secret in any stream' -Tag 'Engine' {
    It 'has a secrets scenario for every exported cmdlet' {
        $exported = (Get-Module IndexTools).ExportedCmdlets.Keys | Sort-Object
        $missing = @($exported | Where-Object { -not $Scenarios.Contains($_) })
        $missing | Should -BeNullOrEmpty -Because 'a new cmdlet needs a secrets scenario in Secrets.Tests.ps1'
    }

    It 'runs every cmdlet with credentials from <Source> and leaks nothing' -ForEach @(
        @{ Source = 'the index URL'; Kind = 'url' }
        @{ Source = 'UV_INDEX_INTERNAL_USERNAME/PASSWORD'; Kind = 'env' }
        @{ Source = 'a netrc file (NETRC)'; Kind = 'netrc' }
        @{ Source = '-Credential'; Kind = 'parameter' }
        @{ Source = "uv's credential store (UV_CREDENTIALS_DIR)"; Kind = 'uv-store' }
        @{ Source = 'a keyring subprocess (UV_KEYRING_PROVIDER=subprocess)'; Kind = 'keyring' }
        @{ Source = 'a keyring subprocess asked without a username (--mode creds)'; Kind = 'keyring-creds' }
    ) {
        $internal = [uri] $InternalUrl
        $url = switch ($Kind) {
            'url' { $UrlWithCredentials }
            'keyring' { '{0}://{1}@{2}:{3}{4}' -f $internal.Scheme, $User, $internal.Host, $internal.Port, $internal.AbsolutePath }
            default { $InternalUrl }
        }
        $project = New-Project -Name "p-$Kind" -Url $url
        if ($Kind -eq 'keyring-creds') {
            # uv asks the keyring without a username only for an index with authenticate = "always" (uv-auth keyring.rs).
            $file = Join-Path $project 'pyproject.toml'
            $text = [IO.File]::ReadAllText($file)
            [IO.File]::WriteAllText($file, $text.Replace("name = `"internal`"`nurl = `"$url`"`n", "name = `"internal`"`nurl = `"$url`"`nauthenticate = `"always`"`n"))
            [IO.File]::ReadAllText($file) | Should -BeLike '*authenticate = "always"*'
        }
        $credentialArgs = @{}
        switch ($Kind) {
            'env' { $env:UV_INDEX_INTERNAL_USERNAME = $User; $env:UV_INDEX_INTERNAL_PASSWORD = $Password }
            'netrc' { $env:NETRC = $NetrcFile }
            'uv-store' {
                $dir = Join-Path $TestDrive 'uv-credentials'
                $null = New-Item -ItemType Directory -Path $dir -Force
                Set-Content -Path (Join-Path $dir 'credentials.toml') -Encoding utf8 -Value "[[credential]]`nservice = `"$($InternalUrl.TrimEnd('/'))`"`nusername = `"$User`"`npassword = `"$Password`"`n"
                $env:UV_CREDENTIALS_DIR = $dir
            }
            { $_ -in 'keyring', 'keyring-creds' } {
                # A fake `keyring` on PATH that logs its arguments and prints the password, as a keyring backend would;
                # asked without a username (--mode creds) it prints the username, then the password.
                $bin = Join-Path $TestDrive "bin-$Kind"
                $null = New-Item -ItemType Directory -Path $bin -Force
                $script:KeyringLog = Join-Path $TestDrive "$Kind.log"
                $keyring = Join-Path $bin 'keyring'
                Set-Content -Path $keyring -Encoding ascii -Value ("#!/bin/sh`necho `"`$*`" >> '$KeyringLog'`n" +
                    "case `"`$*`" in *--mode*) printf '%s\n%s\n' '$User' '$Password' ;; *) printf '%s\n' '$Password' ;; esac`n")
                chmod +x $keyring
                $script:SavedPath = $env:PATH
                $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
                $env:UV_KEYRING_PROVIDER = 'subprocess'
            }
            'parameter' {
                $credentialArgs = @{
                    Credential      = [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
                    CredentialIndex = 'internal'
                }
            }
        }
        # The page cache of this run, searched for the secret too.
        $env:INDEXTOOLS_CACHE_DIR = Join-Path $TestDrive "cache-$Kind"
        try {
            $reportFile = Join-Path $TestDrive "report-$Kind.json"
            $variables = @{ Project = $project; Url = $UrlWithCredentials; CredentialArgs = $credentialArgs; ReportFile = $reportFile }
            foreach ($name in $Scenarios.Keys) {
                $capture = Invoke-Captured -Script $Scenarios[$name] -Variables $variables
                $capture.Verbose | Should -BeGreaterThan 0 -Because "$name ran with -Verbose"
                Assert-NoSecret $capture
                if ($name -eq 'Resolve-PyPackage') {
                    # The credential worked: the private index served the package (so the secret was really in play).
                    $resolved = $capture.Output | Where-Object { $_.Package -eq 'acme-auth' } | Select-Object -First 1
                    $resolved.Index | Should -Be 'internal' -Because "credentials from $Source reach the internal index"
                    if ($Kind -in 'uv-store', 'keyring', 'keyring-creds') {
                        $attempt = $resolved.Attempts | Where-Object Index -eq 'internal' | Select-Object -First 1
                        $attempt.CredentialSource | Should -Be ($Kind -replace '-creds$', '')
                    }
                }
                if ($name -eq 'Test-PyIndex' -and $Kind -in 'uv-store', 'keyring') {
                    # The probe sent the secret too (its credentials come from the same session sources).
                    $probe = $capture.Output | Where-Object { $_ -is [IndexTools.IndexProbeResult] } | Select-Object -First 1
                    $probe.CredentialSource | Should -Be $Kind
                }
            }

            if ($Kind -eq 'keyring') {
                (Get-Content $KeyringLog | Select-Object -First 1) | Should -BeLike "get $($InternalUrl.TrimEnd('/'))* $User"
            }
            if ($Kind -eq 'keyring-creds') {
                @(Get-Content $KeyringLog | Where-Object { $_ -like '*--mode creds*' }).Count | Should -BeGreaterThan 0
            }

            # The report file Write-IndexReport wrote (-Path) holds no form of the secret either.
            Test-Path $reportFile | Should -BeTrue
            $report = [IO.File]::ReadAllText($reportFile)
            foreach ($form in $Forms) { $report.Contains($form) | Should -BeFalse -Because "the report file must not hold the secret" }

            foreach ($file in Get-ChildItem -Path $env:INDEXTOOLS_CACHE_DIR -Recurse -File -ErrorAction SilentlyContinue) {
                $content = [IO.File]::ReadAllText($file.FullName)
                foreach ($form in $Forms) { $content.Contains($form) | Should -BeFalse -Because "cache file $($file.Name) must not hold the secret" }
            }
        }
        finally {
            Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD, Env:NETRC, Env:UV_CREDENTIALS_DIR, Env:UV_KEYRING_PROVIDER, Env:INDEXTOOLS_CACHE_DIR -ErrorAction SilentlyContinue
            if ($Kind -in 'keyring', 'keyring-creds') { $env:PATH = $SavedPath }
        }
    }

    It 'leaks nothing when the index rejects the credentials (the error and hint paths)' {
        $wrong = 'Wr0ng-but-still-secret%40!'
        $project = New-Project -Name 'p-wrong' -Url $InternalUrl
        $env:UV_INDEX_INTERNAL_USERNAME = $User; $env:UV_INDEX_INTERNAL_PASSWORD = $wrong
        try {
            $capture = Invoke-Captured -Script 'Resolve-PyPackage acme-auth, requests -Path $Project -Verbose -Debug -ErrorAction Continue' -Variables @{ Project = $project }
        }
        finally { Remove-Item Env:UV_INDEX_INTERNAL_USERNAME, Env:UV_INDEX_INTERNAL_PASSWORD -ErrorAction SilentlyContinue }
        @($capture.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'IndexAuthenticationFailed*' }).Count | Should -Be 2 -Because 'first-index stops at the internal index for both names'
        $capture.Text.Contains($wrong) | Should -BeFalse
        $capture.Text.Contains([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:$wrong"))) | Should -BeFalse
        $capture.Text.Contains('Wr0ng-but') | Should -BeFalse
    }
}
