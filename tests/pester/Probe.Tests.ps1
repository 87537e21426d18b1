# Test-PyIndex against the local index server: one index per registry profile (shared/spec/registries.md), each
# probed through the module in this fresh pwsh. Checks the detected product and the ignore-error-codes recommendation.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    $script:Secret = 'probe-secret-not-real-4411'
    $script:User = 'probe'
    # name -> profile, whether it needs credentials, extra behaviour
    $script:Profiles = [ordered] @{
        'pypi-like'             = @{ Profile = 'pypi' }
        'pytorch'               = @{ Profile = 'pytorch' }
        'artifactory'           = @{ Profile = 'artifactory'; Auth = $true }
        'artifactory-denied'    = @{ Profile = 'artifactory'; Auth = $true; Extra = @{ missingStatus = 403 } }
        'artifactory-anonymous' = @{ Profile = 'artifactory-anonymous'; Auth = $true }
        'nexus'                 = @{ Profile = 'nexus'; Auth = $true }
        'azure'                 = @{ Profile = 'azure-artifacts'; Auth = $true }
        'codeartifact'          = @{ Profile = 'codeartifact'; Auth = $true }
        'codeartifact-expired'  = @{ Profile = 'codeartifact-expired'; Auth = $true; WrongPassword = $true }
        'gar'                   = @{ Profile = 'google-artifact-registry'; Auth = $true }
        'gitlab'                = @{ Profile = 'gitlab'; Auth = $true }
        'gitlab-forwarding'     = @{ Profile = 'gitlab-forwarding'; Auth = $true }
        's3'                    = @{ Profile = 's3' }
        'nginx'                 = @{ Profile = 'nginx'; Auth = $true }
        'devpi'                 = @{ Profile = 'devpi' }
        'pypiserver'            = @{ Profile = 'pypiserver'; Auth = $true }
    }
    $indexes = @()
    foreach ($name in $Profiles.Keys) {
        $p = $Profiles[$name]
        $behavior = @{ profile = $p.Profile }
        if ($p.Auth) { $behavior.username = $User; $behavior.password = $Secret }
        if ($p.Extra) { foreach ($k in $p.Extra.Keys) { $behavior[$k] = $p.Extra[$k] } }
        $indexes += @{ name = $name; behavior = $behavior; packages = @{ 'acme-utils' = @('acme_utils-1.0.0-py3-none-any.whl') } }
    }
    $public = @{ name = 'pypi'; behavior = @{ profile = 'pypi' }; packages = @{ 'pip' = @('pip-24.0-py3-none-any.whl') } }
    $indexes += $public
    $fixture = Join-Path $TestDrive 'probe-fixture.json'
    @{ indexes = $indexes; peerIndexes = @($public) } | ConvertTo-Json -Depth 8 | Set-Content -Path $fixture -Encoding utf8
    $script:Server = Start-IndexServer -Fixture $fixture
    $script:Project = Join-Path $TestDrive 'app'
    # pypi-like is the default index, so the implicit https://pypi.org/simple is not configured (tests never reach the internet).
    $script:ProjectFile = New-UvProject -Path $Project -Index @($Profiles.Keys | ForEach-Object { @{ Name = $_; Url = $Server.Indexes[$_]; Default = ($_ -eq 'pypi-like') } })
    $script:Saved = @{}
    foreach ($name in $Profiles.Keys) {
        if (-not $Profiles[$name].Auth) { continue }
        $envName = ($name.ToUpperInvariant() -replace '[^A-Z0-9]', '_')
        $password = if ($Profiles[$name].WrongPassword) { 'expired-token' } else { $Secret }
        Set-Item "Env:UV_INDEX_${envName}_USERNAME" $User
        Set-Item "Env:UV_INDEX_${envName}_PASSWORD" $password
        $Saved[$envName] = $true
    }
    Push-Location $Project
    $script:Results = @{}
    $script:All = @(Test-PyIndex)
    foreach ($r in $All) { if ($null -eq $r.Name) { throw "unexpected output: $($r | Out-String)" }; $Results[$r.Name] = $r }
}

