# The en dashes of date ranges are what resumes contain.
# ruff: noqa: RUF001
"""How well the local engine reads real-looking resumes: the corpus of tests/resumes/corpus.

Run: `.venv/bin/python bench/read_corpus.py [--split dev|test|all] [--verbose] [--json OUT]`
(or `make bench-reading`). Each PDF of tests/resumes/corpus/pdfs (made by its build.py from
people/*.yaml, in rendercv's themes and Word-style layouts) is turned into Markdown and read,
timed together (wall milliseconds, after one warm-up; `resumes.pdf.inspect` in this process,
so without the ~0.3 s start of the worker's reading process), then scored against its facts:

- roles: a fact role is found when a read role has its title and its organisation (each read
  role is taken once); recall is over the fact roles, precision over the read ones;
- bullets and dates: of the roles found, those with as many highlights as the fact's bullets,
  and those whose start year and end (year, or "present") agree;
- education: the fact degrees found in some read qualification, the institutions likewise;
- skills: a read skill is right if it is one of the person's skills (by any of the vocabulary's
  names for it: "wound assessment" for "wound care"), or is itself written as a word or phrase
  in the PDF's text outside every organisation name, web address and e-mail address; recall is
  over the person's skills, by the same names;
- name (exact), headline (none when the layout shows none), and Markdown left in the profile;
- scans: the upload's checks must refuse them as "no_text".

Texts match when, normalised (case, punctuation, Markdown and spaces), they are equal, one holds
the other as whole words, or their words overlap by a Jaccard index of at least 0.6.
`score(split)` returns the figures for a test; `--verbose` lists every miss, and `--markdown DIR`
writes each PDF's Markdown there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench.parse_resumes import bank_vocabulary  # noqa: E402
from config.errors import Refused  # noqa: E402
from resumes import documents, pdf  # noqa: E402
from resumes.reading.resume import ResumeProfile, read_resume  # noqa: E402
from resumes.reading.vocabulary import Vocabulary  # noqa: E402

CORPUS = ROOT / "tests" / "resumes" / "corpus" / "pdfs"
SPLITS = ("dev", "test", "all")
JACCARD = 0.6
OPEN_END = {"present", "current", "now", "today", "ongoing"}
# What Markdown leaves in a profile's text when the reader does not clean it.
ARTIFACTS = re.compile(r"\]\(|\[[^\]]*\]|\*\*|__|`|<br|https: //|http", re.IGNORECASE)
# Web and e-mail addresses, as resumes print them: "https://...", "www...", "a@b.c", a domain
# with a path ("github.com/twojcik"), or one of the corpus's domains alone ("tomaszwojcik.dev").
ADDRESSES = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/\S*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|dev|events|ie|uk|se)\b",
    re.IGNORECASE,
)
# The totals a good reader reaches.
TARGETS = {
    "role_recall": (">=", 0.9),
    "role_precision": (">=", 0.9),
    "bullets_ok": (">=", 0.9),
    "degree_found": (">=", 0.9),
    "skills_precision": (">=", 0.9),
    "artifacts": ("==", 0),
    "max_ms_per_page": ("<", 1000),
}
OPERATORS = {
    ">=": lambda value, target: value >= target,
    "==": lambda value, target: value == target,
    "<": lambda value, target: value < target,
}
COLUMNS = (
    ("role_recall", "roleR"),
    ("role_precision", "roleP"),
    ("bullets_ok", "bullet"),
    ("dates_ok", "dates"),
    ("degree_found", "degree"),
    ("institution_found", "inst"),
    ("skills_precision", "skillP"),
    ("skills_recall", "skillR"),
    ("name_ok", "name"),
    ("headline_ok", "headln"),
    ("artifacts", "artif"),
    ("mean_ms", "mean ms"),
    ("max_ms", "max ms"),
)


# Matching ------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """The text without Markdown, punctuation, case and extra spaces."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](url) -> label
    text = re.sub(r"<[^>]+>|\*\*|__|`", " ", text)
    text = re.sub(r"[^\w\s]|_", " ", text.casefold())
    return " ".join(text.split())


