"""Check a Slack request before anything reads it: the v0 signature over the raw body, then the body's shape.

Slack signs `v0:{X-Slack-Request-Timestamp}:{raw body}` with HMAC-SHA256 and the app's signing secret
(docs: /work/shared/docs/slack-protocol.md). Checking this first means a stranger's bytes are never
parsed: an unsigned request costs one HMAC and gets 401, whatever its body. Only a signed body is parsed,
and one that Bolt cannot read gets 400.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, Mapping
from urllib.parse import parse_qsl

MAX_CLOCK_SKEW_SECONDS = 300


def signature_problem(secret: str, body: bytes, headers: Mapping[str, str], now: float) -> str | None:
    """Why the request is not Slack's (a short reason for the log), or None when the signature holds.

    Args:
        secret: the signing secret; an empty one matches nothing.
        body: the raw request body, exactly as received.
        headers: the request headers, names lower-cased.
        now: the current Unix time.
    """
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not timestamp or not signature:
        return "no signature headers"
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "a timestamp that is not a number"
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return "a timestamp more than 5 minutes off"
    if not secret:
        return "no signing secret configured"
    expected = "v0=" + hmac.new(secret.encode("utf-8"), b"v0:" + timestamp.encode("ascii") + b":" + body,
                                hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
        return "a signature that does not match"
    return None


def body_problem(text: str, content_type: str) -> str | None:
    """Why a signed body is not a request Bolt can read (a JSON object, a form, or a form whose `payload`
    field is a JSON object), or None. Mirrors slack_bolt.request.internals.parse_body."""
    try:
        parsed = _parse(text, content_type)
    except ValueError:
        return "a body that is not valid JSON"
    if not isinstance(parsed, dict):
        return f"a body that is a JSON {type(parsed).__name__}, not an object"
    return None


def _parse(text: str, content_type: str) -> Any:
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        return json.loads(text)
    if "payload" in text:
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        return json.loads(payload) if payload is not None else {}
    return {}
