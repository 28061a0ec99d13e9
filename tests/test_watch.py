"""Saved searches: the watch commands, the confirmation in a list answer's words, the SQLite store, and one
notification per saved search per generation for the postings that generation added."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.watch import (DeliveryRefused, WatchCommand, changed_rows, confirmation, describe, matching,
                       notice_headline, notice_page, notify_generation, parse_command)
from bot.watch_pg import PostgresWatchStore
from bot.watch_store import CLAIM_LEASE_SECONDS, RedisClaims, WatchStore, open_store
from config import load_settings
from index.embedder import HashingEmbedder
from index.models import Fact, Posting, Salary
from index.rebuild import rebuild
from index.store import IndexStore

from catalogs import answerer_over
from pg_server import postgres_server, postgres_url  # noqa: F401  (fixtures: a real PostgreSQL, or a skip)
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


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """Where saved searches live: a SQLite file, or a fresh schema on a real PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "watches.sqlite3"
    return request.getfixturevalue("postgres_url")


def open_on(database):
    """A store on the database (a second call is another replica on the same one)."""
    return PostgresWatchStore(database) if isinstance(database, str) else WatchStore(database)


@pytest.fixture
def store(database):
    return open_on(database)


class Crash(BaseException):
    """The process dies here (nothing after it runs, not even an `except Exception`)."""


class Outbox:
    """A send() that records each notice (a conversation, with the notice's identity as its metadata) and returns
    its ts, or raises what it is told to; find() looks a notice up as SlackNotifier.find does in Slack."""

    def __init__(self, error: BaseException | None = None, crash_after_post: bool = False):
        self.sent: list[tuple[int, list[str], int]] = []
        self.posted: list[tuple[int, str, str]] = []  # (search id, generation, ts)
        self.error = error
        self.crash_after_post = crash_after_post

    def __call__(self, search, notice):
        if self.error is not None:
            raise self.error
        self.sent.append((search.id, [p.id for p in notice.postings], notice.more))
        ts = f"{1700000000 + len(self.sent)}.000100"
        self.posted.append((search.id, notice.generation, ts))
        if self.crash_after_post:
            raise Crash()
        return ts

    def find(self, search, notice, since):
        return next((ts for sid, gen, ts in self.posted if (sid, gen) == (search.id, notice.generation)), None)


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


@pytest.mark.parametrize("text", [
    "which roles want Python?", "watchmaker roles in Geneva", "what do I watch for?",
    "watch repair jobs",  # "watch" names the trade: repair jobs at watchmakers
    "watch technician openings in Bienne", "Watch assembly roles near Le Locle", "watch officer vacancies",
    "watchmaker roles in Geneva?", "watch remote python roles?",  # a command never ends in a question mark
    "watch which roles pay over 100k",  # nor goes on with a question word
])
def test_questions_starting_with_watch_stay_questions(text):
    assert parse_command(text) is None


@pytest.mark.parametrize("text, question", [
    ("watch for repair jobs", "repair jobs"),  # "watch for" is always the command
    ("watch out for go roles in Berlin", "go roles in Berlin"),
    ("watch: nurse jobs", "nurse jobs"),
    ("watch python roles", "python roles"),
    ("watch sales roles in Boston", "sales roles in Boston"),
])
def test_watch_followed_by_a_search_is_a_command(text, question):
    assert parse_command(text) == WatchCommand("watch", question=question)


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


def test_a_claim_is_granted_once_across_store_instances_on_one_database(database):
    first, second = open_on(database), open_on(database)
    assert first.claim(1, "2@x").granted is True
    assert second.claim(1, "2@x").granted is False
    assert second.claim(1, "3@x").granted is True