def matches(a: str, b: str) -> bool:
    """Whether two texts name the same thing (see the module's docstring)."""
    x, y = normalise(a), normalise(b)
    if not x or not y:
        return False
    if x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} ":
        return True
    words_x, words_y = set(x.split()), set(y.split())
    return len(words_x & words_y) / len(words_x | words_y) >= JACCARD


def year(text: str) -> str:
    """The first year in the text, or ""."""
    found = re.search(r"(?:19|20)\d{2}", text or "")
    return found.group(0) if found else ""


def same_end(expected: str, read: str) -> bool:
    """Whether a read end date is the fact's: the same year, or both still going on."""
    if expected == "present":
        return normalise(read) in OPEN_END
    return bool(year(read)) and year(read) == year(expected)


# Scoring one PDF -----------------------------------------------------------------------------


@dataclass
class Result:
    """One PDF's counts, and its misses as lines for --verbose."""

    pdf: str
    layout: str
    pages: int = 0
    ms: float = 0.0
    refusal_expected: bool = False
    refusal_ok: bool = False
    fact_roles: int = 0
    read_roles: int = 0
    matched_roles: int = 0
    bullets_ok: int = 0
    dates_ok: int = 0
    fact_education: int = 0
    degree_found: int = 0
    institution_found: int = 0
    read_skills: int = 0
    right_skills: int = 0
    fact_skills: int = 0
    recalled_skills: int = 0
    name_ok: bool = False
    headline_ok: bool = False
    artifacts: int = 0
    misses: list[str] = field(default_factory=list)

    def miss(self, kind: str, expected: Any, read: Any) -> None:
        self.misses.append(f"{kind}: expected {expected!r}, read {read!r}")


def score_pdf(path: Path, facts: dict[str, Any], markdown_to: Path | None = None) -> Result:
    """Read one PDF and score what was read against its facts."""
    data = path.read_bytes()
    result = Result(pdf=path.name, layout=facts["layout"])
    if facts["refused"]:
        result.refusal_expected = True
        refusal = refused_as(data)
        result.refusal_ok = refusal == facts["refused"]
        if not result.refusal_ok:
            result.miss("refusal", facts["refused"], refusal)
        return result
    start = time.perf_counter()
    try:
        inspected = pdf.inspect(data)
    except pdf.Unreadable as refused:
        result.miss("refusal", None, refused.code)
        return result
    profile = read_resume(inspected.markdown, vocabulary())
    result.ms = (time.perf_counter() - start) * 1000
    result.pages = inspected.pages
    if markdown_to:
        (markdown_to / f"{path.stem}.md").write_text(inspected.markdown, encoding="utf-8")
    _score_roles(result, facts, profile)
    _score_education(result, facts, profile)
    _score_skills(result, facts, profile, plain_text(data))
    result.name_ok = normalise(profile.name) == normalise(facts["name"])
    if not result.name_ok:
        result.miss("name", facts["name"], profile.name)
    expected = facts["headline"]
    result.headline_ok = matches(profile.headline, expected) if expected else not profile.headline
    if not result.headline_ok:
        result.miss("headline", expected, profile.headline)
    for text in strings(profile.as_dict()):
        if ARTIFACTS.search(text):
            result.artifacts += 1
            result.miss("markdown artifact", "clean text", text)
    return result


def _score_roles(result: Result, facts: dict[str, Any], profile: ResumeProfile) -> None:
    free = list(profile.roles)
    result.fact_roles, result.read_roles = len(facts["roles"]), len(profile.roles)
    for fact in facts["roles"]:
        expected = f"{fact['title']} | {fact['organisation']}"
        found = next(
            (
                r
                for r in free
                if matches(r.title, fact["title"]) and matches(r.organisation, fact["organisation"])
            ),
            None,
        )
        if found is None:
            near = [r for r in free if matches(r.title, fact["title"])]
            near = near or [r for r in free if matches(r.organisation, fact["organisation"])]
            read = f"{near[0].title} | {near[0].organisation}" if near else None
            result.miss("role missed", expected, read)
            continue
        free.remove(found)
        result.matched_roles += 1
        if len(found.highlights) == fact["bullets"]:
            result.bullets_ok += 1
        else:
            result.miss(f"bullets of {expected}", fact["bullets"], len(found.highlights))
        if year(found.start) == year(fact["start"]) and same_end(fact["end"], found.end):
            result.dates_ok += 1
        else:
            dates = f"{fact['start']} – {fact['end']}"
            result.miss(f"dates of {expected}", dates, f"{found.start} – {found.end}")
    for role in free:
        result.miss("role not in the resume", None, f"{role.title} | {role.organisation}")


