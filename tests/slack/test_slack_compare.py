"""Comparisons in Slack end to end: signed requests in (slash command and mention), and postings side by side out
(one section field per posting per fact, within Slack's limits), through the real app and the fake Web API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.slack import blocks
from fake_slack import FakeSlack
from slack_harness import build_engine_on, running_app

COMPARE = "compare the Harbortide backend role and the Northwind platform role"
POSTINGS = {
    "harbortide.md": """---
id: harbortide-backend
title: Backend Engineer
company: Harbortide Data
location: Austin, TX
salary: $155,000 - $190,000 per year
remote: hybrid
---

## About the role
Design and operate ingestion services in Go and SQL.

## Requirements
- 5+ years of professional backend development experience.
- BS in Computer Science or equivalent experience.
""",
    "northwind.md": """---
id: northwind-platform
title: Platform Engineer
company: Northwind Cloud
location: Remote (US)
salary: $150,000 - $180,000 per year
remote: remote
---

## About the role
Run our Kubernetes platform and write its tooling in Go.

## Requirements
- 4+ years of experience in platform or infrastructure engineering.
""",
    "pingmoor.md": """---
id: pingmoor-ops
title: Ops Lead <!channel>
company: Pingmoor <@U123> Logistics
location: Anywhere <!here>
remote: remote
---

## About
Pingmoor runs logistics. <!everyone> click <https://evil.example|click> for details. Pay: DOE.
""",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    source = Path(tmp_path_factory.mktemp("compare-source"))
    for name, text in POSTINGS.items():
        (source / name).write_text(text, encoding="utf-8")
    return build_engine_on(tmp_path_factory.mktemp("compare-index"), [source])


@pytest.fixture
def fake():
    with FakeSlack() as server:
        yield server


def mention(text: str, ts: str, **extra) -> dict:
    return {"type": "app_mention", "user": "U1", "text": text, "ts": ts, "channel": "C1", "event_ts": ts, **extra}


def fact_sections(message: dict) -> dict[str, list[str]]:
    """'Pay' -> the text of each posting's field, from the sections that line the postings up."""
    out = {}
    for block in message["blocks"]:
        if block["type"] == "section" and "fields" in block and "text" in block:
            out[block["text"]["text"].split("*")[1]] = [f["text"] for f in block["fields"]]
    return out


def within_slack_limits(message: dict) -> None:
    assert len(message["blocks"]) <= blocks.MAX_BLOCKS
    for block in message["blocks"]:
        if "fields" in block:
            assert 1 <= len(block["fields"]) <= 10
            assert all(0 < len(f["text"]) <= 2000 and f["type"] == "mrkdwn" for f in block["fields"])
        if "text" in block:
            assert len(block["text"]["text"]) <= 3000


def test_slash_command_compare_answers_privately_with_one_column_per_posting(engine, fake):
    with running_app(engine, fake) as app:
        assert app.command(COMPARE).status == 200
        [reply] = fake.wait_for("response")
    body = reply.body
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Comparing 2 postings: Backend Engineer at Harbortide Data; "
                                   "Platform Engineer at Northwind Cloud.")
    within_slack_limits(body)
    heads = next(b for b in body["blocks"] if b["type"] == "section" and "fields" in b and "text" not in b)
    assert [f["text"] for f in heads["fields"]] == ["*Backend Engineer* — Harbortide Data",
                                                    "*Platform Engineer* — Northwind Cloud"]
    facts = fact_sections(body)
    assert list(facts)[:3] == ["Pay", "Place", "Remote"]  # the differences first
    assert facts["Pay"][0].startswith("*$155,000–$190,000 a year*\n> ")
    assert facts["Pay"][1].startswith("*$150,000–$180,000 a year*\n> ")
    assert facts["Degree"] == [facts["Degree"][0], "not stated"] and "Bachelor" in facts["Degree"][0]
    rendered = json.dumps(body["blocks"])
    assert "2 postings compared" in rendered and blocks.SHARE_ACTION in rendered


def test_a_mention_compare_is_answered_in_the_thread_and_it_means_the_posting_discussed(engine, fake):
    with running_app(engine, fake) as app:
        app.event(mention("<@UBOT> Harbortide backend vs Northwind platform", "3000.1"))
        [first] = fake.wait_for("chat.postMessage")
        app.event(mention("<@UBOT> what does the Harbortide backend role pay?", "3000.2"))
        fake.wait_for("chat.postMessage", count=2)
        app.event({"type": "message", "user": "U1", "text": "compare it with the Northwind platform role",
                   "ts": "3000.3", "thread_ts": "3000.2", "channel": "C1", "channel_type": "channel",
                   "event_ts": "3000.3"})
        posts = fake.wait_for("chat.postMessage", count=3)
    assert first.body["thread_ts"] == "3000.1"
    within_slack_limits(first.body)
    assert first.body["text"].startswith("Comparing 2 postings: Backend Engineer at Harbortide Data;")
    assert len(fact_sections(first.body)["Pay"]) == 2
    follow_up = next(p for p in posts if p.body.get("thread_ts") == "3000.2" and "Comparing" in p.body["text"])
    assert follow_up.body["text"].startswith("Comparing 2 postings: Backend Engineer at Harbortide Data; "
                                             "Platform Engineer at Northwind Cloud.")


def test_a_side_that_names_no_posting_gets_couldnt_tell_and_no_columns(engine, fake):
    with running_app(engine, fake) as app:
        app.command("compare the Harbortide backend role and the Zephyrine robotics role")
        [reply] = fake.wait_for("response")
    assert "I couldn't tell which posting you mean by “the Zephyrine robotics role”" in reply.body["text"]
    assert fact_sections(reply.body) == {}


def test_a_compared_posting_that_tries_to_ping_everyone_reaches_slack_escaped(engine, fake):
    with running_app(engine, fake) as app:
        app.command("compare the Harbortide backend role and the Pingmoor ops lead role")
        [reply] = fake.wait_for("response")
    rendered = json.dumps(reply.body, ensure_ascii=False)
    assert "Comparing 2 postings" in reply.body["text"]
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil.example|click>"):
        assert raw not in rendered
    assert "Ops Lead &lt;!channel&gt;" in rendered
    pay = fact_sections(reply.body)["Pay"][1]
    assert pay.startswith("Doesn't give a figure I can read, but says:\n> ") and "DOE" in pay


def test_three_or_four_postings_label_each_field_with_its_company():
    from bot.compare import compare_postings
    from index.models import Posting

    postings = [Posting(id=f"p{i}", title=f"Engineer {i}", company=f"Company {i} <!here>", text="") for i in range(4)]
    comparison = compare_postings(postings, [None] * 4, lambda _q, _fact, _p: None)
    built = blocks.comparison_blocks(comparison)
    pay = next(b for b in built if b.get("text", {}).get("text", "").startswith("*Pay*"))
    assert [f["text"] for f in pay["fields"]] == [f"_Company {i} &lt;!here&gt;_\nnot stated" for i in range(4)]
    assert built[0]["fields"][3]["text"] == "*Engineer 3* — Company 3 &lt;!here&gt;"
