"""End to end: the real HTTP server and Bolt app, signed requests in, and what reached the fake Slack.

The engine is the real one (HashingEmbedder, no model) on a tmp index rebuilt from samples/postings;
fakes stand in only where the engine must fail or be held back (to prove acks do not wait for it).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

from bot.slack import blocks
from bot.slack.mrkdwn import escape, tidy
from bot.slack.replies import MAX_QUESTION_CHARS
from fake_slack import FakeSlack
from slack_fakes import BrokenEngine, GatedEngine
from slack_harness import BOT_TOKEN, SIGNING_SECRET, build_engine_on, http, running_app, sign

PAY_QUESTION = "what does the Mistelhof backend role pay?"
EVIL_QUESTION = "what does the Pingmoor ops lead role pay?"
EVIL_POSTING = """---
id: pingmoor-ops-1
title: Ops Lead <!channel>
company: Pingmoor <@U123> Co
location: Anywhere <!here>
salary: $90,000 - $110,000 per year
remote: remote
url: https://pingmoor.example/jobs/1
---

## About
Pingmoor runs logistics. <!channel> <!everyone> click <https://evil.example|click> for details.
This role is fully remote.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return build_engine_on(tmp_path_factory.mktemp("sample-index"))


@pytest.fixture(scope="module")
def evil_engine(tmp_path_factory):
    source = tmp_path_factory.mktemp("evil-source")
    (source / "pingmoor-ops.md").write_text(EVIL_POSTING, encoding="utf-8")
    return build_engine_on(tmp_path_factory.mktemp("evil-index"), [Path(source)])


@pytest.fixture
def fake():
    with FakeSlack() as server:
        yield server


def expected_text(engine, question: str, context=()) -> str:
    """The answer sentence as it must reach Slack: escaped (its first line is enough to recognise it)."""
    return escape(tidy(engine.ask(question, context).text).split("\n")[0])


def mention(text: str, ts: str, **extra) -> dict:
    return {"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": "C1", "event_ts": ts, **extra}


def thread_message(text: str, ts: str, thread_ts: str, **extra) -> dict:
    return {"type": "message", "user": "U1", "text": text, "ts": ts, "thread_ts": thread_ts, "channel": "C1",
            "channel_type": "channel", "event_ts": ts, **extra}


def nothing_but_auth(fake: FakeSlack) -> bool:
    return [c.method for c in fake.requests(ok_only=False)] == ["auth.test"]


# --- slash command

def test_slash_command_is_acked_before_the_engine_answers_then_answered_privately_once(engine, fake):
    gated = GatedEngine(engine)
    with running_app(gated, fake) as app:
        response = app.command(PAY_QUESTION)
        assert response.status == 200 and response.body == ""  # acked while the engine is still held
        assert gated.waiting.wait(10) and fake.requests("response") == []
        gated.gate.set()
        [reply] = fake.wait_for("response")
        fake.settle()
    assert len(fake.requests("response")) == 1
    assert reply.path == "/response/abc" and reply.body["response_type"] == "ephemeral"
    assert reply.body["text"].startswith(expected_text(engine, PAY_QUESTION))
    rendered = json.dumps(reply.body["blocks"], ensure_ascii=False)
    answer = engine.ask(PAY_QUESTION)
    assert escape(answer.postings[0].title) in rendered  # the posting, named
    for item in answer.evidence[:1]:  # the supporting sentence, quoted
        assert escape(" ".join(item.text.split()))[:80] in rendered
    assert blocks.SHARE_ACTION in rendered


def test_many_commands_at_once_are_all_acked_while_the_engine_is_busy(engine, fake):
    gated = GatedEngine(engine)
    with running_app(gated, fake) as app:
        statuses: list[int] = []
        lock = threading.Lock()

        def send(i: int) -> None:
            response = app.command(f"{PAY_QUESTION} ({i})", response_url=f"r{i}")
            with lock:
                statuses.append(response.status)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200] * 12 and fake.requests("response") == []
        gated.gate.set()
        replies = fake.wait_for("response", count=12)
    assert sorted(c.path for c in replies) == sorted(f"/response/r{i}" for i in range(12))


@pytest.mark.parametrize("text", ["help", ""])
def test_help_and_empty_commands_show_usage_in_the_ack(engine, fake, text):
    with running_app(engine, fake) as app:
        response = app.command(text)
        fake.settle()
    body = response.json()
    assert body["response_type"] == "ephemeral" and "/postings" in body["text"]
    assert "`/postings stats`" in json.dumps(body["blocks"])
    assert nothing_but_auth(fake)


