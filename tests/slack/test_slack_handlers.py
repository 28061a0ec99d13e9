"""Listener handlers called directly with small fakes: what they ack, post and remember."""

from __future__ import annotations

import json
import logging

import pytest

from bot.slack import blocks
from bot.slack.dedup import InMemoryDeduplicator
from bot.slack.deps import Deps
from bot.slack.listeners import actions, commands, events
from bot.slack.memory import InMemoryThreadMemory
from bot.slack.replies import MAX_QUESTION_CHARS
from config.settings import load_settings
from slack_fakes import (
    BrokenEngine, FakeAck, FakeClient, FakeEngine, FakeResponseUrls, InlineExecutor, unavailable_engine,
)

BOT = "UBOT"


def make_deps(engine=None, **settings) -> tuple[Deps, FakeResponseUrls]:
    urls = FakeResponseUrls()
    deps = Deps(
        settings=load_settings(_env_file=None, **settings),
        engine=engine or FakeEngine(),
        dedup=InMemoryDeduplicator(3600),
        threads=InMemoryThreadMemory(),
        executor=InlineExecutor(),
        response_url=urls,
        log=logging.getLogger("bot.slack"),
    )
    return deps, urls


def command(text: str, **extra) -> dict:
    return {"command": "/postings", "text": text, "team_id": "T1", "channel_id": "C1", "user_id": "U1",
            "response_url": "https://hooks.slack.com/commands/T1/1/abc", **extra}


def mention(text: str, ts: str = "100.1", **extra) -> dict:
    return {"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": "C1", "event_ts": ts, **extra}


def message(text: str, ts: str = "100.2", **extra) -> dict:
    return {"type": "message", "user": "U1", "text": text, "ts": ts, "channel": "C1", "channel_type": "channel",
            **extra}


# --- the slash command

def test_a_question_is_acked_empty_then_answered_privately_through_the_response_url():
    deps, urls = make_deps()
    ack = FakeAck()
    commands.handle_command(deps, command("what does Acme pay?"), ack=ack)
    assert ack.calls == [{"text": "", "blocks": None, "response_type": None}]
    [(url, body)] = urls.sent
    assert url == "https://hooks.slack.com/commands/T1/1/abc"
    assert body["response_type"] == "ephemeral"
    assert body["text"] == "Backend Engineer at Acme pays €70,000–€90,000 a year."
    assert any(e["action_id"] == blocks.SHARE_ACTION for b in body["blocks"] if b["type"] == "actions"
               for e in b["elements"])


@pytest.mark.parametrize("text", ["", "help", "  HELP "])
def test_help_and_an_empty_command_show_usage_in_the_ack_without_asking_the_engine(text):
    engine = FakeEngine()
    deps, urls = make_deps(engine)
    ack = FakeAck()
    commands.handle_command(deps, command(text), ack=ack)
    assert ack.calls[0]["response_type"] == "ephemeral" and "/postings" in ack.calls[0]["text"]
    assert engine.asked == [] and urls.sent == []


def test_stats_say_how_many_postings_are_indexed():
    deps, urls = make_deps()
    commands.handle_command(deps, command("stats"), ack=FakeAck())
    assert urls.sent[0][1]["text"].startswith("28 postings indexed (84 chunks). Last rebuilt ")


def test_a_four_thousand_character_question_is_refused_politely():
    engine = FakeEngine()
    deps, urls = make_deps(engine)
    commands.handle_command(deps, command("w" * 3990 + " is it remote"), ack=FakeAck())
    text = urls.sent[0][1]["text"]
    assert f"under {MAX_QUESTION_CHARS:,} characters" in text and "4,003" in text
    assert engine.asked == []


def test_a_missing_index_gets_the_unavailable_reply():
    deps, urls = make_deps(unavailable_engine())
    commands.handle_command(deps, command("what does Acme pay?"), ack=FakeAck())
    assert urls.sent[0][1]["text"] == "The postings index is unavailable right now — try again shortly."


def test_an_engine_error_gets_an_apology_with_a_reference_and_the_details_go_to_the_log(caplog):
    deps, urls = make_deps(BrokenEngine(RuntimeError("boom at xoxb-123-secret")))
    with caplog.at_level(logging.INFO):
        commands.handle_command(deps, command("what does Acme pay?"), ack=FakeAck())
    text = urls.sent[0][1]["text"]
    reference = text.rsplit(" ", 1)[1].rstrip(".")
    assert len(reference) == 8 and "Traceback" not in json.dumps(urls.sent) and "boom" not in json.dumps(urls.sent)
    record = next(r for r in caplog.records if reference in r.getMessage())
    assert record.exc_info is not None


