"""Charts of market answers uploaded to Slack (files.uploadV2): in the answer's thread, or for a slash command
(a private reply, no thread) in the conversation it came from, else in the user's DM. A chart Slack refuses to
share is deleted, never left behind unshared."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("bot.slack")


@dataclass
class ChartFile:
    """A rendered chart: its file name, title and PNG bytes."""

    filename: str
    title: str
    data: bytes


def chart_file(answer: Any) -> ChartFile | None:
    """The answer's chart rendered as a PNG (bot/chart.py), or None when it has none."""
    spec = getattr(answer, "chart", None)
    if spec is None:
        return None
    from bot.chart import render_png

    return ChartFile(spec.filename, spec.title, render_png(spec))


# Slack's errors that say the bot cannot share in this conversation (another one may still work)
NOT_HERE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action",
                      "not_allowed_token_type", "cant_post_in_channel", "channel_is_archived"})
IN_CHANNEL, IN_DM = "channel", "dm"


@dataclass
class Shared:
    """Where a chart went: IN_CHANNEL, IN_DM, or nowhere ('' with Slack's error)."""

    where: str = ""
    error: str = ""


def upload_chart(client: WebClient, channel: str, thread_ts: str | None, chart: ChartFile) -> bool:
    """Upload the chart into the thread (files.getUploadURLExternal, the upload, files.completeUploadExternal);
    False, logged, when Slack refuses (e.g. the app lacks the files:write scope)."""
    return _upload(client, channel, thread_ts, chart) == ""


def _upload(client: WebClient, channel: str, thread_ts: str | None, chart: ChartFile,
            comment: str | None = None) -> str:
    """files.uploadV2's three steps into the conversation; '' when shared, else Slack's error (logged).

    The steps are taken one by one (files.getUploadURLExternal, the bytes POSTed to its upload_url,
    files.completeUploadExternal) so that the file id is known when the last step is refused: that file was
    uploaded but never shared, and is deleted (files.delete) rather than left behind. A refused file id is never
    completed again elsewhere: Slack documents no second completion, so a DM gets an upload of its own."""
    file_id = ""
    try:
        issued = client.files_getUploadURLExternal(filename=chart.filename, length=len(chart.data),
                                                   alt_txt=chart.title)
        file_id, url = str(issued.get("file_id") or ""), str(issued.get("upload_url") or "")
        status = _post_bytes(client, url, chart.data)
        if status != 200:
            error = f"upload_http_{status}"
        else:
            client.files_completeUploadExternal(files=[{"id": file_id, "title": chart.title}], channel_id=channel,
                                                thread_ts=thread_ts, initial_comment=comment)
            return ""
    except SlackClientError as err:
        error = err.response.get("error", "unknown") if isinstance(err, SlackApiError) else type(err).__name__
    except OSError as err:  # the upload_url could not be reached
        error = type(err).__name__
    log.warning("uploading a chart to %s failed: %s", channel, error)
    if file_id:
        _delete(client, file_id)
    return str(error)


def _post_bytes(client: WebClient, url: str, data: bytes) -> int:
    """POST the bytes to an upload_url of files.getUploadURLExternal (as the client does: its timeout, TLS context
    and proxy); the HTTP status."""
    handlers: list[Any] = [urllib.request.HTTPSHandler(context=client.ssl)]
    if client.proxy:
        handlers.append(urllib.request.ProxyHandler({"http": client.proxy, "https": client.proxy}))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=client.timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def _delete(client: WebClient, file_id: str) -> None:
    """Delete a file uploaded but not shared; a refusal is logged, never raised (the answer stands)."""
    try:
        client.files_delete(file=file_id)
    except SlackClientError as err:
        error = err.response.get("error", "unknown") if isinstance(err, SlackApiError) else type(err).__name__
        log.warning("deleting an unshared chart file failed: %s", error)


def share_chart(client: WebClient, chart: ChartFile, channel: str | None, user: str, intro: str,
                dm_intro: str) -> Shared:
    """A slash command's chart (its reply is private, so there is no thread to upload into): uploaded to the
    conversation the command came from, with `intro` as its comment; where the bot cannot share there, to the
    user's DM with the bot after `dm_intro` (files.uploadV2 takes a DM's id, never a user's: chat.postMessage to
    the user answers the DM's id). Another refusal (a missing scope) is not retried in a DM."""
    error = _upload(client, channel, None, chart, intro) if channel else "channel_not_found"
    if not error:
        return Shared(IN_CHANNEL)
    if error not in NOT_HERE or not user:
        return Shared("", error)
    try:
        dm = client.chat_postMessage(channel=user, text=dm_intro, unfurl_links=False, unfurl_media=False)
    except SlackApiError as err:
        log.warning("opening a DM for a chart failed: %s", err.response.get("error", "unknown"))
        return Shared("", error)
    dm_channel = str(dm.get("channel") or "")
    error = _upload(client, dm_channel, None, chart) if dm_channel else "channel_not_found"
    return Shared(IN_DM) if not error else Shared("", error)
