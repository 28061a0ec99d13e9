"""Generate a large posting corpus as varied copies of real postings, for the scale benchmark.

The source postings are read at run time with the real loader (nothing of them is kept in the
repository). Posting k of the corpus is a copy of source posting k mod n: copy 0 is the posting as
it is (unless keep_originals is False), later copies get a new id, another company and title, a
location picked among the real ones, pay scaled by a random factor (columns and amounts in the
text alike) and some sentences dropped or lines reordered. Every copy depends only on the seed and
on k, so the first N postings of a larger corpus are the corpus of size N.

Run: .venv/bin/python benchmarks/corpus.py --n 10000 --out var/bench/corpus-10000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.models import Facts, Posting  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared/data/postings/linkedin_arshkon_sample500/postings_sample.csv"
GENERATOR_VERSION = 1  # bump when the copies change: indexes built from an older corpus are rebuilt
SHARD_SIZE = 1000  # postings per JSONL file (about 3 MB; the loader skips files over 10 MB)

_SYLLABLES = ("ka", "ve", "lo", "mi", "ra", "tor", "quin", "bel", "dar", "no", "sta", "vi", "ley", "mon", "tri",
              "zen", "cor", "al", "pe", "ris", "an", "do", "lux", "ber", "gen", "ta", "wyn", "ox", "sel", "fa")
_BRAND_WORDS = ("Northwind", "Bluefield", "Harbor", "Summit", "Granite", "Maple", "Cedar", "Beacon", "Riverbend",
                "Ironwood", "Lakeshore", "Silverline", "Redstone", "Brightpath", "Evergreen", "Keystone", "Oakridge",
                "Clearwater", "Highland", "Pinecrest", "Sterling", "Westbrook", "Fairview", "Crescent", "Meridian")
_COMPANY_SUFFIXES = ("Group", "Partners", "Health", "Labs", "Systems", "Solutions", "Holdings", "Services",
                     "Technologies", "Consulting", "Logistics", "Analytics", "Care", "Industries", "Co.", "LLC",
                     "Inc.", "Associates", "Networks", "Foods", "Energy", "Financial", "Media", "Studios")
_SENIORITY = ("Senior", "Lead", "Staff", "Principal", "Junior", "Associate", "Sr.", "Chief", "Assistant")
_SYNONYMS = {
    "Engineer": "Developer", "Developer": "Engineer", "Manager": "Supervisor", "Supervisor": "Manager",
    "Specialist": "Coordinator", "Coordinator": "Specialist", "Representative": "Associate",
    "Technician": "Tech", "Analyst": "Consultant", "Consultant": "Analyst", "Assistant": "Aide",
    "Director": "Head", "Nurse": "RN", "Administrator": "Admin", "Sales": "Business Development",
}
_LEVELS = ("I", "II", "III", "IV")
_MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?(\s?[kK]\b)?")


@dataclass
class CorpusInfo:
    """What was written: where, how many postings from how many sources, and the files."""

    folder: Path
    postings: int
    sources: int
    seed: int
    files: list[Path] = field(default_factory=list)


def brand_name(rng: random.Random) -> str:
    """An invented company name: a made-up or common brand word and a business suffix."""
    if rng.random() < 0.5:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    else:
        word = rng.choice(_BRAND_WORDS)
        if rng.random() < 0.5:
            word += " " + "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
    return f"{word} {rng.choice(_COMPANY_SUFFIXES)}"


def vary_company(company: str, rng: random.Random) -> str:
    """Another company name: the original with a suffix (a third of the time) or an invented one."""
    if company and rng.random() < 1 / 3:
        return f"{company} {rng.choice(_COMPANY_SUFFIXES)}"
    return brand_name(rng)


def vary_title(title: str, rng: random.Random) -> str:
    """The title with its seniority changed, a word swapped for a synonym, a level added, or inverted."""
    words = title.split()
    if not words:
        return title
    choice = rng.random()
    if choice < 0.3:
        if words[0].rstrip(".") in {s.rstrip(".") for s in _SENIORITY}:
            words[0] = rng.choice(_SENIORITY)
        else:
            words.insert(0, rng.choice(_SENIORITY))
    elif choice < 0.55:
        swappable = [i for i, w in enumerate(words) if w in _SYNONYMS]
        if swappable:
            i = rng.choice(swappable)
            words[i] = _SYNONYMS[words[i]]
        else:
            words.append(rng.choice(_LEVELS))
    elif choice < 0.75:
        words.append(rng.choice(_LEVELS))
    elif choice < 0.9 and len(words) == 2 and all(w.isalpha() for w in words):
        words = [f"{words[1]},", words[0]]  # "Marketing Coordinator" -> "Coordinator, Marketing"
    else:
        words.insert(0, rng.choice(_SENIORITY))
    return " ".join(words)


def _round_pay(amount: float, like: float) -> float:
    """A scaled amount rounded as pay is written: cents for hourly-sized figures, else whole hundreds."""
    if like < 1000:
        return round(amount * 4) / 4
    return float(round(amount / 100) * 100)


def scale_money_in_text(text: str, factor: float) -> str:
    """Every dollar amount in the text ("$18.50", "$140,000", "$95k") multiplied by factor."""

    def scaled(match: re.Match) -> str:
        digits, cents, thousands = match.group(1), match.group(2) or "", match.group(3) or ""
        value = float(digits.replace(",", "") + cents)
        if value == 0:
            return match.group(0)
        if thousands:
            return f"${_round_pay(value * 1000 * factor, value * 1000) / 1000:g}{thousands}"
        new = _round_pay(value * factor, value)
        if cents or not float(new).is_integer():
            return f"${new:,.2f}"
        return f"${new:,.0f}" if "," in digits else f"${new:.0f}"

    return _MONEY.sub(scaled, text)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def vary_text(text: str, rng: random.Random) -> str:
    """The text with some lines dropped or swapped and a sentence dropped from some long lines.

    The first line and lines stating pay ('$') are always kept; the result is never empty.
    """
    lines = text.split("\n")
    if len(lines) <= 1:
        sentences = _SENTENCE_END.split(text)
        if len(sentences) >= 3:
            del sentences[rng.randrange(1, len(sentences))]
        return " ".join(sentences)
    head, body = lines[0], lines[1:]
    kept = []
    for line in body:
        if "$" not in line and line.strip() and rng.random() < 0.12:
            continue
        sentences = _SENTENCE_END.split(line)
        if len(sentences) >= 3 and "$" not in line and rng.random() < 0.3:
            del sentences[rng.randrange(1, len(sentences))]
            line = " ".join(sentences)
        kept.append(line)
    for i in range(len(kept) - 1):
        if rng.random() < 0.15:
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return "\n".join([head, *kept]).strip() or text


def vary_posting(posting: Posting, new_id: str, rng: random.Random, locations: Sequence[str]) -> Posting:
    """A varied copy of a posting under a new id (facts left empty: the rebuild extracts them)."""
    company = vary_company(posting.company, rng)
    text = posting.text
    if posting.company and len(posting.company) >= 3:
        text = text.replace(posting.company, company)
    text = vary_text(text, rng)
    factor = rng.uniform(0.8, 1.25)
    columns = dict(posting.columns)
    for key in ("min_salary", "max_salary", "med_salary"):
        if isinstance(columns.get(key), (int, float)):
            columns[key] = _round_pay(columns[key] * factor, columns[key])
    if isinstance(columns.get("salary_string"), str):
        columns["salary_string"] = scale_money_in_text(columns["salary_string"], factor)
    text = scale_money_in_text(text, factor)
    url = posting.url.replace(posting.id, new_id) if posting.url and posting.id in posting.url else ""
    return replace(
        posting, id=new_id, title=vary_title(posting.title, rng), company=company, text=text,
        location=rng.choice(locations) if locations else posting.location, url=url, source="", columns=columns,
        facts=Facts(),
    )


def generate(originals: Sequence[Posting], n: int, seed: int = 0, keep_originals: bool = True) -> Iterator[Posting]:
    """n postings: the originals (copy 0, unless keep_originals is False), then varied copies of them in turn."""
    if not originals:
        return
    locations = sorted({p.location for p in originals if p.location})
    for k in range(n):
        base = originals[k % len(originals)]
        copy = k // len(originals)
        if copy == 0 and keep_originals:
            yield base
            continue
        rng = random.Random(f"{seed}:{k}")
        yield vary_posting(base, f"{base.id}-v{copy}", rng, locations)


def posting_record(posting: Posting) -> dict[str, Any]:
    """A posting as a JSON record with field names the loader reads back into the same posting."""
    columns = posting.columns
    record: dict[str, Any] = {
        "id": posting.id,
        "title": posting.title,
        "company": posting.company,
        "location": posting.location,
        "description": posting.text,
        "url": posting.url,
        "listed_at": posting.listed_at,
    }
    for key in ("min_salary", "max_salary", "med_salary", "pay_period", "currency", "work_type",
                "experience_level", "skills", "remote_hint"):
        if columns.get(key) not in (None, ""):
            record[key] = columns[key]
    if columns.get("salary_string"):
        record["salary"] = columns["salary_string"]
    if isinstance(columns.get("remote"), bool):
        record["remote"] = columns["remote"]
    return {k: v for k, v in record.items() if v not in (None, "")}


def write_jsonl(postings: Iterable[Posting], folder: Path, shard_size: int = SHARD_SIZE) -> list[Path]:
    """Write postings as JSONL files of shard_size records (part-00000.jsonl, ...) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    handle = None
    try:
        for i, posting in enumerate(postings):
            if i % shard_size == 0:
                if handle is not None:
                    handle.close()
                files.append(folder / f"part-{len(files):05d}.jsonl")
                handle = files[-1].open("w", encoding="utf-8")
            handle.write(json.dumps(posting_record(posting), ensure_ascii=False) + "\n")
    finally:
        if handle is not None:
            handle.close()
    return files


def load_originals(source: Path) -> list[Posting]:
    """The source postings, read with the real loader (a file or a folder of posting files)."""
    from index.loaders import load_postings

    return load_postings([source]).postings


def build_corpus(source: Path, folder: Path, n: int, seed: int = 0, keep_originals: bool = True) -> CorpusInfo:
    """Read the source postings and write n postings (originals, then varied copies) as JSONL into folder."""
    originals = load_originals(source)
    if not originals:
        raise ValueError(f"no postings could be loaded from {source}")
    files = write_jsonl(generate(originals, n, seed, keep_originals), folder)
    return CorpusInfo(folder, n, len(originals), seed, files)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="postings to write")
    parser.add_argument("--out", type=Path, required=True, help="folder for the JSONL files")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="posting file or folder to copy")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vary-all", action="store_true", help="vary the originals too (copy 0)")
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"skipped: {args.source} is absent (it lives in ../shared/data)")
        return 0
    info = build_corpus(args.source, args.out, args.n, args.seed, keep_originals=not args.vary_all)
    print(f"wrote {info.postings} postings ({info.sources} sources) in {len(info.files)} files to {info.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