def test_stats_command_reports_postings_and_rebuild_time(engine, fake):
    with running_app(engine, fake) as app:
        app.command("stats")
        [reply] = fake.wait_for("response")
    stats = engine.stats()
    assert reply.body["text"].startswith(f"{stats.postings} postings indexed ({stats.chunks} chunks). Last rebuilt ")


def test_a_four_thousand_character_question_gets_a_polite_refusal(engine, fake):
    question = ("is it remote " * 400)[:4000]
    with running_app(engine, fake) as app:
        assert app.command(question).status == 200
        [reply] = fake.wait_for("response")
    assert f"under {MAX_QUESTION_CHARS:,} characters" in reply.body["text"]


def test_a_missing_index_gets_the_unavailable_reply(tmp_path, fake):
    missing = build_engine_on(tmp_path, rebuild_index=False)
    with running_app(missing, fake) as app:
        app.command(PAY_QUESTION)
        [reply] = fake.wait_for("response")
    assert reply.body["text"] == "The postings index is unavailable right now — try again shortly."


def test_an_engine_exception_gets_an_apology_with_a_reference_and_no_stack_trace(fake, caplog):
    with caplog.at_level(logging.INFO), running_app(BrokenEngine(ValueError("kaboom internals")), fake) as app:
        app.command(PAY_QUESTION)
        [reply] = fake.wait_for("response")
    sent = json.dumps(reply.body)
    assert "Sorry" in reply.body["text"] and "Traceback" not in sent and "kaboom" not in sent
    reference = reply.body["text"].rstrip(".").rsplit(" ", 1)[1]
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_outside_the_allowed_team_the_command_is_declined(engine, fake):
    with running_app(engine, fake, allowed_team_ids="T9") as app:
        response = app.command(PAY_QUESTION)
        fake.settle()
    assert response.json()["text"] == blocks.DECLINED_TEXT and nothing_but_auth(fake)


# --- events

def test_a_mention_in_a_channel_is_answered_in_a_thread_under_it(engine, fake):
    with running_app(engine, fake) as app:
        assert app.event(mention(f"<@UBOT> {PAY_QUESTION}", "1000.1")).status == 200
        [post] = fake.wait_for("chat.postMessage")
    assert post.body["channel"] == "C1" and post.body["thread_ts"] == "1000.1"
    assert post.body["text"].startswith(expected_text(engine, PAY_QUESTION))
    assert post.headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_a_mention_inside_a_thread_is_answered_in_that_thread(engine, fake):
    with running_app(engine, fake) as app:
        app.event(mention(f"<@UBOT> {PAY_QUESTION}", "1000.5", thread_ts="1000.1"))
        [post] = fake.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1000.1"


def test_a_follow_up_in_the_thread_without_a_mention_is_understood(engine, fake):
    with running_app(engine, fake) as app:
        app.event(mention(f"<@UBOT> {PAY_QUESTION}", "2000.1"))
        fake.wait_for("chat.postMessage")
        app.event(thread_message("and is it remote?", "2000.2", "2000.1"))
        posts = fake.wait_for("chat.postMessage", count=2)
    first_ids = [p.id for p in engine.ask(PAY_QUESTION).postings]
    assert posts[1].body["thread_ts"] == "2000.1"
    assert posts[1].body["text"].startswith(expected_text(engine, "and is it remote?", first_ids))


def test_a_dm_is_answered_in_the_dm(engine, fake):
    dm = {"type": "message", "user": "U1", "text": PAY_QUESTION, "ts": "3000.1", "channel": "D1",
          "channel_type": "im", "event_ts": "3000.1"}
    with running_app(engine, fake) as app:
        app.event(dm)
        [post] = fake.wait_for("chat.postMessage")
    assert post.body["channel"] == "D1" and "thread_ts" not in post.body
    assert post.body["text"].startswith(expected_text(engine, PAY_QUESTION))


def test_the_bots_own_messages_and_edits_are_ignored(engine, fake):
    with running_app(engine, fake) as app:
        app.event({"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": "an answer", "ts": "1.1",
                   "channel": "D1", "channel_type": "im"})
        app.event({"type": "message", "subtype": "message_changed", "channel": "D1", "channel_type": "im",
                   "ts": "1.2", "message": {"text": PAY_QUESTION}})
        fake.settle()
    assert nothing_but_auth(fake)