def _score_education(result: Result, facts: dict[str, Any], profile: ResumeProfile) -> None:
    result.fact_education = len(facts["education"])
    read = [(e.qualification, e.institution) for e in profile.education]
    for fact in facts["education"]:
        if any(matches(q, fact["degree"]) for q, _ in read):
            result.degree_found += 1
        else:
            result.miss("degree", fact["degree"], [q for q, _ in read])
        if any(matches(i, fact["institution"]) for _, i in read):
            result.institution_found += 1
        else:
            result.miss("institution", fact["institution"], [i for _, i in read])


def _score_skills(result: Result, facts: dict[str, Any], profile: ResumeProfile, text: str) -> None:
    outside = ADDRESSES.sub(" | ", text)
    for organisation in sorted(facts["organisations"], key=len, reverse=True):
        outside = re.sub(phrase(organisation), " | ", outside, flags=re.IGNORECASE)
    result.read_skills, result.fact_skills = len(profile.skills), len(facts["skills"])
    for skill in profile.skills:
        claimed = any(matches(name, s) for name in names_of(skill) for s in facts["skills"])
        if claimed or re.search(phrase(skill), outside, re.IGNORECASE):
            result.right_skills += 1
        else:
            result.miss("skill not claimed", None, skill)
    for skill in facts["skills"]:
        if any(matches(name, skill) for s in profile.skills for name in names_of(s)):
            result.recalled_skills += 1
        else:
            result.miss("skill missed", skill, None)


def names_of(skill: str) -> set[str]:
    """The skill and the vocabulary's other names for it: "wound care" is "wound assessment"."""
    return {skill, *synonyms().get(vocabulary().canonical(skill).casefold(), ())}


@cache
def synonyms() -> dict[str, set[str]]:
    """Each of the vocabulary's display names (in lower case) and all its names."""
    groups: dict[str, set[str]] = {}
    for name, display in vocabulary().names.items():
        groups.setdefault(display.casefold(), set()).add(name)
    return groups


def refused_as(data: bytes) -> str | None:
    """The code the upload's reading refuses the PDF with, as a student would see it."""
    try:
        documents.read(data)
    except Refused as refused:
        return refused.code
    return None


def phrase(text: str) -> str:
    """A pattern for the text as a whole word or phrase, across line breaks."""
    words = text.split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)" if words else "$^"


def plain_text(data: bytes) -> str:
    """The PDF's text as MuPDF extracts it, page after page."""
    import pymupdf  # where a PDF is opened, as the project does (resumes/pdf.py)

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def strings(value: Any) -> Iterator[str]:
    """Every string in a profile's dict, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# The corpus ----------------------------------------------------------------------------------


@cache
def vocabulary() -> Vocabulary:
    """The question bank's vocabulary (bench/parse_resumes.py), built once."""
    return bank_vocabulary()


