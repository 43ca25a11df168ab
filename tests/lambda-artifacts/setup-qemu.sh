#!/usr/bin/env bash
# Prepares this x86_64 machine to start the arm64 artifacts the way Lambda on Graviton would: qemu-user and a bare
# arm64 userland (glibc, libstdc++, libgcc from Debian's cross packages; no .NET, no ICU) under /usr/aarch64-linux-gnu.
# .NET's cryptography (SigV4 signing hashes) needs libssl: AL2023, provided.al2023's base, ships OpenSSL 3
# (openssl-libs), so Debian's arm64 libssl3 is unpacked into the same sysroot. Idempotent; needs root.
set -euo pipefail
sysroot=/usr/aarch64-linux-gnu
need=()
[ -x /usr/bin/qemu-aarch64-static ] || need+=(qemu-user-static)
[ -e $sysroot/lib/libc.so.6 ] || need+=(libc6-arm64-cross)
[ -e $sysroot/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)
[ -e $sysroot/lib/libgcc_s.so.1 ] || need+=(libgcc-s1-arm64-cross)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -e $sysroot/lib/libssl.so.3 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64; apt-get update -qq; }
  work=$(mktemp -d); chmod 755 "$work"
  (cd "$work" && apt-get download -qq libssl3:arm64 >/dev/null)
  dpkg -x "$work"/libssl3_*_arm64.deb "$work/root"
  cp -a "$work"/root/usr/lib/aarch64-linux-gnu/. $sysroot/lib/
  rm -rf "$work"
fi
echo "qemu-user ready: /usr/bin/qemu-aarch64-static -L $sysroot ($(ls $sysroot/lib | grep -c '\.so') shared objects)"
