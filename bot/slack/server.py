"""Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else a threaded HTTP server.

HTTP mode serves Slack's requests at POST /slack/events (signature checked before parsing), GET /healthz
and GET /metrics (Prometheus); in Socket Mode the same port serves only /healthz and /metrics.
make_replica_server wires one replica as `serve` runs it: the engine metered (bot.metrics), the
de-duplication the settings ask for (Redis when POSTINGS_REDIS_URL is set).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.engine import IndexUnavailable
from bot.metrics import METRICS_PATH, InstrumentedEngine, Metrics, metrics_route
from bot.slack.app import ANSWER_WORKERS, create_app, secret_values
from bot.slack.clients import make_web_client
from bot.slack.deps import AnswerEngine
from bot.slack.listeners.watch import notify_on_new_generations
from bot.redis_dedup import build_deduplicator, build_thread_memory
from bot.slack.logsafety import SIGNATURE_FAILURE_PREFIX, RateLimitedLog, protect_handlers, protect_logger
from bot.slack.signature import body_problem, signature_problem
from config.settings import Settings

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000
SOCKET_TIMEOUT_SECONDS = 30
LISTEN_BACKLOG = 512

# A route answers (status, content type, body bytes) for a request's raw body and headers.
Route = Callable[[bytes, dict[str, str]], tuple[int, str, bytes]]

log = logging.getLogger("bot.slack.server")


def health(engine: AnswerEngine) -> tuple[int, dict[str, Any]]:
    """200 {"status": "ok", "postings": N} when the engine can give its stats; 503 otherwise.

    While reloads fail the replica still answers from the index it holds: 200, with "stale": true, the
    index's "age_seconds" (since it was built) and "stale_seconds" (since the store was last read)."""
    try:
        stats = engine.stats()
    except IndexUnavailable as err:  # its message is user-safe by contract
        return 503, {"status": "unavailable", "reason": str(err)[:200]}
    except Exception as err:  # anything else: no internals on an unauthenticated endpoint
        log.warning("health check failed: %s", type(err).__name__)
        return 503, {"status": "unavailable", "reason": type(err).__name__}
    data: dict[str, Any] = {"status": "ok", "postings": int(stats.postings)}
    if getattr(stats, "stale", False):
        age = stats.age_seconds() if hasattr(stats, "age_seconds") else None
        data.update(stale=True, age_seconds=None if age is None else int(age),
                    stale_seconds=int(getattr(stats, "stale_seconds", 0)))
    return 200, data


def health_route(engine: AnswerEngine) -> Route:
    """GET /healthz as a Route."""

    def route(_body: bytes, _headers: dict[str, str]) -> tuple[int, str, bytes]:
        status, data = health(engine)
        return status, "application/json", json.dumps(data).encode("utf-8")

    return route


