"""`postings-bot serve` as an operator starts it (a real process): every wrong setting or unreachable
dependency is one line on stderr naming the cause, a non-zero exit code, and never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

SLACK_TESTS = Path(__file__).resolve().parent / "slack"
if str(SLACK_TESTS) not in sys.path:
    sys.path.insert(0, str(SLACK_TESTS))

from fake_slack import FakeSlack  # noqa: E402
from processes import free_port  # noqa: E402

BOT_TOKEN = "xoxb-111-222-startuptoken"
SIGNING_SECRET = "startup-signing-secret-0a1b2c3d"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


def serve(tmp_path: Path, fake: FakeSlack, **env: str) -> subprocess.CompletedProcess:
    """Run `python -m bot serve` with test settings plus `env`; it must exit on its own."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "POSTINGS_"))}
    base.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_BASE_URL=fake.base_url,
                POSTINGS_HOST="127.0.0.1", POSTINGS_PORT=str(free_port()),
                POSTINGS_CHROMA_PATH=str(tmp_path / "chroma"), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    base.update(env)
    return subprocess.run([sys.executable, "-m", "bot", "serve"], env=base, cwd=tmp_path, text=True,
                          capture_output=True, timeout=60)


def assert_fails_with_one_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("postings-bot: "), result.stderr
    for word in words:
        assert word in last, result.stderr
    assert BOT_TOKEN not in result.stderr and SIGNING_SECRET not in result.stderr


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_signing_secret_fails_at_start_naming_it(tmp_path, fake, value):
    assert_fails_with_one_line(serve(tmp_path, fake, SLACK_SIGNING_SECRET=value), "SLACK_SIGNING_SECRET")


def test_an_empty_app_token_fails_at_start_naming_it(tmp_path, fake):
    assert_fails_with_one_line(serve(tmp_path, fake, SLACK_APP_TOKEN=""), "SLACK_APP_TOKEN")


def test_a_host_that_does_not_resolve_fails_naming_it(tmp_path, fake):
    assert_fails_with_one_line(serve(tmp_path, fake, POSTINGS_HOST="no-such-host.invalid"),
                               "POSTINGS_HOST", "no-such-host.invalid")


def test_a_port_in_use_fails_naming_it(tmp_path, fake):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert_fails_with_one_line(serve(tmp_path, fake, POSTINGS_PORT=str(port)), "in use", str(port))


def test_an_unreachable_slack_api_fails_naming_the_address(tmp_path, fake):
    closed = f"http://127.0.0.1:{free_port()}/api/"
    assert_fails_with_one_line(serve(tmp_path, fake, SLACK_API_BASE_URL=closed), "SLACK_API_BASE_URL", closed)


def test_a_token_slack_refuses_fails_naming_it(tmp_path, fake):
    fake.fail_once("auth.test", "invalid_auth")
    assert_fails_with_one_line(serve(tmp_path, fake), "SLACK_BOT_TOKEN", "invalid_auth")


def test_a_missing_model_folder_fails_naming_it(tmp_path, fake):
    assert_fails_with_one_line(serve(tmp_path, fake, POSTINGS_MODEL_PATH=str(tmp_path / "no-model")),
                               "POSTINGS_MODEL_PATH", "no-model")


@pytest.mark.parametrize("url", ["http://chroma:notaport", "http://:8000", "http://chroma:99999"])
def test_a_malformed_chroma_url_fails_naming_it(tmp_path, fake, url):
    assert_fails_with_one_line(serve(tmp_path, fake, POSTINGS_CHROMA_URL=url), "POSTINGS_CHROMA_URL")


def test_an_empty_chroma_path_is_an_error_not_the_current_folder(tmp_path, fake):
    result = serve(tmp_path, fake, POSTINGS_CHROMA_PATH="")
    assert_fails_with_one_line(result, "POSTINGS_CHROMA_PATH")
    assert list(tmp_path.iterdir()) == []  # nothing was created in the folder it ran in
