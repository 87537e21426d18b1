<#
.SYNOPSIS
    Writes the built module manifest from module/IndexTools.psd1: ModuleVersion from Directory.Build.props,
    ReleaseNotes from CHANGELOG.md, and ProjectUri, LicenseUri and HelpInfoUri from IndexToolsProjectUri.
.DESCRIPTION
    Run by build.ps1 (into out/IndexTools/IndexTools.psd1) and by tests/pester/Manifest.Tests.ps1 (on a copy of the
    three inputs). ReleaseNotes is the CHANGELOG.md section of the version ("## [0.1.0] - date"), else
    "## [Unreleased]". The three URIs come from the one <IndexToolsProjectUri> of Directory.Build.props:
    ProjectUri = <uri>, LicenseUri = <uri>/blob/HEAD/LICENSE, HelpInfoUri = <uri>/tree/HEAD/module/help/en-US; while it
    is empty they are left out (none is invented). Writes what it stamped as an object.
#>
[CmdletBinding()]
param(
    # The folder with Directory.Build.props, CHANGELOG.md and module/IndexTools.psd1 (the repository root).
    [Parameter(Mandatory)] [string] $Root,

    # The manifest to write.
    [Parameter(Mandatory)] [string] $Destination
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The first <$Name> of Directory.Build.props, trimmed; $null when there is none.
function Get-ProjectProperty([string] $Name) {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $nodes = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode($Name) } | Where-Object { $_ })
    if ($nodes.Count -eq 0) { return $null }
    return $nodes[0].InnerText.Trim()
}

# ProjectUri, LicenseUri and HelpInfoUri, all from the one IndexToolsProjectUri of Directory.Build.props; $null while
# it is empty (the project has no public address yet, and none is invented).
function Get-ProjectUris {
    $value = Get-ProjectProperty 'IndexToolsProjectUri'
    if (-not $value) { return $null }
    $uri = $null
    if (-not [uri]::TryCreate($value, [UriKind]::Absolute, [ref] $uri) -or $uri.Scheme -notin 'https', 'http' -or $uri.Query -or $uri.Fragment) {
        throw "Directory.Build.props: <IndexToolsProjectUri> '$value' is not an absolute http(s) address without query (e.g. https://github.com/<owner>/IndexTools)."
    }
    $base = $uri.AbsoluteUri.TrimEnd('/')
    return [ordered] @{ ProjectUri = $base; LicenseUri = "$base/blob/HEAD/LICENSE"; HelpInfoUri = "$base/tree/HEAD/module/help/en-US" }
}

# The CHANGELOG.md section of $Version ("## [0.1.0] - date"), else "## [Unreleased]" (the changes a build of a version
# without its own section carries): its text without the heading, for the manifest's ReleaseNotes.
function Get-ReleaseNotes([string] $Version) {
    $path = Join-Path $Root 'CHANGELOG.md'
    if (-not (Test-Path $path)) { throw "CHANGELOG.md is missing: the manifest's ReleaseNotes come from it." }
    $lines = @(Get-Content $path -Encoding utf8)
    $headings = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^## \[([^\]]+)\]') { [pscustomobject] @{ Line = $i; Name = $Matches[1] } } })
    $section = @($headings | Where-Object Name -eq $Version) + @($headings | Where-Object Name -eq 'Unreleased') | Select-Object -First 1
    if (-not $section) { throw "CHANGELOG.md has neither a '## [$Version]' nor a '## [Unreleased]' section." }
    $next = @($headings | Where-Object Line -gt $section.Line | Select-Object -First 1)
    $end = if ($next) { $next[0].Line } else { $lines.Count }
    $text = ($lines[($section.Line + 1)..($end - 1)] -join "`n").Trim()
    if (-not $text) { throw "CHANGELOG.md: the section '## [$($section.Name)]' is empty." }
    return $text
}

# A PowerShell single-quoted string literal (every quote character PowerShell accepts is doubled).
function ConvertTo-QuotedLiteral([string] $Value) {
    return "'" + [regex]::Replace($Value, "['\u2018\u2019\u201A\u201B]", '$0$0') + "'"
}

# The built manifest: ModuleVersion stamped, ReleaseNotes from CHANGELOG.md, the URIs when IndexToolsProjectUri is set.
function New-ModuleManifestText([string] $Version, $Uris) {
    $manifest = Get-Content -Raw (Join-Path $Root 'module/IndexTools.psd1')
    $stamped = [regex]::Replace($manifest, "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`${1}'$Version'")
    if ($stamped -eq $manifest -and $manifest -notmatch "ModuleVersion\s*=\s*'$([regex]::Escape($Version))'") {
        throw 'Could not stamp ModuleVersion in module/IndexTools.psd1.'
    }
    $psData = @("ReleaseNotes = $(ConvertTo-QuotedLiteral (Get-ReleaseNotes $Version))")
    $help = @()
    if ($Uris) {
        $psData += "ProjectUri = $(ConvertTo-QuotedLiteral $Uris.ProjectUri)", "LicenseUri = $(ConvertTo-QuotedLiteral $Uris.LicenseUri)"
        $help += "HelpInfoUri = $(ConvertTo-QuotedLiteral $Uris.HelpInfoUri)"
    }
    foreach ($marker in @(@{ Pattern = '# build\.ps1 writes ReleaseNotes'; Lines = $psData }, @{ Pattern = '# build\.ps1 writes HelpInfoUri'; Lines = $help })) {
        $regex = [regex] "(?m)^(?<indent>[ \t]*)$($marker.Pattern)[^\r\n]*(\r?\n)?"
        $match = $regex.Match($stamped)
        if (-not $match.Success) { throw "module/IndexTools.psd1 lost the line '$($marker.Pattern.Replace('\', ''))...' where tools/New-ModuleManifest.ps1 writes the manifest's metadata." }
        $indent = $match.Groups['indent'].Value
        $replacement = -join @($marker.Lines | ForEach-Object { $indent + $_ + "`n" })
        $stamped = $stamped.Substring(0, $match.Index) + $replacement + $stamped.Substring($match.Index + $match.Length)
    }
    return $stamped
}

$version = Get-ProjectProperty 'Version'
if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
$uris = Get-ProjectUris
$text = New-ModuleManifestText $version $uris
# A byte-order mark when the text is not ASCII (ReleaseNotes), so Windows PowerShell 5.1 reads it as UTF-8.
$bom = $text -match '[^\x00-\x7F]'
[IO.File]::WriteAllText($Destination, $text, [Text.UTF8Encoding]::new($bom))
[pscustomobject] @{
    Path        = $Destination
    Version     = $version
    ProjectUri  = if ($uris) { $uris.ProjectUri } else { $null }
    LicenseUri  = if ($uris) { $uris.LicenseUri } else { $null }
    HelpInfoUri = if ($uris) { $uris.HelpInfoUri } else { $null }
}
