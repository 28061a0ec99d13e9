"""Block Kit rendering as data: escaping, limits, paging, buttons, fallback text."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from bot.answer import ANSWERED, Answer, EvidenceItem
from bot.engine import IndexStats
from bot.slack import blocks
from bot.slack.mrkdwn import age_phrase, escape, split_escaped, strip_leading_mention, truncate_escaped
from slack_fakes import EVIL, posting, sample_postings

# what would ping people or plant a link if it reached Slack unescaped
DANGEROUS = re.compile(r"<!channel>|<!here>|<!everyone>|<@U123>|<https://evil\.example\|click>")


def all_text(blks: list[dict]) -> list[str]:
    """Every mrkdwn/plain text string inside the blocks."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blks)
    return found


def mrkdwn_objects(blks: list[dict]) -> list[dict]:
    found: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blks)
    return found


def list_answer(n: int, question: str = "list the python jobs") -> Answer:
    postings = [posting(f"p{i}", f"Python Developer {i}", f"Company {i}", remote="remote") for i in range(n)]
    return Answer(question, "list", ANSWERED, f"{n} postings mention Python.", postings,
                  [EvidenceItem(p.id, p.facts.remote.evidence) for p in postings], total=n, is_list=True)


def test_answer_sentence_comes_first_then_one_card_per_posting_with_its_quote():
    backend = sample_postings()[0]
    answer = Answer("what does acme pay?", "salary", ANSWERED,
                    "Backend Engineer at Acme pays €70,000–€90,000 a year.",
                    [backend], [EvidenceItem(backend.id, "The salary is €70,000–€90,000 a year.")], total=1)
    text, blks = blocks.answer_blocks(answer, page_size=10, index_age="updated 3 hours ago")
    assert text == "Backend Engineer at Acme pays €70,000–€90,000 a year."
    assert blks[0]["type"] == "section" and blks[0]["text"]["text"] == text
    card = blks[1]["text"]["text"]
    assert card.startswith("*<https://jobs.acme.test/1|Backend Engineer>* — Acme")
    assert "Berlin · €70,000–€90,000 a year · Hybrid" in card
    assert "> The salary is €70,000–€90,000 a year." in card
    footer = blks[2]["elements"][0]["text"]
    assert "1 matching posting" in footer and "index updated 3 hours ago" in footer


def test_posting_and_question_text_is_escaped_everywhere_and_verbatim():
    evil = next(p for p in sample_postings() if p.id == "evil-ops")
    question = f"what about {EVIL}?"
    answer = Answer(question, "remote", ANSWERED, f"{evil.title} at {evil.company} is remote.", [evil],
                    [EvidenceItem(evil.id, f"Ping everyone {EVIL} now.")], total=1)
    text, blks = blocks.answer_blocks(answer, ephemeral=True, show_question=True)
    assert not DANGEROUS.search(text)
    for string in all_text(blks):
        assert not DANGEROUS.search(string), string
    assert all(obj.get("verbatim") is True for obj in mrkdwn_objects(blks))
    rendered = json.dumps(blks)
    assert "&lt;!channel&gt;" in rendered and "&lt;@U123&gt;" in rendered
    assert "&lt;https://evil.example|click&gt;" in rendered
    # the posting's own URL is made safe inside its link: no raw <, > or | can end the link early
    card = blks[2]["text"]["text"]
    link = re.match(r"\*<([^|>]*)\|", card).group(1)
    assert link == "https://evil.example/job?a=1&amp;b=%3C2%3E%7Cx"


def test_a_javascript_url_is_not_linked():
    p = posting("x", "Title", "Co", url="javascript:alert(1)")
    answer = Answer("q", "general", ANSWERED, "About Title.", [p], total=1)
    _, blks = blocks.answer_blocks(answer)
    assert "javascript" not in json.dumps(blks)


def test_sixty_postings_stay_within_slack_limits_and_say_what_is_shown():
    answer = list_answer(60)
    for page_size in (10, 40):
        text, blks = blocks.answer_blocks(answer, page_size=page_size, index_age="updated just now")
        assert len(blks) <= blocks.MAX_BLOCKS
        assert all(len(s) <= blocks.MAX_SECTION_CHARS for s in all_text(blks))
        assert text and len(text) <= blocks.MAX_TEXT_CHARS
        footer = [b for b in blks if b["type"] == "context"][-1]["elements"][0]["text"]
        assert f"Showing 1–{page_size} of 60" in footer
        assert f"(showing 1–{page_size} of 60)" in text


