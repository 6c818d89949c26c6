#!/usr/bin/env bash
# Installs the system packages the build and the tests need, from Debian's packages only.
# Idempotent: does nothing when everything is already installed. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for cmd in java mvn; do
  command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: missing ${need[*]}; installing openjdk-17-jdk-headless maven" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven
fi

# FAISS (rag-store-faiss): build and run-time packages, and the deb-src entry for its AVX2 kernels.
bash scripts/setup-faiss.sh

