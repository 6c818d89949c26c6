#!/usr/bin/env bash
# What the Elasticsearch and OpenSearch nodes of rag-store-elastic's integration tests need on this machine.
#
# The build itself fetches the servers (Maven zips, unpacked under rag-store-elastic/target/) and starts them.
# Both servers refuse to run as root, so when the build runs as root the test harness starts them with
# `runuser -u ragkit-search --`: this script creates that system user (no home, no login shell).
# OpenSearch 3.x needs Java 21+: the harness takes OPENSEARCH_JAVA_HOME, else the newest JDK 21+ under
# /usr/lib/jvm (a Temurin 25 JDK is there on the build machines); this script only checks that one exists.
# Idempotent and non-interactive. Usage: scripts/setup-search-servers.sh
set -euo pipefail

USER_NAME="${RAGKIT_SEARCH_USER:-ragkit-search}"

if [ "$(id -u)" -eq 0 ]; then
  if ! getent passwd "$USER_NAME" >/dev/null; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$USER_NAME"
    echo "setup-search-servers: created system user $USER_NAME (runs the test search nodes)"
  fi
  command -v runuser >/dev/null || { echo "setup-search-servers: runuser (util-linux) is missing" >&2; exit 1; }
fi

have_java21=""
if [ -n "${OPENSEARCH_JAVA_HOME:-}" ]; then have_java21="$OPENSEARCH_JAVA_HOME"; fi
for jdk in /usr/lib/jvm/*; do
  [ -n "$have_java21" ] && break
  [ -f "$jdk/release" ] && [ -x "$jdk/bin/java" ] || continue
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
  if [ -n "$major" ] && [ "$major" -ge 21 ]; then have_java21="$jdk"; fi
done
if [ -z "$have_java21" ]; then
  echo "setup-search-servers: WARNING no JDK 21+ found (OPENSEARCH_JAVA_HOME or /usr/lib/jvm/*): the OpenSearch" \
       "integration tests of rag-store-elastic will fail until one is installed" >&2
fi