def test_a_retried_event_is_answered_once_even_while_the_first_attempt_runs(engine, fake):
    gated = GatedEngine(engine)
    event = mention(f"<@UBOT> {PAY_QUESTION}", "4000.1")
    with running_app(gated, fake) as app:
        assert app.event(event, event_id="EvRETRY").status == 200
        assert gated.waiting.wait(10)
        assert app.event(event, event_id="EvRETRY", retry=1).status == 200
        assert app.event(event, event_id="EvRETRY", retry=2).status == 200
        gated.gate.set()
        fake.wait_for("chat.postMessage")
        fake.settle()
    assert len(fake.requests("chat.postMessage")) == 1


def test_a_mention_delivered_as_app_mention_and_as_message_is_answered_once(engine, fake):
    with running_app(engine, fake) as app:
        app.event(mention(f"<@UBOT> {PAY_QUESTION}", "5000.1"))
        fake.wait_for("chat.postMessage")
        text = "<@UBOT> and is it remote?"
        app.event(thread_message(text, "5000.2", "5000.1"))
        app.event(mention(text, "5000.2", thread_ts="5000.1"))
        fake.wait_for("chat.postMessage", count=2)
        fake.settle()
    assert len(fake.requests("chat.postMessage")) == 2


def test_a_rate_limited_post_is_retried_after_retry_after_and_posted_once(engine, fake):
    fake.rate_limit_once("chat.postMessage")
    with running_app(engine, fake) as app:
        app.event(mention(f"<@UBOT> {PAY_QUESTION}", "6000.1"))
        fake.wait_for("chat.postMessage")
        fake.settle()
    attempts = fake.requests("chat.postMessage", ok_only=False)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0  # waited for Retry-After: 1


def test_a_posting_that_tries_to_ping_everyone_reaches_slack_escaped(evil_engine, fake):
    with running_app(evil_engine, fake) as app:
        app.event(mention(f"<@UBOT> {EVIL_QUESTION}", "7000.1"))
        app.event(mention("<@UBOT> tell me about Pingmoor", "7000.2"))  # quotes the posting's text
        posts = fake.wait_for("chat.postMessage", count=2)
    sent = "\n".join(p.text_and_blocks() for p in posts)
    pay = next(p for p in posts if p.body["thread_ts"] == "7000.1")
    assert pay.body["text"].startswith(expected_text(evil_engine, EVIL_QUESTION))
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil.example|click>"):
        assert raw not in sent
    assert "&lt;!channel&gt;" in sent and "&lt;@U123&gt;" in sent
    quoted = [e.text for e in evil_engine.ask("tell me about Pingmoor").evidence if "<!" in e.text]
    for text in quoted:  # the posting's own sentences, quoted with their pings defused
        assert escape(" ".join(text.split()))[:100] in sent


def test_a_mention_outside_the_allowed_channels_is_declined(engine, fake):
    with running_app(engine, fake, allowed_channel_ids="C7") as app:
        app.event(mention(f"<@UBOT> {PAY_QUESTION}", "8000.1"))
        [post] = fake.wait_for("chat.postMessage")
    assert post.body["text"] == blocks.DECLINED_TEXT and post.body["thread_ts"] == "8000.1"


# --- buttons

