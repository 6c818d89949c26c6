#!/usr/bin/env bash
# Debian packages that only the tests need (the demo does not pay for them):
#   redis-server  Debian's Redis 7.0, for the caches' and rate limiters' tests (rag-testkit's LocalRedisServer
#                 starts it on a free loopback port; the package's own service is never used)
#   prometheus    for promtool, which checks and unit-tests the shipped recording and alerting rules
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup-test-tools: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
