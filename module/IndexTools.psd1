@{
    # The version below is a placeholder: build.ps1 stamps it from Directory.Build.props (the one version source).
    ModuleVersion        = '0.0.0'
    RootModule           = 'IndexTools.dll'
    GUID                 = '5f0d8a52-2b8e-4c7e-9a4f-3c1b2e6d9a71'
    Author               = 'IndexTools contributors'
    CompanyName          = 'IndexTools contributors'
    Copyright            = 'IndexTools contributors'
    Description          = 'Shows which index uv takes a Python package from and why the search stopped there; edits uv index settings.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    TypesToProcess       = @('IndexTools.Types.ps1xml')
    FormatsToProcess     = @('IndexTools.Format.ps1xml', 'IndexTools.Probe.Format.ps1xml', 'IndexTools.Audit.Format.ps1xml', 'IndexTools.Projects.Format.ps1xml', 'IndexTools.Report.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-IndexStrategy'
        'Resolve-PyPackage'
        'Set-IndexIgnoredCodes'
        'Test-PyIndex'
        'Find-ShadowedPackage'
        'Compare-IndexStrategy'
        'Test-PyLock'
        'Write-IndexReport'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    # build.ps1 writes HelpInfoUri here from IndexToolsProjectUri in Directory.Build.props (left out while it is empty).
    PrivateData          = @{
        PSData = @{
            # What CI tests: PowerShell 7.6 (Core) on Linux. Windows PowerShell 5.1 is designed for but not tested.
            Tags = @('uv', 'Python', 'PyPI', 'pip', 'index', 'dependency-confusion', 'CI', 'PSEdition_Core', 'Linux')
            # build.ps1 writes ReleaseNotes (from CHANGELOG.md) here, and ProjectUri and LicenseUri from IndexToolsProjectUri.
        }
    }
}
