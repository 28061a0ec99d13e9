"""End to end: `/postings watch …` through a signed request, then a rebuild that adds a matching posting and one
that does not: exactly one notification reaches the fake Slack, from two replicas sharing the saved searches."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from bot.slack.server import make_replica_server
from fake_slack import FakeSlack
from slack_harness import Running, build_engine_on, make_settings

NURSE = "Title: Registered Nurse\nCompany: Pinewhistle Health\nLocation: Boise, ID\n\nNight shifts, on-site.\n"
PYTHON = ("Title: Python Developer\nCompany: Acme\nLocation: Remote\n\n"
          "This is a fully remote role. You write Python every day.\n")
COOK = "Title: Line Cook\nCompany: Bistro Nine\nLocation: Boise, ID\n\nCook on our busy line, on-site in Boise.\n"


@contextmanager
def replicas(engine, fake, count, **settings):
    """`count` replicas wired as `postings-bot serve` wires them, on one engine and one state file."""
    servers = []
    try:
        for _ in range(count):
            executor = ThreadPoolExecutor(max_workers=2)
            server = make_replica_server(make_settings(fake, **settings), engine, executor=executor,
                                         host="127.0.0.1", port=0)
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            servers.append((server, executor))
        yield [Running(fake, f"http://127.0.0.1:{s.server_address[1]}", engine) for s, _e in servers]
    finally:
        for server, executor in servers:
            server.shutdown()
            server.server_close()
            executor.shutdown(wait=True)


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "nurse.txt").write_text(NURSE)
    return folder


def rebuild_with(tmp_path, source, engine):
    from config import load_settings
    from index.embedder import HashingEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    (source / "python.txt").write_text(PYTHON)
    (source / "cook.txt").write_text(COOK)
    settings = load_settings(_env_file=None, chroma_path=tmp_path / "chroma", source_dirs=str(source))
    assert rebuild(settings, HashingEmbedder(), IndexStore.open(settings)).ok
    engine.reload()


def notifications(fake):
    return [c for c in fake.requests("chat.postMessage") if "saved search" in c.text_and_blocks()]


@pytest.mark.parametrize("count", [1, 2])
def test_watch_then_a_rebuild_adding_a_match_sends_one_notification(tmp_path, source, count):
    engine = build_engine_on(tmp_path, [source])
    with FakeSlack() as fake, replicas(engine, fake, count, state_path=tmp_path / "watches.sqlite3") as running:
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
