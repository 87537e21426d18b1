<#
.SYNOPSIS
    Publishes a built module folder as a versioned .nupkg into a folder (a PSResourceGet file repository), without
    touching the user's PSResourceGet repositories or modules.
.DESCRIPTION
    Used by `./build.sh package` (into out/repo/) and by tests/pester/Package.Tests.ps1. A fresh pwsh runs with HOME
    (and the XDG folders) pointed at a throw-away folder, registers the destination there as a trusted repository and
    runs Publish-PSResource, the packer galleries receive; the throw-away folder is then removed. An older package of
    the same version in the destination is replaced. Writes the .nupkg's full path.
.EXAMPLE
    ./tools/Publish-LocalPackage.ps1 -ModulePath out/IndexTools -Destination out/repo -PwshCommand (Get-Command pwsh).Source
#>
[CmdletBinding()]
param(
    # The module folder to pack (out/IndexTools: its manifest names the module and its version).
    [Parameter(Mandatory)] [string] $ModulePath,

    # The folder repository the .nupkg goes into (created when missing).
    [Parameter(Mandatory)] [string] $Destination,

    # The command line that starts a pwsh like this one (`dotnet <PSHOME>/pwsh.dll` for the dotnet tool).
    [Parameter(Mandatory)] [string[]] $PwshCommand
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$ModulePath = (Resolve-Path $ModulePath).Path
$manifestPath = Join-Path $ModulePath 'IndexTools.psd1'
if (-not (Test-Path $manifestPath)) { throw "$ModulePath holds no IndexTools.psd1: build the module first (./build.sh build)." }
$version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
New-Item -ItemType Directory -Force $Destination | Out-Null
$Destination = (Resolve-Path $Destination).Path
$nupkg = Join-Path $Destination "IndexTools.$version.nupkg"
Remove-Item $nupkg -ErrorAction SilentlyContinue

$scope = Join-Path ([IO.Path]::GetTempPath()) ('indextools-package-' + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Force $scope | Out-Null
function Quote([string] $Value) { "'" + $Value.Replace("'", "''") + "'" }
$script = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'`n" +
    "Register-PSResourceRepository -Name IndexToolsLocal -Uri $(Quote $Destination) -Trusted`n" +
    "Publish-PSResource -Path $(Quote $ModulePath) -Repository IndexToolsLocal`n"
$info = [Diagnostics.ProcessStartInfo]::new($PwshCommand[0])
foreach ($argument in @($PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)) {
    $info.ArgumentList.Add($argument)
}
# The throw-away scope: on Linux and macOS PSResourceGet keeps its repository list and CurrentUser modules under HOME
# (the XDG folders when set). No PSModulePath from this session: the child computes its own from that HOME.
# The folders must exist: .NET's GetFolderPath answers "" for a missing one, and PSResourceGet would then keep its
# repository list in the current folder.
$info.Environment['HOME'] = $scope
foreach ($xdg in @(@('XDG_DATA_HOME', '.local/share'), @('XDG_CONFIG_HOME', '.config'), @('XDG_CACHE_HOME', '.cache'))) {
    $info.Environment[$xdg[0]] = New-Item -ItemType Directory -Force (Join-Path $scope $xdg[1]) | ForEach-Object FullName
}
$info.WorkingDirectory = $scope
[void] $info.Environment.Remove('PSModulePath')
$info.RedirectStandardOutput = $true
$info.RedirectStandardError = $true
$info.UseShellExecute = $false
try {
    $process = [Diagnostics.Process]::Start($info)
    $errors = $process.StandardError.ReadToEndAsync()
    $output = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0 -or -not (Test-Path $nupkg)) {
        throw "Publish-PSResource did not write $nupkg (exit code $($process.ExitCode)):`n$output$($errors.Result)"
    }
}
finally {
    Remove-Item -Recurse -Force $scope -ErrorAction SilentlyContinue
}
$nupkg
