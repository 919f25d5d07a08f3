#!/usr/bin/env bash
# The system services the tests start themselves (Debian packages): PostgreSQL for the store and
# scale-out tests, Chromium for the real-browser tests, Redis and nginx for the scale-out profile.
# Installs what is missing through apt when run as root; otherwise says which command to run.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
((${#need[@]})) || exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need these Debian packages: ${need[*]}" >&2
    echo "Install them once, then run make test again:" >&2
    echo "    sudo apt-get install -y ${need[*]}" >&2
    exit 1
fi
echo "==> installing the system services the tests start: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}"
