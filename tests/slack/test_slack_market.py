"""Market answers in Slack end to end: signed requests in; the figures, the chart uploaded in the answer's thread
(files.uploadV2 against the fake Web API) and the postings behind the figures out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.chart import HEIGHT, WIDTH
from bot.slack import blocks
from bot.slack.market_blocks import SHOW_POSTINGS_ACTION, market_blocks
from fake_slack import FakeSlack
from slack_harness import build_engine_on, running_app

QUESTION = "what do remote Python roles pay?"


def markdown_posting(name: str, salary: str, remote: str = "remote") -> str:
    return f"""---
id: {name.lower()}-1
title: Backend Engineer
company: {name}
location: Albany, NY
salary: {salary}
remote: {remote}
---

## About
{name} builds data pipelines in Python. This role is {remote}.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    source = Path(tmp_path_factory.mktemp("market-source"))
    for name, salary in (("Quillmoor", "$100,000 - $120,000 per year"), ("Tarnbeck", "$130,000 - $150,000 per year"),
                         ("Oswindle", "$50 - $60 per hour")):
        (source / f"{name.lower()}.md").write_text(markdown_posting(name, salary), encoding="utf-8")
    (source / "vellacourt.md").write_text(markdown_posting("Vellacourt", "").replace("salary: \n", ""),
                                          encoding="utf-8")
    return build_engine_on(tmp_path_factory.mktemp("market-index"), [source])


@pytest.fixture
def fake():
    with FakeSlack() as server:
        yield server


def buttons(message_body: dict) -> dict[str, dict]:
    return {e["action_id"]: e for b in message_body["blocks"] if b["type"] == "actions" for e in b["elements"]}


def png_dimensions(data: bytes) -> tuple[str, tuple[int, int]]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def test_a_pay_question_is_answered_with_figures_and_its_chart_is_uploaded_in_the_thread(engine, fake):
    with running_app(engine, fake) as app:
        assert app.event({"type": "app_mention", "user": "U1", "text": f"<@UBOT> {QUESTION}", "ts": "7000.1",
                          "channel": "C1", "event_ts": "7000.1"}).status == 200
        [answer] = fake.wait_for("chat.postMessage")
        [asked] = fake.wait_for("files.getUploadURLExternal")
        [upload] = fake.wait_for("upload")
        [complete] = fake.wait_for("files.completeUploadExternal")
    assert answer.body["thread_ts"] == "7000.1"
    sent = json.dumps(answer.body["blocks"], ensure_ascii=False)
    assert "Pay across 4 postings" in sent and "3 state pay, 1 states none" in sent
    assert "1 paid hourly, counted as 2,080 hours a year" in sent
    assert SHOW_POSTINGS_ACTION in buttons(answer.body)
    # files.uploadV2: the bytes announced, uploaded, then shared in the answer's thread
    file_id = upload.body["file_id"]
    assert int(asked.body["length"]) == len(upload.raw) == len(fake.uploaded(file_id))
    assert png_dimensions(fake.uploaded(file_id)) == ("PNG", (WIDTH, HEIGHT))
    assert complete.body["channel_id"] == "C1" and complete.body["thread_ts"] == "7000.1"
    assert [f["id"] for f in json.loads(complete.body["files"])] == [file_id]


def test_show_postings_lists_the_postings_behind_the_figures_in_the_thread(engine, fake):
    with running_app(engine, fake, list_page_size=2) as app:
        value = blocks.button_value("postings behind: " + QUESTION, 0)
        app.action(SHOW_POSTINGS_ACTION, value, ephemeral=False, message_ts="7100.1")
        [listing] = fake.wait_for("chat.postMessage")
    assert listing.body["thread_ts"] == "7100.1"
    sent = json.dumps(listing.body["blocks"], ensure_ascii=False)
    assert "The 4 postings" in sent and "Tarnbeck" in sent  # the highest pay first
    assert blocks.MORE_ACTION in buttons(listing.body)  # two per page: the rest a click away


def test_a_slash_command_uploads_its_chart_to_the_channel_it_came_from_and_says_so(engine, fake):
    with running_app(engine, fake) as app:
        app.command(QUESTION, channel_id="C1", user_id="U7")
        [reply] = fake.wait_for("response")
        [upload] = fake.wait_for("upload")
        [complete] = fake.wait_for("files.completeUploadExternal")
        fake.settle()
    assert reply.body["response_type"] == "ephemeral"
    assert set(buttons(reply.body)) >= {SHOW_POSTINGS_ACTION, blocks.SHARE_ACTION}
    assert "chart posted in this channel" in reply.text_and_blocks()
    assert "chart in the thread" not in reply.text_and_blocks()
    assert png_dimensions(fake.uploaded(upload.body["file_id"])) == ("PNG", (WIDTH, HEIGHT))
    assert complete.body["channel_id"] == "C1" and "thread_ts" not in complete.body
    assert "<@U7>" in complete.body["initial_comment"] and QUESTION in complete.body["initial_comment"]
    assert fake.requests("chat.postMessage") == []  # the chart's own comment says whose question it is


