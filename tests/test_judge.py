"""The benchmark judge reads the answer text as a user would: a count, including none."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import judge  # noqa: E402


def _answer(text, ids=()):
    return {"answer": text, "postings": [{"id": i} for i in ids], "status": "answered" if ids else "no_match"}


def test_an_empty_expected_list_is_met_by_an_answer_that_says_no_postings_match():
    question = {"intent": "filter", "expect": {"job_ids": []}}
    assert judge.judge(question, _answer("No postings match (full-time, in IL).")) == judge.CORRECT


def test_a_list_must_say_its_count_in_the_text():
    question = {"intent": "filter", "expect": {"job_ids": ["a", "b"]}}
    assert judge.judge(question, _answer("2 postings match (remote):", ["a", "b"])) == judge.CORRECT
    assert judge.judge(question, _answer("These postings match:", ["a", "b"])) != judge.CORRECT


def test_a_posting_outside_both_readings_makes_a_list_wrong():
    question = {"intent": "filter", "expect": {"job_ids": ["a", "b"], "alt_job_ids": ["a"]}}
    assert judge.judge(question, _answer("1 posting matches:", ["a"])) == judge.CORRECT
    assert judge.judge(question, _answer("2 postings match:", ["a", "c"])) == judge.WRONG


def test_the_results_file_names_a_missed_question_by_its_row_never_by_its_text():
    import eval_answers

    results = {"date": "d", "sets": {"made-up": {"full": {"per_intent": {}, "misses": [
        {"intent": "salary", "row": 7, "question": "what does the Quillmere welder role pay?", "outcome": "missed"}]}}}}
    written = eval_answers.without_question_texts(results)
    assert written["sets"]["made-up"]["full"]["misses"] == [{"intent": "salary", "row": 7, "outcome": "missed"}]
    assert results["sets"]["made-up"]["full"]["misses"][0]["question"]  # --show-misses still prints it
