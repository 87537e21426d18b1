<#
.SYNOPSIS
    Peak memory of one Resolve-PyPackage run against an index whose every project page is a hostile chunked body
    (issue 20.10): no Content-Length, -SizeMB of blank HTML per page, one page per package, all asked at once.
.DESCRIPTION
    Starts a loopback server (python3, one thread per connection) that streams each page in 1 MiB chunks, runs
    Resolve-PyPackage for -Packages names in a fresh pwsh, and prints that process's peak resident memory (VmHWM) and
    wall time. Bounded: -Packages × -SizeMB of data crosses loopback once (50 × 200 MB = 10 GB by default).
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/HostilePages.ps1 -Module out/IndexTools
#>
param(
    [string] $Module = (Join-Path $PSScriptRoot '../out/IndexTools'),
    [int] $Packages = 50,
    [int] $SizeMB = 200
)
$ErrorActionPreference = 'Stop'
$server = @'
import socket, sys, threading
size_mb = int(sys.argv[1])
chunk = b" " * (1024 * 1024)
framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
head = b"<!DOCTYPE html><html><body>"
tail = b"</body></html>"
def frame(data):
    return b"%x\r\n" % len(data) + data + b"\r\n"
def serve(conn):
    try:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + frame(head))
        for _ in range(size_mb):
            conn.sendall(framed)
        conn.sendall(frame(tail) + b"0\r\n\r\n")
    except OSError:
        pass
    finally:
        conn.close()
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(128)
print(listener.getsockname()[1], flush=True)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
'@
$script = Join-Path ([IO.Path]::GetTempPath()) "indextools-hostile-$PID.py"
Set-Content -Path $script -Value $server
$psi = [Diagnostics.ProcessStartInfo]::new('python3')
$psi.ArgumentList.Add($script); $psi.ArgumentList.Add([string]$SizeMB)
$psi.RedirectStandardOutput = $true
$python = [Diagnostics.Process]::Start($psi)
try {
    $port = [int]$python.StandardOutput.ReadLine()
    $names = 1..$Packages | ForEach-Object { "hostile-$_" }
    $run = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$((Resolve-Path $Module).Path)'
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$results = @('$($names -join "','")') | Resolve-PyPackage -Index http://127.0.0.1:$port/simple/ -NoConfig -NoCache -ErrorAction SilentlyContinue
`$seconds = `$watch.Elapsed.TotalSeconds
`$hwm = (Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', ''
'{0} packages x {1} MB chunked: {2} results, {3:N1} s, peak RSS {4:N0} MB' -f $Packages, $SizeMB, @(`$results).Count, `$seconds, ([long]`$hwm / 1024)
"@
    # pwsh itself, or `dotnet pwsh` when it runs as a dotnet tool (as ./build.sh starts it).
    $exe = [Environment]::ProcessPath
    $prefix = @()
    if ((Split-Path -Leaf $exe) -like 'dotnet*') { $prefix = @('pwsh') }
    & $exe @prefix -NoProfile -NonInteractive -Command $run
}
finally {
    $python.Kill()
    Remove-Item $script -ErrorAction SilentlyContinue
}
