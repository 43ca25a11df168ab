#!/usr/bin/env bash
# Builds the `workflows` command from this checkout, packs it as a .NET tool and installs it for the current user
# (`dotnet tool install --global`, into ~/.dotnet/tools). If that folder is not on PATH, the command is linked into
# the first folder that is (~/.local/bin, then /usr/local/bin, when writable), so `workflows` works at once;
# otherwise the line to add to your shell profile is printed. Run it again after a pull to update.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
command -v dotnet >/dev/null || { echo "install.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# A version unique to this build, so a re-install never picks up an older package from NuGet's caches.
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
out="$root/artifacts/nupkg"
rm -f "$out"/Workflows.Cli.*.nupkg
# Packed for this machine's runtime identifier (linux-x64, osx-arm64, ...), so the tool ships ReadyToRun code: a
# RID-less tool package is published without it (PublishReadyToRun needs a RID) and every start JIT-compiles
# everything (provision 0.90 s instead of 0.53 s here; README, Benchmarks). The package is still framework-dependent;
# it fits only the RID it was packed for, which is this machine's. Where no RID can be read, the portable package.
rid=$(dotnet --info 2>/dev/null | awk '$1 == "RID:" { print $2; exit }')
rid_args=()
if [ -n "$rid" ]; then
  # A Release build of the solution beside it (tests/run-all.sh) leaves DsqlLocal's RID-less apphost, deps.json and
  # runtimeconfig.json in its bin/, which the RID publish would also pick up: either copy serves (DsqlLocal runs in
  # the tool's process), so duplicates are not an error here.
  rid_args=(-r "$rid" -p:ErrorOnDuplicatePublishOutputFiles=false)
fi
echo "Packing Workflows.Cli $version${rid:+ for $rid} (a minute or two from a fresh clone) ..."
dotnet pack local/Workflows.Cli -c Release -p:Version="$version" "${rid_args[@]}" -o "$out" --nologo -v quiet -clp:ErrorsOnly

dotnet tool uninstall --global Workflows.Cli >/dev/null 2>&1 || true
dotnet tool install --global Workflows.Cli --version "$version" --add-source "$out" --ignore-failed-sources >/dev/null
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
echo "Installed 'workflows' $version in $tools"

on_path() { case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac; }
if on_path "$tools"; then
  exit 0
fi
for dir in "$HOME/.local/bin" /usr/local/bin; do
  if on_path "$dir" && { [ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null; } && [ -w "$dir" ]; then
    ln -sf "$tools/workflows" "$dir/workflows"
    echo "Linked $dir/workflows -> $tools/workflows (on your PATH)"
    exit 0
  fi
done
echo "$tools is not on your PATH; add this line to your shell profile, then open a new shell:"
echo "  export PATH=\"\$PATH:$tools\""