def test_many_threads_racing_for_one_claim_get_it_once(database):
    from concurrent.futures import ThreadPoolExecutor

    stores = [open_on(database) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        granted = list(pool.map(lambda i: stores[i % 4].claim(7, "2@x", now=100.0).granted, range(16)))
    assert granted.count(True) == 1


def test_a_sent_claim_is_never_granted_again_and_a_live_one_only_after_its_lease(store):
    first = store.claim(1, "2@x", ["a", "b"], now=1000.0, lease=60)
    assert (first.granted, first.taken_over, first.posting_ids) == (True, False, ["a", "b"])
    held = store.claim(1, "2@x", ["c"], now=1059.0, lease=60)
    assert (held.granted, held.held) == (False, True)
    later = store.claim(1, "2@x", ["c"], now=1060.0, lease=60)
    assert (later.granted, later.taken_over, later.first_claimed, later.posting_ids) == (True, True, 1000.0,
                                                                                          ["a", "b"])
    store.mark_sent(1, "2@x", "1700000000.000100")
    done = store.claim(1, "2@x", now=99999.0)
    assert (done.granted, done.held) == (False, False)
    assert store.notified_postings(1, "2@x") == ["a", "b"]
    assert store.notified_postings(1, "3@x") is None


def test_a_released_claim_is_taken_over_at_once(store):
    store.claim(1, "2@x", now=1000.0)
    store.release(1, "2@x")
    assert store.claim(1, "2@x", now=1001.0).taken_over is True


def test_a_first_slice_file_keeps_its_sent_notifications(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE sent_notifications (search_id INTEGER NOT NULL, generation TEXT NOT NULL, "
                   "sent TEXT NOT NULL, UNIQUE (search_id, generation))")
        db.execute("INSERT INTO sent_notifications VALUES (1, '2@x', '2026-12-01T10:00:00+00:00')")
    assert WatchStore(path).claim(1, "2@x").granted is False


def test_the_database_url_chooses_postgresql_and_its_absence_sqlite(tmp_path, postgres_url):
    assert isinstance(open_store(load_settings(_env_file=None, database_url=postgres_url)), PostgresWatchStore)
    assert isinstance(open_store(load_settings(_env_file=None, state_path=tmp_path / "s.db")), WatchStore)


def test_the_state_file_defaults_to_beside_the_index(tmp_path):
    settings = load_settings(_env_file=None, chroma_path=tmp_path / "chroma")
    assert settings.state_file == tmp_path / "chroma" / "watches.sqlite3"
    assert load_settings(_env_file=None, state_path=tmp_path / "s.db").state_file == tmp_path / "s.db"


# --- notifications

def test_a_generation_sends_each_matching_search_one_notice_with_its_new_postings(store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    store.add("U2", None, "nurse", after_generation=1)
    outbox = Outbox()
    assert notify_generation(store, catalog, tags(), 2, BUILT, outbox).sent == 1
    assert outbox.sent == [(search.id, ["new-py"], 0)]


def test_two_runs_for_one_generation_send_once(database, store, catalog):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 2, BUILT, outbox)
    notify_generation(open_on(database), catalog, tags(), 2, BUILT, outbox)  # a second replica
    assert len(outbox.sent) == 1


def test_a_generation_adding_nothing_sends_nothing(store, catalog):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    assert notify_generation(store, catalog, tags(new_gen=1), 2, BUILT, outbox).sent == 0
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


def test_a_redis_claim_left_by_a_crash_is_taken_over_after_its_lease_and_found_in_slack(tmp_path, catalog,
                                                                                      redis_client):
    claims = [RedisClaims(redis_client)]
    outbox = Outbox(crash_after_post=True)
    crashed = WatchStore(tmp_path / "a.sqlite3")
    crashed.add("U1", None, "remote python over 150k", after_generation=1)
    with pytest.raises(Crash):
        notify_generation(crashed, catalog, tags(), 2, BUILT, outbox, claims=claims, lease=0.2)
    other = WatchStore(tmp_path / "b.sqlite3")
    other.add("U1", None, "remote python over 150k", after_generation=1)
    outbox.crash_after_post = False
    assert notify_generation(other, catalog, tags(), 2, BUILT, outbox, claims=claims, find_sent=outbox.find,
                             lease=0.2).pending == 1  # the crashed replica's lease still runs
    import time

    time.sleep(0.3)
    result = notify_generation(other, catalog, tags(), 2, BUILT, outbox, claims=claims, find_sent=outbox.find,
                               lease=0.2)
    assert (result.sent, result.recovered, len(outbox.sent)) == (0, 1, 1)



# --- exactly once across a crash: a claim has a state and a lease

def test_a_crash_before_the_post_is_sent_once_by_the_next_run_after_the_lease(database, store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox(error=Crash())
    with pytest.raises(Crash):
        notify_generation(store, catalog, tags(), 2, BUILT, outbox, clock=lambda: 1000.0)
    outbox.error = None
    restarted = open_on(database)
    early = notify_generation(restarted, catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find,
                              clock=lambda: 1000.0 + CLAIM_LEASE_SECONDS - 1)
    assert (early.sent, early.pending, outbox.sent) == (0, 1, [])  # a live claim is not stolen
    late = notify_generation(restarted, catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find,
                             clock=lambda: 1000.0 + CLAIM_LEASE_SECONDS)
    assert (late.sent, late.pending) == (1, 0)
    assert outbox.sent == [(search.id, ["new-py"], 0)]
    again = notify_generation(restarted, catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find, clock=lambda: 1e10)
    assert (again.sent, again.pending, len(outbox.sent)) == (0, 0, 1)


def test_a_crash_after_slack_took_the_post_is_not_sent_again(database, store, catalog):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox(crash_after_post=True)
    with pytest.raises(Crash):
        notify_generation(store, catalog, tags(), 2, BUILT, outbox, clock=lambda: 1000.0)
    outbox.crash_after_post = False
    result = notify_generation(open_on(database), catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find,
                               clock=lambda: 1000.0 + CLAIM_LEASE_SECONDS + 1)
    assert (result.sent, result.recovered, len(outbox.sent)) == (0, 1, 1)
    assert notify_generation(store, catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find,
                             clock=lambda: 1e10).recovered == 0  # recorded as sent: not looked for again


def test_a_send_that_failed_after_slack_took_it_is_found_not_repeated(store, catalog):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()

    def timed_out(search, notice):  # Slack posted it, but the answer never arrived
        outbox(search, notice)
        raise TimeoutError("read timed out")

    assert notify_generation(store, catalog, tags(), 2, BUILT, timed_out).pending == 1
    result = notify_generation(store, catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find)
    assert (result.sent, result.recovered, len(outbox.sent)) == (0, 1, 1)


def test_a_live_claim_of_another_replica_is_not_stolen(database, store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    assert store.claim(search.id, "2@" + BUILT, ["new-py"], now=1000.0).granted  # another replica, sending now
    outbox = Outbox()
    result = notify_generation(open_on(database), catalog, tags(), 2, BUILT, outbox, find_sent=outbox.find,
                               clock=lambda: 1030.0)
    assert (result.sent, result.pending, outbox.sent) == (0, 1, [])


def test_two_replicas_on_one_postgresql_database_notify_once(postgres_url, catalog):
    first, second = PostgresWatchStore(postgres_url), PostgresWatchStore(postgres_url)
    first.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    results = [notify_generation(replica, catalog, tags(), 2, BUILT, outbox) for replica in (first, second)]
    assert [r.sent for r in results] == [1, 0]
    assert len(outbox.sent) == 1


# --- the More button: later pages from the ids the claim recorded

def test_a_notice_over_the_cap_pages_through_the_matches_its_claim_recorded(store):
    many = [posting(f"py-{i:02d}", f"Python Developer {i}", remote="remote", languages=["Python"]) for i in range(23)]
    catalog = answerer_over(OLD + many).catalog
    search = store.add("U1", None, "remote python roles", after_generation=1)
    outbox = Outbox()
    notify_generation(store, catalog, tags(new=many), 2, BUILT, outbox, cap=10)
    ids = store.notified_postings(search.id, "2@" + BUILT)
    assert ids == [p.id for p in many]
    second = notice_page(search.question, ids, catalog, 10, 10, search.id, "2@" + BUILT)
    assert ([p.id for p in second.postings], second.more, second.next_offset) == (ids[10:20], 3, 20)
    assert notice_headline(second) == "New postings 11–20 of 23 for your saved search “remote python roles”:"
    smaller = answerer_over(OLD + many[:21]).catalog  # a later rebuild removed two of them
    last = notice_page(search.question, ids, smaller, 20, 10)
    assert ([p.id for p in last.postings], last.gone, last.more) == (["py-20"], 2, 0)


# --- what counts as new: content, not the generation that wrote a posting

def test_postings_rewritten_unchanged_bring_nothing_new(store, catalog):
    search = store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    notify_generation(store, catalog, tags(), 2, BUILT, outbox)
    everything = {p.id: "cccccccccccc-g3" for p in catalog.postings}  # rebuild --full: every tag is new
    assert notify_generation(store, catalog, everything, 3, BUILT, outbox).sent == 0
    assert outbox.sent == [(search.id, ["new-py"], 0)]


def test_a_changed_posting_counts_as_new_even_when_a_generation_was_never_loaded(store):
    store.add("U1", None, "remote python over 150k", after_generation=1)
    outbox = Outbox()
    notify_generation(store, answerer_over(OLD).catalog, {p.id: "a-g1" for p in OLD}, 1, BUILT, outbox)
    # generation 2 added NEW_MATCH but no replica loaded it; generation 3 re-wrote only the nurse posting
    catalog = answerer_over(OLD + [NEW_MATCH]).catalog
    manifest = {"old-py": "a-g1", "old-nurse": "b-g3", "new-py": "c-g2"}
    notify_generation(store, catalog, manifest, 3, BUILT, outbox)
    assert [ids for _sid, ids, _more in outbox.sent] == [["new-py"]]


def test_a_full_rebuild_notifies_only_postings_whose_content_is_new_or_changed(tmp_path):
    source = tmp_path / "postings"
    source.mkdir()
    python_role = ("Title: Python Developer\nCompany: Acme\nLocation: Remote\n\n"
                   "This is a fully remote role. You write Python every day.\n")
    (source / "python.txt").write_text(python_role)
    settings = load_settings(_env_file=None, source_dirs=[source], chroma_path=tmp_path / "chroma",
                             collection_prefix="full")
    index = IndexStore.open(settings)
    embedder = HashingEmbedder()
    assert rebuild(settings, embedder, index).ok
    engine = Engine(index, embedder, reload_interval=0)
    store = WatchStore(settings.state_file)
    outbox = Outbox()
    engine.on_new_generation(lambda catalog, manifest: notify_generation(
        store, catalog, manifest.postings, manifest.generation, manifest.built_at, outbox))
    store.add("U1", None, "remote python roles", after_generation=1)
    assert rebuild(settings, embedder, index, full=True).ok  # every posting re-embedded, nothing new
    engine.reload()
    assert outbox.sent == []
    (source / "python2.txt").write_text(python_role.replace("Acme", "Bolt Labs").replace("Developer", "Engineer"))
    (source / "python.txt").write_text(python_role + "Pay: $150,000 a year.\n")
    assert rebuild(settings, embedder, index, full=True).ok
    engine.reload()
    (_sid, ids, _more), = outbox.sent
    catalog = engine._answerer.catalog
    assert sorted(catalog.postings[catalog.by_id[i]].company for i in ids) == ["Acme", "Bolt Labs"]
    index.close()


def test_an_unreachable_postgresql_is_a_clear_error_that_names_no_password():
    from bot.watch_pg import StoreUnavailable
    from test_replicas import free_port

    with pytest.raises(StoreUnavailable) as err:
        PostgresWatchStore(f"postgresql://bot:s3cret-pass-word@127.0.0.1:{free_port()}/postings", connect_timeout=1)
    assert "PostgreSQL" in str(err.value) and "s3cret-pass-word" not in str(err.value)
