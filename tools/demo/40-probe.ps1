# Demo section: Test-PyIndex probes each index of the demo project (runs in tools/demo.ps1's scope: $server, $file,
# Show-Step and Show-Command exist; the current folder is the demo project; the internal index's credentials are in
# UV_INDEX_INTERNAL_USERNAME / UV_INDEX_INTERNAL_PASSWORD from step 3).

Show-Step '40. Probe the indexes: what each answers for a missing name, with and without credentials'
Show-Command 'Test-PyIndex'
Test-PyIndex | Out-Host
Write-Host 'The internal index answers 401 without credentials but 404 with them: a 401 there means "log in", not "not here",'
Write-Host 'so no ignore-error-codes is recommended for it. (pytorch already ignores 403: step 4 set it.)'

Show-Command 'Test-PyIndex internal -Package acme-auth | Format-List'
Test-PyIndex internal -Package acme-auth | Format-List | Out-Host

Show-Step '41. Wrong credentials are told apart from a missing package'
Show-Command 'Test-PyIndex internal -Credential (demo / wrong-password)'
$wrong = [pscredential]::new('demo', (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force))
Test-PyIndex internal -Credential $wrong | Select-Object Name, Credentials, @{ n = 'Finding'; e = { ($_.Findings | Where-Object Severity -EQ 'Error').Message } } | Format-List | Out-Host

Show-Step '42. A probe recommendation piped into Set-IndexIgnoredCodes'
Show-Command 'Set-IndexIgnoredCodes -Name pytorch -Reset -Confirm:$false   # undo step 4 to see the recommendation again'
Set-IndexIgnoredCodes -Name pytorch -Reset -Confirm:$false
Show-Command 'Test-PyIndex | Where-Object RecommendedIgnoreErrorCodes | Set-IndexIgnoredCodes -WhatIf'
Test-PyIndex | Where-Object RecommendedIgnoreErrorCodes | Set-IndexIgnoredCodes -WhatIf
Show-Command 'Test-PyIndex pytorch | Set-IndexIgnoredCodes -Force -PassThru'
Test-PyIndex pytorch | Set-IndexIgnoredCodes -Force -PassThru | Out-Host
