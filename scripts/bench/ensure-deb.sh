#!/usr/bin/env bash
# Shared by ensure-etcd.sh, ensure-serf.sh and ensure-wrk.sh: makes sure a Debian package's binary exists.
# Usage: ensure-deb.sh <binary> <package>
# Exit 0 when the binary is (now) on PATH. Otherwise exit 1 and print one line saying why
# on stdout, which the benchmark shows as "peer not available: <why>".
# Package post-install scripts must not start a system-wide daemon (the benchmark starts its
# own peers on private loopback addresses), so service starts are refused while installing.
set -u
bin="$1"
pkg="$2"
command -v "$bin" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "$bin not installed and not root (install Debian package $pkg)"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$bin not installed and no apt-get on this system"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
fi
cleanup() { [ "$own_policy" = 1 ] && rm -f "$policy"; }
trap cleanup EXIT
log=$(mktemp)
echo "ensure-deb: installing $pkg" >&2
# Try from the current package lists first; refresh them only when that fails (stale or absent lists).
if ! apt-get install -y -qq --no-install-recommends "$pkg" >"$log" 2>&1; then
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$pkg"; } >"$log" 2>&1; then
    echo "apt-get install $pkg failed: $(grep -E '^E:' "$log" | head -1)"
    rm -f "$log"
    exit 1
  fi
fi
rm -f "$log"
if ! command -v "$bin" >/dev/null 2>&1; then
  echo "package $pkg installed but no $bin on PATH"
  exit 1
fi
exit 0
