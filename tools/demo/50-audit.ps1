# Demo section: Find-ShadowedPackage and Compare-IndexStrategy on the demo project (runs in tools/demo.ps1's scope:
# $server, Show-Step and Show-Command exist; the current folder is the demo project; the internal index's credentials
# are in UV_INDEX_INTERNAL_USERNAME / UV_INDEX_INTERNAL_PASSWORD from step 3). The demo's "pypi" is a local index,
# as is its "pytorch": -PublicIndex pypi, pytorch says they play the public ones.

Show-Step '50. Dependency-confusion audit: every index asked about each name, whatever the strategy'
Show-Command "'acme-utils', 'acme-auth', 'torch' | Find-ShadowedPackage -PublicIndex pypi, pytorch -Force"
'acme-utils', 'acme-auth', 'torch' | Find-ShadowedPackage -PublicIndex pypi, pytorch -Force | Out-Host
Show-Command 'Find-ShadowedPackage acme-utils -PublicIndex pypi, pytorch -Force | Format-List'
Find-ShadowedPackage acme-utils -PublicIndex pypi, pytorch -Force | Format-List | Out-Host
Write-Host 'Without -Force the command asks first: asking the public index about internal names is what first-index avoids.'

Show-Step '51. The same names under every strategy, and pip'
Show-Command "'acme-utils', 'acme-auth', 'torch' | Compare-IndexStrategy -PublicIndex pypi, pytorch -Force"
'acme-utils', 'acme-auth', 'torch' | Compare-IndexStrategy -PublicIndex pypi, pytorch -Force | Out-Host
Show-Command "Compare-IndexStrategy 'acme-utils>=2' -PublicIndex pypi, pytorch -Force | Select-Object Package, FirstIndex, SubsequentIndexCheck | Format-List"
Compare-IndexStrategy 'acme-utils>=2' -PublicIndex pypi, pytorch -Force | Select-Object Package, FirstIndex, SubsequentIndexCheck | Format-List | Out-Host
