"""Answer composition (pure): the fact first, the posting named, the supporting sentence quoted."""

from __future__ import annotations

from typing import Sequence

from bot.answer import (
    ANSWERED, EMPTY, NO_MATCH, NOT_STATED, QUOTED, Answer, EvidenceItem, ListEvidence, format_money, format_salary,
)
from bot.places import city_with_region, well_known_city
from bot.question import Filters, Query
from index.models import Posting

DEGREE_WORDS = {
    "HighSchool": "a high school diploma (or GED)", "Associate": "an Associate degree", "Bachelor": "a Bachelor's degree",
    "Master": "a Master's degree", "PhD": "a PhD",
}
NOT_STATED_WORDS = {
    "salary": "a salary", "languages": "any programming languages", "experience": "a number of years of experience",
    "degree": "a degree requirement", "remote": "whether the role is remote, hybrid or on-site",
    "employment_type": "whether the role is full-time, part-time or contract", "location": "a location",
}
# When no value could be read but a sentence speaks of the fact: what could not be read.
UNREAD_WORDS = {
    "salary": "doesn't give a figure I can read", "experience": "doesn't give a number of years I can read",
    "degree": "doesn't name a degree I can read",
    "remote": "doesn't say plainly whether the role is remote, hybrid or on-site",
    "employment_type": "doesn't say plainly whether the role is full-time, part-time or contract",
    "location": "has no location field", "languages": "names no programming language I recognise",
}
EXAMPLES = (
    "what does the <company> backend role pay?",
    "which roles want Go?",
    "remote roles over $150k?",
    "how many years of experience does the data engineer job need?",
)


def label(posting: Posting) -> str:
    """'Senior Backend Engineer at Northwind Analytics'."""
    return f"{posting.title} at {posting.company}" if posting.company else posting.title


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _fact_for(intent: str, posting: Posting) -> tuple[str | None, list[EvidenceItem]]:
    """The stated value of one fact for one posting, as words, with its evidence; None when not stated."""
    f = posting.facts
    pid = posting.id
    if intent == "salary":
        if not f.salary:
            return None, []
        text = format_salary(f.salary.value)
        evidence = [EvidenceItem(pid, f.salary.evidence, f.salary.origin)]
        if f.salary_text and format_salary(f.salary_text.value) != text:
            text_figure = format_salary(f.salary_text.value)
            text = f"{text_figure} according to the posting's text ({text} in the listing's salary fields)"
            evidence = [EvidenceItem(pid, f.salary_text.evidence, "text")] + evidence
        if f.salary_other_periods:  # "£29,411–£33,779 a year" and, in other words, "£14/hr to £16/hr"
            text += "; it also states " + " and ".join(format_salary(o.value) for o in f.salary_other_periods)
            evidence += [EvidenceItem(pid, o.evidence, o.origin) for o in f.salary_other_periods]
        return text, evidence
    if intent == "languages":
        if not f.languages:
            return None, []
        names = [lang.value for lang in f.languages]
        seen: list[str] = []
        evidence = []
        for lang in f.languages:
            if lang.evidence not in seen:
                seen.append(lang.evidence)
                evidence.append(EvidenceItem(pid, lang.evidence, lang.origin))
        return join_words(names), evidence[:3]
    if intent == "experience":
        if not f.min_years:
            return None, []
        years = int(f.min_years.value)
        return f"at least {years} year{'s' if years != 1 else ''} of experience", [
            EvidenceItem(pid, f.min_years.evidence, f.min_years.origin)]
    if intent == "degree":
        if not f.degree:
            return None, []
        return DEGREE_WORDS.get(f.degree.value, f.degree.value), [EvidenceItem(pid, f.degree.evidence, f.degree.origin)]
    if intent == "remote":
        if not f.remote:
            return None, []
        words = {"remote": "remote", "hybrid": "hybrid", "on-site": "on-site"}[f.remote.value]
        return words, [EvidenceItem(pid, f.remote.evidence, f.remote.origin)]
    if intent == "employment_type":
        if not f.employment_type:
            return None, []
        return f.employment_type.value, [EvidenceItem(pid, f.employment_type.evidence, f.employment_type.origin)]
    if intent == "location":
        if not posting.location:
            return None, []
        value = posting.location
        evidence = [EvidenceItem(pid, f.location.evidence if f.location else f"Location: {value}", "column")]
        notes = [f.remote.value] if f.remote and f.remote.value in ("remote", "hybrid", "on-site") else []
        city = well_known_city(posting.location) if "," not in posting.location else None
        if city is not None:  # "San Francisco": a reader knows which; the answer says it is read so
            notes.append(f"the posting names the city only: {city_with_region(city)}")
        if f.location_text:  # the listing's field and the posting's own "Location:" line disagree: show both
            notes.append(f"the listing's field; the posting's text says {f.location_text.value}")
            evidence = [EvidenceItem(pid, f.location_text.evidence, "text")] + evidence
        return value + (f" ({'; '.join(notes)})" if notes else ""), evidence
    return None, []