AfterAll {
    Pop-Location
    foreach ($envName in $Saved.Keys) { Remove-Item "Env:UV_INDEX_${envName}_USERNAME", "Env:UV_INDEX_${envName}_PASSWORD" -ErrorAction SilentlyContinue }
    Stop-IndexServer $Server
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'Test-PyIndex per registry profile' -Tag 'Engine' {
    It '<Name>: product <Product>, recommended <Recommended>' -TestCases @(
        @{ Name = 'pypi-like'; Product = 'PyPI'; Recommended = $null; Credentials = 'NotNeeded' }
        # On loopback only S3/CloudFront headers remain; "PyTorch" needs the host download.pytorch.org (xunit covers that).
        @{ Name = 'pytorch'; Product = 'StaticHosting'; Recommended = @(403); Credentials = 'NotNeeded' }
        @{ Name = 'artifactory'; Product = 'Artifactory'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'artifactory-denied'; Product = 'Artifactory'; Recommended = @(403); Credentials = 'Accepted' }
        @{ Name = 'artifactory-anonymous'; Product = 'Artifactory'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'nexus'; Product = 'Nexus'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'azure'; Product = 'AzureArtifacts'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'codeartifact'; Product = 'CodeArtifact'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'codeartifact-expired'; Product = 'CodeArtifact'; Recommended = $null; Credentials = 'Undetermined' }
        @{ Name = 'gar'; Product = 'GoogleArtifactRegistry'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'gitlab'; Product = 'GitLab'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'gitlab-forwarding'; Product = 'GitLab'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 's3'; Product = 'StaticHosting'; Recommended = @(403); Credentials = 'NotNeeded' }
        @{ Name = 'nginx'; Product = 'StaticHosting'; Recommended = $null; Credentials = 'Accepted' }
        @{ Name = 'devpi'; Product = 'Devpi'; Recommended = $null; Credentials = 'NotNeeded' }
        @{ Name = 'pypiserver'; Product = 'Pypiserver'; Recommended = $null; Credentials = 'Accepted' }
    ) {
        $r = $Results[$Name]
        $r | Should -BeOfType IndexTools.IndexProbeResult
        $r.Reachable | Should -BeTrue
        "$($r.Product)" | Should -Be $Product
        "$($r.Credentials)" | Should -Be $Credentials -Because ($r.Exchanges | Format-Table | Out-String -Width 200)
        if ($null -eq $Recommended) { $r.RecommendedIgnoreErrorCodes | Should -BeNullOrEmpty }
        else { $r.RecommendedIgnoreErrorCodes | Should -Be $Recommended }
        $r.ConfigFile | Should -Be $ProjectFile
    }

    It 'covers every profile the index server knows' {
        $known = @('pypi', 'pytorch', 'artifactory', 'artifactory-anonymous', 'nexus', 'azure-artifacts', 'codeartifact', 'codeartifact-expired',
            'google-artifact-registry', 'gitlab', 'gitlab-forwarding', 's3', 'nginx', 'devpi', 'pypiserver')
        @($Profiles.Values | ForEach-Object { $_.Profile } | Sort-Object -Unique) | Should -Be @($known | Sort-Object)
    }

    It 'says when it cannot tell expired credentials from "not here" (CodeArtifact 404)' {
        $finding = $Results['codeartifact-expired'].Findings | Where-Object Kind -EQ 'CredentialsUndetermined'
        $finding.Message | Should -Match 'CodeArtifact answers 404 to an expired token'
    }

    It 'reports GitLab forwarding to another origin and the anonymous view serving public packages' {
        $Results['gitlab-forwarding'].MissingNameBehavior | Should -Be 'Forwarded'
        $Results['gitlab-forwarding'].FallsThroughToPublic | Should -BeTrue
        $Results['gitlab-forwarding'].ForwardsTo | Should -Not -BeLike "$($Server.BaseUrl)*"
        ($Results['gitlab-forwarding'].Findings.Message -join ' ') | Should -Match 'another origin'
        $Results['artifactory-anonymous'].FallsThroughToPublic | Should -BeTrue
        $Results['artifactory-anonymous'].Findings.Kind | Should -Contain 'AnonymousServesPublicPackages'
    }

    It 'tells rejected credentials apart from a missing package' {
        $credential = [pscredential]::new($User, (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        $r = Test-PyIndex -Name nexus -Credential $credential -CredentialIndex nexus
        $r.Credentials | Should -Be 'Rejected'
        $r.CredentialSource | Should -Be 'parameter'
        $r.Findings.Kind | Should -Contain 'CredentialsRejected'
        $r.RecommendedIgnoreErrorCodes | Should -BeNullOrEmpty
    }

    It 'does not recommend ignoring 403 for a package that is merely protected' {
        # artifactory-denied answers 403 to every missing name; artifactory answers 404, so a 403 there would be the package's own.
        $r = Test-PyIndex artifactory -Package acme-utils
        $r.MissingNameBehavior | Should -Be 'NotFound'
        $r.RecommendedIgnoreErrorCodes | Should -BeNullOrEmpty
        $r.ProbedPage | Should -BeLike '*/acme-utils/'
    }
}

Describe 'Test-PyIndex as a command' -Tag 'Engine' {
    It 'pipes its recommendations into Set-IndexIgnoredCodes: -WhatIf changes nothing, -Force writes exactly the recommended codes' {
        $before = Get-Content -Raw $ProjectFile
        $Results.Values | Set-IndexIgnoredCodes -WhatIf
        Get-Content -Raw $ProjectFile | Should -Be $before
        try {
            Test-PyIndex -Name pytorch, s3, devpi | Set-IndexIgnoredCodes -Force -Confirm:$false
            $after = Get-Content -Raw $ProjectFile
            ([regex]::Matches($after, 'ignore-error-codes = \[403\]')).Count | Should -Be 2
            (Get-IndexStrategy | Where-Object Name -EQ 'pytorch').IgnoredStatusCodes | Should -Be @(403)
            (Test-PyIndex pytorch).RecommendedIgnoreErrorCodes | Should -BeNullOrEmpty
        }
        finally { [IO.File]::WriteAllText($ProjectFile, $before) }
    }

    It 'accepts index names from Get-IndexStrategy on the pipeline and writes IndexNotFound for an unknown name' {
        $r = @(Get-IndexStrategy | Where-Object Name -In 'devpi', 's3' | Test-PyIndex)
        $r.Name | Should -Be @('s3', 'devpi')
        $errors = $null
        Test-PyIndex -Name nope -ErrorAction SilentlyContinue -ErrorVariable errors | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'IndexNotFound,IndexTools.Cmdlets.TestPyIndexCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'probes a -Url with -Credential and never writes the secret to any stream' {
        $credential = [pscredential]::new($User, (ConvertTo-SecureString $Secret -AsPlainText -Force))
        $all = Test-PyIndex -Url $Server.Indexes['nexus'] -Credential $credential -Verbose -Debug *>&1
        $result = $all | Where-Object { $_ -is [IndexTools.IndexProbeResult] }
        $result.Name | Should -BeNullOrEmpty
        $result.Credentials | Should -Be 'Accepted'
        $text = ($all | Out-String) + ($result | Format-List | Out-String) + ($result | ConvertTo-Json -Depth 6)
        $text | Should -Not -Match ([regex]::Escape($Secret))
        $withUrl = Test-PyIndex -Url ($Server.Indexes['nexus'] -replace '^http://', "http://${User}:$Secret@")
        $withUrl.Url | Should -Not -Match ([regex]::Escape($Secret))
        $withUrl.CredentialSource | Should -Be 'url'
    }

    It 'renders a table with the recommendation and a list with the findings' {
        $table = $Results['pytorch'], $Results['artifactory'] | Out-String -Width 200
        $table | Should -Match 'Name\s+Credentials\s+MissingNameBehavior\s+RecommendedIgnoreErrorCodes'
        $table | Should -Match 'pytorch\s+NotNeeded\s+Refused \(403\)\s+\[403\]'
        $list = $Results['codeartifact-expired'] | Format-List | Out-String -Width 200
        $list | Should -Match 'Product\s+: CodeArtifact'
        $list | Should -Match 'Credentials\s+: Undetermined \(source: env\)'
        $list | Should -Match 'Warning CredentialsUndetermined'
        ($Results['pytorch'].Exchanges | Out-String -Width 200) | Should -Match 'missing-anonymous\s+no\s+403'
    }

    It 'serializes enums as names and describes itself to CI reports' {
        $json = $Results['pytorch'] | ConvertTo-Json -Depth 6 | ConvertFrom-Json
        $json.Product | Should -Be 'StaticHosting'
        $json.MissingNameBehavior | Should -Be 'Refused'
        $json.PSObject.Properties.Name | Should -Not -Contain 'GetReportEntries'
        $entries = @(([IndexTools.IReportable] $Results['codeartifact-expired']).GetReportEntries())
        $entries.Section | Sort-Object -Unique | Should -Be 'IndexProbe'
        $entries.Severity | Should -Contain 'Warning'
    }
}
