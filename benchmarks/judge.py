"""Judging an answer (its JSON form) against a question's expectation: correct, wrong, not stated, missed."""

from __future__ import annotations

from typing import Any

CORRECT, WRONG, NOT_STATED, MISSED = "correct", "wrong", "not_stated", "missed"

_INTENT_FIELD = {"salary": "salary", "salary_text": "salary", "location": "location", "remote": "remote",
                 "work_type": "employment_type", "languages": "languages", "experience_years": "experience",
                 "degree": "degree"}


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= max(0.01, 0.005 * abs(float(b)))


def _salary_matches(sal: dict | None, expect: dict) -> bool:
    """Same figures and period; a floor ("from $75,000") matches an expectation of min == max."""
    if not sal or sal.get("period") != expect.get("period") or not _close(sal.get("min"), expect.get("min")):
        return False
    if sal.get("max") is None:
        return expect.get("max") == expect.get("min")
    return _close(sal.get("max"), expect.get("max"))


def rank_of(answer: dict[str, Any], job_id: str | None) -> int | None:
    """1-based position of the expected posting among the answer's postings, or None."""
    ids = [p["id"] for p in answer.get("postings", [])]
    return ids.index(job_id) + 1 if job_id in ids else None


def judge(question: dict[str, Any], answer: dict[str, Any]) -> str:
    """One of correct / wrong / not_stated / missed for a question and the bot's JSON answer."""
    intent = question["intent"]
    expect = question.get("expect") or {}
    postings = answer.get("postings", [])
    if intent == "aggregate":
        got = {p["id"] for p in postings}
        want = set(expect["job_ids"])
        if got == want and str(len(want)) in answer.get("answer", ""):
            return CORRECT
        return WRONG if got - want else MISSED
    if intent == "no_match":
        if answer.get("status") in ("no_match", "not_stated"):
            return CORRECT
        return WRONG if answer.get("status") == "answered" and postings else MISSED
    if not postings:
        return MISSED
    top = postings[0]
    if top["id"] != question["job_id"] or len(postings) > 1:
        # facts about another posting are wrong facts when they were stated
        return WRONG if answer.get("status") == "answered" and top["id"] != question["job_id"] else MISSED
    status = answer.get("status")
    if intent == "not_stated":
        field = {"experience_years": "min_years"}.get(expect["field"], expect["field"])
        if top.get(field) in (None, [], "") and status == "not_stated":
            return CORRECT
        return WRONG if top.get(field) not in (None, [], "") else MISSED
    if answer.get("intent") != _INTENT_FIELD.get(intent):
        return MISSED
    if status == "not_stated":
        return NOT_STATED
    if intent == "salary":
        return CORRECT if _salary_matches(top.get("salary"), expect) else WRONG
    if intent == "salary_text":
        ok = _salary_matches(top.get("salary_in_text"), expect) or _salary_matches(top.get("salary"), expect)
        return CORRECT if ok else WRONG
    if intent == "location":
        return CORRECT if top.get("location") == expect["location"] and expect["location"] in answer["answer"] else WRONG
    if intent == "remote":
        want = "remote" if expect["remote"] is True else expect["remote"]
        return CORRECT if top.get("remote") == want else WRONG
    if intent == "work_type":
        return CORRECT if top.get("employment_type") == expect["work_type"] else WRONG
    if intent == "languages":
        got = set(top.get("languages") or [])
        if got & set(expect.get("none_of", [])):
            return WRONG
        return CORRECT if set(expect.get("all_of", [])) <= got else MISSED
    if intent == "experience_years":
        return CORRECT if top.get("min_years") == expect["min_years"] else WRONG
    if intent == "degree":
        return CORRECT if top.get("degree") in expect["any_of"] else WRONG
    return MISSED
