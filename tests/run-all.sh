#!/usr/bin/env bash
# The project's one test command (README, .ci/run): builds the solution, runs every .NET test project with
# `dotnet test`, then the Node suites (npm packages installed from the committed lock files), and ends with
# one line `N passed, N failed` summed over all of them. Exit code 0 only if everything ran and passed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# No test may reach for EC2 instance metadata (a link-local address) when a default credential chain finds
# nothing in the environment.
export AWS_EC2_METADATA_DISABLED=true
cd "$root"
logs=$(mktemp -d)
passed=0
failed=0
broken=()

count_dotnet() { # sums the VSTest summary lines: "Passed!  - Failed:  0, Passed:  12, Skipped: 0, ..."
  local p f
  p=$(awk '/^(Passed|Failed)! /{for(i=1;i<=NF;i++) if($i=="Passed:") s+=$(i+1)} END{print s+0}' "$1")
  f=$(awk '/^(Passed|Failed)! /{for(i=1;i<=NF;i++) if($i=="Failed:") s+=$(i+1)} END{print s+0}' "$1")
  passed=$((passed + p))
  failed=$((failed + f))
}

count_plain() { # our own scripts end with "N passed, N failed"
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [ -z "$line" ]; then broken+=("$(basename "$1" .log): no totals line"); return; fi
  passed=$((passed + $(cut -d' ' -f1 <<<"$line")))
  failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
}

count_node() { # node --test with the tap reporter ends with "# pass N" and "# fail N"
  local p f
  p=$(awk '/^# pass [0-9]+$/{s=$3} END{print s+0}' "$1")
  f=$(awk '/^# fail [0-9]+$/{s=$3} END{print s+0}' "$1")
  passed=$((passed + p))
  failed=$((failed + f))
}

echo "== dotnet build"
dotnet build Workflows.sln -c Release >"$logs/build.log" 2>&1
grep -E ": (error|warning) |Build succeeded|Time Elapsed" "$logs/build.log" | sort -u
if ! grep -q "Build succeeded" "$logs/build.log" || grep -qE ": error " "$logs/build.log"; then
  broken+=("dotnet build")
else
  # The differential tests run aws-local-stepfunctions from tests/differential; install it from its lock file
  # first (the test fixture would do the same on its own, but a failure reads better here).
  echo "== npm ci (tests/differential)"
  if ! npm ci --prefix tests/differential --no-audit --no-fund >"$logs/npm-ci-differential.log" 2>&1; then
    cat "$logs/npm-ci-differential.log"; broken+=("npm ci in tests/differential")
  fi
  # The JSONata evaluator's differential test runs the reference implementation (npm jsonata, locked) as an oracle.
  echo "== npm ci (tests/jsonata-oracle)"
  if ! npm ci --prefix tests/jsonata-oracle --no-audit --no-fund >"$logs/npm-ci-jsonata.log" 2>&1; then
    cat "$logs/npm-ci-jsonata.log"; broken+=("npm ci in tests/jsonata-oracle")
  fi
  # The functions as they ship: every template function built exactly as `sam build` builds it (arm64, in
  # artifacts/sam-build, checked as Lambda takes it), and x64 builds of the same for the end-to-end runs with every
  # function a process. The arm64 tests start those artifacts under qemu-user (installed here when missing).
  echo "== lambda artifacts (sam build's way)"
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    bash tests/lambda-artifacts/setup-qemu.sh >"$logs/qemu.log" 2>&1 || { cat "$logs/qemu.log"; broken+=("qemu-user setup"); }
  fi
  bash tests/lambda-artifacts/run.sh "$root/artifacts/sam-build" 2>&1 | tee "$logs/artifacts.log"
  count_plain "$logs/artifacts.log"
  echo "== x64 function builds (make -C functions ARCH=x64)"
  if ! make -C functions ARCH=x64 OUT="$root/artifacts/lambda/x64" >"$logs/x64.log" 2>&1; then
    tail -30 "$logs/x64.log"; broken+=("make -C functions ARCH=x64")
  fi
  export WORKFLOWS_ARM64_ARTIFACTS="$root/artifacts/sam-build" WORKFLOWS_LAMBDA_ARTIFACTS="$root/artifacts/lambda/x64"

  echo "== dotnet test"
  dotnet test Workflows.sln -c Release --no-build 2>&1 | tee "$logs/dotnet-test.log"
  status=${PIPESTATUS[0]}
  count_dotnet "$logs/dotnet-test.log"
  if [ "$status" -ne 0 ] && ! grep -qE '^Failed! ' "$logs/dotnet-test.log"; then broken+=("dotnet test (exit $status)"); fi

  # The README's main commands exactly as written: ./install.sh (pack + dotnet tool install --global) into a scratch
  # DOTNET_CLI_HOME whose tools folder is on PATH, then the `workflows` lines, on a scratch state directory.
  echo "== README main commands"
  readme_home=$(mktemp -d)
  # The Quick start's first shell block: the main job (later blocks show other things, some of which run forever).
  readme_cmds=$(sed -n '/^## Quick start/,/^## /p' README.md | awk '/^```bash/{n++; next} /^```/{if (n==1) exit} n==1' | grep -E '^(\./install\.sh|workflows )')
  # An edit that moves the commands out of reach must fail here, not run nothing and pass.
  if grep -q -- '^\./install\.sh' <<<"$readme_cmds" && grep -q -- '^workflows provision' <<<"$readme_cmds" \
      && grep -q -- '^workflows teardown' <<<"$readme_cmds" \
      && DOTNET_CLI_HOME="$readme_home/cli" PATH="$readme_home/cli/.dotnet/tools:$PATH" WORKFLOWS_HOME="$readme_home/state" \
         bash -e -x <<<"$readme_cmds" >"$logs/readme.log" 2>&1; then
    passed=$((passed + 1)); echo "README main commands: passed"
  else
    cat "$logs/readme.log"; failed=$((failed + 1)); echo "README main commands: FAILED"
  fi
  rm -rf "$readme_home"

  # tests/compat-js-sfn drives `workflows serve` (the Release build above) with the JS SDK v3 (Step Functions and
  # EventBridge clients, locked); tests/Workflows.Host.Tests ran above with the AWS CLI through Workflows.sln.
  export WORKFLOWS_DLL="$root/local/Workflows.Cli/bin/Release/net10.0/workflows.dll"
  # tests/console-browser drives the console (serve's /console/) with Debian's chromium through playwright-core.
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    bash tests/console-browser/setup-chromium.sh >"$logs/chromium.log" 2>&1 || { cat "$logs/chromium.log"; broken+=("chromium setup"); }
  fi
  for suite in tests/compat-js tests/compat-js-sfn tests/asl-lint tests/console-browser; do
    [ -f "$suite/package.json" ] || continue
    echo "== npm test ($suite)"
    if ! npm ci --prefix "$suite" --no-audit --no-fund >"$logs/npm-ci.log" 2>&1; then
      cat "$logs/npm-ci.log"; broken+=("npm ci in $suite"); continue
    fi
    DSQL_LOCAL_DLL="$root/local/DsqlLocal/bin/Release/net10.0/DsqlLocal.dll" npm test --prefix "$suite" 2>&1 | tee "$logs/node.log"
    status=${PIPESTATUS[0]}
    count_node "$logs/node.log"
    if [ "$status" -ne 0 ] && ! grep -qE '^# fail [1-9]' "$logs/node.log"; then broken+=("npm test in $suite (exit $status)"); fi
  done
fi

for b in "${broken[@]}"; do
  echo "suite did not run to the end: $b"
  failed=$((failed + 1))
done
rm -rf "$logs"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
