#!/usr/bin/env bash
# Installs Debian etcd-server (the etcd binary) for `npm run bench:kv` when missing.
exec bash "$(dirname "$0")/ensure-deb.sh" etcd etcd-server
