#!/usr/bin/env bash
# Coverage-guided fuzzing of the engine's input parsers with SharpFuzz + afl++.
#   tests/fuzz/run.sh <target|all> [seconds-per-target]     (default 60 s)
# Targets: html json flat pep440 toml-edit toml-load. Targets run one after another (never in parallel).
# Installs what it needs: afl++ (apt-get) and the SharpFuzz.CommandLine tool (into tests/fuzz/.tools).
# Crashing and hanging inputs are copied to tests/fuzz/findings/<target>/ and replayed to show their exceptions.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
targets_all=(html json flat pep440 toml-edit toml-load)
target="${1:-}"
seconds="${2:-60}"

if [[ -z "$target" ]]; then
    echo "usage: $0 <all|${targets_all[*]// /|}> [seconds-per-target]" >&2
    exit 2
fi

if [[ "$target" == all ]]; then
    targets=("${targets_all[@]}")
else
    case " ${targets_all[*]} " in
        *" $target "*) targets=("$target") ;;
        *) echo "unknown target '$target' (known: ${targets_all[*]})" >&2; exit 2 ;;
    esac
fi

# --- tools -------------------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "afl-fuzz not found; installing afl++ with apt-get" >&2
    sudo_cmd=()
    if [[ "$(id -u)" != 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq afl++ >/dev/null
fi

sharpfuzz="$here/.tools/sharpfuzz"
if [[ ! -x "$sharpfuzz" ]]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$here/.tools" >/dev/null
fi

# --- build and instrument ------------------------------------------------------------------------------------
# Two copies: instrumented code may only run under afl (it writes to afl's shared memory), so findings are replayed
# with the plain build.
plain="$here/out/plain"
out="$here/out/instrumented"
rm -rf "$plain" "$out"
dotnet build "$here/IndexTools.Fuzz.csproj" -c Release -o "$plain" -v q -nologo >/dev/null
cp -r "$plain" "$out"
# The engine and the TOML parser it builds on carry the coverage instrumentation; the harness itself does not.
"$sharpfuzz" "$out/IndexTools.Engine.dll" >/dev/null
"$sharpfuzz" "$out/Tomlyn.dll" >/dev/null

# --- fuzz ----------------------------------------------------------------------------------------------------
export AFL_SKIP_BIN_CHECK=1            # the target is `dotnet`, not an afl-instrumented binary
export AFL_NO_UI=1
export AFL_SKIP_CPUFREQ=1
export AFL_NO_AFFINITY=1               # share the machine's cores politely
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000    # the .NET runtime starts slowly
export DOTNET_TieredPGO=0

declare -A dicts=([html]=html [flat]=html [json]=json [pep440]=pep440 [toml-edit]=toml [toml-load]=toml)
summary=()
total_crashes=0

stat() { grep -E "^$1 " "$2" 2>/dev/null | sed 's/^[^:]*: *//' || true; }

for t in "${targets[@]}"; do
    work="$here/out/afl/$t"
    rm -rf "$work"
    mkdir -p "$work"
    echo "=== $t: fuzzing for ${seconds}s"
    afl-fuzz -i "$here/corpus/$t" -o "$work" -x "$here/dict/${dicts[$t]}.dict" -t 5000+ -m none -V "$seconds" \
        -- dotnet "$out/IndexTools.Fuzz.dll" "$t" >"$work/afl.log" 2>&1 || {
        echo "afl-fuzz failed for $t; last lines of $work/afl.log:" >&2
        tail -n 25 "$work/afl.log" >&2
        exit 1
    }

    stats="$work/default/fuzzer_stats"
    execs="$(stat execs_done "$stats")"
    eps="$(stat execs_per_sec "$stats")"
    paths="$(stat corpus_count "$stats")"
    edges="$(stat edges_found "$stats")"
    bitmap="$(stat bitmap_cvg "$stats")"
    crashes="$(stat saved_crashes "$stats")"
    hangs="$(stat saved_hangs "$stats")"
    runtime="$(stat run_time "$stats")"

    findings="$here/findings/$t"
    rm -rf "$findings"
    found=0
    for kind in crashes hangs; do
        if compgen -G "$work/default/$kind/id:*" >/dev/null; then
            mkdir -p "$findings/$kind"
            for f in "$work/default/$kind"/id:*; do
                # ':' and ',' in afl's names are awkward on some filesystems and in test data; keep the id and signal.
                cp "$f" "$findings/$kind/$(basename "$f" | tr ':,' '-_')"
                found=$((found + 1))
            done
        fi
    done

    echo "    run time ${runtime}s, executions ${execs}, ${eps} exec/s, corpus ${paths} paths, edges ${edges}, bitmap ${bitmap}, crashes ${crashes}, hangs ${hangs}"
    if [[ $found -gt 0 ]]; then
        echo "    findings copied to $findings; replay:"
        dotnet "$plain/IndexTools.Fuzz.dll" "$t" --replay "$findings"/* 2>&1 | grep -E '^(FAIL|replayed)' | sort | uniq -c | sort -rn | head -n 20 | sed 's/^/      /' || true
    fi

    summary+=("$(printf '%-10s execs=%-9s exec/s=%-8s paths=%-6s edges=%-6s bitmap=%-7s crashes=%s hangs=%s' "$t" "$execs" "$eps" "$paths" "$edges" "$bitmap" "$crashes" "$hangs")")
    total_crashes=$((total_crashes + ${crashes:-0}))
done

echo
echo "=== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
[[ $total_crashes -eq 0 ]]
