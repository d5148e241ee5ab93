#!/usr/bin/env bash
# Installs the Debian tools the test suites use when missing: dig (DNS interop tests),
# ip (network-namespace partition tests), strace (fsync verification of store-rocksdb),
# chromium (the web UI's browser suite, driven by playwright-core: nothing is downloaded at test time).
# Quiet and quick when everything is present; never fails the run: suites that need a
# missing tool skip with a message saying which tool and why.
set -u
need=()
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v strace >/dev/null 2>&1 || need+=(strace)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-deps: missing ${need[*]} and cannot install (not root or no apt-get); dependent tests will skip" >&2
  exit 0
fi
echo "ensure-test-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
(apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 ||
  echo "ensure-test-deps: apt-get could not install ${need[*]}; dependent tests will skip" >&2
exit 0