def fact_for(intent: str, posting: Posting) -> tuple[str | None, list[EvidenceItem]]:
    """The stated value of one fact for one posting, as words, with its evidence; None when not stated."""
    return _fact_for(intent, posting)


def _sentence_for(intent: str, value: str, posting: Posting, query: Query | None = None) -> str:
    name = label(posting)
    asked = query.filters if query is not None else Filters()
    if intent == "remote":
        if asked.remote and asked.remote != "remote" and value != asked.remote:
            # "is the X role hybrid?" / "is it on-site?": answer the mode asked about, then what it is
            return f"No, it is {value}, not {asked.remote} — {name}."
        if asked.remote and asked.remote != "remote" and value == asked.remote:
            return f"Yes, it is {value} — {name}."
        lead = {"remote": "Yes, it is remote", "hybrid": "It is hybrid (partly remote, not fully remote)",
                "on-site": "No, it is on-site, not remote"}[value]
        return f"{lead} — {name}."
    if intent == "salary" and asked.pay_period and posting.facts.salary:
        # "does X pay hourly?": yes or no first, then the figure as stated
        period = posting.facts.salary.value.period
        yes = "Yes" if period == asked.pay_period else f"No, it is paid {period}"
        return f"{yes}: {value} — {name}."
    if intent == "employment_type" and asked.work_type and value != asked.work_type:
        return f"No, it is {value}, not {asked.work_type.lower()} — {name}."
    if intent == "employment_type" and asked.work_type:
        return f"Yes, it is {value} — {name}."
    return f"{value[0].upper()}{value[1:]} — {name}."


def fact_answer(query: Query, intent: str, postings: Sequence[Posting],
                quotes: dict[str, str] | None = None) -> Answer:
    """Answer one fact about one or more named postings.

    Where a posting has no value for the fact: when `quotes` holds a sentence of that posting that speaks
    of it, the sentence is quoted ("doesn't give a figure I can read, but says: …"); only otherwise
    "does not state".
    """
    lines: list[str] = []
    evidence: list[EvidenceItem] = []
    stated = quoted = 0
    quotes = quotes or {}
    for posting in postings:
        value, items = _fact_for(intent, posting)
        if value is None and quotes.get(posting.id):
            quoted += 1
            quote = quotes[posting.id]
            lines.append(f"The posting {UNREAD_WORDS.get(intent, 'gives no value I can read')}, but says: "
                         f"“{quote}” — {label(posting)}.")
            evidence.append(EvidenceItem(posting.id, quote, "text"))
        elif value is None:
            lines.append(f"The posting does not state {NOT_STATED_WORDS[intent]} — {label(posting)}.")
        else:
            stated += 1
            lines.append(_sentence_for(intent, value, posting, query))
            evidence.extend(e for e in items if e.text)
    if len(postings) > 1:
        lines.insert(0, f"{len(postings)} postings match:")
    status = ANSWERED if stated else QUOTED if quoted else NOT_STATED
    return Answer(
        question=query.text, intent=intent, status=status,
        text="\n".join(lines), postings=list(postings), evidence=evidence, total=len(postings),
    )


def _per(value: float, period: str | None, currency: str | None = None) -> str:
    """A yearly filter figure in the period and currency the question used: '$30 an hour', '€60,000 a year'."""
    from index.models import PERIOD_TO_YEAR
    from bot.answer import PERIOD_WORDS

    currency = currency or "USD"
    if period and period != "yearly" and period in PERIOD_TO_YEAR:
        return f"{format_money(round(value / PERIOD_TO_YEAR[period], 2), currency)} {PERIOD_WORDS[period]}"
    return f"{format_money(value, currency)} a year"


def describe_filters(filters: Filters) -> str:
    """'remote, Contract, in TX, salary topping out above $150,000 a year' for a list answer."""
    parts: list[str] = []
    if filters.remote:
        parts.append(filters.remote)
    if filters.work_type:
        parts.append(filters.work_type.lower())
    if filters.languages:
        parts.append("wanting " + join_words(filters.languages))
    from bot.question import place_label

    places = [place_label(p) for p in filters.places] or filters.states + [c.title() for c in filters.cities]
    if places:
        parts.append("in " + " or ".join(places))
    if filters.salary_over is not None:
        parts.append(f"pay topping out above {_per(filters.salary_over, filters.pay_period, filters.currency)}")
    if filters.salary_floor is not None:
        parts.append(f"pay starting at {_per(filters.salary_floor, filters.pay_period, filters.currency)} or more")
    if filters.salary_under is not None:
        parts.append(f"pay starting below {_per(filters.salary_under, filters.pay_period, filters.currency)}")
    if filters.salary_top_under is not None:
        parts.append(f"pay topping out below {_per(filters.salary_top_under, filters.pay_period, filters.currency)}")
    if filters.pay_period:
        parts.append(f"{filters.pay_period} pay stated")
    if filters.has_salary:
        parts.append("a salary stated")
    if filters.salary_range:
        parts.append("a pay range stated")
    if filters.no_salary:
        parts.append("no pay stated")
    if filters.outside_us:
        parts.append("outside the United States")
    if filters.max_years is not None:
        years = filters.max_years
        parts.append(f"asking {years} year{'' if years == 1 else 's'} of experience or less")
    if filters.no_degree:
        parts.append("no degree required")
    parts.extend(filters.describe_more())
    return ", ".join(parts)


