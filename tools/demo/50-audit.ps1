# Demo section: Find-ShadowedPackage and Compare-IndexStrategy on the demo project (runs in tools/demo.ps1's scope:
# $server, Show-Step and Show-Command exist; the current folder is the demo project; the internal index's credentials
# are in UV_INDEX_INTERNAL_USERNAME / UV_INDEX_INTERNAL_PASSWORD from step 3). The demo's "pypi" is a local index,
# as is its "pytorch": -PublicIndex pypi, pytorch says they play the public ones.

Show-Step '50. Dependency-confusion audit: every index asked about each name'
Show-Command "`$names = 'acme-utils', 'acme-auth', 'torch'"
Show-Command "`$public = 'pypi', 'pytorch'    # the demo's public indexes"
$names = 'acme-utils', 'acme-auth', 'torch'
$public = 'pypi', 'pytorch'
Show-Command '$names | Find-ShadowedPackage -PublicIndex $public -WhatIf'
$names | Find-ShadowedPackage -PublicIndex $public -WhatIf
Show-Command '$names | Find-ShadowedPackage -PublicIndex $public    # in CI: no prompt'
try { $names | Find-ShadowedPackage -PublicIndex $public }
catch {
    Write-Host "Find-ShadowedPackage: $($_.Exception.Message)"
    Write-Host "Recommendation: $($_.ErrorDetails.RecommendedAction)"
    Write-Host "(error $($_.FullyQualifiedErrorId))"
}
Show-Command '$names | Find-ShadowedPackage -PublicIndex $public -Force'
$names | Find-ShadowedPackage -PublicIndex $public -Force | Show-Output
Show-Command 'Find-ShadowedPackage acme-utils -PublicIndex $public -Force | Format-List'
Find-ShadowedPackage acme-utils -PublicIndex $public -Force | Format-List | Show-Output
Write-Host 'Without -Force the command asks first (in CI: ConfirmationRequired, above):'
Write-Host 'asking the public index about internal names is what first-index avoids.'

Show-Step '51. The same names under every strategy, and pip'
Show-Command '$names | Compare-IndexStrategy -PublicIndex $public -Force'
$names | Compare-IndexStrategy -PublicIndex $public -Force | Show-Output
Show-Command "`$pinned = Compare-IndexStrategy 'acme-utils>=2' -PublicIndex `$public -Force"
$pinned = Compare-IndexStrategy 'acme-utils>=2' -PublicIndex $public -Force
Show-Command '$pinned.FirstIndex; $pinned.SubsequentIndexCheck'
$pinned.FirstIndex, $pinned.SubsequentIndexCheck | Show-Output
