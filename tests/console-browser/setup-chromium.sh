#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser test (playwright-core drives it; playwright's own browser
# downloads are not used: this network serves the Debian archive, not playwright's CDN). Idempotent; needs root.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "chromium ready: $(/usr/bin/chromium --version 2>/dev/null)"
