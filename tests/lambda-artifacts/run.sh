#!/usr/bin/env bash
# Builds every function of template.yaml exactly as `sam build` runs a `BuildMethod: makefile` function with
# build_in_source (samconfig.toml): in its CodeUri, `make --makefile <ContextPath>/Makefile build-<LogicalId>` with
# ARTIFACTS_DIR set; then checks each artifact as Lambda would take it (an executable `bootstrap` of the template's
# architecture, within Lambda's size limit), and that SAM's default scratch-copy build fails loudly.
# Usage: tests/lambda-artifacts/run.sh [OUT_DIR]   (default: artifacts/sam-build). Ends with `N passed, N failed`.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/artifacts/sam-build}
cd "$root"
passed=0
failed=0
check() { # check NAME COMMAND...: runs the command, counts and prints the outcome
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

# Lambda's limit for a function's code, unzipped (the deployment package quota), in bytes.
max_unzipped=$((250 * 1024 * 1024))
declare -A elf_machine=([arm64]="ARM aarch64" [x86_64]="x86-64")

mkdir -p "$out"
while read -r id codeuri context method arch; do
  dir="$out/$id"
  rm -rf "$dir"; mkdir -p "$dir"
  log="$out/$id.build.log"
  build() { (cd "$root/$codeuri" && ARTIFACTS_DIR="$dir" make --makefile "$root/$context/Makefile" "build-$id") >"$log" 2>&1 || { tail -20 "$log"; return 1; }; }
  check "$id: BuildMethod is makefile" test "$method" = makefile
  check "$id: make build-$id in $codeuri (as sam build --build-in-source)" build
  check "$id: bootstrap is an executable ELF for $arch" bash -c "test -x '$dir/bootstrap' && file -b '$dir/bootstrap' | grep -q 'ELF 64-bit.*${elf_machine[$arch]}'"
  size=$(du -sb "$dir" | cut -f1)
  zipped=$(python3 -c "import io,os,sys,zipfile
b=io.BytesIO(); z=zipfile.ZipFile(b,'w',zipfile.ZIP_DEFLATED)
for r,_,fs in os.walk(sys.argv[1]):
  for f in fs: p=os.path.join(r,f); z.write(p,os.path.relpath(p,sys.argv[1]))
z.close(); print(len(b.getvalue()))" "$dir")
  echo "     $id: $((size / 1048576)) MiB unzipped, $((zipped / 1048576)) MiB zipped"
  check "$id: $size bytes unzipped, within Lambda's $max_unzipped" test "$size" -le "$max_unzipped"
done < <(python3 tests/lambda-artifacts/functions.py template.yaml)

# SAM's default: the CodeUri copied to a scratch folder, make run there. It must fail, and say what to do.
scratch=$(mktemp -d)
cp -r functions/ValidateProvisionRequest/. "$scratch/"
scratch_out=$(cd "$scratch" && ARTIFACTS_DIR="$scratch/out" make --makefile "$root/functions/Makefile" build-ValidateProvisionRequestFunction 2>&1)
scratch_status=$?
check "scratch-copy build fails (exit $scratch_status)" test "$scratch_status" -ne 0
check "scratch-copy build says to set build_in_source" grep -q "build_in_source = true" <<<"$scratch_out"
check "scratch-copy build created no artifact" test ! -e "$scratch/out/bootstrap"
rm -rf "$scratch"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
