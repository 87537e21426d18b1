# Every cmdlet that reads projects, run over the corpus in tests/fixtures/projects (PyTorch CPU/CUDA by extra, by
# marker, by group; a workspace; uv.toml files uv refuses; a lock with torch from two registries) against the local
# index server started with tests/fixtures/projects/index.json.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-IndexToolsModulePath) -Force
    $PSStyle.OutputRendering = 'PlainText'
    $corpus = Join-Path $PSScriptRoot '../fixtures/projects'
    $script:Server = Start-IndexServer -Fixture (Join-Path $corpus 'index.json')
    $script:Root = Join-Path $TestDrive 'corpus'
    # Copy the corpus with the {{index}} placeholders replaced by the server's URLs, bytes otherwise unchanged.
    foreach ($file in Get-ChildItem $corpus -Recurse -File | Where-Object Name -ne 'index.json') {
        $relative = [System.IO.Path]::GetRelativePath($corpus, $file.FullName)
        $target = Join-Path $Root $relative
        New-Item -ItemType Directory -Force (Split-Path $target) | Out-Null
        $text = [System.IO.File]::ReadAllText($file.FullName)
        foreach ($name in $Server.Indexes.Keys) { $text = $text.Replace("{{$name}}", $Server.Indexes[$name].TrimEnd('/')) }
        [System.IO.File]::WriteAllText($target, $text)
    }
    # A clean user level: no user or system uv.toml of the machine running the tests.
    $script:SavedXdg = $env:XDG_CONFIG_HOME
    $env:XDG_CONFIG_HOME = Join-Path $TestDrive 'xdg'
    $env:UV_NO_SYSTEM_CONFIG = '1'
    function script:Project([string] $Name) { Join-Path $Root $Name }
}

AfterAll {
    Stop-IndexServer $Server
    $env:XDG_CONFIG_HOME = $SavedXdg
    Remove-Item Env:UV_NO_SYSTEM_CONFIG -ErrorAction SilentlyContinue
    Remove-Module IndexTools -Force -ErrorAction SilentlyContinue
}

Describe 'PyTorch CPU/CUDA chosen by extra' -Tag 'Engine' {
    It 'searches torch on pytorch-cu128 with -Extra gpu and on pytorch-cpu with -Extra cpu' {
        $gpu = @(Resolve-PyPackage -ProjectPath (Project 'torch-by-extra') -Extra gpu | Where-Object Package -eq 'torch')
        $gpu.Count | Should -Be 1
        $gpu[0].Index | Should -Be 'pytorch-cu128'
        $gpu[0].Version | Should -Be '2.7.0+cu128'
        $gpu[0].Source | Should -Match "^pyproject\.toml:10 \[project\.optional-dependencies\]\.gpu; \[tool\.uv\.sources\] torch at pyproject\.toml:33 \(extra = 'gpu'\)"
        @($gpu[0].Attempts | Where-Object Outcome -ne 'Skipped').Index | Should -Be @('pytorch-cu128')
        $cpu = Resolve-PyPackage -ProjectPath (Project 'torch-by-extra') -Extra cpu | Where-Object Package -eq 'torch'
        $cpu.Index | Should -Be 'pytorch-cpu'
        $cpu.Version | Should -Be '2.7.0+cpu'
    }

    It 'without -Extra shows each alternative: cpu -> pytorch-cpu, gpu -> pytorch-cu128, none -> pypi' {
        $torch = @(Resolve-PyPackage -ProjectPath (Project 'torch-by-extra') | Where-Object Package -eq 'torch')
        $torch.Index | Should -Be @('pytorch-cpu', 'pytorch-cu128')
        $torch[0].Source | Should -Match 'alternatives: cpu → pytorch-cpu, gpu → pytorch-cu128, none → pypi'
    }

    It 'takes the default index for torch by name (no extra applies)' {
        $torch = Resolve-PyPackage torch -Path (Project 'torch-by-extra')
        $torch.Index | Should -Be 'pypi'
        $torch.Source | Should -Match "no \[tool\.uv\.sources\] torch entry applies to the project's dependencies"
    }
}

Describe 'PyTorch CPU/CUDA chosen by marker' -Tag 'Engine' {
    It 'follows -Platform: CUDA on linux, the normal search on macOS' {
        $linux = Resolve-PyPackage -ProjectPath (Project 'torch-by-marker') -Platform x86_64-manylinux_2_28 -PythonVersion 3.12 | Where-Object Package -eq 'torch'
        $linux.Index | Should -Be 'pytorch-cu128'
        $linux.Source | Should -Match 'the target matches the marker'
        $mac = Resolve-PyPackage -ProjectPath (Project 'torch-by-marker') -Platform aarch64-apple-darwin -PythonVersion 3.12 | Where-Object Package -eq 'torch'
        $mac.Index | Should -Be 'pypi'
        $mac.Source | Should -Match 'the target matches no marker'
    }

    It 'keeps both alternatives for a universal target' {
        $torch = @(Resolve-PyPackage -ProjectPath (Project 'torch-by-marker') | Where-Object Package -eq 'torch')
        $torch.Index | Should -Be @('pytorch-cu128', 'pypi')
        $torch[1].Source | Should -Match "for targets where sys_platform != 'linux' and sys_platform != 'win32'"
    }
}

