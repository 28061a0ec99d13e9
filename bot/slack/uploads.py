"""Charts of market answers uploaded to Slack in the answer's thread (files.uploadV2)."""

from __future__ import annotations

import logging
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


def upload_chart(client: WebClient, channel: str, thread_ts: str | None, chart: ChartFile) -> bool:
    """Upload the chart into the thread (files.getUploadURLExternal, the upload, files.completeUploadExternal);
    False, logged, when Slack refuses (e.g. the app lacks the files:write scope)."""
    try:
        client.files_upload_v2(channel=channel, thread_ts=thread_ts, file=chart.data, filename=chart.filename,
                               title=chart.title, alt_txt=chart.title)
    except SlackClientError as err:
        error = err.response.get("error", "unknown") if isinstance(err, SlackApiError) else type(err).__name__
        log.warning("uploading a chart to %s failed: %s", channel, error)
        return False
    return True
