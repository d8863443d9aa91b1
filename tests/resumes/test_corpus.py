"""The reader on the corpus of real-looking resumes (tests/resumes/corpus: rendercv's themes and
Word-style layouts, seven people in seven fields, each with its facts): the issue's targets, on
the people it was built on (dev) and on the two it never saw while it was built (test).

The figures are bench/read_corpus.py's (`make bench-reading` prints them by layout); no timing
is asserted here.
"""

from __future__ import annotations

import pytest

from bench import read_corpus

TARGETS = {
    "role_recall": 0.9,
    "role_precision": 0.9,
    "bullets_ok": 0.9,
    "degree_found": 0.9,
    "skills_precision": 0.9,
}


@pytest.fixture(scope="module", params=["dev", "test"])
def scored(request):
    return read_corpus.score(request.param)


def test_the_corpus_is_read_to_the_targets(scored):
    totals = scored["totals"]

    assert totals["pdfs"] >= 15
    for figure, target in TARGETS.items():
        assert totals[figure] >= target, (figure, totals[figure], scored["split"])
    assert totals["artifacts"] == 0  # no Markdown link, bold mark or address left in a profile
    assert totals["name_ok"] == 1.0


def test_every_layout_finds_nearly_every_role(scored):
    for layout, figures in scored["layouts"].items():
        if figures.get("role_recall") is not None:
            assert figures["role_recall"] >= 0.8, (layout, figures)


def test_scans_in_the_corpus_are_refused_as_scans(scored):
    refused, total = scored["totals"]["scans_refused"].split("/")
    assert int(total) >= 1 and refused == total