def test_more_button_carries_the_question_and_next_page_until_the_last_page():
    answer = list_answer(23)
    _, first = blocks.answer_blocks(answer, page=0, page_size=10)
    more = [e for b in first if b["type"] == "actions" for e in b["elements"] if e["action_id"] == blocks.MORE_ACTION]
    assert len(more) == 1
    assert blocks.parse_button_value(more[0]["value"]) == ("list the python jobs", 1, [])
    _, last = blocks.answer_blocks(answer, page=2, page_size=10)
    cards = [b for b in last if b["type"] == "section"][1:]
    assert [c["text"]["text"].split("*")[1] for c in cards] == ["Python Developer 20", "Python Developer 21",
                                                                 "Python Developer 22"]
    assert "Showing 21–23 of 23" in json.dumps(last, ensure_ascii=False)
    assert blocks.MORE_ACTION not in json.dumps(last)


def test_a_page_past_the_end_shows_the_last_page():
    _, blks = blocks.answer_blocks(list_answer(12), page=7, page_size=10)
    assert "Showing 11–12 of 12" in json.dumps(blks, ensure_ascii=False)


def test_postings_beyond_what_the_engine_returned_are_mentioned_not_dropped_silently():
    answer = list_answer(5)
    answer.total = 23
    text, blks = blocks.answer_blocks(answer, page_size=10)
    rendered = json.dumps(blks, ensure_ascii=False)
    assert "23 matching postings" in rendered and "Showing 1–5 of 23" in rendered
    assert "narrow the question to see the other 18" in rendered


def test_a_question_too_long_for_a_button_says_how_to_page_instead():
    answer = list_answer(23, question="python " * 400)
    _, blks = blocks.answer_blocks(answer, page_size=10)
    rendered = json.dumps(blks)
    assert blocks.MORE_ACTION not in rendered
    assert "ask a shorter question" in rendered
    for button in [e for b in blks if b["type"] == "actions" for e in b["elements"]]:
        assert len(button["value"]) <= blocks.MAX_BUTTON_VALUE


def test_share_button_only_on_ephemeral_answers_and_thumbs_always():
    answer = list_answer(2)
    _, private = blocks.answer_blocks(answer, ephemeral=True)
    _, public = blocks.answer_blocks(answer, ephemeral=False)
    ids = lambda blks: [e["action_id"] for b in blks if b["type"] == "actions" for e in b["elements"]]  # noqa: E731
    assert ids(private) == [blocks.SHARE_ACTION, blocks.FEEDBACK_UP_ACTION, blocks.FEEDBACK_DOWN_ACTION]
    assert ids(public) == [blocks.FEEDBACK_UP_ACTION, blocks.FEEDBACK_DOWN_ACTION]


def test_shared_answers_are_attributed_and_a_bad_user_id_is_not_a_mention():
    answer = list_answer(1)
    _, blks = blocks.answer_blocks(answer, shared_by="U0ABC123")
    assert "Shared by <@U0ABC123>" in json.dumps(blks)
    _, blks = blocks.answer_blocks(answer, shared_by="<!channel>")
    assert "<!channel>" not in json.dumps(blks)


def test_a_long_quote_is_cut_with_an_ellipsis_inside_its_card_but_the_answer_sentence_is_whole():
    p = posting("x", "Title", "Co")
    long_answer = "Fact " + "word " * 1000 + "END."
    answer = Answer("q", "general", ANSWERED, long_answer, [p], [EvidenceItem("x", "quote " * 500)], total=1)
    text, blks = blocks.answer_blocks(answer)
    answer_sections = [b for b in blks if b["type"] == "section" and not b["text"]["text"].startswith("*")]
    joined = " ".join(s["text"]["text"] for s in answer_sections)
    assert joined == " ".join(long_answer.split())
    assert all(len(s["text"]["text"]) <= blocks.MAX_SECTION_CHARS for s in answer_sections)
    card = [b for b in blks if b["type"] == "section" and b["text"]["text"].startswith("*")][0]["text"]["text"]
    assert card.endswith("…") and len(card) < 600
    assert text.endswith("END.")


