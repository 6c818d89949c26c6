#!/usr/bin/env bash
# Builds the test server of rag-store-redisearch: Redis 7.2.6 with the RediSearch 2.10.32 query engine,
# from the vendored source tarballs (../shared/vendor/redisearch next to the project, or
# $REDISEARCH_SOURCES), into a cache OUTSIDE the work tree:
#
#   ~/.cache/ragkit/redisearch/<hash of the tarballs>/{redis-server,redis-cli,redisearch.so}
#   ~/.cache/ragkit/redisearch/current -> <hash of the tarballs>   (what the integration tests start)
#
# Redis/RediSearch sources and binaries are test infrastructure only (RediSearch is RSALv2/SSPLv1): they
# never enter the project, its target/ folders or its artifacts.
#
# Idempotent: apt-installs build-essential, cmake and libboost1.81-dev only when missing, and builds only
# when the cache for these exact tarballs does not exist yet (the build takes 3 to 6 minutes on 2 cores).
# Concurrent runs wait for each other (flock). Needs root (or sudo) for the packages.
# Without the vendored sources it only warns: the tests then fail, naming this script, unless
# REDISEARCH_URL points them at an external Redis Stack / Redis 8.
#
#   scripts/setup-redisearch.sh           # packages + build (when needed)
#   scripts/setup-redisearch.sh --print   # print the binaries' folder, build nothing
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE_ROOT="${RAGKIT_CACHE:-$HOME/.cache/ragkit}/redisearch"
TARBALLS=(redis-7.2.6.tar.gz RediSearch-v2.10.32-with-submodules.tar.gz cpu_features-v0.10.1.tar.gz)

src="${REDISEARCH_SOURCES:-}"
if [ -z "$src" ]; then
  for candidate in ../shared/vendor/redisearch "${RAGKIT_SHARED_DATA:-/nonexistent}/../vendor/redisearch"; do
    if [ -f "$candidate/build.sh" ]; then src="$candidate"; break; fi
  done
fi
if [ -z "$src" ] || [ ! -f "$src/build.sh" ]; then
  echo "setup-redisearch.sh: vendored Redis/RediSearch sources not found (../shared/vendor/redisearch or" \
       "\$REDISEARCH_SOURCES); rag-store-redisearch's integration tests need them, or REDISEARCH_URL" >&2
  exit 0
fi
src="$(cd "$src" && pwd)"
for t in "${TARBALLS[@]}"; do
  [ -f "$src/$t" ] || { echo "setup-redisearch.sh: $src/$t is missing" >&2; exit 1; }
done

# The cache key is the content of the tarballs, so new sources get a new build and old ones stay usable.
hash="$(cd "$src" && sha256sum "${TARBALLS[@]}" | sha256sum | cut -c1-16)"
out="$CACHE_ROOT/$hash"

if [ "${1:-}" = "--print" ]; then echo "$out"; exit 0; fi
[ $# -eq 0 ] || { echo "setup-redisearch.sh: unknown option '$1' (use --print)" >&2; exit 2; }

complete() { [ -x "$out/redis-server" ] && [ -x "$out/redis-cli" ] && [ -f "$out/redisearch.so" ]; }
link_current() { ln -sfn "$hash" "$CACHE_ROOT/current"; }

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock"
flock 9
if complete; then
  link_current
  echo "setup-redisearch.sh: Redis + RediSearch already built in $out"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-redisearch.sh: must run as root (or with sudo available) to install the build packages" >&2; exit 1
  fi
fi
missing=()
for p in build-essential cmake libboost1.81-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-redisearch.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Build into a temporary sibling and rename it at the end: an interrupted build never looks complete.
partial="$out.partial.$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/ragkit-redisearch-build.XXXXXX")"
trap 'rm -rf "$work" "$partial"' EXIT
echo "setup-redisearch.sh: building Redis 7.2.6 + RediSearch 2.10.32 into $out (3 to 6 minutes)"
WORK="$work/build" bash "$src/build.sh" "$src" "$partial"
rm -rf "$out"
mv "$partial" "$out"
link_current
echo "setup-redisearch.sh: built $out"
