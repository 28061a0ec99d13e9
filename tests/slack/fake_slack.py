"""A local stand-in for Slack's Web API and response_urls: a real HTTP server that records every request.

Point a WebClient at `fake.base_url` (http://127.0.0.1:PORT/api/) and use `fake.response_url("abc")`
as the response_url in payloads. `rate_limit_once("chat.postMessage")` makes the next call to that
method answer HTTP 429 with Retry-After: 1; `fail_once(method, error)` makes it answer ok=false.

File uploads (files.uploadV2) work as Slack's do: files.getUploadURLExternal returns an upload_url on this
server, the bytes POSTed there are kept (`uploaded(file_id)`; the POST is recorded as method "upload"), and
files.completeUploadExternal shares the file (recorded with its channel_id and thread_ts). files.delete
deletes a file; `unshared()` lists the files uploaded but neither shared nor deleted (left behind).

Posted messages are kept per conversation with their metadata: conversations.history (GET, as slack_sdk calls
it) returns them newest first, their `metadata` only with include_all_metadata; conversations.open answers the
DM id of a user (`dm_channel`).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"


@dataclass
class Call:
    """One request the fake received."""

    method: str  # the Web API method ("chat.postMessage"), or "response" for a response_url post
    path: str
    status: int
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    raw: bytes = b""  # the request's bytes, for a file upload

    def text_and_blocks(self) -> str:
        """The message's text and every block, as one JSON string (to search for what was sent)."""
        return json.dumps({"text": self.body.get("text"), "blocks": self.body.get("blocks")}, ensure_ascii=False)


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8") if raw else ""
    if "json" in content_type:
        return json.loads(text) if text else {}
    data: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(text).items()}
    for key in ("blocks", "attachments"):
        if isinstance(data.get(key), str):
            try:
                data[key] = json.loads(data[key])
            except ValueError:
                pass
    return data