def test_every_message_has_plain_text():
    stats = IndexStats(postings=42, chunks=310, built_at=datetime.now(timezone.utc) - timedelta(hours=3),
                       generation=2)
    for text, blks in [blocks.help_blocks("/postings"), blocks.stats_blocks(stats), blocks.error_blocks("ab12cd34"),
                       blocks.unavailable_blocks(), blocks.declined_blocks(),
                       blocks.answer_blocks(Answer("", "general", "empty", "Ask me a question."))]:
        assert text.strip()
        assert blks and len(blks) <= blocks.MAX_BLOCKS


def test_help_names_the_command_and_gives_examples():
    text, blks = blocks.help_blocks("/jobs")
    rendered = json.dumps(blks)
    assert "/jobs" in text and rendered.count("`/jobs ") >= 4 and "stats" in rendered


def test_stats_say_how_many_postings_and_when_rebuilt():
    built = datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc)
    text, _ = blocks.stats_blocks(IndexStats(postings=1234, chunks=5678, built_at=built, generation=3),
                                  now=built + timedelta(hours=5))
    assert text == "1,234 postings indexed (5,678 chunks). Last rebuilt 2025-01-02 03:04 UTC (5 hours ago)."
    text, _ = blocks.stats_blocks(IndexStats(postings=0, chunks=0, built_at=None, generation=0))
    assert "empty" in text and "not recorded" in text


def test_error_and_unavailable_messages():
    assert "ab12cd34" in blocks.error_blocks("ab12cd34")[0]
    text, blks = blocks.unavailable_blocks("The postings index has not been built yet.")
    assert text == "The postings index is unavailable right now — try again shortly."
    assert "not been built yet" in json.dumps(blks)


def test_escape_truncate_and_split_never_break_an_entity():
    assert escape("a & <b> c") == "a &amp; &lt;b&gt; c"
    cut = truncate_escaped("<<<<<<<<<<", 12)
    assert cut == "&lt;&lt;…" and len(cut) <= 12
    pieces = split_escaped("&" * 50, 12)
    assert all(len(p) <= 12 and p.count("&amp;") * 5 == len(p) for p in pieces)
    assert "".join(pieces) == "&amp;" * 50


def test_leading_bot_mention_is_stripped_and_other_mentions_kept():
    assert strip_leading_mention("<@UBOT> what pays best?", "UBOT") == "what pays best?"
    assert strip_leading_mention("<@UBOT|postings>: hi", "UBOT") == "hi"
    assert strip_leading_mention("<@UOTHER> hi", "UBOT") == "<@UOTHER> hi"


def test_age_phrases():
    now = datetime(2025, 1, 1, 12, tzinfo=timezone.utc)
    assert age_phrase(now - timedelta(seconds=5), now) == "updated just now"
    assert age_phrase(now - timedelta(minutes=1), now) == "updated 1 minute ago"
    assert age_phrase(now - timedelta(hours=3, minutes=5), now) == "updated 3 hours ago"
    assert age_phrase(now - timedelta(days=2), now) == "updated 2 days ago"
    assert age_phrase(None, now) == ""


def test_a_multi_line_answer_keeps_its_line_breaks():
    p = posting("x", "Title", "Co")
    text = "From Title at Co:\nTitle at Co:  “a  quoted sentence.”"
    answer = Answer("q", "general", ANSWERED, text, [p], total=1)
    _, blks = blocks.answer_blocks(answer)
    assert blks[0]["text"]["text"] == "From Title at Co:\nTitle at Co: “a quoted sentence.”"


def test_the_manifest_asks_for_the_least_scopes_and_the_events_the_bot_handles():
    yaml = __import__("pytest").importorskip("yaml")
    from pathlib import Path

    manifest = yaml.safe_load((Path(__file__).resolve().parents[2] / "slack" / "manifest.yml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(
        ["commands", "chat:write", "files:write", "app_mentions:read", "im:history", "channels:history",
         "groups:history"])
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == sorted(
        ["app_mention", "message.im", "message.channels"])
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/postings" and command["usage_hint"]
