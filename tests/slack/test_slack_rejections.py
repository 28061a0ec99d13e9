"""Strangers are answered cheaply: the signature is checked over the raw body before anything parses it.

Unsigned (or badly timed) requests get 401, signed but unreadable ones 400; each rejection is one short
log line without a traceback, and the lines are rate-limited. Connections dropped mid-request are logged
through the logger (so through the redacting handler), never printed to stderr by socketserver.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import socket
import struct
import time
from urllib.parse import quote

import pytest

from bot.logs import RedactingFilter
from slack_fakes import FakeEngine
from slack_harness import http, running_app, sign

SERVER_LOGGER = "bot.slack.server"
MALFORMED = {
    "bad JSON": ("{not json", "application/json"),
    "a JSON array": ("[1, 2, 3]", "application/json"),
    "a bad payload= field": ("payload=" + quote("{not json"), "application/x-www-form-urlencoded"),
    "a payload= that is a JSON string": ("payload=" + quote('"just a string"'), "application/x-www-form-urlencoded"),
}


@pytest.fixture
def app():
    with running_app(FakeEngine()) as running:
        yield running


def server_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == SERVER_LOGGER and r.levelno >= logging.INFO]


def unsigned_post(url: str, body: str, content_type: str, timestamp: str | None = None) -> int:
    headers = {"Content-Type": content_type,
               "X-Slack-Request-Timestamp": timestamp or str(int(time.time())),
               "X-Slack-Signature": "v0=" + "0" * 64}
    return http("POST", url + "/slack/events", body.encode("utf-8"), headers).status


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_an_unsigned_malformed_body_gets_401_and_one_short_line_without_a_traceback(app, caplog, kind):
    body, content_type = MALFORMED[kind]
    caplog.set_level(logging.INFO)
    assert unsigned_post(app.url, body, content_type) == 401
    [line] = server_lines(caplog)
    assert line.exc_info is None and "401" in line.getMessage() and "Traceback" not in caplog.text
    assert body not in caplog.text


@pytest.mark.parametrize("timestamp", ["abc", "1e9", "", "99999999999999999999999"])
def test_a_non_numeric_or_absurd_timestamp_gets_401_without_a_traceback(app, caplog, timestamp):
    caplog.set_level(logging.INFO)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": sign(app.secret, timestamp, "a=b")}
    assert http("POST", app.url + "/slack/events", b"a=b", headers).status == 401
    assert "Traceback" not in caplog.text and all(r.exc_info is None for r in caplog.records)


def test_a_correctly_signed_but_old_request_gets_401(app):
    assert app.post("command=%2Fpostings&text=hi", "application/x-www-form-urlencoded",
                    timestamp=int(time.time()) - 3600).status == 401


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_signed_malformed_body_gets_400_and_one_short_line(app, caplog, kind):
    body, content_type = MALFORMED[kind]
    caplog.set_level(logging.INFO)
    assert app.post(body, content_type).status == 400
    [line] = server_lines(caplog)
    assert line.exc_info is None and "400" in line.getMessage() and "Traceback" not in caplog.text


def test_a_signed_body_that_is_not_utf8_gets_400(app):
    ts = str(int(time.time()))
    raw = b"text=\xff\xfe"
    signature = "v0=" + hmac.new(app.secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": signature}
    assert http("POST", app.url + "/slack/events", raw, headers).status == 400


def test_a_signed_well_formed_request_still_reaches_the_app(app):
    response = app.post('{"type": "url_verification", "challenge": "c-123"}', "application/json")
    assert response.status == 200 and "c-123" in response.body


def test_a_flood_of_rejections_logs_a_few_lines_then_a_count(app, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(30):
        assert unsigned_post(app.url, "{", "application/json") == 401
    assert len(server_lines(caplog)) <= 12


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limited_log_says_how_many_lines_it_held_back():
    from bot.slack.logsafety import RateLimitedLog

    stream = io.StringIO()
    logger = logging.getLogger("test.slack.ratelimited")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    clock = Clock()
    limited = RateLimitedLog(logger, limit=3, interval=60.0, clock=clock)
    for i in range(10):
        limited.warning("rejected request %d", i)
    lines = stream.getvalue().splitlines()
    assert lines[:3] == ["rejected request 0", "rejected request 1", "rejected request 2"]
    assert len(lines) == 4 and "held back" in lines[3]  # one notice that the limit is reached
    clock.now += 61
    limited.warning("rejected request %d", 10)
    later = stream.getvalue().splitlines()[4:]
    assert later == ["7 similar lines held back in the last 60 s", "rejected request 10"]


def reset_mid_body(url: str) -> None:
    """Send half a POST and reset the connection (RST), as a client that gives up does."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 5000\r\n\r\n{\"type\":")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_connection_dropped_mid_request_is_logged_through_the_logger_not_printed(app, caplog, capfd):
    caplog.set_level(logging.DEBUG, logger=SERVER_LOGGER)
    reset_mid_body(app.url)
    deadline = time.monotonic() + 5
    while not any("dropped" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert any("dropped" in r.getMessage() and r.exc_info is None for r in caplog.records)
    assert "Exception occurred during processing" not in capfd.readouterr().err


def test_an_unexpected_server_error_goes_through_the_redacting_handler(app, capfd):
    from bot.slack.server import make_http_server

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(["a-configured-secret-value"]))
    root = logging.getLogger()
    root.addHandler(handler)
    server = make_http_server(None, FakeEngine(), "127.0.0.1", 0)
    try:
        try:
            raise RuntimeError("boom with xoxb-1-2-leaked and a-configured-secret-value")
        except RuntimeError:
            server.handle_error(None, ("127.0.0.1", 5555))
    finally:
        root.removeHandler(handler)
        server.server_close()
    assert "RuntimeError" in stream.getvalue()
    assert "xoxb-1-2-leaked" not in stream.getvalue() and "a-configured-secret-value" not in stream.getvalue()
    assert capfd.readouterr().err == ""
