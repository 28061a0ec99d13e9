"""End to end: `/postings watch …` through a signed request, then a rebuild that adds a matching posting and one
that does not: exactly one notification reaches the fake Slack, from two replicas sharing the saved searches."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from slack_sdk import WebClient

from bot.slack.listeners.watch import METADATA_EVENT, WATCH_MORE_ACTION, SlackNotifier
from bot.watch import notify_generation
from bot.watch_store import CLAIM_LEASE_SECONDS, WatchStore
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, build_engine_on

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the real redis-server fixture
from test_replicas import redis_url, replicas  # noqa: E402,F401  (a real redis-server; replicas as serve wires them)

NURSE = "Title: Registered Nurse\nCompany: Pinewhistle Health\nLocation: Boise, ID\n\nNight shifts, on-site.\n"
PYTHON = ("Title: Python Developer\nCompany: Acme\nLocation: Remote\n\n"
          "This is a fully remote role. You write Python every day.\n")
COOK = "Title: Line Cook\nCompany: Bistro Nine\nLocation: Boise, ID\n\nCook on our busy line, on-site in Boise.\n"


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "nurse.txt").write_text(NURSE)
    return folder


def rebuild_with(tmp_path, source, engine, files=None):
    from config import load_settings
    from index.embedder import HashingEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    for name, text in (files or {"python.txt": PYTHON, "cook.txt": COOK}).items():
        (source / name).write_text(text)
    settings = load_settings(_env_file=None, chroma_path=tmp_path / "chroma", source_dirs=str(source))
    assert rebuild(settings, HashingEmbedder(), IndexStore.open(settings)).ok
    engine.reload()


def notifications(fake):
    return [c for c in fake.requests("chat.postMessage") if "saved search" in c.text_and_blocks()]


@pytest.mark.parametrize("count, with_redis", [(1, False), (2, False), (2, True)])
def test_watch_then_a_rebuild_adding_a_match_sends_one_notification(tmp_path, source, count, with_redis, request):
    engine = build_engine_on(tmp_path, [source])
    shared = {"redis_url": request.getfixturevalue("redis_url")} if with_redis else {}
    with FakeSlack() as fake, replicas(engine, fake, count, state_path=tmp_path / "watches.sqlite3",
                                       **shared) as running:
        assert running[0].command("watch remote python roles", response_url="w").status == 200
        (reply,) = fake.wait_for("response")
        assert reply.body["text"] == ("I'll tell you about new postings (remote, wanting Python) in a DM.")
        rebuild_with(tmp_path, source, engine)
        (sent,) = fake.wait_for("chat.postMessage", where=lambda c: "saved search" in c.text_and_blocks())
        fake.settle()
    assert len(notifications(fake)) == 1
    assert sent.body["channel"] == "U1"
    assert "Python Developer" in sent.text_and_blocks() and "Line Cook" not in sent.text_and_blocks()


def test_watches_lists_and_unwatch_removes_by_number(tmp_path, source):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, 1, state_path=tmp_path / "watches.sqlite3") as (app,):
        app.command("watch nurse jobs", response_url="a")
        fake.wait_for("response", 1)
        app.command("watches", response_url="b")
        listed = fake.wait_for("response", 2)[1]
        app.command("unwatch 1", response_url="c")
        removed = fake.wait_for("response", 3)[2]
        app.command("watches", response_url="d")
        empty = fake.wait_for("response", 4)[3]
    assert "1. “nurse jobs” in a DM" in listed.body["text"]
    assert removed.body["text"] == "Stopped watching “nurse jobs”."
    assert empty.body["text"].startswith("You have no saved searches.")


def test_watch_here_in_a_channel_the_bot_is_not_in_saves_nothing(tmp_path, source):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, 1, state_path=tmp_path / "watches.sqlite3") as (app,):
        fake.fail_once("chat.postMessage", "not_in_channel")
        app.command("watch remote python roles here", response_url="a")
        (reply,) = fake.wait_for("response")
        app.command("watches", response_url="b")
        listed = fake.wait_for("response", 2)[1]
    assert reply.body["text"].startswith("I couldn't post in this channel (not_in_channel).")
    assert listed.body["text"].startswith("You have no saved searches.")


def test_a_notification_slack_refuses_pauses_the_search(tmp_path, source):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, 1, state_path=tmp_path / "watches.sqlite3") as (app,):
        app.command("watch remote python roles", response_url="a")
        fake.wait_for("response")
        fake.fail_once("chat.postMessage", "user_not_found")
        rebuild_with(tmp_path, source, engine)
        fake.wait_for("chat.postMessage")
        fake.settle()
        app.command("watches", response_url="b")
        listed = fake.wait_for("response", 2)[1]
    assert "paused (user_not_found)" in listed.body["text"]


def test_a_mention_saying_watch_here_saves_a_channel_search_and_notifies_the_channel(tmp_path, source):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, 1, state_path=tmp_path / "watches.sqlite3") as (app,):
        app.event({"type": "app_mention", "channel": "C1", "user": "U1", "ts": "200.1", "team": "T1",
                   "text": "<@UBOT> watch remote python roles here"})
        announced, confirmed = fake.wait_for("chat.postMessage", 2)
        rebuild_with(tmp_path, source, engine)
        (sent,) = fake.wait_for("chat.postMessage", where=lambda c: "saved search" in c.text_and_blocks())
    assert announced.body["channel"] == "C1" and "thread_ts" not in announced.body
    assert confirmed.body["thread_ts"] == "200.1"
    assert confirmed.body["text"] == "I'll tell you about new postings (remote, wanting Python) in this channel."
    assert sent.body["channel"] == "C1" and "Python Developer" in sent.text_and_blocks()


# --- the More button

def many_python_roles(count):
    return {f"python{i:02d}.txt": PYTHON.replace("Python Developer", f"Python Developer {i:02d}")
            .replace("Acme", f"Acme {i:02d}") for i in range(count)}


def more_button(call):
    return next(e for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"])


def test_a_notification_over_the_cap_ends_with_more_and_a_click_posts_the_next_page_in_its_thread(tmp_path, source):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, 1, state_path=tmp_path / "watches.sqlite3") as (app,):
        app.command("watch remote python roles", response_url="w")
        fake.wait_for("response")
        rebuild_with(tmp_path, source, engine, many_python_roles(13))
        (sent,) = fake.wait_for("chat.postMessage", where=lambda c: "saved search" in c.text_and_blocks())
        button = more_button(sent)
        assert (button["action_id"], button["text"]["text"]) == (WATCH_MORE_ACTION, "More (3 more)")
        assert app.action(WATCH_MORE_ACTION, button["value"], ephemeral=False, message_ts="300.1").status == 200
        (page,) = fake.wait_for("chat.postMessage", where=lambda c: "11–13 of 13" in c.text_and_blocks())
    assert sent.text_and_blocks().count("Python Developer") == 10
    assert page.body["thread_ts"] == "300.1" and page.body["channel"] == "C1"
    assert page.text_and_blocks().count("Python Developer") == 3
    assert not [b for b in page.body["blocks"] if b["type"] == "actions"]  # the last page has no More


def test_more_for_a_removed_saved_search_says_so_privately(tmp_path, source):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, 1, state_path=tmp_path / "watches.sqlite3") as (app,):
        app.action(WATCH_MORE_ACTION, '{"s":99,"g":"2@x","o":10}', response_url="gone", ephemeral=False)
        (reply,) = fake.wait_for("response")
    assert reply.body["text"] == "That saved search was removed, so I can't list more of its postings."
    assert reply.body["response_type"] == "ephemeral"


# --- exactly once across a crash, against the fake Slack Web API

FAKE_NOW = 1700000000.0  # the fake Slack's message ts start here


class Crash(BaseException):
    """The process dies here."""


def generation_with_a_new_python_role(tmp_path, source):
    """(catalog, manifest) of a generation that added a matching posting; a search saved before it."""
    engine = build_engine_on(tmp_path, [source])
    rebuild_with(tmp_path, source, engine)
    seen = []
    engine.on_new_generation(lambda catalog, manifest: seen.append((catalog, manifest)))
    store = WatchStore(tmp_path / "watches.sqlite3")
    store.add("U1", None, "remote python roles", after_generation=1)
    return store, seen[-1]


def run(store, generation, client, send=None, clock=None):
    catalog, manifest = generation
    notifier = SlackNotifier(client)
    return notify_generation(store, catalog, manifest.postings, manifest.generation, manifest.built_at,
                             send or notifier.send, find_sent=notifier.find, **({"clock": clock} if clock else {}))


def test_a_crash_after_slack_took_the_notification_is_found_by_its_metadata_not_sent_again(tmp_path, source):
    store, generation = generation_with_a_new_python_role(tmp_path, source)
    with FakeSlack() as fake:
        client = WebClient(token=BOT_TOKEN, base_url=fake.base_url)

        def post_then_crash(search, notice):
            SlackNotifier(client).send(search, notice)
            raise Crash()

        with pytest.raises(Crash):  # the fake's clock: its message ts count from FAKE_NOW
            run(store, generation, client, send=post_then_crash, clock=lambda: FAKE_NOW)
        restarted = WatchStore(tmp_path / "watches.sqlite3")
        result = run(restarted, generation, client, clock=lambda: FAKE_NOW + CLAIM_LEASE_SECONDS + 1)
    (posted,) = notifications(fake)
    assert posted.body["metadata"]["event_type"] == METADATA_EVENT
    assert (result.sent, result.recovered) == (0, 1)
    (history,) = fake.requests("conversations.history")
    assert history.body["channel"] == fake.dm_channel("U1") and history.body["include_all_metadata"] in ("1", "true")


def test_a_crash_before_the_post_is_sent_by_the_next_run_once_its_lease_ran_out(tmp_path, source):
    store, generation = generation_with_a_new_python_role(tmp_path, source)
    with FakeSlack() as fake:
        client = WebClient(token=BOT_TOKEN, base_url=fake.base_url)

        def crash(search, notice):
            raise Crash()

        with pytest.raises(Crash):
            run(store, generation, client, send=crash)
        restarted = WatchStore(tmp_path / "watches.sqlite3")
        assert run(restarted, generation, client).pending == 1  # its lease still runs: not stolen
        later = time.time() + CLAIM_LEASE_SECONDS + 1
        assert run(restarted, generation, client, clock=lambda: later).sent == 1
        assert run(restarted, generation, client, clock=lambda: later + 1).sent == 0
    (posted,) = notifications(fake)
    assert "Python Developer" in posted.text_and_blocks()
