"""rank_answers: how well the evaluator orders answers of known quality, and clear errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.ai.test_evaluator import KEY_POINTS, QUESTION, REFERENCE, STRONG
from tests.ai.test_substance import RED_FLAGS, WRONG
from tests.ai.test_substance import RIGHT as MEDIUM  # test_evaluator's MEDIUM skips reproducing

DEV_SETS = sorted((Path(__file__).resolve().parents[2] / "bench" / "answers").glob("dev-*.jsonl"))


def _rank(*files: Path) -> dict[str, str]:
    out = StringIO()
    call_command("rank_answers", *map(str, files), stdout=out)
    return dict(line.split(" = ", 1) for line in out.getvalue().splitlines() if " = " in line)


def test_it_prints_the_means_the_pairs_and_the_gap(tmp_path):
    question = {
        "question": QUESTION,
        "reference": REFERENCE,
        "key_points": list(KEY_POINTS),
        "red_flags": list(RED_FLAGS),
        "type": "technical",
    }
    rows = [
        question | {"kind": "strong", "answer": STRONG},
        question | {"kind": "medium", "answer": MEDIUM},
        question | {"kind": "wrong", "answer": WRONG},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")

    figures = _rank(path)

    assert figures["questions"].startswith("1, answers = 3")
    assert (
        figures["pair_accuracy"] == "1.000 (of 3 pairs)"
    )  # strong>medium, strong>wrong, medium>wrong
    assert figures["wrong_below_medium"] == "1.000"
    assert float(figures["strong_minus_wrong"]) >= 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{", "line 1: not valid JSON"),
        ('{"question": "Why?", "kind": "great", "answer": "x"}', "line 1: kind must be one of"),
        ('{"question": "Not a bank question at all?", "kind": "thin", "answer": "x"}', "no such"),
        ('{"kind": "thin", "answer": "x"}', "needs text fields question, kind and answer"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _rank(path)


def test_the_development_sets_stay_in_order():
    # Not a timing: a floor under the figures docs/evaluator.md reports, so that a change that
    # lets fluent but wrong answers score as well as right ones again fails here.
    assert len(DEV_SETS) >= 2
    figures = _rank(*DEV_SETS)
    assert float(figures["pair_accuracy"].split()[0]) >= 0.95
    assert float(figures["wrong_below_medium"]) >= 0.8
    assert float(figures["strong_minus_wrong"]) >= 3.0
