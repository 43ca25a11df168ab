#!/usr/bin/env bash
# Start-up of the installed `workflows` tool, one process per command (README, Benchmarks; bench/README.md,
# "Start-up"): the wall time of `--help`, of `provision` (embedded emulator, fresh state directory) and of the
# `teardown --from-last-run --force` after it, R times each (default 7), as /usr/bin/time measures them; prints
# the medians and every run. Give tool paths to compare builds (interleaved, so load affects them alike):
#   bench/startup.sh [-r R] [TOOL ...]        (default TOOL: workflows on PATH)
# WORKFLOWS_TRACE_STARTUP=1 on one command shows where its time goes (phase by phase, on stderr).
set -euo pipefail
runs=7
if [ "${1:-}" = "-r" ]; then runs=$2; shift 2; fi
tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=("$(command -v workflows)")
[ -x /usr/bin/time ] || { echo "startup.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
declare -A times
timed() { /usr/bin/time -o "$work/t" -f "%e" "$@" >/dev/null 2>&1 || { echo "startup.sh: '$*' failed" >&2; exit 1; }; cat "$work/t"; }
for _ in $(seq "$runs"); do
  for i in "${!tools[@]}"; do
    t=${tools[$i]}
    times[$i,help]+="$(timed "$t" --help) "
    rm -rf .workflows
    times[$i,provision]+="$(timed "$t" provision) "
    times[$i,teardown]+="$(timed "$t" teardown --from-last-run --force) "
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) vCPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load average $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /')"
for i in "${!tools[@]}"; do
  echo "${tools[$i]}: --help $(median "${times[$i,help]}") s, provision $(median "${times[$i,provision]}") s, teardown $(median "${times[$i,teardown]}") s (medians of $runs)"
  for c in help provision teardown; do echo "  $c: ${times[$i,$c]}"; done
done
