#!/usr/bin/env bash
# Installs Debian wrk (a C HTTP load generator) for `npm run bench:kv` and `bench:kv-costs` when missing.
exec bash "$(dirname "$0")/ensure-deb.sh" wrk wrk