def corpus(split: str) -> list[tuple[Path, dict[str, Any]]]:
    """The corpus's PDFs of a split, each with its facts."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    pairs = []
    for path in sorted(CORPUS.glob("*.pdf")):
        facts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if split in ("all", facts["split"]):
            pairs.append((path, facts))
    if not pairs:
        raise SystemExit(f"No PDFs in {CORPUS}: run `make resume-corpus`.")
    return pairs


def totals(results: list[Result]) -> dict[str, Any]:
    """The figures of a set of results: fractions over all their entries together."""
    read = [r for r in results if not r.refusal_expected]
    scans = [r for r in results if r.refusal_expected]

    def ratio(part: str, whole: str) -> float | None:
        total = sum(getattr(r, whole) for r in read)
        return round(sum(getattr(r, part) for r in read) / total, 3) if total else None

    figures: dict[str, Any] = {
        "pdfs": len(results),
        "role_recall": ratio("matched_roles", "fact_roles"),
        "role_precision": ratio("matched_roles", "read_roles"),
        "bullets_ok": ratio("bullets_ok", "matched_roles"),
        "dates_ok": ratio("dates_ok", "matched_roles"),
        "degree_found": ratio("degree_found", "fact_education"),
        "institution_found": ratio("institution_found", "fact_education"),
        "skills_precision": ratio("right_skills", "read_skills"),
        "skills_recall": ratio("recalled_skills", "fact_skills"),
        "name_ok": round(sum(r.name_ok for r in read) / len(read), 3) if read else None,
        "headline_ok": round(sum(r.headline_ok for r in read) / len(read), 3) if read else None,
        "artifacts": sum(r.artifacts for r in read),
        "mean_ms": round(statistics.mean(r.ms for r in read)) if read else None,
        "max_ms": round(max(r.ms for r in read)) if read else None,
        "max_ms_per_page": round(max(r.ms / max(r.pages, 1) for r in read)) if read else None,
    }
    if scans:
        figures["scans_refused"] = f"{sum(r.refusal_ok for r in scans)}/{len(scans)}"
    return figures


def score(split: str = "dev", *, markdown_to: Path | None = None) -> dict[str, Any]:
    """Read and score every PDF of the split: the totals, the figures by layout, each PDF.

    With `markdown_to`, each PDF's Markdown is written there too, as `<pdf>.md`.
    """
    pairs = corpus(split)
    vocabulary()  # built once, as a worker process does, and not timed
    first = next(path for path, facts in pairs if not facts["refused"])
    pdf.inspect(first.read_bytes())  # warm-up: imports and font caches
    if markdown_to:
        markdown_to.mkdir(parents=True, exist_ok=True)
    results = [score_pdf(path, facts, markdown_to) for path, facts in pairs]
    layouts = sorted({r.layout for r in results}, key=lambda name: (name.startswith("scan"), name))
    return {
        "split": split,
        "totals": totals(results),
        "layouts": {name: totals([r for r in results if r.layout == name]) for name in layouts},
        "pdfs": {r.pdf: {"ms": round(r.ms), "pages": r.pages, "misses": r.misses} for r in results},
    }


# Printing ------------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """A figure for the table: fractions with two decimals, "-" where there is none."""
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def table(report: dict[str, Any]) -> str:
    """The figures by layout and the totals, with the targets under the totals."""
    width = max(len(name) for name in [*report["layouts"], "layout"]) + 1
    head = f"{'layout':<{width}}{'pdfs':>5}" + "".join(f"{title:>8}" for _, title in COLUMNS)
    rule = "-" * len(head)
    lines = [head, rule]
    for name, figures in [*report["layouts"].items(), ("TOTAL", report["totals"])]:
        if name == "TOTAL":
            lines.append(rule)
        row = f"{name:<{width}}{figures['pdfs']:>5}"
        if figures["role_recall"] is None and "scans_refused" in figures:
            lines.append(f"{row}   scans refused as no_text: {figures['scans_refused']}")
        else:
            lines.append(row + "".join(f"{cell(figures[key]):>8}" for key, _ in COLUMNS))
    totals = report["totals"]
    lines += ["", f"scans refused as no_text: {totals.get('scans_refused', '-')}", "targets:"]
    for key, (test, target) in TARGETS.items():
        value = totals[key]
        ok = value is not None and OPERATORS[test](value, target)
        lines.append(f"  {key:<17} {cell(value):>6}  {test} {target:<5} {'ok' if ok else 'MISS'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    parser.add_argument("--markdown", type=Path, metavar="DIR", help="write each PDF's Markdown")
    args = parser.parse_args()
    report = score(args.split, markdown_to=args.markdown)
    print(f"split: {args.split}, {report['totals']['pdfs']} PDFs\n")
    print(table(report))
    if args.verbose:
        for name, read in report["pdfs"].items():
            if read["misses"]:
                print(f"\n{name} ({read['ms']} ms)")
                print("\n".join(f"  {miss}" for miss in read["misses"]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