def list_answer(query: Query, postings: Sequence[Posting], company: str | None = None, subject: str = "",
                in_text: bool = False, related: Sequence[Posting] = ()) -> Answer:
    """Every posting that matches a list question, with an exact count."""
    what = describe_filters(query.filters)
    if subject:
        what = ", ".join(x for x in (f"{'mentioning' if in_text else 'titled'} “{subject}”", what) if x)
    scope = f" at {company}" if company else ""
    count = len(postings)
    noun = "posting" if count == 1 else "postings"
    if count == 0:
        text = f"No postings{scope} match ({what})." if what else f"No postings{scope} match."
        status = NO_MATCH
    else:
        text = f"{count} {noun}{scope} {'matches' if count == 1 else 'match'}" + (f" ({what})" if what else "") + ":"
        status = ANSWERED
    if query.filters.salary_over is not None or query.filters.salary_floor is not None or query.filters.pay_period:
        text += " (hourly and monthly pay compared as 2,080 hours or 12 months a year)" if not query.filters.pay_period else ""
    if related:
        names = "; ".join(label(p) for p in related[:5]) + ("; …" if len(related) > 5 else "")
        text += (f"\n{len(related)} more match only by what their text says (their listing fields do not): "
                 f"{names}.")
        if count == 0:
            status = ANSWERED
    detail, period = _list_detail_intent(query), query.filters.pay_period

    def items_for(posting: Posting) -> list[EvidenceItem]:
        """A listed posting's evidence: the sentence of the fact the question filtered on, if any."""
        other = [f for f in posting.facts.salary_other_periods if f.value.period == period]
        if detail == "salary" and other and posting.facts.salary and posting.facts.salary.value.period != period:
            return [EvidenceItem(posting.id, other[0].evidence, other[0].origin)]  # the pay of the period asked
        return _fact_for(detail, posting)[1][:1] if detail else []

    evidence = ListEvidence((postings, related), items_for)
    return Answer(
        question=query.text, intent="list", status=status, text=text, postings=postings,
        evidence=evidence, total=count, is_list=True, filters=query.filters.as_dict(), related=related,
    )


def _list_detail_intent(query: Query) -> str | None:
    f = query.filters
    if (f.salary_over is not None or f.salary_floor is not None or f.salary_under is not None
            or f.salary_top_under is not None or f.pay_period or f.has_salary):
        return "salary"
    if f.languages:
        return "languages"
    if f.remote:
        return "remote"
    if f.max_years is not None:
        return "experience"
    if f.work_type:
        return "employment_type"
    if f.states or f.cities:
        return "location"
    return None


def passages_answer(query: Query, postings: Sequence[Posting], quotes: dict[str, list[str]], lead: str) -> Answer:
    """A general question: the best-matching postings with their most relevant sentences."""
    evidence = [EvidenceItem(p.id, q) for p in postings for q in quotes.get(p.id, [])]
    lines = [lead] + [f"{label(p)}: “{quotes[p.id][0]}”" for p in postings if quotes.get(p.id)]
    return Answer(
        question=query.text, intent="general", status=ANSWERED, text="\n".join(lines),
        postings=list(postings), evidence=evidence, total=len(postings),
    )


def which_posting_answer(query: Query, candidates: Sequence[Posting]) -> Answer:
    """No single posting was named: state no fact, name the closest postings to ask about."""
    what = NOT_STATED_WORDS.get(query.intent, "that").replace("a ", "the ", 1)
    names = "; ".join(f"{label(p)}" + (f" ({p.location})" if p.location else "") for p in candidates)
    text = (f"I couldn't tell which posting you mean, so I won't guess {what}. "
            f"Name the company or the role — the closest matches are: {names}.")
    return Answer(question=query.text, intent=query.intent, status=NO_MATCH, text=text, postings=list(candidates),
                  total=len(candidates), filters=query.filters.as_dict())


def no_match_answer(query: Query, reason: str) -> Answer:
    """Nothing matches: say so and why."""
    return Answer(question=query.text, intent=query.intent, status=NO_MATCH, text=reason, filters=query.filters.as_dict())


def empty_answer(question: str = "") -> Answer:
    """An empty question: say how to ask."""
    text = "Ask me about the job postings, for example: " + "; ".join(f"“{e}”" for e in EXAMPLES)
    return Answer(question=question, intent="general", status=EMPTY, text=text)
