"""Socket Mode: a local WebSocket server pushes envelopes; the app acks each and answers through the fake Web API."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import pytest

from bot.slack import blocks
from bot.slack.app import create_app
from bot.slack.mrkdwn import escape
from bot.slack.server import start_socket_mode
from fake_slack import FakeSlack
from slack_harness import action_payload, build_engine_on, command_fields, event_envelope, make_settings

websockets = pytest.importorskip("websockets.asyncio.server")

QUESTION = "what does the Mistelhof backend role pay?"


class FakeSocketModeServer:
    """A WebSocket server on 127.0.0.1 that sends queued envelopes to the connected app and records its replies."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._outbox: asyncio.Queue | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "FakeSocketModeServer":
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._outbox = asyncio.Queue()
        self._stop = asyncio.Event()

        async def session(connection) -> None:
            await connection.send(json.dumps({"type": "hello", "num_connections": 1}))
            self.connected.set()

            async def pump() -> None:
                while True:
                    await connection.send(await self._outbox.get())

            sender = asyncio.ensure_future(pump())
            try:
                async for message in connection:
                    self.received.append(json.loads(message))
            except Exception:  # the client went away
                pass
            finally:
                sender.cancel()

        async with websockets.serve(session, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    def send(self, envelope: dict[str, Any]) -> None:
        self._loop.call_soon_threadsafe(self._outbox.put_nowait, json.dumps(envelope))

    def ack_for(self, envelope_id: str, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.received):
                if message.get("envelope_id") == envelope_id:
                    return message
            time.sleep(0.02)
        raise AssertionError(f"no ack for {envelope_id}; got {self.received}")

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return build_engine_on(tmp_path_factory.mktemp("socket-index"))


def test_envelopes_are_acked_and_answered_through_the_web_api(engine):
    ws = FakeSocketModeServer().start()
    with FakeSlack() as fake:
        fake.ws_url = f"ws://127.0.0.1:{ws.port}/link/?ticket=t1"
        settings = make_settings(fake, slack_app_token="xapp-1-A1-123-testapptoken", slack_signing_secret=None)
        app = create_app(settings, engine)
        handler = start_socket_mode(app, settings)
        try:
            assert ws.connected.wait(10)
            [opened] = fake.requests("apps.connections.open")
            assert opened.headers["authorization"] == "Bearer xapp-1-A1-123-testapptoken"

            # an @mention (and its retry) -> one threaded answer
            mention = {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {QUESTION}", "ts": "10.1",
                       "channel": "C1", "event_ts": "10.1"}
            payload = event_envelope(mention, event_id="EvSOCK1")
            ws.send({"envelope_id": "env-1", "type": "events_api", "payload": payload, "accepts_response_payload":
                     False, "retry_attempt": 0, "retry_reason": ""})
            assert ws.ack_for("env-1") == {"envelope_id": "env-1"}
            ws.send({"envelope_id": "env-1b", "type": "events_api", "payload": payload, "retry_attempt": 1,
                     "retry_reason": "timeout"})
            assert ws.ack_for("env-1b") == {"envelope_id": "env-1b"}
            [post] = fake.wait_for("chat.postMessage")
            expected = escape(" ".join(engine.ask(QUESTION).text.split()))[:60]
            assert post.body["thread_ts"] == "10.1" and post.body["text"].startswith(expected)

            # a slash command: acked empty, answered privately via the response_url
            command = command_fields(QUESTION, fake.response_url("sock"))
            ws.send({"envelope_id": "env-2", "type": "slash_commands", "payload": command,
                     "accepts_response_payload": True})
            assert ws.ack_for("env-2") == {"envelope_id": "env-2"}
            [reply] = fake.wait_for("response", where=lambda c: c.path == "/response/sock")
            assert reply.body["response_type"] == "ephemeral" and reply.body["text"].startswith(expected)

            # help comes back in the ack itself
            ws.send({"envelope_id": "env-3", "type": "slash_commands",
                     "payload": command_fields("help", fake.response_url("help")), "accepts_response_payload": True})
            help_ack = ws.ack_for("env-3")
            assert help_ack["payload"]["response_type"] == "ephemeral" and "/postings" in help_ack["payload"]["text"]

            # a button click
            click = action_payload(blocks.FEEDBACK_UP_ACTION, blocks.feedback_value(QUESTION),
                                   fake.response_url("thumb"))
            ws.send({"envelope_id": "env-4", "type": "interactive", "payload": click,
                     "accepts_response_payload": False})
            assert ws.ack_for("env-4") == {"envelope_id": "env-4"}
            [thanks] = fake.wait_for("response", where=lambda c: c.path == "/response/thumb")
            assert "Thanks" in thanks.body["text"]

            fake.settle()
            assert len(fake.requests("chat.postMessage")) == 1
        finally:
            handler.close()
            ws.stop()
