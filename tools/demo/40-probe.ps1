# Demo section: Test-PyIndex probes each index of the demo project (runs in tools/demo.ps1's scope: $server, $file,
# Show-Step and Show-Command exist; the current folder is the demo project; the internal index's credentials are in
# UV_INDEX_INTERNAL_USERNAME / UV_INDEX_INTERNAL_PASSWORD from step 3).

Show-Step '40. Probe the indexes: what each answers for a missing name'
Show-Command 'Test-PyIndex'
Test-PyIndex | Show-Output
Write-Host 'The internal index answers 401 without credentials but 404 with them: a 401'
Write-Host 'there means "log in", not "not here", so no ignore-error-codes is recommended'
Write-Host 'for it. (pytorch already ignores 403: step 4 set it.)'

Show-Command 'Test-PyIndex internal -Package acme-auth | Format-List'
Test-PyIndex internal -Package acme-auth | Format-List | Show-Output

Show-Step '41. Wrong credentials are told apart from a missing package'
Show-Command '$wrong = Get-Credential demo    # and a wrong password'
$wrong = [pscredential]::new('demo', (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force))
Show-Command '$probe = Test-PyIndex internal -Credential $wrong'
$probe = Test-PyIndex internal -Credential $wrong
Show-Command '$probe.Credentials'
$probe.Credentials | Show-Output
Show-Command '($probe.Findings | Where-Object Severity -EQ Error).Message'
($probe.Findings | Where-Object Severity -EQ Error).Message | Show-Output

Show-Step '42. A probe recommendation piped into Set-IndexIgnoredCodes'
Show-Command 'Set-IndexIgnoredCodes -Name pytorch -Reset    # undo step 4'
Set-IndexIgnoredCodes -Name pytorch -Reset -Confirm:$false
Show-Command 'Test-PyIndex | Where-Object RecommendedIgnoreErrorCodes |', '    Set-IndexIgnoredCodes -WhatIf'
Test-PyIndex | Where-Object RecommendedIgnoreErrorCodes | Set-IndexIgnoredCodes -WhatIf
Show-Command 'Test-PyIndex pytorch | Set-IndexIgnoredCodes -Force -PassThru'
Test-PyIndex pytorch | Set-IndexIgnoredCodes -Force -PassThru | Show-Output
