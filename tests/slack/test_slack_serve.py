"""serve() as the CLI runs it: a separate process, HTTP mode, answering, then a clean stop on SIGTERM."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, SAMPLES, SIGNING_SECRET, Running, http

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the child-process helpers
from processes import free_port, python_process, stop_with_sigterm, wait_for  # noqa: E402

SCRIPT = textwrap.dedent("""
    import logging, sys
    from pathlib import Path
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    from bot.engine import build_engine
    from bot.slack.server import serve
    from config.settings import load_settings
    from index.embedder import HashingEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    settings = load_settings(_env_file=None)
    embedder = HashingEmbedder()
    assert rebuild(settings, embedder, IndexStore.open(settings)).ok
    engine = build_engine(settings, embedder)
    serve(settings, engine)
""")


def test_serve_answers_over_http_and_stops_cleanly_on_sigterm(tmp_path: Path):
    port = free_port()
    with FakeSlack() as fake:
        env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_BASE_URL": fake.base_url, "POSTINGS_HOST": "127.0.0.1", "POSTINGS_PORT": str(port),
               "POSTINGS_CHROMA_PATH": str(tmp_path / "chroma"), "POSTINGS_SOURCE_DIRS": str(SAMPLES),
               "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        env.pop("SLACK_APP_TOKEN", None)
        with python_process(SCRIPT, env=env, cwd=tmp_path) as process:
            url = f"http://127.0.0.1:{port}"
            wait_for(lambda: http("GET", url + "/healthz").status == 200, process, "the server healthy")
            app = Running(fake, url, engine=None)
            assert app.command("which roles are remote?").status == 200
            [reply] = fake.wait_for("response", timeout=30)
            assert reply.body["response_type"] == "ephemeral" and reply.body["text"]
            stderr = stop_with_sigterm(process)
    assert process.returncode == 0, stderr
    assert f"listening on http://127.0.0.1:{port}/slack/events" in stderr
    assert BOT_TOKEN not in stderr and SIGNING_SECRET not in stderr
