"""serve() as the CLI runs it: a separate process, HTTP mode, answering, then a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, SAMPLES, SIGNING_SECRET, Running, http

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if http("GET", url + "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the server never became healthy")


def test_serve_answers_over_http_and_stops_cleanly_on_sigterm(tmp_path: Path):
    port = free_port()
    with FakeSlack() as fake:
        env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_BASE_URL": fake.base_url, "POSTINGS_HOST": "127.0.0.1", "POSTINGS_PORT": str(port),
               "POSTINGS_CHROMA_PATH": str(tmp_path / "chroma"), "POSTINGS_SOURCE_DIRS": str(SAMPLES),
               "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        env.pop("SLACK_APP_TOKEN", None)
        process = subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_healthy(url, process)
            app = Running(fake, url, engine=None)
            assert app.command("which roles are remote?").status == 200
            [reply] = fake.wait_for("response", timeout=30)
            assert reply.body["response_type"] == "ephemeral" and reply.body["text"]
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == 0, stderr
    assert f"listening on http://127.0.0.1:{port}/slack/events" in stderr
    assert BOT_TOKEN not in stderr and SIGNING_SECRET not in stderr
