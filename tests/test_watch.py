"""Saved searches: the watch commands, the confirmation in a list answer's words, the SQLite store, and one
notification per saved search per generation for the postings that generation added."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.watch import (DeliveryRefused, WatchCommand, changed_rows, confirmation, describe, matching,
                       notice_headline, notify_generation, parse_command)
from bot.watch_store import RedisClaims, WatchStore
from config import load_settings
from index.embedder import HashingEmbedder
from index.models import Fact, Posting, Salary
from index.rebuild import rebuild
from index.store import IndexStore

from catalogs import answerer_over
from test_replicas import redis_client, redis_url  # noqa: F401  (fixtures: a real redis-server, or a skip)

BUILT = "2026-12-01T10:00:00+00:00"


def posting(pid, title, location="", salary=None, remote=None, languages=()):
    p = Posting(id=pid, title=title, company=f"Company {pid}", text=f"{title} at Company {pid}.", location=location)
    if salary:
        p.facts.salary = Fact(Salary(*salary), f"Pay: {salary}", "text")
    if remote:
        p.facts.remote = Fact(remote, f"This role is {remote}.", "text")
    p.facts.languages = [Fact(lang, f"We use {lang}.", "text") for lang in languages]
    return p


OLD = [
    posting("old-py", "Backend Engineer", "Austin, TX", (160000, 190000, "USD", "yearly"), "remote", ["Python"]),
    posting("old-nurse", "Registered Nurse", "Houston, TX", (40, 50, "USD", "hourly"), "on-site"),
]
NEW_MATCH = posting("new-py", "Platform Engineer", "Denver, CO", (150000, 175000, "USD", "yearly"), "remote",
                    ["Python"])
NEW_OTHER = posting("new-java", "Platform Engineer", "Denver, CO", (150000, 175000, "USD", "yearly"), "remote",
                    ["Java"])


def tags(old_gen=1, new_gen=2, new=(NEW_MATCH, NEW_OTHER)):
    """A manifest's posting tags: the old postings written in generation 1, the new ones in generation 2."""
    out = {p.id: f"aaaaaaaaaaaa-g{old_gen}" for p in OLD}
    out.update({p.id: f"bbbbbbbbbbbb-g{new_gen}" for p in new})
    return out


@pytest.fixture(scope="module")
def catalog():
    return answerer_over(OLD + [NEW_MATCH, NEW_OTHER]).catalog


@pytest.fixture
def store(tmp_path):
    return WatchStore(tmp_path / "watches.sqlite3")


class Outbox:
    """A send() that records each notice, or raises what it is told to."""

    def __init__(self, error: Exception | None = None):
        self.sent: list[tuple[int, list[str], int]] = []
        self.error = error

    def __call__(self, search, notice):
        if self.error is not None:
            raise self.error
        self.sent.append((search.id, [p.id for p in notice.postings], notice.more))


# --- the commands

@pytest.mark.parametrize("text, command", [
    ("watch remote python over 150k", WatchCommand("watch", question="remote python over 150k")),
    ("watch go roles in Berlin here", WatchCommand("watch", question="go roles in Berlin", here=True)),
    ("Watch nurse jobs in this channel", WatchCommand("watch", question="nurse jobs", here=True)),
    ("watch", WatchCommand("watch")),
    ("watches", WatchCommand("watches")),
    ("my watches?", WatchCommand("watches")),
    ("unwatch 2", WatchCommand("unwatch", number=2)),
    ("unwatch #1", WatchCommand("unwatch", number=1)),
    ("unwatch", WatchCommand("unwatch")),
])
def test_watch_commands_are_read_from_the_text(text, command):
    assert parse_command(text) == command


@pytest.mark.parametrize("text", ["which roles want Python?", "watchmaker roles in Geneva", "what do I watch for?"])
def test_questions_are_not_watch_commands(text):
    assert parse_command(text) is None