def test_a_slash_command_where_the_bot_cannot_post_sends_the_chart_to_the_users_dm(engine, fake):
    fake.fail_once("files.completeUploadExternal", "not_in_channel")
    with running_app(engine, fake) as app:
        app.command(QUESTION, channel_id="C9", user_id="U7")
        [reply] = fake.wait_for("response")
        [intro] = fake.wait_for("chat.postMessage")
        completes = fake.wait_for("files.completeUploadExternal", count=2)
        fake.settle()
    assert intro.body["channel"] == "U7" and QUESTION in intro.body["text"]
    refused, shared = completes
    assert refused.body["channel_id"] == "C9"
    assert shared.body["channel_id"] == fake.dm_channel("U7")  # a DM's id: files.uploadV2 takes no user id
    assert png_dimensions(fake.uploaded(json.loads(shared.body["files"])[0]["id"])) == ("PNG", (WIDTH, HEIGHT))
    assert "chart sent to you in a DM" in reply.text_and_blocks()


def test_the_chart_the_channel_refused_is_deleted_not_left_behind_when_it_goes_to_the_dm(engine, fake):
    fake.fail_once("files.completeUploadExternal", "not_in_channel")
    with running_app(engine, fake) as app:
        app.command(QUESTION, channel_id="C9", user_id="U7")
        fake.wait_for("response")
        refused, shared = fake.wait_for("files.completeUploadExternal", count=2)
        [deleted] = fake.wait_for("files.delete")
        fake.settle()
    refused_id = json.loads(refused.body["files"])[0]["id"]
    assert deleted.body["file"] == refused_id != json.loads(shared.body["files"])[0]["id"]
    assert shared.body["channel_id"] == fake.dm_channel("U7")
    assert fake.unshared() == []


def test_a_chart_slack_refuses_to_share_anywhere_is_deleted(engine, fake):
    fake.fail_once("files.completeUploadExternal", "missing_scope")
    with running_app(engine, fake) as app:
        app.command(QUESTION, channel_id="C1", user_id="U7")
        [reply] = fake.wait_for("response")
        [refused] = fake.wait_for("files.completeUploadExternal")
        [deleted] = fake.wait_for("files.delete")
        fake.settle()
    assert "couldn't upload the chart (missing_scope)" in reply.text_and_blocks()
    assert deleted.body["file"] == json.loads(refused.body["files"])[0]["id"]
    assert fake.unshared() == [] and fake.requests("chat.postMessage") == []


def test_a_chart_refused_in_a_mention_thread_is_deleted_and_the_answer_still_stands(engine, fake):
    fake.fail_once("files.completeUploadExternal", "not_in_channel")
    with running_app(engine, fake) as app:
        app.event({"type": "app_mention", "user": "U1", "text": f"<@UBOT> {QUESTION}", "ts": "7200.1",
                   "channel": "C1", "event_ts": "7200.1"})
        [answer] = fake.wait_for("chat.postMessage")
        fake.wait_for("files.delete")
        fake.settle()
    assert "Pay across 4 postings" in json.dumps(answer.body["blocks"], ensure_ascii=False)
    assert fake.unshared() == []


def test_a_slash_command_whose_chart_slack_refuses_says_why_and_still_answers(engine, fake):
    fake.fail_once("files.getUploadURLExternal", "missing_scope")
    with running_app(engine, fake) as app:
        app.command(QUESTION)
        [reply] = fake.wait_for("response")
        fake.settle()
    assert "Pay across 4 postings" in reply.text_and_blocks()
    assert "couldn't upload the chart (missing_scope)" in reply.text_and_blocks()
    assert fake.requests("chat.postMessage") == []  # not a channel problem: a DM would be refused too


def test_a_slash_command_without_a_chart_uploads_nothing(engine, fake):
    with running_app(engine, fake) as app:
        app.command("is the Quillmoor role remote?")
        [reply] = fake.wait_for("response")
        fake.settle()
    assert fake.requests("files.getUploadURLExternal") == []
    assert "chart" not in reply.text_and_blocks()


def test_market_blocks_carry_the_question_behind_the_show_postings_button(engine):
    _text, blks = market_blocks(engine.ask(QUESTION), chart=True)
    button = next(e for b in blks if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == SHOW_POSTINGS_ACTION)
    assert blocks.parse_button_value(button["value"]) == ("postings behind: " + QUESTION, 0, [])
    assert button["text"]["text"] == "Show postings (4)"
    assert "chart in the thread" in json.dumps(blks)
