#!/usr/bin/env bash
# Set up everything from scratch (venv, packages, test servers) and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# servers the integration tests start on loopback (redis-server); tests that need one skip without it
bash scripts/services.sh || echo "test: could not install the test servers; the tests that need them will skip" >&2
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
exec .venv/bin/python -m pytest -q "$@"