def test_the_confirmation_uses_the_words_of_a_list_answer(catalog):
    namer = answerer_over(OLD).namer
    what = describe(namer, "remote python over 150k")
    assert confirmation(what, "in a DM") == ("I'll tell you about new postings (remote, wanting Python, pay topping "
                                             "out above $150,000 a year) in a DM.")
    assert namer.catalog is not catalog  # the words come from the grammar, whichever catalog reads them
    assert describe(namer, "nurse") == "titled “nurse”"


def test_a_question_naming_nothing_describes_nothing():
    assert describe(answerer_over(OLD).namer, "please") == ""


# --- which postings a generation brings

def test_changed_rows_are_the_postings_written_in_the_generation(catalog):
    rows = changed_rows(catalog, tags(), 2)
    assert [catalog.postings[i].id for i in rows] == ["new-py", "new-java"]
    assert len(changed_rows(catalog, tags(), 3)) == 0


def test_a_saved_search_matches_only_among_the_rows_given(catalog):
    namer = answerer_over(OLD + [NEW_MATCH, NEW_OTHER]).namer
    rows = changed_rows(catalog, tags(), 2)
    assert [catalog.postings[i].id for i in matching(namer, "remote python over 150k", rows)] == ["new-py"]
    assert [catalog.postings[i].id for i in matching(namer, "platform engineer", rows)] == ["new-py", "new-java"]
    assert matching(namer, "nurse", rows) == []  # the old nurse posting is not new


# --- the store

def test_saved_searches_are_numbered_per_person_and_removed_by_number(store):
    store.add("U1", None, "remote python over 150k")
    store.add("U2", "C1", "nurse")
    store.add("U1", "C1", "go roles in Berlin")
    assert [(s.question, s.channel_id) for s in store.of_user("U1")] == [
        ("remote python over 150k", None), ("go roles in Berlin", "C1")]
    assert store.remove("U1", 3) is None
    assert store.remove("U1", 1).question == "remote python over 150k"
    assert [s.question for s in store.of_user("U1")] == ["go roles in Berlin"]
    assert [s.question for s in store.of_user("U2")] == ["nurse"]


def test_saved_searches_outlive_the_process(tmp_path):
    WatchStore(tmp_path / "w.sqlite3").add("U1", None, "nurse")
    assert [s.question for s in WatchStore(tmp_path / "w.sqlite3").active()] == ["nurse"]


def test_a_claim_is_granted_once_across_store_instances_on_one_file(tmp_path):
    first, second = WatchStore(tmp_path / "w.sqlite3"), WatchStore(tmp_path / "w.sqlite3")
    assert first.claim(1, "2@x") is True
    assert second.claim(1, "2@x") is False
    assert second.claim(1, "3@x") is True


def test_the_state_file_defaults_to_beside_the_index(tmp_path):
    settings = load_settings(_env_file=None, chroma_path=tmp_path / "chroma")
    assert settings.state_file == tmp_path / "chroma" / "watches.sqlite3"
    assert load_settings(_env_file=None, state_path=tmp_path / "s.db").state_file == tmp_path / "s.db"


# --- notifications

def test_a_generation_sends_each_matching_search_one_notice_with_its_new_postings(store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    store.add("U2", None, "nurse", after_generation=1)
    outbox = Outbox()
    assert notify_generation(store, catalog, tags(), 2, BUILT, outbox) == 1
    assert outbox.sent == [(search.id, ["new-py"], 0)]


def test_two_runs_for_one_generation_send_once(store, catalog, tmp_path):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 2, BUILT, outbox)
    notify_generation(WatchStore(store.path), catalog, tags(), 2, BUILT, outbox)  # a second replica
    assert len(outbox.sent) == 1


def test_a_generation_adding_nothing_sends_nothing(store, catalog):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    assert notify_generation(store, catalog, tags(new_gen=1), 2, BUILT, outbox) == 0
    assert outbox.sent == []


def test_a_paused_search_is_skipped(store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    store.pause(search.id, "user_not_found")
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 2, BUILT, outbox)
    assert outbox.sent == []