Describe 'PyTorch CPU/CUDA chosen by dependency group' -Tag 'Engine' {
    It 'applies the group entry, also through include-group' {
        (Resolve-PyPackage -ProjectPath (Project 'torch-by-group') -Group cuda | Where-Object Package -eq 'torch').Index | Should -Be 'pytorch-cu128'
        (Resolve-PyPackage -ProjectPath (Project 'torch-by-group') -Group cpu | Where-Object Package -eq 'torch').Index | Should -Be 'pytorch-cpu'
        # dev includes cuda: uv lowers the included requirements with the group being resolved (dev), so no entry applies.
        (Resolve-PyPackage -ProjectPath (Project 'torch-by-group') -Group dev | Where-Object Package -eq 'torch').Index | Should -Be 'pypi'
    }
}

Describe 'A workspace' -Tag 'Engine' {
    It "uses the member's own marker list over the root's source, with the root's indexes, Source relative to the root" {
        $member = Project 'workspace/packages/trainer'
        $torch = @(Resolve-PyPackage -ProjectPath $member -Platform x86_64-manylinux_2_28 -PythonVersion 3.12 | Where-Object Package -eq 'torch')
        $torch.Index | Should -Be 'pytorch-cu128'
        $policies = @(Get-IndexStrategy -Path $member)
        $policies[0].Source | Should -Be 'pyproject.toml:14'
        $policies[0].StrategySource | Should -Be 'pyproject.toml:12'
        $policies[0].ConfigFile | Should -Be (Join-Path (Project 'workspace') 'pyproject.toml')
    }
}

Describe 'uv.toml files uv refuses' -Tag 'Engine' {
    It '<name> is refused naming file:line:column and what uv says' -ForEach @(
        @{ Name = 'project-table'; Line = 2; Says = 'unknown field `project`' }
        @{ Name = 'tool-table'; Line = 2; Says = 'unknown field `tool`' }
        @{ Name = 'unknown-field'; Line = 3; Says = 'unknown field `index_strategy`' }
        @{ Name = 'wrong-type'; Line = 3; Says = 'index-strategy must be a string' }
    ) {
        $dir = Project "uv-toml/$Name"
        foreach ($run in @({ Get-IndexStrategy -Path $dir }, { Resolve-PyPackage numpy -Path $dir }, { Find-ShadowedPackage numpy -Path $dir })) {
            $caught = $null
            try { & $run -ErrorAction Stop | Out-Null } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            "$caught" | Should -Match ([regex]::Escape((Join-Path $dir 'uv.toml') + ":${Line}:"))
            "$caught" | Should -Match ([regex]::Escape($Says))
        }
    }

    It 'reads a valid CRLF uv.toml without a final newline, Source file:line' {
        $policies = @(Get-IndexStrategy -Path (Project 'uv-toml/valid'))
        $policies.Name | Should -Be @('pytorch-cpu', 'pypi')
        $policies[0].Source | Should -Be 'uv.toml:4'
        $policies[0].StrategySource | Should -Be 'uv.toml:2'
        (Resolve-PyPackage numpy -Path (Project 'uv-toml/valid')).Index | Should -Be 'pypi'
    }
}

Describe 'Set-IndexIgnoredCodes then -Reset over the corpus' -Tag 'Engine' {
    It 'gives back the original bytes of <file>' -ForEach @(
        @{ File = 'uv-toml/valid/uv.toml'; Index = 'pypi' }
        @{ File = 'uv-toml/valid/uv.toml'; Index = 'pytorch-cpu' }
        @{ File = 'torch-by-extra/pyproject.toml'; Index = 'pypi' }
        @{ File = 'workspace/pyproject.toml'; Index = 'pytorch-cu128' }
    ) {
        $path = Project $File
        $before = [System.IO.File]::ReadAllBytes($path)
        Set-IndexIgnoredCodes -Name $Index -StatusCode 401, 403 -Path $path -Force
        $changed = [System.IO.File]::ReadAllText($path)
        $changed | Should -Match 'ignore-error-codes = \[401, 403\]'
        Set-IndexIgnoredCodes -Name $Index -Reset -Path $path -Force
        [System.IO.File]::ReadAllBytes($path) | Should -Be $before
    }
}

Describe 'A lock with torch 2.7.0 from two registries' -Tag 'Engine' {
    It 'keeps both entries, each resolved against its own registry, Source uv.lock:N once' {
        $torch = @(Resolve-PyPackage -ProjectPath (Project 'lock-two-registries/uv.lock') | Where-Object Package -eq 'torch')
        $torch.Count | Should -Be 2
        $torch.Index | Should -Be @('pypi', 'pytorch-cpu')
        $torch.Version | Should -Be @('2.7.0', '2.7.0+cpu')
        $torch[0].Source | Should -Match '^uv\.lock:27; locked from '
        $torch[1].Source | Should -Match '^uv\.lock:38; locked from .* → pytorch-cpu$'
        ($torch.Source -match 'uv\.lock:\d+ uv\.lock') | Should -BeNullOrEmpty
    }

    It 'Test-PyLock, Find-ShadowedPackage and Compare-IndexStrategy read the project' {
        $dir = Project 'lock-two-registries'
        { Test-PyLock -Path $dir -IncludeUnchanged -ErrorAction Stop } | Should -Not -Throw
        @(Find-ShadowedPackage -ProjectPath $dir -ErrorAction Stop).Count | Should -BeGreaterThan 0
        @(Compare-IndexStrategy -ProjectPath $dir -ErrorAction Stop).Count | Should -BeGreaterThan 0
    }
}
