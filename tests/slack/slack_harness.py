"""The real app behind the real HTTP server on a loopback port, with Slack's Web API faked; signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

from bot.slack.app import create_app
from bot.slack.server import make_http_server
from config.settings import Settings, load_settings
from fake_slack import FakeSlack

SIGNING_SECRET = "test-signing-secret-5f1e2d3c4b5a"
BOT_TOKEN = "xoxb-111-222-testtoken"
_event_ids = count(1)


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 signature: 'v0=' + hex HMAC-SHA256(secret, 'v0:{timestamp}:{body}')."""
    base = f"v0:{timestamp}:{body}".encode("utf-8")
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def make_settings(fake: FakeSlack, **overrides: Any) -> Settings:
    """Settings pointing at the fake, with test secrets (no .env file read)."""
    values: dict[str, Any] = dict(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                                  slack_api_base_url=fake.base_url, list_page_size=10)
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
    """One HTTP request; an error status is returned, not raised."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Response(response.status, response.read().decode("utf-8"), dict(response.headers.items()))
    except urllib.error.HTTPError as err:
        return Response(err.code, err.read().decode("utf-8"), dict(err.headers.items()))


@dataclass
class Running:
    """The app under test: where it listens, the fake Slack behind it, and helpers to send signed requests."""

    fake: FakeSlack
    url: str
    engine: Any
    secret: str = SIGNING_SECRET

    def post(self, body: str, content_type: str, *, timestamp: int | None = None, signature: str | None = None,
             headers: dict[str, str] | None = None) -> Response:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign(self.secret, ts, body),
            **(headers or {}),
        }
        return http("POST", self.url + "/slack/events", body.encode("utf-8"), all_headers)

    def command(self, text: str, *, response_url: str = "abc", **fields: Any) -> Response:
        return self.post(urlencode(command_fields(text, self.fake.response_url(response_url), **fields)),
                         "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None,
              team_id: str = "T1") -> Response:
        body = json.dumps(event_envelope(event, event_id=event_id, team_id=team_id))
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(body, "application/json", headers=headers)

    def action(self, action_id: str, value: str, *, response_url: str = "act", ephemeral: bool = True,
               message_ts: str = "100.5", user: str = "U1") -> Response:
        payload = action_payload(action_id, value, self.fake.response_url(response_url), ephemeral=ephemeral,
                                 message_ts=message_ts, user=user)
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def command_fields(text: str, response_url: str, **fields: Any) -> dict[str, str]:
    base = {"token": "deprecated-verification-token", "team_id": "T1", "team_domain": "fake", "channel_id": "C1",
            "channel_name": "general", "user_id": "U1", "user_name": "ada", "command": "/postings", "text": text,
            "api_app_id": "A1", "is_enterprise_install": "false", "response_url": response_url,
            "trigger_id": "1.2.3"}
    base.update({k: str(v) for k, v in fields.items()})
    return base


def event_envelope(event: dict[str, Any], *, event_id: str | None = None, team_id: str = "T1") -> dict[str, Any]:
    return {"token": "deprecated", "team_id": team_id, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_ids):06d}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
            "event_context": "ctx"}


def action_payload(action_id: str, value: str, response_url: str, *, ephemeral: bool = True,
                   message_ts: str = "100.5", user: str = "U1") -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions", "user": {"id": user, "team_id": "T1", "username": "ada"},
        "api_app_id": "A1", "token": "deprecated", "team": {"id": "T1", "domain": "fake"},
        "channel": {"id": "C1", "name": "general"}, "trigger_id": "1.2.3", "response_url": response_url,
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "C1", "is_ephemeral": ephemeral},
        "actions": [{"action_id": action_id, "block_id": "postings_answer_actions", "value": value,
                     "type": "button", "action_ts": "1.1"}],
    }
    if not ephemeral:
        payload["message"] = {"ts": message_ts, "text": "an answer", "bot_id": "BBOT"}
    return payload


@contextmanager
def running_app(engine: Any, fake: FakeSlack | None = None, **settings: Any) -> Iterator[Running]:
    """create_app + make_http_server on 127.0.0.1 (random port), serving in a thread; the fake Slack started too."""
    own_fake = fake is None
    fake = fake or FakeSlack().start()
    try:
        app = create_app(make_settings(fake, **settings), engine)
        server = make_http_server(app, engine, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield Running(fake, f"http://127.0.0.1:{server.server_address[1]}", engine)
        finally:
            server.shutdown()
            server.server_close()
    finally:
        if own_fake:
            fake.stop()


SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "postings"


def build_engine_on(tmp_dir: Path, source_dirs: list[Path] | None = None, rebuild_index: bool = True) -> Any:
    """The real engine (HashingEmbedder, no model) on an index rebuilt from source_dirs (default: the samples)."""
    from bot.engine import build_engine
    from index.embedder import HashingEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    settings = load_settings(_env_file=None, chroma_path=tmp_dir / "chroma",
                             source_dirs=",".join(str(d) for d in (source_dirs or [SAMPLES])))
    embedder = HashingEmbedder()
    if rebuild_index:
        summary = rebuild(settings, embedder, IndexStore.open(settings))
        assert summary.ok, summary.error
    return build_engine(settings, embedder)