def test_a_refused_delivery_pauses_the_search_and_is_not_retried(store, catalog):
    search = store.add("U1", "C9", "remote python over 150k", after_generation=1)
    notify_generation(store, catalog, tags(), 2, BUILT, Outbox(DeliveryRefused("channel_not_found")))
    assert store.active() == []
    assert store.of_user("U1")[0].paused == "channel_not_found"
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 3, BUILT, outbox)
    assert outbox.sent == [] and search.id == store.of_user("U1")[0].id


def test_a_failed_send_gives_its_claim_back_for_the_next_run(store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    notify_generation(store, catalog, tags(), 2, BUILT, Outbox(ConnectionError("slack down")))
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 2, BUILT, outbox)
    assert outbox.sent == [(search.id, ["new-py"], 0)]


def test_a_search_saved_after_the_generation_was_loaded_is_not_told_about_it(store, catalog):
    store.add("U1", None, "remote python over 150k", after_generation=2)
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 2, BUILT, outbox)
    assert outbox.sent == []


def test_a_notice_lists_at_most_the_cap_and_counts_the_rest(store):
    many = [posting(f"py-{i:02d}", f"Python Developer {i}", remote="remote", languages=["Python"]) for i in range(12)]
    catalog = answerer_over(OLD + many).catalog
    store.add("U1", None, "remote python roles", after_generation=1)
    outbox = Outbox()
    notify_generation(store, catalog, tags(new=many), 2, BUILT, outbox, cap=10)
    (_sid, listed, more), = outbox.sent
    assert (len(listed), more) == (10, 2)


def test_the_headline_counts_every_match():
    from bot.watch import notice_for

    notice = notice_for("remote python", [NEW_MATCH] * 12, cap=10)
    assert notice_headline(notice) == "12 new postings match your saved search “remote python”:"


# --- through a real rebuild and the engine's reload

def test_a_rebuild_adding_a_matching_and_another_posting_notifies_once(tmp_path):
    source = tmp_path / "postings"
    source.mkdir()
    (source / "nurse.txt").write_text("Title: Registered Nurse\nCompany: Pinewhistle Health\nLocation: Boise, ID\n\n"
                                      "We are hiring a night-shift nurse for our surgical unit.\n")
    settings = load_settings(_env_file=None, source_dirs=[source], chroma_path=tmp_path / "chroma",
                             collection_prefix="watch")
    index = IndexStore.open(settings)
    embedder = HashingEmbedder()
    assert rebuild(settings, embedder, index).ok
    engine = Engine(index, embedder, reload_interval=0)
    store = WatchStore(settings.state_file)
    store.add("U1", None, "remote python roles", after_generation=1)
    outbox = Outbox()
    engine.on_new_generation(lambda catalog, manifest: notify_generation(
        store, catalog, manifest.postings, manifest.generation, manifest.built_at, outbox))
    assert outbox.sent == []  # the first generation has no Python role
    (source / "python.txt").write_text("Title: Python Developer\nCompany: Acme\nLocation: Remote\n\n"
                                       "This is a fully remote role. You write Python every day.\n")
    (source / "chef.txt").write_text("Title: Line Cook\nCompany: Bistro Nine\nLocation: Boise, ID\n\n"
                                     "Cook on our busy line, on-site in Boise.\n")
    assert rebuild(settings, embedder, index).ok
    engine.reload()
    engine.reload()  # nothing new: no second notice
    (_sid, ids, _more), = outbox.sent
    assert [engine._answerer.catalog.postings[engine._answerer.catalog.by_id[i]].title for i in ids] == [
        "Python Developer"]
    index.close()


# --- Redis claims, for replicas that do not share a file

def test_replicas_on_separate_files_share_one_redis_claim(tmp_path, catalog, redis_client):
    outbox = Outbox()
    for replica in ("a", "b"):
        store = WatchStore(tmp_path / f"{replica}.sqlite3")
        store.add("U1", None, "remote python over 150k", after_generation=1)  # the same search id 1 in each
        notify_generation(store, catalog, tags(), 2, BUILT, outbox, claims=[RedisClaims(redis_client)])
    assert len(outbox.sent) == 1

