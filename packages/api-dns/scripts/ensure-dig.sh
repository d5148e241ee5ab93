#!/bin/sh
# Makes `dig` available for the api-dns tests that compare against a real resolver client.
# Installs Debian's bind9-dnsutils only when dig is missing and we are root; otherwise it
# just reports, and the tests that need dig skip themselves.
set -eu
if command -v dig >/dev/null 2>&1; then
  echo "dig: $(command -v dig)"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "dig is missing and we are not root; install bind9-dnsutils to run the dig tests" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "dig is missing and apt-get is unavailable; install bind9-dnsutils by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends bind9-dnsutils >/dev/null
command -v dig >/dev/null 2>&1 && echo "dig: $(command -v dig)"
