"""How long reading a resume takes: the upload's checks, the Markdown, and the local profile.

Run: `.venv/bin/python bench/parse_resumes.py [ROUNDS]` (default 20). Each resume layout of the
test suite (tests/resumes/resume_pdfs.py: real PDFs in the shapes students upload) is read
ROUNDS times after one warm-up; the figures are per resume, in milliseconds. The vocabulary is
the question bank's (questionbank/bank/*.json), built once, as a worker process does.

Columns: `inspect` is the checks and the Markdown in this process (resumes.pdf.inspect);
`isolated` is the same in a reading process of its own, as the worker does it (resumes.documents.
read: the process's start and imports, about 0.3 s, included); `profile` is the local reader;
`total` is isolated + profile.

The goal (issues 6 and 17): a typical one-page resume in under 1 s.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from resumes import documents, pdf  # noqa: E402
from resumes.reading.resume import read_resume  # noqa: E402
from resumes.reading.vocabulary import Vocabulary  # noqa: E402
from tests.resumes import resume_pdfs  # noqa: E402

LAYOUTS = ("one_column", "two_columns", "skills_table", "non_english_names", "long_multipage")


def bank_vocabulary() -> Vocabulary:
    skills = []
    for path in sorted((ROOT / "questionbank" / "bank").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        skills += [s.get("keywords", []) for s in data["skills"]]
    return Vocabulary.build(enumerate(skills))


def timed(step, *args):
    start = time.perf_counter()
    result = step(*args)
    return result, (time.perf_counter() - start) * 1000


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    vocabulary, built_ms = timed(bank_vocabulary)
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"vocabulary: {len(vocabulary.names)} names, built in {built_ms:.0f} ms (once a process)")
    print(f"{rounds} rounds per layout after a warm-up; milliseconds per resume\n")
    header = f"{'layout':<18} {'pages':>5} {'inspect':>8} {'isolated':>9} {'profile':>8} "
    print(header + f"{'total p50':>10} {'total p95':>10} {'max':>7}")
    for name in LAYOUTS:
        data = getattr(resume_pdfs, name)()
        documents.read(data)  # warm-up: the disk cache of the reading process's imports
        pdf.inspect(data)  # and this process's
        inspects, isolated, reads, totals = [], [], [], []
        pages = 0
        for _ in range(rounds):
            inspected, inspect_ms = timed(pdf.inspect, data)
            document, isolated_ms = timed(documents.read, data)
            _, read_ms = timed(read_resume, document.markdown, vocabulary)
            pages = inspected.pages
            inspects.append(inspect_ms)
            isolated.append(isolated_ms)
            reads.append(read_ms)
            totals.append(isolated_ms + read_ms)
        p95 = statistics.quantiles(totals, n=20)[-1] if len(totals) > 1 else totals[0]
        print(
            f"{name:<18} {pages:>5} {statistics.median(inspects):>8.0f} "
            f"{statistics.median(isolated):>9.0f} {statistics.median(reads):>8.1f} "
            f"{statistics.median(totals):>10.0f} {p95:>10.0f} {max(totals):>7.0f}"
        )


if __name__ == "__main__":
    main()