def test_outside_the_allowed_teams_the_command_is_declined():
    deps, urls = make_deps(allowed_team_ids="T9")
    ack = FakeAck()
    commands.handle_command(deps, command("what does Acme pay?"), ack=ack)
    assert ack.calls[0]["text"] == blocks.DECLINED_TEXT and urls.sent == []


# --- mentions, follow-ups, DMs

def test_a_mention_is_answered_in_a_thread_under_it_without_the_mention_in_the_question():
    engine = FakeEngine()
    deps, _ = make_deps(engine)
    client = FakeClient()
    events.handle_mention(deps, mention("<@UBOT> what does Acme pay?"), client=client, bot_user_id=BOT, team_id="T1")
    [post] = client.posts
    assert post["channel"] == "C1" and post["thread_ts"] == "100.1"
    assert post["text"].startswith("Backend Engineer at Acme pays")
    assert engine.asked == [("what does Acme pay?", ())]
    assert deps.threads.recall("C1", "100.1") == ["acme-backend"]


def test_a_mention_inside_a_thread_answers_in_that_thread():
    deps, _ = make_deps()
    client = FakeClient()
    events.handle_mention(deps, mention("<@UBOT> does Globex pay?", ts="200.5", thread_ts="200.1"), client=client,
                          bot_user_id=BOT, team_id="T1")
    assert client.posts[0]["thread_ts"] == "200.1"


def test_a_follow_up_without_a_mention_uses_the_threads_postings():
    engine = FakeEngine()
    deps, _ = make_deps(engine)
    client = FakeClient()
    events.handle_mention(deps, mention("<@UBOT> what does Acme pay?"), client=client, bot_user_id=BOT, team_id="T1")
    events.handle_message(deps, message("and is it remote?", ts="100.3", thread_ts="100.1"), client=client,
                          bot_user_id=BOT, team_id="T1")
    assert engine.asked[-1] == ("and is it remote?", ("acme-backend",))
    assert client.posts[-1]["thread_ts"] == "100.1"
    assert client.posts[-1]["text"] == "Backend Engineer at Acme is hybrid."


@pytest.mark.parametrize("event", [
    message("what does Acme pay?"),  # top level, no mention: app_mention handles mentions
    message("and is it remote?", ts="300.2", thread_ts="300.1"),  # a thread the bot never answered in
    message("ok", subtype="message_changed"),
    message("hello", bot_id="B2"),
    message("my own answer", user=BOT, thread_ts="100.1"),
])
def test_other_messages_are_ignored(event):
    engine = FakeEngine()
    deps, _ = make_deps(engine)
    deps.threads.remember("C1", "100.1", ["acme-backend"])
    client = FakeClient()
    events.handle_message(deps, event, client=client, bot_user_id=BOT, team_id="T1")
    assert client.posts == [] and engine.asked == []


def test_a_thread_reply_addressed_to_someone_else_is_left_alone():
    deps, _ = make_deps()
    deps.threads.remember("C1", "100.1", ["acme-backend"])
    client = FakeClient()
    events.handle_message(deps, message("<@U7> what do you think?", ts="100.4", thread_ts="100.1"), client=client,
                          bot_user_id=BOT, team_id="T1")
    assert client.posts == []


def test_a_dm_is_answered_in_the_dm_and_remembered_for_follow_ups():
    engine = FakeEngine()
    deps, _ = make_deps(engine)
    client = FakeClient()
    dm = {"type": "message", "user": "U1", "text": "what does Acme pay?", "ts": "5.1", "channel": "D1",
          "channel_type": "im"}
    events.handle_message(deps, dm, client=client, bot_user_id=BOT, team_id="T1")
    events.handle_message(deps, {**dm, "text": "is it remote?", "ts": "5.2"}, client=client, bot_user_id=BOT,
                          team_id="T1")
    assert [p["channel"] for p in client.posts] == ["D1", "D1"]
    assert [p["thread_ts"] for p in client.posts] == [None, None]
    assert engine.asked[-1] == ("is it remote?", ("acme-backend",))


def test_the_same_message_as_app_mention_and_message_is_answered_once():
    deps, _ = make_deps()
    deps.threads.remember("C1", "100.1", ["acme-backend"])
    client = FakeClient()
    text = "<@UBOT> and is it remote?"
    events.handle_message(deps, message(text, ts="100.9", thread_ts="100.1"), client=client, bot_user_id=BOT,
                          team_id="T1")
    events.handle_mention(deps, mention(text, ts="100.9", thread_ts="100.1"), client=client, bot_user_id=BOT,
                          team_id="T1")
    assert len(client.posts) == 1


