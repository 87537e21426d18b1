# Demo section: whole projects (pyproject.toml, requirements files, uv.lock) and CI output.
# Runs in tools/demo.ps1's scope: $server, $work, Show-Step and Show-Command exist; the internal index's
# credentials are set (step 3). Works in its own project folder so the main demo project stays as it was.

$projectsDemo = Join-Path $work 'projects-app'
$projectsFile = New-UvProject -Path $projectsDemo -Index @(
    @{ Name = 'internal'; Url = $server.Indexes['internal'] }
    @{ Name = 'pytorch'; Url = $server.Indexes['pytorch']; IgnoreErrorCodes = @(403) }
    @{ Name = 'pypi'; Url = $server.Indexes['pypi']; Default = $true })
$projectsText = (Get-Content $projectsFile -Raw) -replace '(?m)^version = "0.1.0"$', @"
version = "0.1.0"
dependencies = ["acme-utils>=1.2", "requests>=2.31"]

[project.optional-dependencies]
gpu = ["torch==2.4.0"]

[dependency-groups]
test = ["numpy>=1.26"]
"@
Set-Content $projectsFile $projectsText
Set-Content (Join-Path $projectsDemo 'requirements.txt') "requests>=2.31`n--extra-index-url https://ci-bot:not-a-real-token@mirror.example/simple`n-r requirements-test.txt`n"
Set-Content (Join-Path $projectsDemo 'requirements-test.txt') "numpy>=1.26  # arrays`n"
# A lock written back when the project ran with UnsafeBestMatch: acme-utils came from the public look-alike.
Set-Content (Join-Path $projectsDemo 'uv.lock') @"
version = 1

[[package]]
name = "acme-utils"
version = "99.0.0"
source = { registry = "$($server.Indexes['pypi'])" }

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "$($server.Indexes['pypi'])" }

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "$($server.Indexes['pypi'])" }
"@

Push-Location $projectsDemo
try {
    Show-Step '60. Whole projects: every dependency, extra and group of pyproject.toml'
    Show-Command 'Get-ChildItem pyproject.toml | Resolve-PyPackage |', '    Format-Table Package, Version, Index, Source'
    Get-ChildItem pyproject.toml | Resolve-PyPackage | Format-Table Package, Version, Index, Source | Show-Output

    Show-Step '61. A requirements file: includes followed, --extra-index-url reported'
    Write-Host '    (not applied), secrets redacted'
    Show-Command '$read = Resolve-PyPackage -RequirementsPath requirements.txt'
    $read = Resolve-PyPackage -RequirementsPath requirements.txt
    Show-Command '$read | Where-Object Option     # the option lines, not applied'
    $read | Where-Object Option | Show-Output
    Show-Command '$read | Where-Object Package'
    $read | Where-Object Package | Show-Output
    Show-Command 'Get-Content requirements.txt | Resolve-PyPackage    # piped lines'
    Get-Content requirements.txt | Resolve-PyPackage | Show-Output

    Show-Step '62. Test-PyLock: would the configuration still take each locked package'
    Write-Host '    from the lock''s registry?'
    Show-Command 'Test-PyLock -IncludeUnchanged'
    Test-PyLock -IncludeUnchanged | Show-Output
    Show-Command '(Test-PyLock).Message'
    (Test-PyLock).Message | Show-Output

    Show-Step '63. Write-IndexReport in a GitHub Actions step'
    Write-Host '    (GITHUB_ACTIONS=true, GITHUB_STEP_SUMMARY set)'
    $summaryFile = Join-Path $work 'step-summary.md'
    $env:GITHUB_ACTIONS = 'true'; $env:GITHUB_STEP_SUMMARY = $summaryFile
    try {
        Show-Command '& { Resolve-PyPackage -Project; Test-PyLock } | Write-IndexReport'
        try {
            & { Resolve-PyPackage -Project; Test-PyLock } | Write-IndexReport | Show-Output
        }
        catch {
            Write-Host "Terminating error: $($_.FullyQualifiedErrorId) (the step would fail here)"
            Write-Host "  $($_.Exception.Message)"
        }
        Write-Host 'The job summary, without its tables (one row per result):'
        Show-Command 'Get-Content $env:GITHUB_STEP_SUMMARY | Where-Object { $_ -notlike ''|*'' }'
        Get-Content $env:GITHUB_STEP_SUMMARY | Where-Object { $_ -notlike '|*' } | Show-Output
    }
    finally { Remove-Item Env:GITHUB_ACTIONS, Env:GITHUB_STEP_SUMMARY -ErrorAction SilentlyContinue }

    Show-Step '64. The same results as Azure DevOps logging commands, never failing'
    Show-Command 'Test-PyLock |', '    Write-IndexReport -Format AzureDevOps -Path ./summary.md -FailOn Never'
    Test-PyLock | Write-IndexReport -Format AzureDevOps -Path (Join-Path $projectsDemo 'summary.md') -FailOn Never | Show-Output
}
finally {
    Pop-Location
}
