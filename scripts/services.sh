#!/usr/bin/env bash
# Install the servers the integration tests start themselves on loopback ports.
# - redis-server (Debian package): tests/test_replicas.py (shared de-duplication across replicas), watch claims.
# - PostgreSQL (Debian package postgresql): tests/pg_server.py runs initdb + postgres from
#   /usr/lib/postgresql/N/bin in a temp folder (saved searches with POSTINGS_DATABASE_URL, tests/test_watch.py).
# - the Chroma server (`chroma run`) ships with the chromadb package in .venv: nothing to install.
# Idempotent; needs root (CI and these machines run as root). It never fails the run: without root or apt-get,
# or when an install fails, the tests that need the missing server are skipped with a reason.
set -uo pipefail

have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
have_postgres || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
  echo "services: redis-server present ($(redis-server --version | awk '{print $3}')); PostgreSQL present" \
       "($(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1))"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "services: ${missing[*]} missing and cannot be installed here (needs root and apt-get);" \
       "the tests that need them will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "services: apt-get update failed; trying the install anyway" >&2
for package in "${missing[@]}"; do
  # The packages may start system-wide instances (6379, 5432); the tests start their own on free ports.
  if apt-get install -y -qq --no-install-recommends "$package" >/dev/null; then
    echo "services: installed $package"
  else
    echo "services: installing $package failed; the tests that need it will be skipped" >&2
  fi
done
exit 0