def test_a_repeated_event_delivery_is_recognised():
    deps, _ = make_deps()
    body = {"type": "event_callback", "event_id": "Ev1", "event": mention("<@UBOT> hi")}
    assert events.first_delivery(deps, body) is True
    assert events.first_delivery(deps, body) is False
    assert events.first_delivery(deps, {**body, "event_id": "Ev2"}) is True


def test_a_bare_mention_gets_usage_help():
    engine = FakeEngine()
    deps, _ = make_deps(engine)
    client = FakeClient()
    events.handle_mention(deps, mention("<@UBOT>"), client=client, bot_user_id=BOT, team_id="T1")
    assert "/postings" in client.posts[0]["text"] and engine.asked == []


def test_a_mention_outside_the_allowed_channels_is_declined_in_the_thread():
    engine = FakeEngine()
    deps, _ = make_deps(engine, allowed_channel_ids="C2,C3")
    client = FakeClient()
    events.handle_mention(deps, mention("<@UBOT> what does Acme pay?"), client=client, bot_user_id=BOT, team_id="T1")
    assert client.posts[0]["text"] == blocks.DECLINED_TEXT and client.posts[0]["thread_ts"] == "100.1"
    assert engine.asked == []


# --- buttons

def action_body(action_id: str, value: str, *, ephemeral: bool = True) -> dict:
    return {"type": "block_actions", "user": {"id": "U1", "team_id": "T1"}, "team": {"id": "T1"},
            "channel": {"id": "C1"}, "response_url": "https://hooks.slack.com/actions/T1/2/xyz",
            "container": {"type": "message", "message_ts": "100.5", "channel_id": "C1", "is_ephemeral": ephemeral},
            "actions": [{"action_id": action_id, "value": value}]}


def test_more_on_an_ephemeral_answer_replaces_it_with_the_next_page():
    deps, urls = make_deps()
    value = blocks.button_value("list the python jobs", 1)
    actions.show_more(deps, action_body(blocks.MORE_ACTION, value), FakeClient())
    [(url, body)] = urls.sent
    assert url.endswith("/xyz") and body["replace_original"] is True
    assert "Showing 11–20 of 25" in json.dumps(body["blocks"], ensure_ascii=False)


def test_more_on_a_thread_answer_updates_the_message():
    deps, urls = make_deps()
    client = FakeClient()
    actions.show_more(deps, action_body(blocks.MORE_ACTION, blocks.button_value("list the python jobs", 2),
                                        ephemeral=False), client)
    [update] = client.updates
    assert update["channel"] == "C1" and update["ts"] == "100.5"
    assert "Showing 21–25 of 25" in json.dumps(update["blocks"], ensure_ascii=False)
    assert urls.sent == []


def test_share_posts_the_answer_in_the_channel_attributed_to_the_user():
    deps, urls = make_deps()
    client = FakeClient()
    actions.share_in_channel(deps, action_body(blocks.SHARE_ACTION, blocks.button_value("what does Acme pay?", 0)),
                             client)
    [post] = client.posts
    assert post["channel"] == "C1" and "thread_ts" not in post
    assert "Shared by <@U1>" in json.dumps(post["blocks"])
    assert not any(e["action_id"] == blocks.SHARE_ACTION for b in post["blocks"] if b["type"] == "actions"
                   for e in b["elements"])
    assert urls.sent == [("https://hooks.slack.com/actions/T1/2/xyz", {"delete_original": True})]


def test_share_where_the_bot_cannot_post_says_so_privately():
    deps, urls = make_deps()
    actions.share_in_channel(deps, action_body(blocks.SHARE_ACTION, blocks.button_value("what does Acme pay?", 0)),
                             FakeClient(fail_with="not_in_channel"))
    assert "not_in_channel" in urls.sent[0][1]["text"] and urls.sent[0][1]["response_type"] == "ephemeral"


def test_thumbs_are_logged_in_one_line_and_thanked_privately(caplog):
    deps, urls = make_deps()
    with caplog.at_level(logging.INFO, logger="bot.slack"):
        actions.record_feedback(deps, action_body(blocks.FEEDBACK_DOWN_ACTION,
                                                  blocks.feedback_value("what does Acme pay?")))
    [line] = [r.getMessage() for r in caplog.records if "feedback" in r.getMessage()]
    assert line == 'feedback rating=down user=U1 question="what does Acme pay?"'
    assert urls.sent[0][1]["response_type"] == "ephemeral" and "Thanks" in urls.sent[0][1]["text"]