def bolt_route(app: App, rejections: RateLimitedLog | None = None, clock: Callable[[], float] = time.time) -> Route:
    """POST /slack/events as a Route. The signature is checked over the raw body before anything parses it
    (with the app's own secret, so this check and Bolt's agree): unsigned 401, signed but unreadable 400, each
    one short rate-limited log line and no traceback; the rest goes to Bolt, which checks again."""
    rejections = rejections or RateLimitedLog(log)
    secret = getattr(app, "_signing_secret", "") or ""

    def reject(status: int, reason: str) -> tuple[int, str, bytes]:
        if status == 401:  # the words Bolt uses, so what operators search for still finds it
            rejections.warning("%s: rejected with 401 (%s)", SIGNATURE_FAILURE_PREFIX, reason)
            return 401, "text/plain", b"invalid request signature"
        rejections.warning("a signed request rejected with %d (%s)", status, reason)
        return status, "text/plain", b"bad request"

    def route(body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        problem = signature_problem(secret, body, headers, clock())
        if problem:
            return reject(401, problem)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return reject(400, "a body that is not UTF-8")
        problem = body_problem(text, headers.get("content-type", "").split(";")[0].strip())
        if problem:
            return reject(400, problem)
        try:
            request = BoltRequest(body=text, headers={k: [v] for k, v in headers.items()})
        except Exception as err:  # parsing only: a signed payload of a shape Bolt cannot read
            return reject(400, f"a payload Bolt cannot read ({type(err).__name__})")
        response = app.dispatch(request)
        content_type = response.headers.get("content-type", ["text/plain;charset=utf-8"])[0]
        return response.status, content_type, (response.body or "").encode("utf-8")

    return route


class _Server(ThreadingHTTPServer):
    """A thread per request, and a listen backlog deep enough for bursts (the default 5 resets connections)."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, *args: Any, **kwargs: Any):
        self.dropped = RateLimitedLog(log)
        super().__init__(*args, **kwargs)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log through the logger (so through the redacting handler), never print to stderr as socketserver
        does: a dropped connection is one short line, anything else an error with its (redacted) traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            self.dropped.warning("connection from %s dropped (%s)", client_address[0], type(error).__name__)
        else:
            log.error("serving a request from %s failed", client_address[0], exc_info=True)


def make_http_server(
    app: App | None,
    engine: AnswerEngine,
    host: str,
    port: int,
    extra_routes: dict[tuple[str, str], Route] | None = None,
) -> ThreadingHTTPServer:
    """A threaded HTTP server (one thread per request) for Slack's requests (unless app is None) and /healthz;
    port 0 picks one."""
    routes: dict[tuple[str, str], Route] = {
        **({("POST", EVENTS_PATH): bolt_route(app)} if app is not None else {}),
        ("GET", HEALTH_PATH): health_route(engine),
        **(extra_routes or {}),
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = SOCKET_TIMEOUT_SECONDS
        server_version = "postings-bot"
        sys_version = ""

        def _handle(self, method: str) -> None:
            path = self.path.split("?", 1)[0]
            route = routes.get((method, path))
            if route is None:
                known = any(p == path for _m, p in routes)
                self._send(405 if known else 404, "text/plain", b"method not allowed" if known else b"not found")
                return
            body = b""
            if method == "POST":
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if length < 0 or length > MAX_BODY_BYTES:
                    self.close_connection = True
                    self._send(413 if length > 0 else 400, "text/plain", b"bad request")
                    return
                body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                status, content_type, payload = route(body, headers)
            except Exception:
                log.exception("handling %s %s failed", method, path)
                status, content_type, payload = 500, "text/plain", b"internal error"
            self._send(status, content_type, payload)

        def _send(self, status: int, content_type: str, payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._handle("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.debug("%s %s", self.address_string(), format % args)

    return _Server((host, port), Handler)


def start_socket_mode(app: App, settings: Settings) -> SocketModeHandler:
    """Connect to Slack over Socket Mode (apps.connections.open on the settings' API base URL)."""
    if settings.slack_app_token is None:
        raise ValueError("SLACK_APP_TOKEN is not set")
    handler = SocketModeHandler(
        app,
        app_token=settings.slack_app_token.get_secret_value(),
        web_client=make_web_client(settings.slack_api_base_url),
        logger=app.logger,
    )
    handler.connect()
    return handler


def engine_metrics(engine: AnswerEngine) -> Metrics:
    """Metrics whose index gauges read the engine's stats, and the last rebuild report from its store if it has one."""
    store = getattr(engine, "store", None)
    return Metrics(stats=engine.stats, rebuild_report=getattr(store, "read_rebuild_report", None),
                   reload_failures=getattr(engine, "reload_failures", None))


def make_replica_server(
    settings: Settings,
    engine: AnswerEngine,
    *,
    executor: ThreadPoolExecutor,
    metrics: Metrics | None = None,
    host: str | None = None,
    port: int | None = None,
) -> ThreadingHTTPServer:
    """One replica's HTTP server as `serve` runs it: Slack's requests, /healthz and /metrics, questions metered,
    deliveries de-duplicated as the settings ask (Redis when POSTINGS_REDIS_URL is set); host/port override."""
    metrics = metrics or engine_metrics(engine)
    metered = InstrumentedEngine(engine, metrics, "slack")
    app = create_app(settings, metered, executor=executor,
                     dedup=build_deduplicator(settings, on_error=metrics.count_error),
                     thread_memory=build_thread_memory(settings))
    notify_on_new_generations(engine, app.client, settings, executor)  # saved searches (bot/watch.py)
    return make_http_server(app, metered, settings.host if host is None else host,
                            settings.port if port is None else port,
                            extra_routes={("GET", METRICS_PATH): metrics_route(metrics)})


def serve(settings: Settings, engine: AnswerEngine) -> None:
    """Serve Slack until SIGINT/SIGTERM; the engine (model and index) is already loaded when this is called."""
    secrets = secret_values(settings)
    protect_handlers(secrets=secrets)
    protect_logger(log, secrets)
    answers = ThreadPoolExecutor(max_workers=ANSWER_WORKERS, thread_name_prefix="slack-answer")
    metrics = engine_metrics(engine)
    stop = threading.Event()
    _stop_on_signals(stop)
    if settings.slack_app_token is not None:
        metered = InstrumentedEngine(engine, metrics, "slack")
        app = create_app(settings, metered, executor=answers,
                         dedup=build_deduplicator(settings, on_error=metrics.count_error),
                     thread_memory=build_thread_memory(settings))
        notify_on_new_generations(engine, app.client, settings, answers)  # saved searches (bot/watch.py)
        probes = _probe_server(settings, metered, metrics)
        handler = start_socket_mode(app, settings)
        log.info("connected to Slack over Socket Mode")
        try:
            stop.wait()
        finally:
            handler.close()
            if probes is not None:
                probes.shutdown()
                probes.server_close()
            answers.shutdown(wait=True)  # finish the answers already started
        return
    server = make_replica_server(settings, engine, executor=answers, metrics=metrics)
    host, port = server.server_address[:2]
    log.info("listening on http://%s:%s%s (health: %s, metrics: %s)", host, port, EVENTS_PATH, HEALTH_PATH,
             METRICS_PATH)
    watcher = threading.Thread(target=lambda: (stop.wait(), server.shutdown()), daemon=True)
    watcher.start()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
        answers.shutdown(wait=True)
        log.info("stopped")


def _probe_server(settings: Settings, engine: AnswerEngine, metrics: Metrics) -> ThreadingHTTPServer | None:
    """Socket Mode: /healthz and /metrics (no Slack route) on the HTTP port, if it can be had."""
    try:
        server = make_http_server(None, engine, settings.host, settings.port,
                                  extra_routes={("GET", METRICS_PATH): metrics_route(metrics)})
    except OSError as err:
        log.warning("no /healthz or /metrics: cannot listen on %s:%s (%s)", settings.host, settings.port, err)
        return None
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True).start()
    log.info("health and metrics on http://%s:%s (%s, %s)", *server.server_address[:2], HEALTH_PATH, METRICS_PATH)
    return server


def _stop_on_signals(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _signum, _frame: stop.set())
