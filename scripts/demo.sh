#!/usr/bin/env bash
# Set up, build the index from the shipped sample postings, and answer a question.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
.venv/bin/postings-index rebuild --source samples/postings
.venv/bin/postings-bot ask "${1:-what does the Harbortide backend role pay?}"
