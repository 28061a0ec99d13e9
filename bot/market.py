"""The market in numbers (pure): pay figures and counts over the postings a question's filters match.

Pay: per currency and period, the median, the middle half (25th-75th percentile) and the lowest-highest over the
postings that state pay, each posting counted at the middle of its stated range. Periods are never mixed, except
that hourly pay is counted as 2,080 hours a year beside yearly pay of the same currency, or when yearly pay is
asked for (and the answer says so); hourly pay with no yearly pay beside it stays hourly; daily, weekly and
monthly pay keep their own figures. A period or currency the question asks for ("per hour", "a month", "in
euros") keeps only the figures in that unit, and the answer says how many matching postings state pay otherwise. Counts: the postings per value of one facet (languages, states, cities,
countries, work types, remote). Every answer says how many postings its figures rest on, and the postings behind
them are one question away ("postings behind: …", the Slack "Show postings" button).

Values are read from the catalog's listing arrays (a job board export is judged on its own fields), as list
answers count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Sequence

import numpy as np

from bot import compose
from bot.answer import ANSWERED, NO_MATCH, NOT_STATED, Answer, EvidenceItem, format_money
from bot.catalog import _PERIOD_CODE, _REMOTE_CODE, Catalog
from bot.chart import BARS, HISTOGRAM, ChartSpec
from bot.query import market_words as kinds
from bot.question import Query
from index.models import HOURS_PER_YEAR, PERIOD_TO_YEAR, Posting

PERIOD_NAMES = {code: name for name, code in _PERIOD_CODE.items() if name}
REMOTE_NAMES = {code: name for name, code in _REMOTE_CODE.items() if name}
PER = {"hourly": "an hour", "daily": "a day", "weekly": "a week", "monthly": "a month", "yearly": "a year"}
TOP = 15  # values named in a count answer and drawn in its chart
GROUPS_SHOWN = 4  # currency/period groups of pay described


@dataclass
class PayGroup:
    """The postings of one currency and period (yearly includes hourly pay x 2,080) and their figures."""

    currency: str
    period: str
    rows: np.ndarray  # posting indexes
    mids: np.ndarray  # each posting's figure: the middle of its range (or its one figure), in `period`
    lows: np.ndarray  # the bottom of each range
    highs: np.ndarray  # the top of each range
    from_hourly: int = 0  # postings paid hourly, counted here as 2,080 hours a year

    @property
    def count(self) -> int:
        return len(self.rows)

    def quartiles(self) -> tuple[float, float, float]:
        """(25th percentile, median, 75th percentile) of the figures (linear interpolation, as numpy's default)."""
        q1, median, q3 = np.percentile(self.mids, [25, 50, 75])
        return float(q1), float(median), float(q3)

    def to_dict(self) -> dict[str, Any]:
        q1, median, q3 = self.quartiles()
        return {"currency": self.currency, "period": self.period, "postings": self.count, "median": median,
                "p25": q1, "p75": q3, "lowest": float(self.lows.min()), "highest": float(self.highs.max()),
                "from_hourly": self.from_hourly}


@dataclass
class PayStats:
    """The pay of the matching postings, by currency and period, largest group first."""

    matched: int
    groups: list[PayGroup]
    no_pay: int  # matched postings that state no pay (in the fields they are judged on)
    text_only: int = 0  # of those, postings whose text gives a figure their listing's pay fields leave out
    other: list[tuple[str, str, int]] = field(default_factory=list)  # (currency, period, postings) not asked for
    other_rows: list[int] = field(default_factory=list)  # the postings paid in a unit not asked for
    period: str | None = None  # the period asked for
    currency: str | None = None  # the currency asked for

    @property
    def stated(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def other_count(self) -> int:
        return sum(n for _c, _p, n in self.other)


@dataclass
class Counts:
    """How many matching postings have each value of one facet, most first."""

    facet: str
    matched: int
    items: list[tuple[str, int]]
    without: int  # matched postings with no value for the facet


@dataclass
class MarketAnswer(Answer):
    """An Answer with figures over many postings, and the chart that draws them."""

    chart: ChartSpec | None = None
    figures: dict[str, Any] = field(default_factory=dict)


def pay_stats(catalog: Catalog, rows: Sequence[int], period: str | None = None,
              currency: str | None = None) -> PayStats:
    """Pay figures of the postings `rows`, grouped by currency and period.

    Hourly pay joins yearly pay as 2,080 hours a year when yearly pay of its currency is beside it or `period` is
    "yearly"; otherwise it stays hourly. With `period` or `currency` (the unit the question asks for), only pay
    in that unit is summed up; the rest is counted in `other`.
    """
    v = catalog.listed
    rows = np.asarray(rows, dtype=int)
    paid = rows[~np.isnan(v.salary_max_y[rows])] if len(rows) else rows
    unpaid = np.setdiff1d(rows, paid)
    text_only = int((~np.isnan(catalog.stated.salary_max_y[unpaid])).sum()) if len(unpaid) else 0
    units = [(str(v.currency[i] or "USD"), PERIOD_NAMES.get(int(v.period[i]), "yearly")) for i in paid]
    with_yearly = {cur for cur, own in units if own == "yearly"}
    keys: dict[tuple[str, str], list[int]] = {}
    hourly: dict[tuple[str, str], int] = {}
    other: dict[tuple[str, str], int] = {}
    other_rows: list[int] = []
    for i, (cur, own) in zip(paid, units):
        joins = own == "hourly" and (period == "yearly" or (period is None and cur in with_yearly))
        shown = "yearly" if joins else own
        if (currency and cur != currency) or (period and shown != period):
            other[(cur, own)] = other.get((cur, own), 0) + 1
            other_rows.append(int(i))
            continue
        key = (cur, shown)
        keys.setdefault(key, []).append(int(i))
        hourly[key] = hourly.get(key, 0) + joins
    groups = []
    for (cur, shown), members in keys.items():
        idx = np.array(members, dtype=int)
        factor = PERIOD_TO_YEAR.get(shown, 1)  # the arrays are yearly; back to the period shown
        lows, highs = v.salary_min_y[idx] / factor, v.salary_max_y[idx] / factor
        groups.append(PayGroup(cur, shown, idx, (lows + highs) / 2, lows, highs, hourly[(cur, shown)]))
    groups.sort(key=lambda g: (-g.count, g.currency != "USD", g.period != "yearly", g.currency, g.period))
    others = sorted(((c, p, n) for (c, p), n in other.items()), key=lambda x: (-x[2], x[0] != "USD", x[0], x[1]))
    return PayStats(len(rows), groups, len(unpaid), text_only, others, other_rows, period, currency)


def count_values(catalog: Catalog, rows: Sequence[int], facet: str) -> Counts:
    """How many of the postings `rows` have each value of `facet` (one of market_words' count kinds)."""
    rows = np.asarray(rows, dtype=int)
    tally: dict[str, int] = {}
    has = np.zeros(len(catalog.postings), dtype=bool)
    if facet == kinds.LANGUAGES:
        for name, mask in catalog.languages.items():
            n = int(mask[rows].sum())
            if n:
                tally[name] = n
            has |= mask
    else:
        values = _facet_values(catalog, facet)
        for i in rows:
            value = values[i]
            if value:
                tally[str(value)] = tally.get(str(value), 0) + 1
                has[i] = True
    items = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    return Counts(facet, len(rows), items, int((~has[rows]).sum()) if len(rows) else 0)


def _facet_values(catalog: Catalog, facet: str) -> Sequence[Any]:
    if facet == kinds.STATES:
        return catalog.state_str
    if facet == kinds.CITIES:
        return [w.city.title() if w.city else None for w in catalog.where]
    if facet == kinds.COUNTRIES:
        return catalog.country
    if facet == kinds.WORK_TYPES:
        return catalog.listed.work_type
    if facet == kinds.REMOTE:
        return [REMOTE_NAMES.get(int(code)) for code in catalog.listed.remote]
    raise ValueError(f"unknown facet {facet!r}")


# ------------------------------------------------------------------------------------------------
# answers

COUNT_TITLES = {
    kinds.LANGUAGES: "Languages asked for", kinds.STATES: "Postings per state", kinds.CITIES: "Postings per city",
    kinds.COUNTRIES: "Postings per country", kinds.WORK_TYPES: "Postings per work type",
    kinds.REMOTE: "Postings by remote, hybrid or on-site",
}
WITHOUT_WORDS = {  # (one posting, several)
    kinds.LANGUAGES: ("names no programming language", "name no programming language"),
    kinds.STATES: ("is not placed in a US state", "are not placed in a US state"),
    kinds.CITIES: ("names no city", "name no city"), kinds.COUNTRIES: ("names no country", "name no country"),
    kinds.WORK_TYPES: ("states no work type", "state no work type"),
    kinds.REMOTE: ("doesn't say whether it is remote, hybrid or on-site",
                   "don't say whether they are remote, hybrid or on-site"),
}
EVIDENCE_INTENT = {
    kinds.PAY: "salary", kinds.LANGUAGES: "languages", kinds.STATES: "location", kinds.CITIES: "location",
    kinds.COUNTRIES: "location", kinds.WORK_TYPES: "employment_type", kinds.REMOTE: "remote",
}


def matching_rows(catalog: Catalog, namer: Any, query: Query, company_rows: Sequence[int] | None = None
                  ) -> tuple[np.ndarray, str]:
    """(rows, subject): the postings a market question is about, by its filters, its role words (as titled)
    and the company it names."""
    mask = catalog.filter_mask(query.filters)
    if company_rows is not None:
        allowed = np.zeros(len(catalog.postings), dtype=bool)
        allowed[list(company_rows)] = True
        mask &= allowed
    exclude = catalog.mentions.company_tokens[company_rows[0]] if company_rows else ()
    return namer.titled(query, np.flatnonzero(mask), exclude)


def market_answer(catalog: Catalog, namer: Any, query: Query, named: Sequence[int] = (),
                  behind: bool = False) -> Answer | None:
    """The figures a market question asks for (or, with `behind`, the postings behind them).

    `named` are the postings the question names (bot.naming.Namer.named_postings): a company named narrows the
    figures to its postings. None when the question is about one posting: the company named has one posting, or
    the company and a title name one posting and the question speaks of no role as one of many ("Acme welder
    pay", never "what do Acme's welders make?").
    """
    company_rows = None
    if len(named) and namer.company_named(query, named[0]):
        company_rows = catalog.mentions.same_company(named[0])
        if len(company_rows) == 1 or (len(named) == 1 and not kinds.speaks_of_many(query.text)):
            return None
    elif len(named) == 1 and namer.company_words_named(query, named[0]) and not kinds.speaks_of_many(query.text):
        return None  # "night porter at Qelmoor - pay?" names the one posting of "Qelmoor Inns Ltd" by part of its company
    period = currency = None
    if query.market == kinds.PAY:
        query, period, currency = _pay_unit(query)
    rows, subject = matching_rows(catalog, namer, query, company_rows)
    if query.market == kinds.PAY and len(rows) == 1 and not behind:
        return None  # the one posting that matches: its own answer, cited, says more than a figure over one
    company = catalog.postings[company_rows[0]].company if company_rows else None
    what = _scope(query, subject, company)
    if query.market == kinds.PAY:
        stats = pay_stats(catalog, rows, period, currency)
        if behind:
            paid = [int(r) for g in stats.groups for r in g.rows]
            done = set(paid) | set(stats.other_rows)
            unpaid = [catalog.postings[i] for i in rows if i not in done]
            notes = [f"then the {len(stats.other_rows)} paid per another period or currency"] if stats.other_rows \
                else []
            notes += [f"then the {len(unpaid)} that state no pay"] if unpaid else []
            return _behind(query, _by_pay(catalog, paid) + _by_pay(catalog, stats.other_rows) + unpaid, what,
                           "the pay figures", ", ".join(notes))
        return _pay_answer(query, stats, what)
    counts = count_values(catalog, rows, query.market or kinds.LANGUAGES)
    if behind:
        return _behind(query, [catalog.postings[i] for i in rows], what, "the counts", "")
    return _count_answer(query, counts, what)


def _pay_unit(query: Query) -> tuple[Query, str | None, str | None]:
    """(query, period, currency): the unit a pay question asks its figures in, taken out of its filters (the
    postings paid otherwise still match, and are counted as such); a pay bound ("over $50 an hour") keeps its
    unit as a filter, as list answers read it."""
    f = query.filters
    period, currency, _spans = kinds.asked_unit(query.text)
    period, currency = f.pay_period or period, f.currency or currency
    bounded = any(x is not None for x in (f.salary_over, f.salary_floor, f.salary_under, f.salary_top_under))
    if bounded:
        return query, period, currency
    return replace(query, filters=replace(f, pay_period=None, currency=None)), period, currency


def _n(count: int, what: str) -> str:
    """'3 postings (titled “nurse”)', '1 posting (titled “nurse”)'."""
    return f"{count} {_one(what) if count == 1 else what}"


def _one(what: str) -> str:
    return what.replace("postings", "posting", 1)


def _unit_words(currency: str | None, period: str | None) -> str:
    """' in EUR a year', ' an hour', '' — the unit asked for, after 'pay'."""
    return "".join([f" in {currency}" if currency else "", f" {PER.get(period, period)}" if period else ""])


def _scope(query: Query, subject: str, company: str | None) -> str:
    """'postings titled “data engineer”, in NY at Northwind' — the words of a list answer."""
    what = compose.describe_filters(query.filters)
    if subject:
        what = ", ".join(x for x in (f"titled “{subject}”", what) if x)
    scope = "postings" + (f" at {company}" if company else "")
    return f"{scope} ({what})" if what else scope


def _money(amount: float, currency: str) -> str:
    return format_money(round(amount, 2) if amount < 1000 else round(amount), currency)


def _group_line(group: PayGroup) -> str:
    q1, median, q3 = group.quartiles()
    per = PER.get(group.period, group.period)
    noun = "posting" if group.count == 1 else "postings"
    head = f"{group.currency} {per}, over {group.count} {noun}"
    if group.from_hourly:
        head += f" ({group.from_hourly} paid hourly, counted as {HOURS_PER_YEAR:,} hours a year)"
    c = group.currency
    if group.count == 1:
        return f"• {head}: {_money(median, c)} (its range {_money(group.lows.min(), c)}–{_money(group.highs.max(), c)})"
    return (f"• {head}: median {_money(median, c)}; middle half {_money(q1, c)}–{_money(q3, c)}; "
            f"lowest–highest {_money(group.lows.min(), c)}–{_money(group.highs.max(), c)}")


def _pay_answer(query: Query, stats: PayStats, what: str) -> MarketAnswer:
    figures: dict[str, Any] = {"kind": kinds.PAY, "matched": stats.matched, "stated": stats.stated,
                               "no_pay": stats.no_pay, "groups": [g.to_dict() for g in stats.groups],
                               "other_unit": stats.other_count, "asked_period": stats.period,
                               "asked_currency": stats.currency,
                               "other": [{"currency": c, "period": p, "postings": n} for c, p, n in stats.other]}
    unit = _unit_words(stats.currency, stats.period)
    if stats.matched == 0:
        return _market(query, NO_MATCH, f"No {what} match, so there is no pay to sum up.", figures, total=0)
    if not stats.groups and stats.other:
        said = [f"{n} {_verb(n)} pay in {c} {PER.get(p, p)}" for c, p, n in stats.other[:GROUPS_SHOWN]]
        if stats.no_pay:
            said.append(f"{stats.no_pay} {_verb(stats.no_pay)} none")
        if stats.matched == 1:
            c, p, _n1 = stats.other[0]
            text = f"The one matching {_one(what)} doesn't state pay{unit}: it states pay in {c} {PER.get(p, p)}."
        else:
            text = f"None of the {stats.matched} matching {what} state pay{unit}: {'; '.join(said)}."
        return _market(query, NOT_STATED, text, figures, total=stats.matched)
    if not stats.groups:
        text = (f"None of the {stats.matched} matching {what} state pay." if stats.matched > 1
                else f"The one matching {_one(what)} states no pay.")
        return _market(query, NOT_STATED, text, figures, total=stats.matched)
    otherwise = ""
    if stats.other:
        listed = ", ".join(f"{n} {c} {PER.get(p, p)}" for c, p, n in stats.other[:GROUPS_SHOWN])
        more = ", …" if len(stats.other) > GROUPS_SHOWN else ""
        otherwise = f", {stats.other_count} {_verb(stats.other_count)} it otherwise ({listed}{more})"
    lines = [f"Pay across {_n(stats.matched, what)}: {stats.stated} {_verb(stats.stated)} pay{unit}{otherwise}, "
             f"{stats.no_pay} {_verb(stats.no_pay)} none"
             + (f" ({stats.text_only} of those give a figure only in their text, not in their listing's pay "
                "fields)" if stats.text_only else "") + "."]
    lines += [_group_line(g) for g in stats.groups[:GROUPS_SHOWN]]
    rest = stats.groups[GROUPS_SHOWN:]
    if rest:
        lines.append(f"• and {sum(g.count for g in rest)} more in other currencies or periods.")
    lines.append("Each posting counts at the middle of its stated range; currencies are never converted.")
    main = stats.groups[0]
    chart = None
    if main.count >= 2:
        chart = ChartSpec(HISTOGRAM, f"Pay of {_n(main.count, what)}"[:90],
                          x_label=f"{main.currency} {PER.get(main.period, main.period)} (middle of each range)",
                          values=[float(x) for x in main.mids], filename="pay.png")
    return _market(query, ANSWERED, "\n".join(lines), figures, total=stats.matched, chart=chart)


def _count_answer(query: Query, counts: Counts, what: str) -> MarketAnswer:
    title = COUNT_TITLES[counts.facet]
    figures = {"kind": counts.facet, "matched": counts.matched, "without": counts.without,
               "counts": [{"value": v, "postings": n} for v, n in counts.items]}
    if counts.matched == 0:
        return _market(query, NO_MATCH, f"No {what} match, so there is nothing to count.", figures, total=0)
    head = f"{title} across {_n(counts.matched, what)}"
    if counts.without:
        head += f"; {counts.without} {WITHOUT_WORDS[counts.facet][counts.without != 1]}"
    if not counts.items:
        return _market(query, NOT_STATED, head + ".", figures, total=counts.matched)
    shown = counts.items[:TOP]
    lines = [head + ":"] + [f"• {value} — {n}" for value, n in shown]
    if len(counts.items) > TOP:
        rest = counts.items[TOP:]
        lines.append(f"• and {len(rest)} more values ({sum(n for _v, n in rest)} postings)")
    if counts.facet == kinds.LANGUAGES:
        lines.append("A posting asking for several languages counts once for each.")
    chart = ChartSpec(BARS, f"{title}, {_n(counts.matched, what)}"[:90], labels=[v for v, _n in shown],
                      counts=[n for _v, n in shown], filename=f"{counts.facet}.png")
    return _market(query, ANSWERED, "\n".join(lines), figures, total=counts.matched, chart=chart)


def _verb(count: int) -> str:
    return "states" if count == 1 else "state"


def _market(query: Query, status: str, text: str, figures: dict[str, Any], total: int,
            chart: ChartSpec | None = None) -> MarketAnswer:
    return MarketAnswer(question=query.text, intent="market", status=status, text=text, total=total,
                        filters=query.filters.as_dict(), chart=chart, figures=figures)


def _by_pay(catalog: Catalog, rows: Sequence[int]) -> list[Posting]:
    """The postings, highest yearly pay first."""
    rows = np.asarray(rows, dtype=int)
    order = np.argsort(-catalog.listed.salary_max_y[rows], kind="stable") if len(rows) else rows
    return [catalog.postings[i] for i in rows[order]]


def _behind(query: Query, postings: list[Posting], what: str, figure: str, note: str) -> Answer:
    """The list of postings a market answer's figures rest on."""
    intent = EVIDENCE_INTENT.get(query.market or "", "")
    evidence: list[EvidenceItem] = []
    for posting in postings:
        _value, items = compose.fact_for(intent, posting)
        evidence.extend(items[:1])
    n = len(postings)
    if n == 0:
        text = f"No {what} match, so no postings are behind {figure}."
    else:
        order = [", those stating pay first, highest first"] if query.market == kinds.PAY else []
        text = f"The {n} {what} behind {figure}" + "".join(order) + (f" ({note})" if note else "") + ":"
    return Answer(question=kinds.behind(query.text), intent="list", status=ANSWERED if n else NO_MATCH, text=text,
                  postings=postings, evidence=evidence, total=n, is_list=True, filters=query.filters.as_dict())
