#!/usr/bin/env bash
# Installs Debian serf for `npm run bench:gossip` when missing.
exec bash "$(dirname "$0")/ensure-deb.sh" serf serf
