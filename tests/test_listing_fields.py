"""Which of a posting's facts a list answer counts: a listing's own fields, or what a page or comment says."""

from __future__ import annotations

import json

from bot.answer import answer_to_json
from bot.catalog import from_listing
from index.extract import extract_facts
from index.loaders import load_postings

from catalogs import answerer_over


def _answerer(folder):
    postings = load_postings([folder]).postings
    for p in postings:
        p.facts = extract_facts(p)
    return answerer_over(postings)


def _write_sources(folder):
    comments = [
        {"id": 901, "by": "someone", "text": "Quillfeather | Data Engineer | Lisbon, Portugal | ONSITE | €70k - €85k"
                                             "<p>We move data for small lenders. Python and SQL daily.</p>"},
        {"id": 902, "by": "another", "text": "Brambleworks | Support Lead | REMOTE (EU)"
                                             "<p>Help our customers. The salary is €60,000 - €72,000 a year.</p>"},
    ]
    (folder / "forum.json").write_text(json.dumps({"jobs": comments}))
    (folder / "board.csv").write_text(
        "job_id,title,company_name,location,description,min_salary,max_salary,pay_period,currency\n"
        "c1,Accountant,Lindenhall,\"Porto, Portugal\",Close the books monthly.,65000,80000,YEARLY,EUR\n"
        "c2,Auditor,Lindenhall,\"Porto, Portugal\",Audit suppliers. Pay: €66,000 - €79,000 per year.,,,,\n")


def test_a_forum_comment_is_judged_on_its_text_and_a_board_row_on_its_fields(tmp_path):
    _write_sources(tmp_path)
    answerer = _answerer(tmp_path)
    by_id = {p.id: p for p in answerer.catalog.postings}
    assert not from_listing(by_id["901"]) and not from_listing(by_id["902"])
    assert from_listing(by_id["c1"]) and from_listing(by_id["c2"])

    answer = answer_to_json(answerer.ask("which roles pay over €50k?"))
    listed = {p["id"] for p in answer["postings"]}
    related = {p["id"] for p in answer["related_postings"]}
    # both comments state pay in their own words: both count; the board row without pay fields is named apart
    assert listed == {"901", "902", "c1"}
    assert related == {"c2"}
    assert "3 postings" in answer["answer"]


def test_text_pay_fills_a_listing_that_names_the_period_but_leaves_the_figure_blank(tmp_path):
    (tmp_path / "board.csv").write_text(
        "id,title,company,location,description,interval,min_amount,max_amount,currency\n"
        "r1,Packer,Ostrander Goods,\"Reno, NV\",Pack orders. Pay: $18.50/hour.,hourly,,,USD\n"
        "r2,Picker,Ostrander Goods,\"Reno, NV\",Pick orders. Pay: $38000 per year.,hourly,,,USD\n"
        "r3,Loader,Ostrander Goods,\"Reno, NV\",Load trucks.,hourly,17,19,USD\n"
        "r4,Driver,Ostrander Goods,\"Reno, NV\",Drive. Pay: $21/hour.,,,,\n")
    answer = answer_to_json(_answerer(tmp_path).ask("which jobs pay by the hour?"))
    # r1's text completes its listing (same period); r2's text contradicts it; r4's listing has no pay field
    assert {p["id"] for p in answer["postings"]} == {"r1", "r3"}
    assert {p["id"] for p in answer["related_postings"]} == {"r4"}
