#!/usr/bin/env bash
# Bootstrap: restore the pinned pwsh (a dotnet tool, .config/dotnet-tools.json), then hand over to build.ps1.
#   ./build.sh            build out/IndexTools/
#   ./build.sh test       build, xunit, Pester; last line "N passed, N failed"
#   ./build.sh demo       build, then the demo scenario
#   ./build.sh serve      build, then the demo's index server left running (-Stop stops it) and commands to try
#   ./build.sh package    build, then out/repo/IndexTools.<version>.nupkg (Publish-PSResource) and how to publish it
#   ./build.sh clean
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export POWERSHELL_TELEMETRY_OPTOUT=1
export POWERSHELL_UPDATECHECK=Off
dotnet tool restore >/dev/null
exec dotnet pwsh -NoProfile -NonInteractive -File build.ps1 "$@"
