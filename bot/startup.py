"""What `serve` checks before it loads the model and the index, and how any start-up failure reads: one line.

A wrong setting (an empty secret, a host that does not resolve, a port in use, a token Slack refuses, a model
folder that is not there) fails within a second or two of starting, with a line that names the setting or the
cause and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import errno
import logging
import socket
import urllib.error
from pathlib import Path
from typing import Any

from config.settings import Settings


QUIET = logging.getLogger("bot.startup.slack_check")
QUIET.setLevel(logging.CRITICAL)


class StartupError(Exception):
    """Why the app cannot start; the message is one line naming the setting or the cause."""


def blank(secret: Any) -> bool:
    """True for a missing secret and for one that is empty or only white space."""
    return secret is None or not secret.get_secret_value().strip()


def check_slack_settings(settings: Settings) -> None:
    """The Slack secrets the chosen mode needs are set and not empty (Socket Mode when SLACK_APP_TOKEN is set)."""
    if blank(settings.slack_bot_token):
        raise StartupError("SLACK_BOT_TOKEN is empty or not set (the bot token, xoxb-…)")
    if settings.slack_app_token is not None and blank(settings.slack_app_token):
        raise StartupError("SLACK_APP_TOKEN is empty: set the app-level token (xapp-…) for Socket Mode, "
                           "or unset it for HTTP mode")
    if settings.slack_app_token is None and blank(settings.slack_signing_secret):
        raise StartupError("SLACK_SIGNING_SECRET is empty or not set (HTTP mode checks every request with it; "
                           "or set SLACK_APP_TOKEN for Socket Mode)")


def listen_error(host: str, port: int, err: OSError) -> StartupError:
    """The one-line reason a server cannot listen on host:port."""
    where = f"cannot listen on {host}:{port}"
    if isinstance(err, socket.gaierror):
        return StartupError(f"{where}: POSTINGS_HOST {host!r} is not a known host or address ({err.strerror})")
    if err.errno == errno.EADDRINUSE:
        return StartupError(f"{where}: the port is already in use (POSTINGS_PORT)")
    if err.errno == errno.EADDRNOTAVAIL:
        return StartupError(f"{where}: POSTINGS_HOST {host!r} is not an address of this machine")
    if err.errno == errno.EACCES:
        return StartupError(f"{where}: not allowed (ports below 1024 need privileges; POSTINGS_PORT)")
    return StartupError(f"{where}: {err.strerror or err}")


def check_can_listen(host: str, port: int) -> None:
    """Bind host:port as the HTTP server will (IPv4, address reuse), then let it go."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as err:
        raise listen_error(host, port, err) from None


def check_slack_auth(settings: Settings, client: Any = None) -> None:
    """auth.test with the bot token on SLACK_API_BASE_URL: reachable, and the token accepted."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from bot.slack.clients import TIMEOUT_SECONDS, retry_handlers

    if client is None:  # as make_web_client, but quiet: its retries would say the same thing before our line
        client = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_base_url,
                           timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers(), logger=QUIET)
    try:
        client.auth_test()
    except SlackApiError as err:
        response = err.response
        error = response.get("error") if response is not None and isinstance(response.data, dict) else None
        reason = error or f"HTTP {getattr(response, 'status_code', '?')}"
        raise StartupError(f"Slack refused SLACK_BOT_TOKEN (auth.test: {reason})") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise StartupError(f"cannot reach the Slack API at {settings.slack_api_base_url} (SLACK_API_BASE_URL): "
                           f"{getattr(reason, 'strerror', None) or reason}") from None


def check_model_path(settings: Settings) -> None:
    """POSTINGS_MODEL_PATH, when set, is a folder."""
    if settings.model_path is not None and not Path(settings.model_path).is_dir():
        raise StartupError(f"POSTINGS_MODEL_PATH: no model folder at {settings.model_path}")


def preflight(settings: Settings, *, check_model: bool = True) -> None:
    """Every cheap check, in the order an operator would fix them; raises StartupError at the first failure."""
    check_slack_settings(settings)
    if settings.slack_app_token is None:
        check_can_listen(settings.host, settings.port)
    check_slack_auth(settings)
    if check_model:
        check_model_path(settings)


def describe(err: BaseException, settings: Settings) -> str:
    """One line for any start-up failure: its own message when it is ours, else what failed and its type."""
    from bot.slack.app import SlackSetupError

    if isinstance(err, (StartupError, SlackSetupError)):
        return str(err)
    if isinstance(err, socket.gaierror) or (isinstance(err, OSError)
                                            and err.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL)):
        return str(listen_error(settings.host, settings.port, err))
    message = " ".join(str(err).split())[:300]
    return f"could not start: {type(err).__name__}: {message}" if message else f"could not start: {type(err).__name__}"