class FakeSlack:
    """The fake server: start() it (or use `with`), read `calls`, wait_for() what the app should send."""

    def __init__(self, bot_user_id: str = BOT_USER_ID, bot_id: str = BOT_ID, team_id: str = TEAM_ID):
        self.bot_user_id, self.bot_id, self.team_id = bot_user_id, bot_id, team_id
        self.ws_url = "ws://127.0.0.1:9/unused"
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._rate_limited: set[str] = set()
        self._failures: dict[str, str] = {}
        self._ts = 1700000000.000100
        self._server: ThreadingHTTPServer | None = None
        self._files: dict[str, dict[str, Any]] = {}  # file id -> {"filename", "length", "data", "shared", "deleted"}
        self._history: dict[str, list[dict[str, Any]]] = {}  # channel id -> messages posted, oldest first

    # --- lifecycle
    def start(self) -> "FakeSlack":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length))

            def do_GET(self) -> None:  # noqa: N802  (conversations.history: its arguments in the query)
                self._answer(b"")

            def _answer(self, raw: bytes) -> None:
                status, payload, headers = fake._handle(self.path, dict(self.headers.items()), raw)
                data = payload.encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 512

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses
    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "abc") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The id of the bot's DM with a user, as chat.postMessage to a user id answers it ("U7" -> "DU7")."""
        return "D" + user_id

    def uploaded(self, file_id: str) -> bytes | None:
        """The bytes uploaded for a file id (None when nothing was uploaded for it)."""
        with self._lock:
            return self._files.get(file_id, {}).get("data")

    def unshared(self) -> list[str]:
        """The file ids whose bytes were uploaded but that were never shared nor deleted: left behind in Slack."""
        with self._lock:
            return [i for i, f in self._files.items()
                    if f.get("data") is not None and not f.get("shared") and not f.get("deleted")]

    # --- behaviour switches
    def rate_limit_once(self, method: str) -> None:
        with self._lock:
            self._rate_limited.add(method)

    def fail_once(self, method: str, error: str) -> None:
        with self._lock:
            self._failures[method] = error

    # --- reading what arrived
    def requests(self, method: str | None = None, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls
                    if (method is None or c.method == method) and (c.status == 200 or not ok_only)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0,
                 where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        """Poll until `count` successful calls of `method` (matching `where`) arrived; fail after the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.requests(method) if where(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} call(s), got {len(found)}: "
                                     f"{[c.method for c in self.requests(ok_only=False)]}")
            time.sleep(0.02)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no request arrived for `quiet` seconds (to check that nothing more comes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = self.calls[-1].at if self.calls else 0.0
            if time.monotonic() - last >= quiet:
                return
            time.sleep(0.05)

    # --- the API
    def _next_ts(self) -> str:
        with self._lock:
            self._ts += 0.0001
            return f"{self._ts:.6f}"

    def _handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, str, dict[str, str]]:
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        body = _parse(raw, content_type) if not path.startswith("/upload/") else {}
        if "?" in path and not raw:  # a GET: the arguments are in the query string
            body = _parse(path.split("?", 1)[1].encode("utf-8"), "")
        lower_headers = {k.lower(): v for k, v in headers.items()}
        if path.startswith("/response/"):
            self._record("response", path, 200, lower_headers, body)
            return 200, "ok", {"Content-Type": "text/plain"}
        if path.startswith("/upload/"):  # the upload_url of files.getUploadURLExternal: raw bytes
            file_id = path.removeprefix("/upload/")
            with self._lock:
                known = file_id in self._files
                if known:
                    self._files[file_id]["data"] = raw
            self._record("upload", path, 200 if known else 404, lower_headers, {"file_id": file_id}, raw)
            return (200, "OK - " + str(len(raw)), {"Content-Type": "text/plain"}) if known else (
                404, "no such upload", {"Content-Type": "text/plain"})
        method = path.split("?", 1)[0].removeprefix("/api/")
        with self._lock:
            limited = method in self._rate_limited
            self._rate_limited.discard(method)
            failure = self._failures.pop(method, None)
        if limited:
            self._record(method, path, 429, lower_headers, body)
            return 429, json.dumps({"ok": False, "error": "ratelimited"}), {
                "Content-Type": "application/json", "Retry-After": "1"}
        self._record(method, path, 200, lower_headers, body)
        if failure:
            return 200, json.dumps({"ok": False, "error": failure}), {"Content-Type": "application/json"}
        return 200, json.dumps(self._result(method, body)), {"Content-Type": "application/json"}

    def _record(self, method: str, path: str, status: int, headers: dict[str, str], body: dict[str, Any],
                raw: bytes = b"") -> None:
        with self._lock:
            self.calls.append(Call(method, path, status, headers, body, raw=raw))

    def _result(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.test/", "team": "Fake", "user": "postings",
                    "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id,
                    "is_enterprise_install": False}
        if method == "chat.postMessage":
            ts = self._next_ts()
            channel = str(body.get("channel") or "")
            if channel[:1] in ("U", "W"):  # to a user: Slack posts in the bot's DM with them and answers its id
                channel = self.dm_channel(channel)
            message = {"type": "message", "text": body.get("text"), "ts": ts, "bot_id": self.bot_id}
            if isinstance(body.get("metadata"), dict):
                message["metadata"] = body["metadata"]
            with self._lock:
                self._history.setdefault(channel, []).append(message)
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"text": body.get("text"), "ts": ts, "bot_id": self.bot_id}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": self.dm_channel(str(body.get("users") or ""))}}
        if method == "conversations.history":
            with self._lock:
                messages = list(self._history.get(str(body.get("channel")), []))
            with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
            oldest = float(body.get("oldest") or 0)
            found = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                     for m in reversed(messages) if float(m["ts"]) >= oldest]
            return {"ok": True, "messages": found[:int(body.get("limit") or 100)], "has_more": False}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts"), "text": body.get("text")}
        if method in ("reactions.add", "reactions.remove"):
            return {"ok": True}
        if method == "files.getUploadURLExternal":
            if not body.get("filename") or not str(body.get("length") or "").isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            with self._lock:
                file_id = f"F{len(self._files) + 1:06d}"
                self._files[file_id] = {"filename": body["filename"], "length": int(body["length"]), "data": None}
            return {"ok": True, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            try:
                files = json.loads(body.get("files") or "[]")
            except ValueError:
                return {"ok": False, "error": "invalid_arguments"}
            with self._lock:
                done = [f for f in files if self._files.get(str(f.get("id")), {}).get("data") is not None
                        and not self._files[str(f.get("id"))].get("deleted")]
            if not files or len(done) != len(files):
                return {"ok": False, "error": "file_not_found"}
            if body.get("channel_id") and str(body["channel_id"])[:1] not in "CGDZ":  # a user id is refused
                return {"ok": False, "error": "invalid_arguments"}
            with self._lock:
                for f in files:
                    self._files[str(f["id"])]["shared"] = str(body.get("channel_id") or "")
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title") or ""} for f in files]}
        if method == "files.delete":
            with self._lock:
                known = self._files.get(str(body.get("file") or ""))
                if not known or known.get("deleted"):
                    return {"ok": False, "error": "file_not_found"}
                known["deleted"] = True
            return {"ok": True}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.ws_url}
        return {"ok": False, "error": "unknown_method"}
