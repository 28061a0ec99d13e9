#!/usr/bin/env bash
# Install the servers the integration tests start themselves on loopback ports.
# - redis-server (Debian package): tests/test_replicas.py (shared de-duplication across replicas).
# - the Chroma server (`chroma run`) ships with the chromadb package in .venv: nothing to install.
# Idempotent; needs root (CI and these machines run as root). Without it the tests that need
# redis-server are skipped with a reason, never failed.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "services: redis-server present ($(redis-server --version | awk '{print $3}'))"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "services: redis-server missing and cannot be installed here (needs root and apt-get);" \
       "the replica tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The package may start a system-wide instance on 6379; the tests start their own on free ports.
echo "services: installed redis-server ($(redis-server --version | awk '{print $3}'))"
