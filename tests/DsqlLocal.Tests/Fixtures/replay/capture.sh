#!/bin/sh
# Regenerates the replay fixtures: the exact requests the JS SDK v3 and boto3 send for each DSQL operation.
# Needs node (with `npm ci` run in tests/compat-js) and python3-boto3. Run from anywhere: sh capture.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
js="$root/tests/compat-js"
[ -d "$js/node_modules/@aws-sdk/client-dsql" ] || npm ci --prefix "$js" --no-audit --no-fund
scenario=$(mktemp)
trap 'rm -f "$scenario"' EXIT
(cd "$js" && node --input-type=module -e 'const m = await import("./capture-scenario.mjs"); console.log(JSON.stringify(m.scenario));') > "$scenario"
(cd "$js" && node capture-requests.mjs "$here/js-sdk.json")
python3 "$here/capture_boto3.py" "$scenario" "$root/tests/DsqlLocal.Tests/AwsModel/dsql" "$here/boto3.json"