def first_reply_buttons(reply) -> dict[str, dict]:
    return {e["action_id"]: e for b in reply.body["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_more_shows_the_next_page_in_place(engine, fake):
    question = "which roles are remote?"
    total = engine.ask(question).total
    assert total > 5
    with running_app(engine, fake, list_page_size=5) as app:
        app.command(question)
        [first] = fake.wait_for("response")
        more = first_reply_buttons(first)[blocks.MORE_ACTION]
        assert app.action(blocks.MORE_ACTION, more["value"], response_url="more").status == 200
        [page2] = fake.wait_for("response", where=lambda c: c.path == "/response/more")
    assert f"Showing 1–5 of {total}" in json.dumps(first.body["blocks"], ensure_ascii=False)
    assert page2.body["replace_original"] is True
    assert f"Showing 6–{min(10, total)} of {total}" in json.dumps(page2.body["blocks"], ensure_ascii=False)


def test_more_on_a_threaded_answer_updates_that_message(engine, fake):
    with running_app(engine, fake, list_page_size=5) as app:
        value = blocks.button_value("which roles are remote?", 1)
        app.action(blocks.MORE_ACTION, value, ephemeral=False, message_ts="9000.2")
        [update] = fake.wait_for("chat.update")
    assert update.body["channel"] == "C1" and update.body["ts"] == "9000.2"
    assert "Showing 6–" in json.dumps(update.body["blocks"], ensure_ascii=False)


def test_share_posts_the_answer_in_the_channel_attributed_to_the_user(engine, fake):
    with running_app(engine, fake) as app:
        app.command(PAY_QUESTION)
        [first] = fake.wait_for("response")
        share = first_reply_buttons(first)[blocks.SHARE_ACTION]
        app.action(blocks.SHARE_ACTION, share["value"], response_url="share", user="U42")
        [post] = fake.wait_for("chat.postMessage")
        [cleanup] = fake.wait_for("response", where=lambda c: c.path == "/response/share")
    assert post.body["channel"] == "C1" and "thread_ts" not in post.body
    assert post.body["text"].startswith(expected_text(engine, PAY_QUESTION))
    assert "Shared by <@U42>" in json.dumps(post.body["blocks"])
    assert cleanup.body == {"delete_original": True}


def test_thumbs_are_logged_once_and_thanked_privately(engine, fake, caplog):
    with caplog.at_level(logging.INFO, logger="bot.slack"), running_app(engine, fake) as app:
        app.command(PAY_QUESTION)
        [first] = fake.wait_for("response")
        up = first_reply_buttons(first)[blocks.FEEDBACK_UP_ACTION]
        app.action(blocks.FEEDBACK_UP_ACTION, up["value"], response_url="thanks")
        [thanks] = fake.wait_for("response", where=lambda c: c.path == "/response/thanks")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("feedback ")]
    assert lines == [f'feedback rating=up user=U1 question="{PAY_QUESTION}"']
    assert thanks.body["response_type"] == "ephemeral" and thanks.body["replace_original"] is False


# --- security and plumbing

def test_a_bad_signature_is_rejected_with_401_and_nothing_is_done_or_logged(engine, fake, caplog):
    secret_question = "what is the secret plan"
    with caplog.at_level(logging.DEBUG), running_app(engine, fake) as app:
        body = "command=%2Fpostings&text=what+is+the+secret+plan&response_url=" \
               "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Flive"
        response = app.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
        forged = app.post(body, "application/x-www-form-urlencoded",
                          signature=sign("not-the-secret", str(int(time.time())), body))
        fake.settle()
    assert response.status == 401 and forged.status == 401
    assert nothing_but_auth(fake)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Invalid request signature detected" in logged
    for leak in ("secret+plan", secret_question, "hooks.slack.com", "hooks.slack", SIGNING_SECRET, BOT_TOKEN):
        assert leak not in logged


def test_a_stale_timestamp_is_rejected_even_when_correctly_signed(engine, fake):
    with running_app(engine, fake) as app:
        response = app.post("text=hi&command=%2Fpostings", "application/x-www-form-urlencoded",
                            timestamp=int(time.time()) - 600)
        fake.settle()
    assert response.status == 401 and nothing_but_auth(fake)


def test_url_verification_answers_the_challenge(engine, fake):
    with running_app(engine, fake) as app:
        response = app.post(json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"}),
                            "application/json")
    assert response.status == 200 and response.json() == {"challenge": "c-123"}


def test_healthz_reports_the_postings_and_503_without_an_index(engine, fake, tmp_path):
    with running_app(engine, fake) as app:
        ok = http("GET", app.url + "/healthz")
        missing = http("GET", app.url + "/nope")
    assert ok.status == 200 and ok.json() == {"status": "ok", "postings": engine.stats().postings}
    assert missing.status == 404
    with running_app(build_engine_on(tmp_path, rebuild_index=False), fake) as app:
        down = http("GET", app.url + "/healthz")
    assert down.status == 503 and down.json()["status"] == "unavailable"


def test_oversized_bodies_and_wrong_methods_are_refused_before_bolt(engine, fake):
    with running_app(engine, fake) as app:
        connection = HTTPConnection(app.url.removeprefix("http://"), timeout=30)
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Length", "2000000")  # announced, never sent: refused unread
        connection.endheaders()
        huge = connection.getresponse().status
        connection.close()
        wrong = http("GET", app.url + "/slack/events")
        fake.settle()
    assert huge == 413 and wrong.status == 405 and nothing_but_auth(fake)


def test_no_token_or_response_url_reaches_the_logs_during_a_conversation(engine, fake, caplog):
    with caplog.at_level(logging.DEBUG), running_app(engine, fake) as app:
        app.command(PAY_QUESTION, response_url="xyz")
        fake.wait_for("response")
        app.event(mention(f"<@UBOT> {PAY_QUESTION}", "9900.1"))
        fake.wait_for("chat.postMessage")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert BOT_TOKEN not in logged and SIGNING_SECRET not in logged and "xoxb-" not in logged
