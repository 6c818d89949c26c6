#!/usr/bin/env bash
# Installs what rag-store-faiss needs, from Debian's packages only.
#
#   build:    libfaiss-dev (static libfaiss.a 1.7.3 + headers), libopenblas-dev, g++, make
#   run-time: libopenblas0, libgomp1
#   optional: dpkg-dev and a deb-src entry, so that the Maven build can fetch Debian's FAISS source
#             package (apt-get source faiss, into rag-store-faiss/target; never committed) and compile
#             FAISS's distance kernels with -mavx2 -mfma into a second, faster library variant.
#
# The Maven build of rag-store-faiss installs nothing itself: it compiles src/main/native against
# these packages, fails with a pointer to this script when libfaiss.a is missing, and skips the AVX2
# variant (with a message) when the source package cannot be fetched.
# Idempotent and non-interactive; needs root (or sudo). Usage:
#   scripts/setup-faiss.sh            # build + run-time packages + FAISS source access (AVX2 variant)
#   scripts/setup-faiss.sh --no-src   # build + run-time packages only
#   scripts/setup-faiss.sh --runtime  # only the run-time packages (a host that just uses the jar)
set -euo pipefail

RUNTIME_PKGS=(libopenblas0 libgomp1)
BUILD_PKGS=(libfaiss-dev libopenblas-dev g++ make)
SRC_PKGS=(dpkg-dev)
want_build=1
want_src=1
for arg in "$@"; do
  case "$arg" in
    --runtime) want_build=0; want_src=0 ;;
    --no-src) want_src=0 ;;
    *) echo "setup-faiss.sh: unknown option '$arg' (use --runtime or --no-src)" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-faiss.sh: must run as root (or with sudo available)" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive

pkgs=("${RUNTIME_PKGS[@]}")
if [ "$want_build" -eq 1 ]; then pkgs+=("${BUILD_PKGS[@]}"); fi
if [ "$want_src" -eq 1 ]; then pkgs+=("${SRC_PKGS[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# deb-src lines are needed only for `apt-get source faiss`; they go in a file of our own, mirroring
# the binary sources, rather than into the system's files.
src_file=/etc/apt/sources.list.d/ragkit-deb-src.sources
added_src=0
if [ "$want_src" -eq 1 ] && ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee "$src_file" >/dev/null
    added_src=1
  else
    echo "setup-faiss.sh: no deb-src entry and no debian.sources to mirror; the AVX2 variant will be skipped" >&2
  fi
fi

if [ "${#missing[@]}" -gt 0 ] || [ "$added_src" -eq 1 ]; then
  $SUDO apt-get update -qq
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-faiss.sh: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup-faiss.sh: already installed: ${pkgs[*]}"
fi

if [ "$want_build" -eq 1 ] && [ ! -f /usr/lib/x86_64-linux-gnu/libfaiss.a ]; then
  echo "setup-faiss.sh: libfaiss-dev is installed but /usr/lib/x86_64-linux-gnu/libfaiss.a is missing" >&2
  exit 1
fi
if [ "$want_src" -eq 1 ]; then
  if apt-cache showsrc faiss 2>/dev/null | grep -q '^Package: faiss'; then
    echo "setup-faiss.sh: FAISS source package reachable (the Maven build compiles the AVX2 variant)"
  else
    echo "setup-faiss.sh: FAISS source package not reachable; the build makes the baseline library only"
  fi
fi
