"""Metamorphic suite (CheckList-style): rewrite questions and check that answers change only as they must.

Usage:
  .venv/bin/python benchmarks/metamorphic.py                       # hashing embedder, all sets
  .venv/bin/python benchmarks/metamorphic.py --out /tmp/me.json --var /tmp/me-var --templates 300

Seeds: the dev questions (../shared/data/questions/dev.jsonl, dev-labeled.jsonl, dev-filters.jsonl over the
500 LinkedIn postings; wild-dev.jsonl over the wild folder), read at run time, and questions generated
here from templates filled with the postings' own values (benchmarks/variants.py). Relations, checked on
the answer (`bot.answer.answer_to_json`):

* invariance — case, typos, abbreviations, word order, politeness, punctuation (and a few stacked) give
  the same status, intent and postings (for "which posting?" and no-match answers: the same status);
* negation — a negated facet (remote, a work type, a state) gives the base's postings minus the positive's;
* monotonic — a raised pay floor (a lowered ceiling) or one more filter never adds postings;
* count — a list answer's stated count equals the postings it lists (and "N more" its related ones).

Three figures are reported apart: variants of the dev files' questions (tuned on), of wild-dev.jsonl, and
of the generated questions (never tuned on). Writes benchmarks/results/metamorphic.json and .md; the exit
code is 0 whatever the rates (a measurement), non-zero only when the run itself fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT), str(ROOT / "benchmarks")):
    if _p not in sys.path:
        sys.path.insert(0, _p)
SHARED = ROOT.parent / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import variants as V  # noqa: E402
from harness import build_engine, machine, make_embedder  # noqa: E402

from bot.answer import answer_to_json  # noqa: E402

LINKEDIN = SHARED / "data/postings/linkedin_arshkon_sample500"
WILD = SHARED / "data/postings/wild"
QUESTIONS = SHARED / "data/questions"
# (group, file, engine): the dev files are one figure, wild-dev another
DEV_SETS = [("dev", QUESTIONS / "dev.jsonl", "linkedin"), ("dev", QUESTIONS / "dev-labeled.jsonl", "linkedin"),
            ("dev", QUESTIONS / "dev-filters.jsonl", "linkedin"), ("wild", QUESTIONS / "wild-dev.jsonl", "wild")]
MAX_EXAMPLES = 20


# ------------------------------------------------------------------------------------------- engines


def context_for(postings: list) -> V.Context:
    """Words never misspelled (acronyms, short company names) and the words postings use (typo guard)."""
    vocabulary: set[str] = set()
    protect: set[str] = set()
    for p in postings:
        vocabulary.update(re.findall(r"[a-z]+", f"{p.title} {p.company} {p.text}".lower()))
        for word in re.findall(r"[A-Za-z]+", p.company or ""):
            if len(word) <= 4 or word.isupper():
                protect.add(word.lower())
        protect.update(w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", p.title or ""))
    companies = {(p.company or "").strip().lower() for p in postings}
    companies |= {V.short_company(c) for c in companies}
    return V.Context(protect=frozenset(protect), vocabulary=frozenset(vocabulary),
                     companies=tuple(sorted(c for c in companies if len(c) >= 3)))


# ------------------------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class View:
    """What the relations compare in one answer."""

    status: str
    intent: str
    is_list: bool
    ids: tuple[str, ...]
    related: tuple[str, ...]
    total: int
    text: str
    titles: dict

    @property
    def kind(self) -> str:
        """list, fact, which (no posting named: suggestions), search (retrieval passages) or no_match."""
        if self.is_list:
            return "list"
        if self.status == "no_match":
            return "which" if self.ids else "no_match"
        if self.intent == "general":
            return "search"
        return "fact"


class Asker:
    """Asks an engine, caching answers by question text (variants repeat across relations)."""

    def __init__(self, engine):
        self.engine = engine
        self.cache: dict[str, View] = {}
        self.asked = 0

    def __call__(self, question: str) -> View:
        view = self.cache.get(question)
        if view is None:
            data = answer_to_json(self.engine.ask(question))
            self.asked += 1
            view = View(status=data["status"], intent=data["intent"], is_list=bool(data["is_list"]),
                        ids=tuple(p["id"] for p in data["postings"]),
                        related=tuple(p["id"] for p in data["related_postings"]), total=int(data["total"]),
                        text=data["answer"],
                        titles={p["id"]: f"{p['title']} at {p['company']}" for p in data["postings"]})
            self.cache[question] = view
        return view


def _ids_diff(a: tuple[str, ...], b: tuple[str, ...], titles: dict) -> str:
    added, removed = set(b) - set(a), set(a) - set(b)
    example = ""
    if removed:
        pid = sorted(removed)[0]
        example = f"; lost e.g. {titles.get(pid, pid)}"
    elif added:
        example = f"; gained e.g. {sorted(added)[0]}"
    return f"{len(a)} -> {len(b)} postings (+{len(added)} -{len(removed)}){example}"


def invariance_diff(a: View, b: View) -> tuple[str, str] | None:
    """(kind, what differed) when two answers that must agree do not; None when they agree.

    Status, intent and list-ness always; the postings for lists and fact answers; for "which posting
    do you mean?" suggestions and retrieval passages only the status and intent (their candidates are a
    ranking, not an answer).
    """
    if a.status != b.status:
        return "status changed", f"status {a.status} -> {b.status} ({a.kind} -> {b.kind}); got: {b.text[:160]!r}"
    if a.is_list != b.is_list:
        return "list-ness changed", f"{a.kind} -> {b.kind}; got: {b.text[:160]!r}"
    if a.intent != b.intent:
        return "intent changed", f"intent {a.intent} -> {b.intent}; got: {b.text[:160]!r}"
    if a.kind in ("which", "search", "no_match"):
        return None
    if set(a.ids) != set(b.ids):
        titles = {**b.titles, **a.titles}
        return ("postings changed" if a.kind == "list" else "named posting changed",
                _ids_diff(a.ids, b.ids, titles) + f"; got: {b.text[:120]!r}")
    if set(a.related) != set(b.related):
        return "related changed", f"related {_ids_diff(a.related, b.related, {})}"
    return None


_COUNT_IN_TEXT = re.compile(r"\b(\d[\d,]*|no)\s+(?:\w+\s+){0,2}?(?:postings?|jobs?|roles?|positions?|openings?)\b",
                            re.I)
_MORE_IN_TEXT = re.compile(r"\b(\d[\d,]*) more\b", re.I)


def count_problem(view: View) -> tuple[str, str] | None:
    """(kind, detail) when a list answer's count disagrees with the postings it lists; None when it agrees."""
    if not view.is_list:
        return None
    if view.total != len(view.ids):
        return "total != listed", f"total {view.total} but {len(view.ids)} postings listed"
    first = view.text.split("\n", 1)[0]
    match = _COUNT_IN_TEXT.search(first)
    if not match:
        return "no count stated", f"no count in {first[:120]!r}"
    stated = 0 if match.group(1).lower() == "no" else int(match.group(1).replace(",", ""))
    if stated != len(view.ids):
        return "stated count != listed", f"says {stated}, lists {len(view.ids)}: {first[:120]!r}"
    if view.related:
        more = _MORE_IN_TEXT.search(view.text)
        if more and int(more.group(1).replace(",", "")) != len(view.related):
            return "stated related count != listed", f"says {more.group(1)} more, lists {len(view.related)}"
    return None


