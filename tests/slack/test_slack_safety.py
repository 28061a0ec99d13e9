"""Secrets out of logs, Slack's signing vector, de-duplication and thread memory."""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading

from bot.slack.dedup import InMemoryDeduplicator, event_key, message_key
from bot.slack.logsafety import RedactingFilter, SignatureFailureFilter, redact
from bot.slack.memory import InMemoryThreadMemory
from slack_harness import sign

VECTOR_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
VECTOR_TIMESTAMP = "1531420618"
VECTOR_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
    "channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
    "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
    "trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


def test_our_signing_matches_slacks_published_vector():
    assert sign(VECTOR_SECRET, VECTOR_TIMESTAMP, VECTOR_BODY) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")


def test_slack_sdks_verifier_accepts_the_published_vector():
    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(VECTOR_SECRET, clock=type("C", (), {"now": lambda self: 1531420618.0})())
    assert verifier.is_valid(VECTOR_BODY, VECTOR_TIMESTAMP,
                             "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")
    tampered = hmac.new(b"wrong", b"x", hashlib.sha256).hexdigest()
    assert not verifier.is_valid(VECTOR_BODY, VECTOR_TIMESTAMP, "v0=" + tampered)


def test_tokens_response_urls_and_configured_secrets_are_redacted():
    text = ("bot xoxb-1234-5678-abcdef user xoxp-9-9-9 app xapp-1-A0-123-abc url "
            "https://hooks.slack.com/commands/T1/397700885554/96rGlfmibIGlgcZRskXaIFfN and "
            "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F3977%2F96rG secret 8f742231b10e8888abcd99yyyzzz85a5")
    clean = redact(text, secrets=["8f742231b10e8888abcd99yyyzzz85a5"])
    for secret in ("xoxb-1234", "xoxp-9", "xapp-1", "hooks.slack.com", "96rG", "8f742231b10e"):
        assert secret not in clean
    assert clean.count("[redacted]") == 6


def record_through(filters, msg, *args, exc_info=None) -> str:
    logger = logging.getLogger("test.slack.redaction")
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, msg, args, exc_info)
    for f in filters:
        assert f.filter(record)
    return logging.Formatter("%(levelname)s %(message)s").format(record)


def test_the_redacting_filter_cleans_arguments_and_tracebacks():
    try:
        raise RuntimeError("failed posting to https://hooks.slack.com/actions/T1/2/xyz with xoxb-1-2-3")
    except RuntimeError:
        import sys

        line = record_through([RedactingFilter()], "token %s", "xoxb-1-2-3", exc_info=sys.exc_info())
    assert "xoxb" not in line and "hooks.slack.com" not in line and "RuntimeError" in line


def test_bolts_failed_signature_line_loses_the_request_body():
    body = "text=secret+question&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fabc"
    line = record_through([SignatureFailureFilter(), RedactingFilter()],
                          f"Invalid request signature detected (signature: v0=abc, timestamp: 1, body: {body})")
    assert "secret+question" not in line and "hooks" not in line
    assert line.startswith("WARNING Invalid request signature detected")


def test_a_key_is_new_exactly_once_even_under_concurrent_calls():
    dedup = InMemoryDeduplicator(ttl_seconds=60)
    results: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def attempt():
        start.wait()
        outcome = dedup.first_time(event_key("Ev1"))
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert dedup.first_time(message_key("C1", "1.2")) is True


def test_a_key_is_new_again_after_its_ttl():
    now = [1000.0]
    dedup = InMemoryDeduplicator(ttl_seconds=10, clock=lambda: now[0])
    assert dedup.first_time("k") is True
    now[0] += 9
    assert dedup.first_time("k") is False
    now[0] += 2
    assert dedup.first_time("k") is True


def test_the_oldest_keys_are_forgotten_beyond_the_bound():
    dedup = InMemoryDeduplicator(ttl_seconds=60, max_keys=3)
    for key in "abcd":
        assert dedup.first_time(key)
    assert dedup.first_time("a") is True and dedup.first_time("d") is False


def test_thread_memory_tells_never_answered_from_answered_about_nothing_and_expires():
    now = [0.0]
    memory = InMemoryThreadMemory(ttl_seconds=100, clock=lambda: now[0])
    assert memory.recall("C1", "1.0") is None
    memory.remember("C1", "1.0", [])
    memory.remember("C1", "2.0", ["p1", "p2"])
    assert memory.recall("C1", "1.0") == [] and memory.recall("C1", "2.0") == ["p1", "p2"]
    now[0] = 150
    assert memory.recall("C1", "2.0") is None