# -------------------------------------------------------------------------------------------- tally


class Tally:
    """Pass counts per (group, relation, perturbation), failure kinds, and up to 20 examples per key."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.skipped: Counter = Counter()
        self.kinds: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.seeds: Counter = Counter()
        self.rules: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])

    def record(self, group: str, relation: str, perturbation: str, failure: dict | None, rule: str = "") -> None:
        """One check: passed when failure is None, else the failure (original, variant, kind, differed).

        `rule` names the abbreviation applied, so abbreviations are also counted rule by rule.
        """
        key = (group, relation, perturbation)
        self.counts[key][0] += 1
        if rule:
            self.rules[(group, rule)][0] += 1
            self.rules[(group, rule)][1] += failure is None
        if failure is None:
            self.counts[key][1] += 1
            return
        self.kinds[group][f"{relation}: {failure['kind']}"] += 1
        if len(self.examples[key]) < MAX_EXAMPLES:
            self.examples[key].append(failure)

    def summary(self) -> dict[str, Any]:
        """The figures per group, relation and perturbation, as JSON-ready dicts."""
        out: dict[str, Any] = {}
        for group in sorted({k[0] for k in self.counts}):
            keys = [k for k in self.counts if k[0] == group]
            n = sum(self.counts[k][0] for k in keys)
            ok = sum(self.counts[k][1] for k in keys)
            relations: dict[str, Any] = {}
            for rel in sorted({k[1] for k in keys}):
                rk = [k for k in keys if k[1] == rel]
                rn, rok = sum(self.counts[k][0] for k in rk), sum(self.counts[k][1] for k in rk)
                relations[rel] = {
                    "n": rn, "passed": rok, "rate": round(rok / rn, 4) if rn else None,
                    "skipped": self.skipped[(group, rel)],
                    "by_perturbation": {k[2]: {"n": self.counts[k][0], "passed": self.counts[k][1],
                                               "rate": round(self.counts[k][1] / self.counts[k][0], 4),
                                               "failures": self.examples.get(k, [])}
                                        for k in sorted(rk, key=lambda k: k[2])},
                }
            rules = {rule: {"n": c[0], "passed": c[1], "rate": round(c[1] / c[0], 4)}
                     for (g, rule), c in sorted(self.rules.items()) if g == group}
            out[group] = {"seeds": self.seeds[group], "checks": n, "passed": ok,
                          "rate": round(ok / n, 4) if n else None, "relations": relations,
                          "abbreviation_rules": rules,
                          "failure_kinds": dict(self.kinds[group].most_common())}
        return out


# -------------------------------------------------------------------------------------------- seeds


@dataclass
class Seed:
    """One question the relations start from."""

    group: str  # dev, wild or generated
    source: str  # the file, or the template kind
    engine: str
    question: str
    spec: V.ListSpec | None = None  # generated list questions: their parts, for negation


def dev_seeds(sets=DEV_SETS) -> list[Seed]:
    """The dev questions, read at run time (never copied into the repository)."""
    out = []
    for group, path, engine in sets:
        if not path.is_file():
            print(f"[{group}] skipped: {path} is missing", file=sys.stderr)
            continue
        for n, line in enumerate(path.open(encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                question = json.loads(line)["question"]
            except (ValueError, KeyError, TypeError) as err:
                print(f"{path}: line {n}: no question ({err}); skipped", file=sys.stderr)
                continue
            out.append(Seed(group, path.name, engine, question))
    return out


def generated_seeds(engine_key: str, postings: list, n: int, seed: int) -> list[Seed]:
    """n questions per kind (facts, counts, filtered lists) from the postings' own values."""
    values = V.values_from_postings(postings)
    rng = random.Random(V.stable_seed(seed, engine_key, "templates"))
    out = [Seed("generated", "template:fact", engine_key, q) for q in V.fact_questions(values, rng, n)]
    out += [Seed("generated", "template:count", engine_key, q) for q in V.count_questions(values, rng, max(1, n // 3))]
    seen = set()
    for _ in range(n * 2):
        spec = V.random_list_spec(values, rng)
        text = spec.render()
        if text not in seen:
            seen.add(text)
            out.append(Seed("generated", "template:list", engine_key, text, spec))
        if len(seen) >= n:
            break
    return out


# --------------------------------------------------------------------------------------------- run


def _failure(seed: Seed, variant: str, kind: str, differed: str, detail: str = "") -> dict:
    return {"source": seed.source, "engine": seed.engine, "original": seed.question, "variant": variant,
            "detail": detail, "kind": kind, "differed": differed}


def check_negation(seed: Seed, ask: Asker, tally: Tally, facet: str, base_q: str, neg_q: str, pos: View,
                   how: str) -> None:
    """The negated question's postings are exactly the base's minus the positive's."""
    base = ask(base_q)
    if not base.is_list:
        tally.skipped[(seed.group, "negation")] += 1  # the question without the facet is no list to compare in
        return
    neg = ask(neg_q)
    name = f"not_{facet}"
    if not neg.is_list:
        tally.record(seed.group, "negation", name, _failure(
            seed, neg_q, "negated question not a list", f"{neg.kind}: {neg.text[:160]!r}", f"{how}; base {base_q!r}"))
        return
    want = set(base.ids) - set(pos.ids)
    got = set(neg.ids)
    if got == want:
        tally.record(seed.group, "negation", name, None)
        return
    overlap = len(got & set(pos.ids))
    kind = "negation ignored (same as positive)" if got == set(pos.ids) and got else (
        "negated answer overlaps the positive" if overlap else "not the complement")
    tally.record(seed.group, "negation", name, _failure(
        seed, neg_q, kind,
        f"base {len(base.ids)}, positive {len(pos.ids)}, want {len(want)}, got {len(got)} "
        f"({overlap} also in the positive, {len(want - got)} missing, {len(got - want - set(pos.ids))} outside base); "
        f"got: {neg.text[:120]!r}", f"{how}; base {base_q!r}"))


def check_subset(seed: Seed, ask: Asker, tally: Tally, name: str, variant: V.Variant, original: View) -> None:
    """A stricter question lists no posting the original did not."""
    got = ask(variant.text)
    if not got.is_list:
        tally.record(seed.group, "monotonic", name, _failure(
            seed, variant.text, "stricter question not a list", f"{got.kind}: {got.text[:160]!r}", variant.detail))
        return
    extra = set(got.ids) - set(original.ids)
    if not extra:
        tally.record(seed.group, "monotonic", name, None)
        return
    tally.record(seed.group, "monotonic", name, _failure(
        seed, variant.text, "stricter question added postings",
        f"{len(original.ids)} -> {len(got.ids)}, {len(extra)} new, e.g. {got.titles.get(sorted(extra)[0])}; "
        f"got: {got.text[:120]!r}", variant.detail))


def run_seed(seed: Seed, ask: Asker, ctx: V.Context, values: V.Values, tally: Tally, rng_seed: int) -> None:
    """Every relation that applies to one seed question."""
    tally.seeds[seed.group] += 1
    original = ask(seed.question)
    if original.is_list:
        problem = count_problem(original)
        tally.record(seed.group, "count", "original", None if problem is None else _failure(
            seed, seed.question, problem[0], problem[1]))

    for variant in V.variants_of(seed.question, ctx, seed=rng_seed):
        got = ask(variant.text)
        diff = invariance_diff(original, got)
        tally.record(seed.group, "invariance", variant.name, None if diff is None else _failure(
            seed, variant.text, diff[0], diff[1], variant.detail),
            rule=variant.detail if variant.name == "abbreviation" else "")
        problem = count_problem(got)
        if got.is_list:
            tally.record(seed.group, "count", "variant", None if problem is None else _failure(
                seed, variant.text, problem[0], problem[1]))

    if not original.is_list:
        return
    tighter = V.tighten_pay(seed.question)
    if tighter is not None:
        check_subset(seed, ask, tally, "raise_pay_floor" if "floor" in tighter.detail else "lower_pay_ceiling",
                     tighter, original)
    rng = random.Random(V.stable_seed(rng_seed, "filters", seed.question))
    additions = []
    if values.languages:
        additions.append(("add_language", rng.choice(values.languages)))
    if not re.search(r"\b(remote|hybrid|on-?site|wfh)\b", seed.question, re.I):
        additions.append(("add_remote", "remote"))
    if values.work_types and not re.search(r"\b(full|part)[- ]?time|contract|temp|intern", seed.question, re.I):
        additions.append(("add_work_type", V.WORK_TYPE_WORDS[rng.choice(values.work_types)]))
    for name, words in additions:
        variant = V.add_filter_words(seed.question, words, name)
        if variant is not None:
            check_subset(seed, ask, tally, name, variant, original)
    if values.states:
        state = V.STATE_CODES[rng.choice(values.states)]
        variant = V.add_state(seed.question, state)
        if variant is not None:
            check_subset(seed, ask, tally, "add_state", variant, original)

    if seed.spec is not None:
        for facet in seed.spec.facets():
            check_negation(seed, ask, tally, facet, seed.spec.without(facet).render(),
                           replace(seed.spec, negate=facet).render(), original, "template")
    else:
        for facet, base_q, neg_q in V.negations_of(seed.question):
            check_negation(seed, ask, tally, facet, base_q, neg_q, original, "rewritten")


def run_suite(engines: dict[str, Any], seeds: list[Seed], seed: int = 0) -> tuple[dict, dict]:
    """Run every seed against its engine; (summary per group, run facts)."""
    tally = Tally()
    askers = {key: Asker(engine) for key, engine in engines.items()}
    postings = {key: list(engine._current().catalog.postings) for key, engine in engines.items()}
    contexts = {key: context_for(ps) for key, ps in postings.items()}
    values = {key: V.values_from_postings(ps) for key, ps in postings.items()}
    started = time.perf_counter()
    for s in seeds:
        if s.engine not in engines:
            continue
        run_seed(s, askers[s.engine], contexts[s.engine], values[s.engine], tally, seed)
    facts = {"seconds": round(time.perf_counter() - started, 1),
             "questions_asked": sum(a.asked for a in askers.values()),
             "postings": {k: len(v) for k, v in postings.items()}}
    return tally.summary(), facts


# ------------------------------------------------------------------------------------------- report


GROUP_TITLES = {"dev": "dev files (dev, dev-labeled, dev-filters; tuned on)", "wild": "wild-dev.jsonl",
                "generated": "generated template questions (never tuned on)"}


def table(summary: dict) -> list[str]:
    """Plain-text lines: one figure per group, then relation and perturbation rates."""
    lines = []
    for group, g in summary.items():
        lines.append(f"{GROUP_TITLES.get(group, group)}: {g['passed']}/{g['checks']} checks pass "
                     f"({g['rate']:.1%}) from {g['seeds']} seed questions")
        for rel, r in g["relations"].items():
            lines.append(f"  {rel:11s} {r['passed']:5d}/{r['n']:<5d} {r['rate']:.1%}"
                         + (f"   ({r['skipped']} skipped)" if r["skipped"] else ""))
            for pert, p in r["by_perturbation"].items():
                lines.append(f"      {pert:18s} {p['passed']:5d}/{p['n']:<5d} {p['rate']:.1%}")
        kinds = list(g["failure_kinds"].items())[:6]
        if kinds:
            lines.append("  most common failures: " + "; ".join(f"{k} ({n})" for k, n in kinds))
    return lines


def markdown(result: dict) -> str:
    """A short Markdown report beside the JSON."""
    out = ["# Metamorphic suite\n",
           f"{result['date']}, embedder {result['embedder']}, {result['machine']['cores']} cores "
           f"({result['machine']['cpu']}), `{result['command']}`; {result['run']['questions_asked']} questions "
           f"asked in {result['run']['seconds']} s.\n",
           "| figure | checks | pass rate |", "|---|---|---|"]
    for group, g in result["groups"].items():
        out.append(f"| {GROUP_TITLES.get(group, group)} | {g['checks']} | {g['rate']:.1%} |")
    for group, g in result["groups"].items():
        out.append(f"\n## {GROUP_TITLES.get(group, group)}\n")
        out.append("| relation | perturbation | n | pass rate |")
        out.append("|---|---|---|---|")
        for rel, r in g["relations"].items():
            out.append(f"| **{rel}** | all | {r['n']} | **{r['rate']:.1%}** |")
            for pert, p in r["by_perturbation"].items():
                out.append(f"| {rel} | {pert} | {p['n']} | {p['rate']:.1%} |")
        weak = [f"{rule} {r['passed']}/{r['n']}" for rule, r in g.get("abbreviation_rules", {}).items()
                if r["passed"] < r["n"]]
        if weak:
            out.append("\nAbbreviation rules with failures: " + "; ".join(weak) + ".")
        if g["failure_kinds"]:
            out.append("\nMost common failures: " + "; ".join(
                f"{k} ({n})" for k, n in list(g["failure_kinds"].items())[:8]) + ".")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["hashing", "model"], default="hashing")
    parser.add_argument("--var", default=str(ROOT / "var" / "metamorphic"), help="where the indexes are built")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/metamorphic.json"))
    parser.add_argument("--templates", type=int, default=300,
                        help="generated questions per kind per postings folder (fact, list; a third as many counts)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-dev", action="store_true", help="only generated questions")
    args = parser.parse_args(argv)

    embedder = make_embedder(args.embedder)
    var = Path(args.var)
    engines = {}
    for key, source in (("linkedin", LINKEDIN), ("wild", WILD)):
        if source.is_dir():
            engines[key] = build_engine(key, source, var, embedder)
        else:
            print(f"[{key}] skipped: {source} is missing (../shared is not beside this clone)", file=sys.stderr)
    if not engines:
        print("no postings folder found; nothing to measure", file=sys.stderr)
        return 1
    seeds = [] if args.no_dev else dev_seeds()
    for key, engine in engines.items():
        n = args.templates if key == "linkedin" else max(1, args.templates // 3)
        seeds += generated_seeds(key, list(engine._current().catalog.postings), n, args.seed)
    summary, facts = run_suite(engines, seeds, args.seed)
    result = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "command": "benchmarks/metamorphic.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "embedder": embedder.name, "run": facts,
              "figures": {g: {"checks": s["checks"], "rate": s["rate"]} for g, s in summary.items()},
              "groups": summary}
    print("\n".join(table(summary)))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(f"wrote {out} and {out.with_suffix('.md')} ({facts['questions_asked']} questions in {facts['seconds']} s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
